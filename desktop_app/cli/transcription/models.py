"""``verbatim models``: every Whisper model worth having, downloading one on request, adding one from a folder.

``list`` shows languages, size, RAM, published accuracy, speed measured here and the hash state;
``download NAME`` fetches one pinned model (progress on stderr; Ctrl-C stops it and the next
``download`` resumes); ``import FOLDER``, ``remove NAME``, ``verify [NAME]``, ``calibrate NAME``
(measure speed on this computer), ``downloads on|off`` (the switch the Models page shows too).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.cli.registry import EXIT_FAILED, EXIT_OK, Subparsers, add_command, emit_json, fail
from desktop_app.core.errors import CancelledError
from desktop_app.core.timecode import format_hms

if TYPE_CHECKING:
    from desktop_app.pipeline.model_download import DownloadProgress
    from desktop_app.pipeline.model_registry import ModelEntry

ACTIONS = ["list", "download", "import", "remove", "verify", "calibrate", "downloads"]


def register(sub: Subparsers) -> None:
    p = add_command(sub, "models", cmd_models, help="list, download, import, remove or verify Whisper models")
    p.add_argument("action", nargs="?", choices=ACTIONS, default="list")
    p.add_argument("target", nargs="?", metavar="NAME|FOLDER|on|off")
    p.add_argument("--name", help="name for an imported model (default: the folder name)")
    p.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"], help="for calibrate")
    p.add_argument("--json", action="store_true")


def cmd_models(args: argparse.Namespace) -> int:
    from desktop_app.services.transcription import model_service

    action = args.action
    if action in ("download", "remove", "calibrate", "import") and not args.target:
        return fail(f"models {action} needs a {'FOLDER' if action == 'import' else 'model NAME'}")
    if action == "download":
        return _download(args.target)
    if action == "remove":
        folder = model_service.remove_model(args.target)
        print(f"Removed {args.target} ({folder})")
        return EXIT_OK
    if action == "calibrate":
        from desktop_app.services.transcription import model_calibration

        result = model_calibration.calibrate(args.target, device=args.device)
        print(f"{args.target}: {result.speed:.1f}× real time on this computer ({result.device})")
        return EXIT_OK
    if action == "downloads":
        return _switch(args.target)
    if action in ("import", "verify"):
        entries = (
            [model_service.import_model(Path(args.target), args.name)]
            if action == "import"
            else model_service.verify_models(args.target)
        )
        return _print_entries(entries, args.json)
    return _list(args.json)


def _print_entries(entries: list[ModelEntry], as_json: bool) -> int:
    if as_json:
        emit_json({"models": [e.to_json() for e in entries]})
    else:
        for e in entries:
            state = {True: "verified", False: "HASH MISMATCH", None: "not checked"}[e.verified]
            print(f"{e.name:<16} {e.source:<8} {e.size / 1e6:>8.1f} MB  {state:<13} {e.path}")
    return EXIT_FAILED if any(e.verified is False for e in entries) else EXIT_OK


def _list(as_json: bool) -> int:
    from desktop_app.services.transcription import model_service

    rows = model_service.catalogue()
    refusal = model_service.downloads_refusal()
    if as_json:
        emit_json(
            {
                "downloads": refusal or "enabled",
                "device": model_service.device_label("auto"),
                "models": [r.to_json() for r in rows],
            }
        )
        return EXIT_OK
    print(f"{'Model':<16} {'State':<20} {'Size':>8} {'RAM':>6} {'Speed':>7}  Languages · published accuracy")
    for r in rows:
        ram = f"{r.ram_gb:.1f} GB" if r.ram_gb else "-"
        speed = f"{r.speed:.1f}×" if r.speed else "-"
        print(
            f"{r.name:<16} {r.state:<20} {r.size_bytes / 1e9:>5.2f} GB {ram:>6} {speed:>7}  {r.languages} · {r.accuracy}"
        )
        if r.origin:
            print(f"{'':<16} {r.origin}")
    print("Downloads: " + (refusal or "on request only ('verbatim models download NAME')"))
    print(f"Device:    {model_service.device_label('auto')} ({model_service.gpu_count()} CUDA devices found)")
    return EXIT_OK


def _download(name: str) -> int:
    from desktop_app.services.transcription import model_service

    plan = model_service.download_plan(name)
    print(f"Downloading {name}: {plan.total_bytes / 1e9:.2f} GB from {plan.hub}/{plan.repository}", file=sys.stderr)
    try:
        entry = model_service.download(name, progress=_ProgressPrinter())
    except (KeyboardInterrupt, CancelledError):
        print(f"\nDownload stopped; 'verbatim models download {name}' resumes where it stopped.", file=sys.stderr)
        return 130
    print(file=sys.stderr)
    state = {True: "verified", False: "HASH MISMATCH", None: "not checked"}[entry.verified]
    print(f"Installed {name} ({state}) in {entry.path}")
    return EXIT_OK if entry.verified else EXIT_FAILED


class _ProgressPrinter:
    """One updating line: percent, bytes, speed and time left."""

    def __init__(self) -> None:
        self.last = 0.0

    def __call__(self, progress: DownloadProgress) -> None:
        now = time.monotonic()
        done, total = progress.done_bytes, max(1, progress.total_bytes)
        if now - self.last < 0.5 and done < total:
            return
        self.last = now
        eta = progress.eta_seconds
        speed = progress.bytes_per_second / 1e6
        left = format_hms(eta) if eta is not None else "--:--:--"
        line = f"\r  {done / total:6.1%}  {done / 1e6:,.0f} / {total / 1e6:,.0f} MB  {speed:.1f} MB/s  ETA {left}"
        print(line, end="", file=sys.stderr, flush=True)


def _switch(value: str | None) -> int:
    from desktop_app.services.transcription import model_service

    if value not in (None, "on", "off"):
        return fail("models downloads takes 'on' or 'off'")
    if value is not None:
        model_service.set_downloads_enabled(value == "on")
    refusal = model_service.downloads_refusal()
    print(f"Model downloads: {'off — ' + refusal if refusal else 'on (only when you ask for a model)'}")
    return EXIT_OK
