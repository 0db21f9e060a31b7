"""Which Whisper and speaker models this installation can use; adding, downloading and removing them.

Downloads happen only when the user asks for one model. They can be switched off entirely: by the
user (a setting both the GUI and the CLI read), by ``VERBATIM_NO_DOWNLOADS=1``, or when the
installer was built with ``--no-downloads`` (``models/policy.json``); then the only way to add a
model is from a folder.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from threading import Event
from typing import Any

import platformdirs

from desktop_app.core.errors import ModelError
from desktop_app.pipeline import model_download
from desktop_app.pipeline.model_download import DownloadPlan, ProgressCallback
from desktop_app.pipeline.model_registry import IMPORTED_MARKER, ModelEntry, ModelRegistry, app_models_dir
from desktop_app.services.transcription import model_calibration

POLICY_FILE = "policy.json"
SETTINGS_FILE = "models.json"


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


def remove_model(name: str) -> Path:
    folder = registry().remove(name)
    model_download.discard_partial(folder.parent, name)
    return folder


# ----- the catalogue: every model worth having, installed or not ---------------------------------
@dataclass(frozen=True)
class CatalogueRow:
    """One line of the Models page and of ``verbatim models list``."""

    name: str
    description: str
    languages: str
    size_bytes: int
    ram_gb: float | None
    accuracy: str
    accuracy_source: str
    installed: ModelEntry | None
    origin: str  # where an installed model came from, in words
    downloadable: bool  # pinned in the manifest (whether downloads are allowed is separate)
    partial_bytes: int  # bytes of a stopped download, which the next one resumes from
    speed: float | None  # × real time measured on this computer, None until calibrated

    @property
    def state(self) -> str:
        if self.installed is None:
            return "partly downloaded" if self.partial_bytes else "not installed"
        return {True: "verified", False: "HASH MISMATCH", None: "installed (not checked)"}[self.installed.verified]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "languages": self.languages,
            "size": self.size_bytes,
            "ram_gb": self.ram_gb,
            "accuracy": self.accuracy,
            "accuracy_source": self.accuracy_source,
            "state": self.state,
            "origin": self.origin,
            "downloadable": self.downloadable,
            "partial_bytes": self.partial_bytes,
            "speed_x_real_time": self.speed,
            "installed": self.installed.to_json() if self.installed else None,
        }


def catalogue(reg: ModelRegistry | None = None) -> list[CatalogueRow]:
    """Whisper models: the manifest's (installed or not) and any the user imported."""
    reg = reg or registry()
    installed = {e.name: e for e in reg.models() if e.kind == "whisper"}
    speeds = model_calibration.cached_speeds(reg.user_dir)
    rows = []
    for name, spec in reg.manifest.items():
        if spec.get("kind", "whisper") == "whisper":
            rows.append(_row(reg, name, spec, installed.pop(name, None), speeds))
    rows.extend(_row(reg, name, {}, entry, speeds) for name, entry in sorted(installed.items()))
    return rows


def _row(
    reg: ModelRegistry, name: str, spec: dict[str, Any], entry: ModelEntry | None, speeds: dict[str, float]
) -> CatalogueRow:
    files = spec.get("files", {})
    size = sum(int(f.get("size") or 0) for f in files.values()) if files else (entry.size if entry else 0)
    plan = _plan(name, spec) if "download" in spec else None
    return CatalogueRow(
        name=name,
        description=str(spec.get("description", "added from a folder")),
        languages=str(spec.get("languages", "see the model's source")),
        size_bytes=size,
        ram_gb=spec.get("ram_gb"),
        accuracy=str(spec.get("accuracy", "")),
        accuracy_source=str(spec.get("accuracy_source", "")),
        installed=entry,
        origin=_origin(entry) if entry else "",
        downloadable=plan is not None and _is_pinned(plan),
        partial_bytes=_partial_bytes(reg.user_dir, name) if entry is None else 0,
        speed=speeds.get(name) if entry else None,
    )


def _origin(entry: ModelEntry) -> str:
    if entry.source == "package":
        return "installed with Verbatim (Python package)"
    if entry.source == "app":
        return "bundled with Verbatim"
    marker = entry.path / IMPORTED_MARKER
    if marker.is_file():
        try:
            source = str(json.loads(marker.read_text(encoding="utf-8")).get("source", ""))
        except (OSError, ValueError):
            source = ""
        if source.startswith("download"):
            return source.replace("download: ", "downloaded from ")
        return f"added from folder {source}" if source else "added from a folder"
    return "joined from the packages installed with Verbatim"


def _partial_bytes(models_dir: Path, name: str) -> int:
    staging = models_dir / f".download-{name}"
    if not staging.is_dir():
        return 0
    return sum(p.stat().st_size for p in staging.iterdir() if p.is_file())


def _is_pinned(plan: DownloadPlan) -> bool:
    try:
        plan.check_pinned()
    except ModelError:
        return False
    return True


# ----- downloading ---------------------------------------------------------------------------------
def hub_url() -> str:
    """The hub (or an institution's mirror of it, ``VERBATIM_MODEL_HUB``) downloads come from."""
    return os.environ.get("VERBATIM_MODEL_HUB") or model_download.DEFAULT_HUB


def _plan(name: str, spec: dict[str, Any]) -> DownloadPlan:
    return DownloadPlan.from_manifest(name, spec, hub_url())


def download_plan(name: str, reg: ModelRegistry | None = None) -> DownloadPlan:
    reg = reg or registry()
    spec = reg.manifest.get(name)
    if spec is None or spec.get("kind", "whisper") != "whisper":
        known = ", ".join(n for n, s in reg.manifest.items() if "download" in s)
        raise ModelError(None, f"no downloadable model named {name!r}; known: {known}")
    return _plan(name, spec)


def download(
    name: str,
    *,
    progress: ProgressCallback | None = None,
    cancel: Event | None = None,
    reg: ModelRegistry | None = None,
) -> ModelEntry:
    """Download one model the user asked for, verified file by file; refuses when downloads are off."""
    refusal = downloads_refusal()
    if refusal:
        raise ModelError(None, refusal)
    reg = reg or registry()
    plan = download_plan(name, reg)
    folder = model_download.download_model(plan, reg.user_dir, progress=progress, cancel=cancel)
    reg.remember_downloaded(name, folder)  # every file was hashed against its pin as it arrived
    return reg.entry(name)


# ----- the downloads switch --------------------------------------------------------------------------
def _settings_path() -> Path:
    folder = os.environ.get("VERBATIM_CONFIG_DIR") or platformdirs.user_config_dir("Verbatim", appauthor=False)
    return Path(folder) / SETTINGS_FILE


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def downloads_built_in() -> bool:
    """False when this installation was built without downloads (``build_bundle.sh --no-downloads``)."""
    return _read_json(app_models_dir() / POLICY_FILE).get("downloads", True) is not False


def downloads_refusal() -> str:
    """Why downloads are off, in words; empty when the user may download a model."""
    if not downloads_built_in():
        return "this installation was built without model downloads; add models from a folder"
    if os.environ.get("VERBATIM_NO_DOWNLOADS", "") not in ("", "0"):
        return "model downloads are turned off (VERBATIM_NO_DOWNLOADS); add models from a folder"
    if _read_json(_settings_path()).get("downloads_enabled", True) is False:
        return "model downloads are turned off in Preferences ▸ Models; add models from a folder"
    return ""


def downloads_enabled() -> bool:
    return not downloads_refusal()


def set_downloads_enabled(enabled: bool) -> None:
    path = _settings_path()
    data = _read_json(path)
    data["downloads_enabled"] = bool(enabled)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    tmp.replace(path)


# ----- the device transcription runs on --------------------------------------------------------------
def gpu_count() -> int:
    """CUDA devices CTranslate2 can see (0 on a machine without an NVIDIA GPU or its driver)."""
    from desktop_app.pipeline.asr_engine import cuda_devices

    return cuda_devices()


def device_label(device: str) -> str:
    """What a transcription asked to run on ``device`` (auto, cpu, cuda) will use: 'cuda float16', 'cpu int8 (…)'."""
    from desktop_app.pipeline.asr_engine import choose_device
    from desktop_app.pipeline.asr_options import TranscriptionOptions

    return choose_device(TranscriptionOptions(device=device)).label


# ----- which model for which language -----------------------------------------------------------------
SMALL_MODELS = ("tiny.en", "base")  # what Verbatim bundles: fine as a first draft in English, weak elsewhere
BETTER_MULTILINGUAL = ("large-v3-turbo", "large-v3", "medium", "small")  # best first
ENGLISH_ONLY = ("tiny.en", "distil-large-v3")


def model_advice(language: str, model: str, language_name: str = "", installed: list[str] | None = None) -> str:
    """One line for the transcription bar: is ``model`` a good choice for ``language``, and what would do better.

    On the shared recordings ``base`` gets 30 % of German words wrong and 89 % of a Swedish one;
    ``small`` and larger models are what researchers compare us with.
    """
    if language in ("", "auto"):
        return ""
    name = language_name or language
    if installed is None:
        installed = [e.name for e in list_models() if e.kind == "whisper"]
    better = next((m for m in BETTER_MULTILINGUAL if m in installed), "")
    if language != "en" and model in ENGLISH_ONLY:
        return f"{name}: {model} understands English only" + (
            f"; use {better}" if better else "; use base, or download a multilingual model (Preferences ▸ Models)"
        )
    if language != "en" and model in SMALL_MODELS:
        advice = f"{better} is installed" if better else "a larger model does much better (Preferences ▸ Models)"
        return f"{name}: {model} is weak; {advice}"
    return ""
