"""Which Whisper and speaker models this installation can use, and adding more from a folder."""

from __future__ import annotations

from pathlib import Path

from desktop_app.pipeline.model_registry import ModelEntry, ModelRegistry


def registry() -> ModelRegistry:
    return ModelRegistry()


def list_models() -> list[ModelEntry]:
    return registry().models()


def verify_models(name: str | None = None) -> list[ModelEntry]:
    return registry().verify(name)


def import_model(folder: Path, name: str | None = None) -> ModelEntry:
    return registry().import_folder(Path(folder), name)


def resolve_model(name: str) -> Path:
    return registry().resolve(name)
