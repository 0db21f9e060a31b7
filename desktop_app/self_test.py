"""``Verbatim --self-test``: check an installation end to end, without a window.

Creates a temporary study, imports the bundled sample recording, transcribes it, exports DOCX and
JSON and checks what came out, printing every step with its time. Exit status 0 when everything
works, 1 with the failing step and the reason otherwise. Works from source and in the bundle.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_app import __version__
from desktop_app.services.exports import export_service
from desktop_app.services.study import project_service, sample_study_service
from desktop_app.services.study.sample_study_service import SampleRecording
from desktop_app.services.transcription import model_service
from desktop_app.services.transcription.transcription_service import TranscriptionOptions
from desktop_app.storage.project_store import ProjectStore

EXIT_OK, EXIT_FAILED = 0, 1
MIN_PHRASE_SHARE = 0.8  # of the sample's expected phrases that must be heard (tiny.en mishears a few words)


class SelfTestFailure(Exception):
    """A check that did not hold: the message says what was expected and what was found."""


@dataclass
class SelfTestContext:
    folder: Path
    model: str
    sample: SampleRecording | None = None
    store: ProjectStore | None = None
    document_id: int = 0
    exports: dict[str, Path] = field(default_factory=dict)


class StepPrinter:
    """Runs numbered steps, printing each with its wall time; the first failure stops the run."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.number = 0
        self.started = time.perf_counter()

    def run(self, title: str, step: Callable[[], str]) -> None:
        self.number += 1
        print(f"[{self.number}/{self.total}] {title} ...", end=" ", flush=True)
        began = time.perf_counter()
        try:
            detail = step()
        except Exception as exc:
            print(f"FAILED after {time.perf_counter() - began:.2f} s")
            raise SelfTestFailure(f"{title}: {_describe(exc)}") from exc
        print(f"ok ({time.perf_counter() - began:.2f} s) {detail}".rstrip(), flush=True)

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started


def _describe(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return str(message)


def run_self_test(argv: list[str] | None = None) -> int:
    args = _parse(argv or [])
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    frozen = "bundle" if getattr(sys, "frozen", False) else "source"
    print(f"Verbatim {__version__} self-test ({frozen}, Python {sys.version.split()[0]}, {sys.platform})")
    with tempfile.TemporaryDirectory(prefix="verbatim-self-test-") as tmp:
        context = SelfTestContext(Path(args.keep or tmp), args.model)
        printer = StepPrinter(len(STEPS))
        try:
            for title, step in STEPS:
                printer.run(title, lambda step=step: step(context))  # type: ignore[misc]
        except SelfTestFailure as failure:
            print(f"Self-test FAILED: {failure}", file=sys.stderr)
            return EXIT_FAILED
        finally:
            if context.store is not None:
                context.store.close()
    print(f"Self-test passed in {printer.elapsed:.1f} s")
    return EXIT_OK


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="verbatim --self-test", description=__doc__)
    parser.add_argument("--model", default=sample_study_service.SAMPLE_MODEL, help="model to transcribe with")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep the study and exports")
    return parser.parse_args(argv)


# ----- the steps ------------------------------------------------------------------------------
def step_models(context: SelfTestContext) -> str:
    speakers = ("ge2e-encoder", "speaker-segmentation", "speaker-embedding")
    wanted = tuple(dict.fromkeys(("tiny.en", "base", *speakers, context.model)))  # and --model's, if another
    for name in wanted:
        model_service.resolve_model(name)  # raises if missing or damaged; joins base from source
    entries = {e.name: e for e in model_service.list_models()}
    for name in wanted:
        if name not in entries or entries[name].verified is False:
            raise SelfTestFailure(f"model {name} is missing or does not match its pinned hash")
    return ", ".join(f"{name} ({entries[name].source})" for name in wanted)


def step_create(context: SelfTestContext) -> str:
    context.sample = sample_study_service.sample_recording()
    context.store, context.document_id = sample_study_service.create_sample_study(context.folder, context.sample)
    document = project_service.list_documents(context.store)[0]
    return f"{context.store.path.name}: {document.title}, {document.duration or 0:.1f} s of audio"


def step_transcribe(context: SelfTestContext) -> str:
    store = _store(context)
    options = TranscriptionOptions(model=context.model, language="en")
    outcome = sample_study_service.transcribe_sample(store, context.document_id, options)
    speed = outcome.audio_seconds / outcome.wall_seconds if outcome.wall_seconds else 0.0
    return f"{context.model}: {outcome.audio_seconds:.1f} s of audio at {speed:.1f}x real time"


def step_speakers(context: SelfTestContext) -> str:
    expected = _sample(context).speakers
    outcome = sample_study_service.split_sample_speakers(_store(context), context.document_id, str(expected))
    if outcome.speakers != expected:
        raise SelfTestFailure(f"found {outcome.speakers} speaker(s) in the sample; it has {expected} voices")
    return f"{outcome.speakers} speakers, {outcome.turns} turns"


def step_export(context: SelfTestContext) -> str:
    store = _store(context)
    for format_name in ("docx", "json"):
        target = context.folder / f"sample.{format_name}"
        context.exports[format_name] = export_service.export_document(store, context.document_id, format_name, target)
    return ", ".join(f"{p.name} ({p.stat().st_size} bytes)" for p in context.exports.values())


def step_check_json(context: SelfTestContext) -> str:
    data = json.loads(context.exports["json"].read_text(encoding="utf-8"))
    segments = data.get("segments") or []
    words = [w for s in segments for w in s.get("words", [])]
    if not words:
        raise SelfTestFailure("the JSON transcript has no words")
    text = " ".join(s["text"] for s in segments)
    found = _check_phrases(text, _sample(context).expected_phrases)
    _check_turn_speakers(segments, _sample(context))
    speakers = len({s["speaker"] for s in segments if s.get("speaker")})
    return f"{len(segments)} segments, {len(words)} words, {speakers} speakers, phrases heard: {found}"


def step_check_docx(context: SelfTestContext) -> str:
    import docx

    document = docx.Document(str(context.exports["docx"]))
    text = "\n".join(p.text for p in document.paragraphs)
    found = _check_phrases(text, _sample(context).expected_phrases)
    return f"{len(document.paragraphs)} paragraphs, phrases found: {found}"


STEPS: list[tuple[str, Callable[[SelfTestContext], str]]] = [
    ("Find the bundled models", step_models),
    ("Create a study and import the sample recording", step_create),
    ("Transcribe the sample", step_transcribe),
    ("Split into speaker turns", step_speakers),
    ("Export DOCX and JSON", step_export),
    ("Check the JSON transcript", step_check_json),
    ("Check the DOCX transcript", step_check_docx),
]


def _check_phrases(text: str, phrases: list[str]) -> str:
    heard = _normalise(text)
    found = [p for p in phrases if _normalise(p) in heard]
    if len(found) < MIN_PHRASE_SHARE * len(phrases):
        missing = [p for p in phrases if p not in found]
        raise SelfTestFailure(f"expected phrases missing: {missing}; the transcript reads: {text[:300]!r}")
    return f"{len(found)}/{len(phrases)}"


def _check_turn_speakers(segments: list[dict[str, Any]], sample: SampleRecording) -> None:
    """The interviewer's and the participant's opening phrases must carry different speaker labels."""
    first, second = (_normalise(" ".join(t["text"].split()[:4])) for t in sample.turns[:2])
    owners = {}
    for phrase in (first, second):
        owners[phrase] = next((s.get("speaker") for s in segments if phrase in _normalise(s["text"])), None)
    if None in owners.values() or owners[first] == owners[second]:
        raise SelfTestFailure(f"the two voices were not told apart: speakers of their first words {owners}")


def _normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _store(context: SelfTestContext) -> ProjectStore:
    if context.store is None:
        raise SelfTestFailure("no study was created")
    return context.store


def _sample(context: SelfTestContext) -> SampleRecording:
    if context.sample is None:
        raise SelfTestFailure("the sample recording was not found")
    return context.sample


def describe_steps() -> list[dict[str, Any]]:
    """Step titles in order (for tests and documentation)."""
    return [{"number": i, "title": title} for i, (title, _) in enumerate(STEPS, 1)]
