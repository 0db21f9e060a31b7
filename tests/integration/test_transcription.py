"""The real engine (tiny.en) through the service and the CLI, on real and generated speech."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.core.errors import CancelledError, VerbatimError
from desktop_app.pipeline.asr_options import TranscriptionOptions
from desktop_app.services.study import import_service, project_service
from desktop_app.services.transcription.transcription_service import TranscriptionListener, transcribe_document
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import run_repository, transcript_repository
from tests.fixtures.scoring import wer
from tests.fixtures.speech import SpeechFixture

pytestmark = pytest.mark.slow
TINY = TranscriptionOptions(model="tiny.en", language="en")


def _study(tmp_path: Path, *recordings: Path) -> tuple[ProjectStore, list[int]]:
    store = project_service.create_project(tmp_path / "study.verbatim")
    result = import_service.import_recordings(store, recordings)
    assert result.ok, result.failed
    return store, [d.id for d in result.imported]


def _text(store: ProjectStore, doc: int) -> str:
    return " ".join(s.text for s in transcript_repository.load_transcript(store, doc).segments)


def test_real_recordings_are_transcribed_faithfully(tmp_path: Path, shared_data: Path) -> None:
    names = ["jfk.flac", "librispeech_1272-128104-0000.wav", "mfa_acoustic_corpus.wav"]
    store, docs = _study(tmp_path, *(shared_data / n for n in names))
    limits = {"jfk.flac": 0.10, "librispeech_1272-128104-0000.wav": 0.15, "mfa_acoustic_corpus.wav": 0.30}
    for name, doc in zip(names, docs, strict=True):
        outcome = transcribe_document(store, doc, TINY)
        assert outcome.state == "finished"
        reference = (shared_data / name).with_suffix(".txt").read_text()
        assert wer(reference, _text(store, doc)) < limits[name], name
        transcript = transcript_repository.load_transcript(store, doc)
        words = transcript.words
        duration = project_service.list_documents(store)[docs.index(doc)].duration or 0
        assert all(0 <= w.start <= w.end <= duration + 0.05 for w in words)
        assert all(a.start <= b.start for a, b in zip(words, words[1:], strict=False))
        runs = run_repository.list_runs(store, doc)
        assert runs[-1].state == "finished" and runs[-1].language == "en"
        assert runs[-1].model_sha256.startswith("1a5afae06a4db91c")
        assert runs[-1].options["condition_on_previous_text"] is False


def test_silence_noise_and_music_produce_no_words(tmp_path: Path, shared_data: Path) -> None:
    made = []
    for name, synth in [
        ("silence.wav", ["trim", "0", "60"]),
        ("noise.wav", ["synth", "60", "pinknoise", "vol", "0.3"]),
        ("music.wav", ["synth", "60", "pluck", "C4", "pluck", "E4", "pluck", "G4", "tremolo", "3", "40", "vol", "0.5"]),
    ]:
        path = tmp_path / name
        subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(path), *synth], check=True)
        made.append(path)
    store, docs = _study(tmp_path, *made, shared_data / "nst_sv_u0016001.wav")
    for doc in docs:
        transcribe_document(store, doc, TINY)
        assert transcript_repository.load_transcript(store, doc).words == [], _text(store, doc)


def test_cancel_stops_within_a_second_and_resume_completes(tmp_path: Path, focus_group_speech: SpeechFixture) -> None:
    store, (doc,) = _study(tmp_path, focus_group_speech.wav)
    options = TranscriptionOptions(model="tiny.en", language="en", block_seconds=20)
    listener = TranscriptionListener()
    cancelled_at: list[float] = []

    def cancel_after_first(_doc: int, _event: object) -> None:
        if not cancelled_at:
            cancelled_at.append(time.perf_counter())
            listener.cancel.set()

    listener.on_segments = cancel_after_first
    with pytest.raises(CancelledError):
        transcribe_document(store, doc, options, listener)
    assert time.perf_counter() - cancelled_at[0] < 1.0
    partial = transcript_repository.load_transcript(store, doc).segments
    assert partial, "finished segments are kept"
    assert run_repository.list_runs(store, doc)[-1].state == "cancelled"
    resumed = transcribe_document(store, doc, options)
    assert resumed.resumed_from == pytest.approx(partial[-1].end)
    assert resumed.heard is not None and resumed.heard.start == pytest.approx(resumed.resumed_from, abs=0.01)
    assert wer(focus_group_speech.text, _text(store, doc)) < 0.2
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    store2, (doc2,) = _study(fresh, focus_group_speech.wav)
    transcribe_document(store2, doc2, options)
    assert wer(_text(store2, doc2), _text(store, doc)) < 0.1, "resumed = uninterrupted, apart from the seam"


def test_a_killed_engine_is_reported_and_the_run_resumes(tmp_path: Path, focus_group_speech: SpeechFixture) -> None:
    store, (doc,) = _study(tmp_path, focus_group_speech.wav)
    options = TranscriptionOptions(model="tiny.en", language="en", block_seconds=20)
    import desktop_app.pipeline.engine_process as engine_process

    real_start = engine_process.TranscriptionJob.start
    jobs: list[engine_process.TranscriptionJob] = []

    def start_and_remember(job: engine_process.TranscriptionJob) -> engine_process.TranscriptionJob:
        jobs.append(real_start(job))
        return job

    listener = TranscriptionListener()

    def kill_after_first_block(_doc: int, _event: object) -> None:
        # killed while it works on the second of three blocks, however fast the machine is
        if len(jobs) == 1:
            os.kill(jobs[0].pid or 0, signal.SIGKILL)
            jobs.append(jobs[0])

    listener.on_segments = kill_after_first_block
    engine_process.TranscriptionJob.start = start_and_remember  # type: ignore[method-assign, assignment]
    try:
        with pytest.raises(VerbatimError, match="stopped unexpectedly"):
            transcribe_document(store, doc, options, listener)
    finally:
        engine_process.TranscriptionJob.start = real_start  # type: ignore[method-assign]
    assert len(jobs) == 2, "the engine was killed"
    assert run_repository.list_runs(store, doc)[-1].state == "failed"
    kept = transcript_repository.load_transcript(store, doc).segments
    assert kept, "the block finished before the kill is kept"
    resumed = transcribe_document(store, doc, options)
    assert resumed.resumed_from == pytest.approx(kept[-1].end)
    assert wer(focus_group_speech.text, _text(store, doc)) < 0.2


def test_kill_9_of_the_cli_leaves_a_valid_study_that_resumes(tmp_path: Path, focus_group_speech: SpeechFixture) -> None:
    study = tmp_path / "study.verbatim"
    assert run(["new", str(study)]) == 0
    assert run(["import", str(study), str(focus_group_speech.wav)]) == 0
    cmd = [sys.executable, "-m", "desktop_app", "transcribe", str(study), "--model", "tiny.en", "--json"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, start_new_session=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if '"event": "started"' in line:  # the engine is working on the audio now: kill at once, however fast it is
            break
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    with ProjectStore.open(study) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert [r.state for r in run_repository.list_runs(store, 1)] == ["running"]
    assert run(["transcribe", str(study), "--model", "tiny.en"]) == 0
    with ProjectStore.open(study) as store:
        runs = run_repository.list_runs(store, 1)
        assert [r.state for r in runs] == ["interrupted", "finished"]
        assert wer(focus_group_speech.text, _text(store, 1)) < 0.2


def test_missing_recording_gives_a_clear_error(tmp_path: Path, shared_data: Path) -> None:
    copy = tmp_path / "copy.flac"
    copy.write_bytes((shared_data / "jfk.flac").read_bytes())
    store, (doc,) = _study(tmp_path, copy)
    copy.unlink()
    with pytest.raises(VerbatimError, match="cannot be found"):
        transcribe_document(store, doc, TINY)


def test_the_speaker_step_reuses_the_speech_the_engine_heard(
    tmp_path: Path, interview_speech: SpeechFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.pipeline.audio_decode import decode_all
    from desktop_app.pipeline.speakers import heard_speech
    from desktop_app.pipeline.speakers import windows as speaker_windows
    from desktop_app.services.speakers.diarization_service import DiarizationOptions, diarize_document

    store, (doc,) = _study(tmp_path, interview_speech.wav)
    heard = transcribe_document(store, doc, TINY).heard
    assert heard is not None and heard.start == 0.0
    assert heard.end == pytest.approx(interview_speech.duration, abs=0.01)
    direct = heard_speech.HeardSpeech.of(0.0, decode_all(interview_speech.wav))
    assert sum(b - a for a, b in heard.spans) == pytest.approx(sum(b - a for a, b in direct.spans), abs=0.3)
    own_passes: list[int] = []
    real = heard_speech.heard_in  # the diarizer's own pass (windows imports it)
    monkeypatch.setattr(speaker_windows, "heard_in", lambda *a: own_passes.append(1) or real(*a))
    outcome = diarize_document(store, doc, DiarizationOptions(), heard=heard)
    assert own_passes == [] and outcome.speakers == 2
    diarize_document(store, doc, DiarizationOptions())  # `verbatim diarize` later: its own VAD pass
    assert own_passes
