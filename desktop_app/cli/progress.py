"""Transcription progress on a terminal: a bar with percent, × real time and ETA, and the text."""

from __future__ import annotations

import json
import sys
import threading
from typing import Any, TextIO

from desktop_app.core.timecode import format_hms
from desktop_app.services.study import document_service
from desktop_app.services.study.project_service import ProjectStore
from desktop_app.services.transcription.transcription_service import TranscriptionListener

BAR_WIDTH = 28


class TranscriptionPrinter:
    def __init__(self, store: ProjectStore, *, as_json: bool = False, out: TextIO | None = None) -> None:
        self.store = store
        self.as_json = as_json
        self.out = out or sys.stdout  # looked up now: sys.stdout may be replaced after import
        self.interactive = self.out.isatty() and not as_json
        self.listener = TranscriptionListener(
            on_started=self._started,
            on_progress=self._progress,
            on_segments=self._segments,
            cancel=threading.Event(),
        )
        self._bar_shown = False

    def begin(self, document_id: int, position: int, total: int) -> None:
        doc = document_service.get_document(self.store, document_id)
        self._emit(
            {"event": "document", "id": document_id, "title": doc.title, "position": position, "of": total},
            f"[{position}/{total}] {doc.title} ({format_hms(doc.duration or 0)})",
        )

    def end(self, outcome: Any) -> None:
        speed = outcome.audio_seconds / outcome.wall_seconds if outcome.wall_seconds else 0.0
        self._clear_bar()
        resumed = f", resumed at {format_hms(outcome.resumed_from)}" if outcome.resumed_from else ""
        self._emit(
            {
                "event": "finished",
                "id": outcome.document_id,
                "run": outcome.run_id,
                "audio_seconds": outcome.audio_seconds,
                "wall_seconds": round(outcome.wall_seconds, 2),
                "speed": round(speed, 2),
            },
            f"Done in {format_hms(outcome.wall_seconds)} ({speed:.1f}× real time{resumed})",
        )

    def _started(self, document_id: int, event: Any) -> None:
        probability = f" ({event.language_probability:.0%})" if event.language_probability else ""
        self._emit(
            {
                "event": "started",
                "id": document_id,
                "language": event.language,
                "language_probability": event.language_probability,
                "device": event.device,
            },
            f"Language: {event.language}{probability} · device: {event.device}",
        )

    def _segments(self, document_id: int, event: Any) -> None:
        self._clear_bar()
        for s in event.segments:
            self._emit(
                {
                    "event": "segment",
                    "id": document_id,
                    "start": s.start,
                    "end": s.end,
                    "speaker": s.speaker,
                    "text": s.text,
                },
                f"[{format_hms(s.start)}] {s.text}",
            )

    def _progress(self, document_id: int, event: Any) -> None:
        total = event.total_seconds or 1.0
        fraction = min(1.0, event.done_seconds / total)
        eta = (total - event.done_seconds) / event.speed if event.speed > 0 else 0.0
        if self.as_json:
            self._emit(
                {
                    "event": "progress",
                    "id": document_id,
                    "done": round(event.done_seconds, 2),
                    "total": event.total_seconds,
                    "speed": round(event.speed, 2),
                    "eta": round(eta, 1),
                },
                "",
            )
            return
        filled = int(fraction * BAR_WIDTH)
        line = (
            f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {fraction:6.1%}  {event.speed:4.1f}× real time"
            f"  ETA {format_hms(eta)}"
        )
        if self.interactive:
            self.out.write("\r" + line)
            self._bar_shown = True
        else:
            self.out.write(line + "\n")
        self.out.flush()

    def _clear_bar(self) -> None:
        if self._bar_shown:
            self.out.write("\r" + " " * (BAR_WIDTH + 48) + "\r")
            self._bar_shown = False

    def _emit(self, data: dict[str, Any], text: str) -> None:
        if self.as_json:
            self.out.write(json.dumps(data, ensure_ascii=False) + "\n")
        elif text:
            self.out.write(text + "\n")
        self.out.flush()
