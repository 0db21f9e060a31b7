"""Where speech models come from: local places only, each known model pinned by sha256.

Order of precedence: the user's models folder, models installed as Python packages, the app's own
``models/`` folder. The multilingual ``base`` model ships as two package halves that are joined
once into the user's folder and checked against the manifest; it is never joined again while the
joined file is intact.
"""

from __future__ import annotations

import builtins
import importlib.util
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from desktop_app.core.app_root import app_root
from desktop_app.core.errors import ModelError
from desktop_app.core.file_hash import file_sha256

DEFAULT_MODEL = "base"
IMPORTED_MARKER = "verbatim-model.json"
CACHE_FILE = ".verified.json"
WHISPER_REQUIRED = ("model.bin", "config.json")


def user_models_dir() -> Path:
    override = os.environ.get("VERBATIM_MODELS_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir("Verbatim", appauthor=False)) / "models"


def app_models_dir() -> Path:
    return app_root() / "models"


def load_manifest() -> dict[str, dict[str, Any]]:
    data = json.loads((app_models_dir() / "manifest.json").read_text(encoding="utf-8"))
    return {m["name"]: m for m in data["models"]}


@dataclass(frozen=True)
class ModelEntry:
    name: str
    path: Path
    source: str  # "user" | "package" | "app"
    size: int
    verified: bool | None  # None: nothing to check against, or not checked yet
    kind: str = "whisper"
    sha256: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": str(self.path),
            "source": self.source,
            "size": self.size,
            "verified": self.verified,
            "kind": self.kind,
        }


class ModelRegistry:
    def __init__(self, user_dir: Path | None = None) -> None:
        self.user_dir = user_dir or user_models_dir()
        self.manifest = load_manifest()

    # ----- listing -------------------------------------------------------------------------
    def models(self) -> builtins.list[ModelEntry]:
        entries = {e.name: e for e in self._package_and_app_entries()}
        entries.update({e.name: e for e in self._user_entries()})
        return sorted(entries.values(), key=lambda e: (e.kind != "whisper", e.name))

    def list(self) -> builtins.list[ModelEntry]:
        """Same as :meth:`models` (the name the services were first written against)."""
        return self.models()

    def entry(self, name: str) -> ModelEntry:
        for entry in self.models():
            if entry.name == name:
                return entry
        if name in self.manifest and "assemble" in self.manifest[name]:
            self.resolve(name)
            return self.entry(name)
        raise ModelError(None, f"no model named {name!r}; available: {', '.join(self.available_names())}")

    def available_names(self) -> builtins.list[str]:
        names = {e.name for e in self.models()}
        names.update(n for n, m in self.manifest.items() if "assemble" in m and self._parts_present(m))
        return sorted(names)

    def _user_entries(self) -> builtins.list[ModelEntry]:
        if not self.user_dir.is_dir():
            return []
        entries: builtins.list[ModelEntry] = []
        folders = (p for p in self.user_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
        for folder in sorted(p for p in folders if (p / "model.bin").is_file()):
            entries.append(self._folder_entry(folder.name, folder, "user", full=False))
        return entries

    def _package_and_app_entries(self) -> builtins.list[ModelEntry]:
        entries: builtins.list[ModelEntry] = []
        for name, spec in self.manifest.items():
            if "package" in spec:
                folder = _package_path(spec["package"]["module"], spec["package"]["folder"])
                if folder is not None and (folder / "model.bin").is_file():
                    entries.append(self._folder_entry(name, folder, "package", full=False))
            elif "assemble" in spec and (app_models_dir() / name / "model.bin").is_file():
                entries.append(self._folder_entry(name, app_models_dir() / name, "app", full=False))
            elif "assemble" in spec and self._parts_present(spec):
                entries.append(self._unassembled_entry(name, spec))
            elif "app_file" in spec:
                path = app_models_dir() / spec["app_file"]
                if path.is_file():
                    entries.append(self._file_entry(name, path, spec, full=False))
        return entries + self._bundled_extra_entries({e.name for e in entries})

    def _bundled_extra_entries(self, listed: set[str]) -> builtins.list[ModelEntry]:
        """Whisper folders an installer was built with (``build_bundle.sh --with-model``), checked like any other."""
        folder = app_models_dir()
        if not folder.is_dir():
            return []
        skip = listed | {n for n, s in self.manifest.items() if "assemble" in s}
        found = (
            p for p in sorted(folder.iterdir()) if p.is_dir() and p.name not in skip and not p.name.startswith(".")
        )
        return [self._folder_entry(p.name, p, "app", full=False) for p in found if (p / "model.bin").is_file()]

    # ----- verification --------------------------------------------------------------------
    def verify(self, name: str | None = None) -> builtins.list[ModelEntry]:
        """Re-hash every file of one model (or all) against its pin, ignoring the cache."""
        targets = [self.entry(name)] if name else self.models()
        result: builtins.list[ModelEntry] = []
        for e in targets:
            if e.source == "package" and "assemble" in self.manifest.get(e.name, {}):
                e = self._folder_entry(e.name, self.resolve(e.name), "user", full=False)
            if e.kind == "whisper":
                result.append(self._folder_entry(e.name, e.path, e.source, full=True))
            else:
                result.append(self._file_entry(e.name, e.path, self.manifest.get(e.name, {}), full=True))
        return result

    def remember_downloaded(self, name: str, folder: Path) -> None:
        """Record the pinned hashes of a model folder just downloaded (each file was hashed against its pin
        as it arrived, ``model_download``), so listing or resolving it does not hash gigabytes again."""
        cache = _HashCache(self.user_dir / CACHE_FILE)
        for file_name, pin in self._pins(name, folder).items():
            cache.remember(folder / file_name, str(pin["sha256"]))
        cache.save()

    def folder_matches_pins(self, name: str, folder: Path) -> bool | None:
        """Re-hash every pinned file of ``folder`` (no cache); None when there are no pins to check against."""
        pins = self._pins(name, folder)
        return self._check_files(folder, pins, full=True) if pins else None

    def _pins(self, name: str, folder: Path) -> dict[str, dict[str, Any]]:
        if name in self.manifest:
            return dict(self.manifest[name].get("files", {}))
        marker = folder / IMPORTED_MARKER
        if marker.is_file():
            return dict(json.loads(marker.read_text(encoding="utf-8")).get("files", {}))
        return {}

    def _folder_entry(self, name: str, folder: Path, source: str, *, full: bool) -> ModelEntry:
        pins = self._pins(name, folder)
        verified = self._check_files(folder, pins, full=full) if pins else None
        size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
        sha = pins.get("model.bin", {}).get("sha256", "")
        return ModelEntry(name, folder, source, size, verified, "whisper", sha)

    def _unassembled_entry(self, name: str, spec: dict[str, Any]) -> ModelEntry:
        """A model still in its package halves: listed, joined into the user folder on first use."""
        parts = [_package_path(p["module"], p["path"]) for ps in spec["assemble"].values() for p in ps]
        size = sum(p.stat().st_size for p in parts if p is not None)
        folder = parts[0].parent if parts[0] is not None else self.user_dir / name
        return ModelEntry(name, folder, "package", size, None, "whisper", spec["files"]["model.bin"]["sha256"])

    def _file_entry(self, name: str, path: Path, spec: dict[str, Any], *, full: bool) -> ModelEntry:
        pin = spec.get("files", {}).get(path.name)
        verified = self._check_files(path.parent, {path.name: pin}, full=full) if pin else None
        return ModelEntry(
            name, path, "app", path.stat().st_size, verified, spec.get("kind", "speaker"), pin["sha256"] if pin else ""
        )

    def _check_files(self, folder: Path, pins: dict[str, dict[str, Any]], *, full: bool) -> bool:
        cache = _HashCache(self.user_dir / CACHE_FILE)
        try:
            for file_name, pin in pins.items():
                path = folder / file_name
                if not path.is_file() or path.stat().st_size != pin["size"]:
                    return False
                if cache.sha256(path, recompute=full) != pin["sha256"]:
                    return False
            return True
        finally:
            cache.save()

    # ----- resolving ------------------------------------------------------------------------
    def resolve(self, name: str) -> Path:
        """A folder (or file) ready to load, assembling ``base`` on first use."""
        spec = self.manifest.get(name)
        user_folder = self.user_dir / name
        if (user_folder / "model.bin").is_file():
            entry = self._folder_entry(name, user_folder, "user", full=False)
            if entry.verified is not False:
                return user_folder
            if spec is None or "assemble" not in spec:
                raise ModelError(user_folder, "is damaged: its files do not match their recorded hashes")
        if spec is not None and "assemble" in spec:
            return self._bundled_folder(name, spec) or self._assemble(name, spec)
        for entry in self._package_and_app_entries():
            if entry.name == name:
                if entry.verified is False:
                    raise ModelError(entry.path, f"model {name!r} is damaged: hash mismatch; reinstall Verbatim")
                return entry.path
        if spec is not None and "download" in spec:
            raise ModelError(
                None,
                f"model {name!r} is not installed: download it (Preferences ▸ Models, or "
                f"'verbatim models download {name}') or add it from a folder",
            )
        raise ModelError(None, f"no model named {name!r}; available: {', '.join(self.available_names())}")

    # ----- removing -------------------------------------------------------------------------
    def remove(self, name: str) -> Path:
        """Delete a model from the user's folder (downloaded, imported or joined); the app's own stay."""
        folder = self.user_dir / name
        if name.startswith(".") or "/" in name or "\\" in name or not (folder / "model.bin").is_file():
            raise ModelError(None, f"no model named {name!r} in {self.user_dir}; only models you added can be removed")
        staging = self.user_dir / f".removing-{name}"
        shutil.rmtree(staging, ignore_errors=True)
        folder.rename(staging)  # the model stops being usable at once, even if deleting takes a while
        shutil.rmtree(staging, ignore_errors=True)
        return folder

    def _bundled_folder(self, name: str, spec: dict[str, Any]) -> Path | None:
        """A copy joined at build time in the app's ``models/`` (the installer bundles ``base`` so)."""
        folder = app_models_dir() / name
        if not (folder / "model.bin").is_file():
            return None
        if self._folder_entry(name, folder, "app", full=False).verified:
            return folder
        if not self._parts_present(spec):
            raise ModelError(folder, f"model {name!r} is damaged: hash mismatch; reinstall Verbatim")
        return None  # damaged, but the package halves can join a fresh copy

    def _parts_present(self, spec: dict[str, Any]) -> bool:
        return all(
            _package_path(part["module"], part["path"]) is not None
            for parts in spec["assemble"].values()
            for part in parts
        )

    def _assemble(self, name: str, spec: dict[str, Any]) -> Path:
        if not self._parts_present(spec):
            raise ModelError(None, f"model {name!r} is not installed (its packages are missing); reinstall Verbatim")
        target = self.user_dir / name
        self.user_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=self.user_dir))
        try:
            for file_name, parts in spec["assemble"].items():
                with (staging / file_name).open("wb") as out:
                    for part in parts:
                        with open(_package_path(part["module"], part["path"]), "rb") as src:  # type: ignore[arg-type]
                            shutil.copyfileobj(src, out, 1 << 20)
            if not self._check_files(staging, spec["files"], full=True):
                raise ModelError(target, f"model {name!r} could not be assembled: hash mismatch; reinstall Verbatim")
            if target.exists():
                shutil.rmtree(target)
            staging.rename(target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return target

    # ----- importing ------------------------------------------------------------------------
    def import_folder(self, folder: Path, name: str | None = None) -> ModelEntry:
        """Copy a CTranslate2 Whisper model folder into the user's models folder after it loads."""
        folder = Path(folder)
        if not folder.is_dir():
            raise ModelError(folder, "is not a folder")
        missing = [f for f in WHISPER_REQUIRED if not (folder / f).is_file()]
        if missing or not any((folder / t).is_file() for t in ("tokenizer.json", "vocabulary.txt", "vocabulary.json")):
            raise ModelError(
                folder, "is not a CTranslate2 Whisper model folder (needs model.bin, config.json, tokenizer)"
            )
        _check_loads(folder)
        name = name or folder.name
        target = self.user_dir / name
        if target.exists():
            raise ModelError(target, f"a model named {name!r} already exists; choose another name")
        staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=_ensure(self.user_dir)))
        try:
            files = {}
            for path in folder.iterdir():
                if path.is_file():
                    shutil.copy2(path, staging / path.name)
                    files[path.name] = {"size": path.stat().st_size, "sha256": file_sha256(staging / path.name)}
            (staging / IMPORTED_MARKER).write_text(json.dumps({"source": str(folder), "files": files}, indent=1))
            staging.rename(target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return self._folder_entry(name, target, "user", full=False)


def _ensure(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _check_loads(folder: Path) -> None:
    import ctranslate2

    try:
        ctranslate2.models.Whisper(str(folder), device="cpu", compute_type="int8")
    except Exception as exc:  # CTranslate2 raises RuntimeError/ValueError for bad files
        raise ModelError(folder, f"does not load as a Whisper model: {exc}") from exc


def _package_path(module: str, relative: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    return path if path.exists() else None


class _HashCache:
    """sha256 of files keyed by path, size and mtime, so listing models does not re-hash 150 MB."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.dirty = False
        try:
            self.data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.data = {}

    def sha256(self, file: Path, *, recompute: bool) -> str:
        stat = file.stat()
        key = str(file.resolve())
        cached = self.data.get(key)
        if not recompute and cached and cached["size"] == stat.st_size and cached["mtime"] == stat.st_mtime_ns:
            return str(cached["sha256"])
        digest = file_sha256(file)
        self.remember(file, digest)
        return digest

    def remember(self, file: Path, digest: str) -> None:
        """A hash already computed elsewhere (a verified download), for the file as it is now."""
        stat = file.stat()
        self.data[str(file.resolve())] = {"size": stat.st_size, "mtime": stat.st_mtime_ns, "sha256": digest}
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.data, indent=1), encoding="utf-8")
            tmp.replace(self.path)
            self.dirty = False
        except OSError:
            pass  # a read-only home folder only costs re-hashing next time
