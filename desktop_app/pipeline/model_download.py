"""Download one pinned Whisper model over plain HTTPS, only when the user asks for it.

Plain ``urllib`` with HTTP range requests rather than ``huggingface_hub``: every byte goes to a
``.part`` file we own, so a cancelled or broken download resumes where it stopped, each file is
checked against the sha256 pinned in ``models/manifest.json`` before it counts, and nothing but
the one URL per file is ever contacted (no hub API calls, no telemetry). ``urllib`` honours the
system proxy (``*_proxy`` variables; the registry on Windows and System Settings on macOS).

Files are fetched into ``.download-NAME`` inside the models folder, which the registry never
lists; the model folder itself appears only once every file is verified, by one rename.
"""

from __future__ import annotations

import errno
import http.client
import json
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from threading import Event
from typing import Any, BinaryIO

from desktop_app.core.errors import CancelledError, ModelError
from desktop_app.core.file_hash import file_sha256

DEFAULT_HUB = "https://huggingface.co"
UNPINNED = "unpinned"
CHUNK = 1 << 16
TIMEOUT_SECONDS = 30.0
DISK_MARGIN_BYTES = 64 << 20  # keep this much free beyond the model, for the study and the OS
SPEED_WINDOW_SECONDS = 3.0
DOWNLOAD_MARKER = "verbatim-model.json"


@dataclass(frozen=True)
class PinnedFile:
    name: str
    size: int
    sha256: str

    @property
    def pinned(self) -> bool:
        return len(self.sha256) == 64 and self.sha256 != UNPINNED and self.size > 0


@dataclass(frozen=True)
class DownloadPlan:
    """What to fetch for one model: repository, revision and the pins of each file."""

    model: str
    repository: str
    revision: str
    files: tuple[PinnedFile, ...]
    hub: str = DEFAULT_HUB

    @classmethod
    def from_manifest(cls, name: str, spec: dict[str, Any], hub: str = DEFAULT_HUB) -> DownloadPlan:
        source = spec.get("download")
        if not source:
            raise ModelError(None, f"model {name!r} cannot be downloaded; add it from a folder instead")
        files = tuple(
            PinnedFile(file, int(pin.get("size") or 0), str(pin.get("sha256") or UNPINNED))
            for file, pin in spec.get("files", {}).items()
        )
        return cls(name, str(source["repository"]), str(source["revision"]), files, hub.rstrip("/"))

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    def url(self, file: PinnedFile) -> str:
        return f"{self.hub}/{self.repository}/resolve/{self.revision}/{file.name}"

    def check_pinned(self) -> None:
        """Refuse a model whose manifest entry lacks a revision or any file's hash: we would not know what we got."""
        unpinned = [f.name for f in self.files if not f.pinned]
        if unpinned or not self.files:
            what = ", ".join(unpinned) or "no files"
            raise ModelError(
                None, f"model {self.model!r} is not pinned ({what} has no sha256); it cannot be downloaded"
            )
        if len(self.revision) != 40:
            raise ModelError(None, f"model {self.model!r} has no pinned revision; it cannot be downloaded")


@dataclass(frozen=True)
class DownloadProgress:
    model: str
    file: str
    done_bytes: int
    total_bytes: int
    bytes_per_second: float

    @property
    def eta_seconds(self) -> float | None:
        if self.bytes_per_second <= 0:
            return None
        return (self.total_bytes - self.done_bytes) / self.bytes_per_second


ProgressCallback = Callable[[DownloadProgress], None]


class _Meter:
    """Bytes done and a speed over the last few seconds, so the ETA follows the connection as it is now."""

    def __init__(self, plan: DownloadPlan, done: int, report: ProgressCallback | None) -> None:
        self.plan, self.done, self.report = plan, done, report
        self.samples: list[tuple[float, int]] = [(time.monotonic(), done)]
        self.last_report = 0.0

    def add(self, file: str, count: int) -> None:
        self.done += count
        now = time.monotonic()
        self.samples.append((now, self.done))
        while len(self.samples) > 2 and now - self.samples[0][0] > SPEED_WINDOW_SECONDS:
            self.samples.pop(0)
        if self.report is not None and (now - self.last_report >= 0.1 or self.done >= self.plan.total_bytes):
            self.last_report = now
            self.report(DownloadProgress(self.plan.model, file, self.done, self.plan.total_bytes, self.speed()))

    def speed(self) -> float:
        (t0, b0), (t1, b1) = self.samples[0], self.samples[-1]
        return (b1 - b0) / (t1 - t0) if t1 > t0 else 0.0


def download_model(
    plan: DownloadPlan,
    models_dir: Path,
    *,
    progress: ProgressCallback | None = None,
    cancel: Event | None = None,
) -> Path:
    """Fetch, verify and install ``plan`` as ``models_dir/NAME``; resumable after cancel or failure."""
    plan.check_pinned()
    target = models_dir / plan.model
    if target.exists():
        raise ModelError(target, f"model {plan.model!r} is already installed; remove it first to download it again")
    staging = models_dir / f".download-{plan.model}"
    staging.mkdir(parents=True, exist_ok=True)
    done = sum(_bytes_present(staging, f) for f in plan.files)
    _check_disk_space(staging, plan.total_bytes - done)
    meter = _Meter(plan, done, progress)
    opener = urllib.request.build_opener()  # ProxyHandler() by default: the system proxy settings
    for file in plan.files:
        if not (staging / file.name).is_file():
            _fetch_file(opener, plan, file, staging, meter, cancel or Event())
    (staging / DOWNLOAD_MARKER).write_text(
        json.dumps({"source": f"download: {plan.repository}@{plan.revision}", "url": plan.hub}, indent=1),
        encoding="utf-8",
    )
    staging.rename(target)
    return target


def discard_partial(models_dir: Path, name: str) -> None:
    """Forget a stopped download (its ``.part`` files), so the next one starts from the beginning."""
    shutil.rmtree(models_dir / f".download-{name}", ignore_errors=True)


def _bytes_present(staging: Path, file: PinnedFile) -> int:
    for path in (staging / file.name, staging / f"{file.name}.part"):
        if path.is_file():
            return min(path.stat().st_size, file.size)
    return 0


def _check_disk_space(folder: Path, needed: int) -> None:
    free = shutil.disk_usage(folder).free
    if needed + DISK_MARGIN_BYTES > free:
        raise ModelError(
            folder,
            f"not enough disk space to download: needs {_gb(needed + DISK_MARGIN_BYTES)}, {_gb(free)} free",
        )


def _gb(count: int) -> str:
    return f"{count / 1e9:.2f} GB"


def _fetch_file(
    opener: urllib.request.OpenerDirector,
    plan: DownloadPlan,
    file: PinnedFile,
    staging: Path,
    meter: _Meter,
    cancel: Event,
) -> None:
    part = staging / f"{file.name}.part"
    have = part.stat().st_size if part.is_file() else 0
    if have > file.size:
        part.unlink()
        have = 0
    if have < file.size:
        _receive(opener, plan, file, part, have, meter, cancel)
    _verify(plan, file, part)
    part.rename(staging / file.name)


def _receive(
    opener: urllib.request.OpenerDirector,
    plan: DownloadPlan,
    file: PinnedFile,
    part: Path,
    have: int,
    meter: _Meter,
    cancel: Event,
) -> None:
    url = plan.url(file)
    request = urllib.request.Request(url, headers={"User-Agent": "Verbatim", "Accept-Encoding": "identity"})
    if have:
        request.add_header("Range", f"bytes={have}-")
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            if have and response.status != 206:  # the server ignored the range: start this file again
                meter.add(file.name, -have)
                have = 0
            with part.open("ab" if have else "wb") as out:
                _copy(response, out, file, meter, cancel)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have == file.size:
            return  # asked for the bytes after the last one: the file was complete
        raise ModelError(None, f"download of {url} failed: the server answered {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, http.client.HTTPException, TimeoutError, ConnectionError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise ModelError(None, f"download of {url} failed: {reason}; try again to resume where it stopped") from exc
    except OSError as exc:
        if exc.errno == errno.ENOSPC:  # the disk filled up while writing
            raise ModelError(part, "the disk is full; free some space and download again to resume") from exc
        raise
    if part.stat().st_size < file.size:
        raise ModelError(
            None, f"download of {url} stopped early (the connection closed); try again to resume where it stopped"
        )


def _copy(response: BinaryIO, out: BinaryIO, file: PinnedFile, meter: _Meter, cancel: Event) -> None:
    while chunk := response.read(CHUNK):
        if cancel.is_set():
            raise CancelledError(f"download of {file.name} cancelled; it resumes where it stopped")
        out.write(chunk)
        meter.add(file.name, len(chunk))
    if cancel.is_set():
        raise CancelledError(f"download of {file.name} cancelled; it resumes where it stopped")


def _verify(plan: DownloadPlan, file: PinnedFile, part: Path) -> None:
    """A file that is not what was pinned is deleted, so it can never be used, and the user is told."""
    size = part.stat().st_size
    digest = file_sha256(part)
    if size == file.size and digest == file.sha256:
        return
    part.unlink()
    raise ModelError(
        None,
        f"{file.name} of model {plan.model!r} from {plan.url(file)} does not match its pinned sha256 "
        f"({size} bytes, sha256 {digest[:12]}…, expected {file.sha256[:12]}…); the file was deleted",
    )
