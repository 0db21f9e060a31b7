"""Portable mode for USB sticks: settings, models and the sample study live beside the executable.

Portable mode is on when a ``portable.txt`` marker file sits next to the executable (the
``Verbatim`` program of a bundle; the repository root when run from source), or for one run with
``--portable``. The marker may name the data folder on its first non-comment line (relative to the
executable's folder); by default it is ``VerbatimData``. The folders are handed to the rest of the
app through the environment (``VERBATIM_MODELS_DIR``, ``VERBATIM_CONFIG_DIR``,
``VERBATIM_DATA_DIR``), which must be set before anything reads them; variables already set by
the user win.
"""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path

MARKER_FILE = "portable.txt"
DEFAULT_DATA_FOLDER = "VerbatimData"
PORTABLE_FLAG = "--portable"


@dataclass(frozen=True)
class PortableLayout:
    """Where a portable installation keeps what a normal one keeps in the user's profile."""

    data_dir: Path

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def config_dir(self) -> Path:
        return self.data_dir / "settings"

    def environment(self) -> dict[str, str]:
        return {
            "VERBATIM_DATA_DIR": str(self.data_dir),
            "VERBATIM_MODELS_DIR": str(self.models_dir),
            "VERBATIM_CONFIG_DIR": str(self.config_dir),
        }


def executable_folder() -> Path:
    """The folder of the bundle's executable; the repository root when run from source."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parents[1]


def portable_layout(folder: Path | None = None, *, forced: bool = False) -> PortableLayout | None:
    """The portable layout if the marker is present in ``folder`` (or ``forced``), else None."""
    folder = folder if folder is not None else executable_folder()
    marker = folder / MARKER_FILE
    if not marker.is_file() and not forced:
        return None
    return PortableLayout((folder / _data_folder_name(marker)).resolve())


def _data_folder_name(marker: Path) -> str:
    try:
        lines = marker.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return DEFAULT_DATA_FOLDER
    for line in lines:
        name = line.strip()
        if name and not name.startswith("#"):
            return name
    return DEFAULT_DATA_FOLDER


def enable_portable_mode(
    args: list[str],
    environ: MutableMapping[str, str] | None = None,
    folder: Path | None = None,
) -> tuple[list[str], PortableLayout | None]:
    """Strip ``--portable`` from ``args``; if portable, create the folders and set the environment.

    Returns the remaining arguments and the layout in force (None: a normal installation). A data
    folder that cannot be created (a read-only stick) is reported on stderr and ignored.
    """
    environ = os.environ if environ is None else environ
    forced = PORTABLE_FLAG in args
    remaining = [a for a in args if a != PORTABLE_FLAG]
    layout = portable_layout(folder, forced=forced)
    if layout is None:
        return remaining, None
    try:
        for path in (layout.data_dir, layout.models_dir, layout.config_dir):
            path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"Verbatim: portable mode is off: cannot create {layout.data_dir} ({exc})", file=sys.stderr)
        return remaining, None
    for name, value in layout.environment().items():
        environ.setdefault(name, value)
    return remaining, layout
