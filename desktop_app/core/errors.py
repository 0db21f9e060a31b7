"""Exceptions that name the file and the problem, shown to users as one clear line."""

from __future__ import annotations

from pathlib import Path


class VerbatimError(Exception):
    """A known user-facing problem: ``path`` is the file concerned, ``problem`` says what is wrong."""

    def __init__(self, path: str | Path | None, problem: str) -> None:
        self.path = str(path) if path is not None else None
        self.problem = problem
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return f"{self.path}: {self.problem}" if self.path else self.problem


class MediaError(VerbatimError):
    """A recording that cannot be read: missing, empty, not audio, truncated, no audio track."""


class ProjectError(VerbatimError):
    """A project file that cannot be opened or written: not ours, too new, read-only, corrupt, locked."""


class ModelError(VerbatimError):
    """A Whisper or speaker model that is missing, incomplete or fails its hash check."""


class ExportError(VerbatimError):
    """An export or import of an interchange file that failed."""


class CancelledError(Exception):
    """A long operation was cancelled by the user; finished work has been kept."""
