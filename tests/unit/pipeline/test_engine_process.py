"""The engine in a child process: events, cancel, a killed child, resume, bad audio."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import jiwer
import pytest

from desktop_app.core.transcript import Word
from desktop_app.pipeline.asr_options import TranscriptionOptions
from desktop_app.pipeline.engine_process import (
    Event,
    Failed,
    Finished,
    JobSpec,
    Progress,
    SegmentsReady,
    Started,
    TranscriptionJob,
)
from desktop_app.pipeline.model_registry import ModelRegistry
from tests.fixtures.speech import SpeechFixture

pytestmark = pytest.mark.slow

OPTIONS = TranscriptionOptions(model="tiny.en")


def spec_for(audio: Path, duration: float = 0.0, resume_from: float = 0.0) -> JobSpec:
    registry = ModelRegistry()
    return JobSpec(
        audio,
        registry.resolve("tiny.en"),
        OPTIONS,
        resume_from,
        duration,
        model_sha256=registry.entry("tiny.en").sha256,
    )


def run_job(spec: JobSpec) -> list[Event]:
    return list(TranscriptionJob(spec).start().events())


def words_of(events: list[Event]) -> list[Word]:
    return [w for e in events if isinstance(e, SegmentsReady) for s in e.segments for w in s.words]


def text(words: list[Word]) -> str:
    return " ".join(re.sub(r"[^\w' ]+", " ", " ".join(w.text for w in words).lower()).split())


@pytest.fixture(scope="module")
def full_run(interview_speech: SpeechFixture) -> list[Event]:
    return run_job(spec_for(interview_speech.wav, interview_speech.duration))


@pytest.fixture(scope="module")
def long_audio(interview_speech: SpeechFixture, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("long") / "interview-x6.wav"
    subprocess.run(["sox", *[str(interview_speech.wav)] * 6, str(path)], check=True)
    return path


def test_events_arrive_in_order_with_the_model_and_language(
    full_run: list[Event], interview_speech: SpeechFixture
) -> None:
    started = full_run[0]
    assert isinstance(started, Started)
    assert (started.language, started.model_name, started.device) == ("en", "tiny.en", "cpu int8")
    assert started.model_sha256.startswith("1a5afae06a4db91c")
    assert started.total_seconds == pytest.approx(interview_speech.duration)
    assert isinstance(full_run[-1], Finished) and full_run[-1].audio_seconds == pytest.approx(interview_speech.duration)
    progress = [e.done_seconds for e in full_run if isinstance(e, Progress)]
    assert progress and progress == sorted(progress) and progress[-1] == pytest.approx(interview_speech.duration)
    words = words_of(full_run)
    assert jiwer.wer(text([Word(0, 0, interview_speech.text)]), text(words)) <= 0.15
    assert all(a.end <= b.start + 0.01 for a, b in zip(words, words[1:], strict=False))


def test_cancel_stops_the_child_within_a_second(long_audio: Path) -> None:
    job = TranscriptionJob(spec_for(long_audio)).start()
    events = job.events()
    assert isinstance(next(events), Started)  # the model is loaded and decoding is under way
    time.sleep(0.5)
    began = time.perf_counter()
    job.cancel()
    assert time.perf_counter() - began < 1.0
    assert not job._process.is_alive()
    assert [e for e in events if isinstance(e, Finished | Failed)] == []


def test_a_killed_child_becomes_a_failure_not_a_hang(long_audio: Path) -> None:
    job = TranscriptionJob(spec_for(long_audio)).start()
    events = job.events()
    assert isinstance(next(events), Started)
    assert job.pid is not None
    os.kill(job.pid, signal.SIGKILL)
    began = time.perf_counter()
    rest = list(events)
    assert time.perf_counter() - began < 5.0
    assert isinstance(rest[-1], Failed) and rest[-1].kind == "crash" and "-9" in rest[-1].message


def test_resume_from_the_middle_completes_the_transcript(
    full_run: list[Event], interview_speech: SpeechFixture
) -> None:
    resume_at = float(interview_speech.turns[2]["start"]) - 0.4
    resumed = run_job(spec_for(interview_speech.wav, interview_speech.duration, resume_from=resume_at))
    assert isinstance(resumed[-1], Finished)
    assert resumed[-1].audio_seconds == pytest.approx(interview_speech.duration - resume_at, abs=0.05)
    after = words_of(resumed)
    assert after and after[0].start >= resume_at
    uninterrupted = words_of(full_run)
    assert jiwer.wer(text([w for w in uninterrupted if w.start >= resume_at]), text(after)) <= 0.1
    stitched = [w for w in uninterrupted if w.end <= resume_at] + after
    assert jiwer.wer(text([Word(0, 0, interview_speech.text)]), text(stitched)) <= 0.15


@pytest.mark.parametrize(("name", "content"), [("empty.wav", b""), ("notes.mp3", b"Field notes, not audio.\n" * 40)])
def test_bad_audio_fails_with_a_message_naming_the_file(tmp_path: Path, name: str, content: bytes) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    events = run_job(spec_for(bad))
    assert len(events) == 1 and isinstance(events[0], Failed)
    assert events[0].kind == "media" and name in events[0].message


LEAK_SCRIPT = """
import sys
from pathlib import Path
from desktop_app.pipeline.asr_options import TranscriptionOptions
from desktop_app.pipeline.engine_process import Finished, JobSpec, Started, TranscriptionJob
from desktop_app.pipeline.model_registry import ModelRegistry

registry = ModelRegistry()
spec = JobSpec(Path(sys.argv[1]), registry.resolve("tiny.en"), TranscriptionOptions(model="tiny.en"), 0.0, 11.0)
finished = list(TranscriptionJob(spec).start().events())
assert isinstance(finished[-1], Finished), finished[-1]
cancelled = TranscriptionJob(spec).start()
assert isinstance(next(cancelled.events()), Started)
cancelled.cancel()  # terminates a child that is part-way through decoding
print("ran both")
"""


def test_finished_and_cancelled_jobs_leak_no_semaphores(shared_data: Path) -> None:
    """The resource tracker warns at exit about semaphores a terminated child never released."""
    result = subprocess.run(
        [sys.executable, "-c", LEAK_SCRIPT, str(shared_data / "jfk.flac")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    assert result.returncode == 0 and "ran both" in result.stdout, result.stderr
    assert "leaked semaphore" not in result.stderr, result.stderr
    assert "resource_tracker" not in result.stderr, result.stderr
