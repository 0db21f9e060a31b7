"""Put one more Whisper model into an installer (``scripts/build_bundle.sh --with-model NAME``).

A study site without network gets, say, ``large-v3-turbo`` inside the bundle. The model is taken
from the build machine's models folder (downloaded or imported there first); every file is hashed
against its pins (the manifest's, or those recorded when it was imported) before the copy and
again after it, and a model without pins or not matching them stops the build.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from desktop_app.core.errors import ModelError
from desktop_app.pipeline.model_registry import ModelRegistry


def stage_for_bundle(name: str, destination: Path, registry: ModelRegistry | None = None) -> Path:
    """Copy installed model ``name`` into ``destination/name``, verified before and after; returns the copy."""
    registry = registry or ModelRegistry()
    source = registry.resolve(name)
    _require_pins_hold(registry, name, source)
    target = destination / name
    staging = destination / f".{name}-staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        for path in sorted(source.iterdir()):
            if path.is_file() and not path.name.startswith("."):
                shutil.copy2(path, staging / path.name)
        _require_pins_hold(registry, name, staging)
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _require_pins_hold(registry: ModelRegistry, name: str, folder: Path) -> None:
    verdict = registry.folder_matches_pins(name, folder)
    if verdict is None:
        raise ModelError(folder, f"model {name!r} has no sha256 pins to check; add it with 'verbatim models import'")
    if not verdict:
        raise ModelError(folder, f"model {name!r} does not match its pinned sha256; it is not bundled")

