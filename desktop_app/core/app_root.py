"""Where the application's own files are (``models/``, ``resources/``): inside a PyInstaller bundle, the
folder it unpacked to (``sys._MEIPASS``); otherwise the repository (or source install) root.

One lookup for every caller, so a bundle layout change is made in one place.
"""

from __future__ import annotations

import sys
from pathlib import Path


def app_root() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    return Path(bundle) if bundle else Path(__file__).resolve().parents[2]
