"""The real engine (tiny.en, and base for Swedish) on real and generated recordings."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import jiwer
import pytest

from desktop_app.core.transcript import Word
from desktop_app.pipeline.asr_engine import AsrEngine, cut_at_silences
from desktop_app.pipeline.asr_options import TranscriptionOptions
from desktop_app.pipeline.audio_decode import SAMPLE_RATE, decode_all, stream_audio
from desktop_app.pipeline.model_registry import ModelRegistry
from tests.fixtures.speech import SpeechFixture

pytestmark = pytest.mark.slow

SWEDISH_NUMBERS = {"1": "en", "2": "två", "3": "tre", "4": "fyra", "5": "fem", "6": "sex", "7": "sju", "8": "åtta"}


def normalise(text: str, numbers: dict[str, str] | None = None) -> str:
    words = re.sub(r"[^\w' ]+", " ", text.lower()).split()
    return " ".join((numbers or {}).get(w, w) for w in words)


def wer(reference: str, words: list[Word], numbers: dict[str, str] | None = None) -> float:
    return float(jiwer.wer(normalise(reference, numbers), normalise(" ".join(w.text for w in words), numbers)))


def transcribe(engine: AsrEngine, path: Path) -> list[Word]:
    audio = decode_all(path)
    language = engine.detect_language(audio)
    return engine.transcribe_array(audio, 0.0, language.language)


@pytest.fixture(scope="module")
def tiny() -> AsrEngine:
    return AsrEngine(ModelRegistry().resolve("tiny.en"), TranscriptionOptions(model="tiny.en"))


@pytest.fixture(scope="module")
def base() -> AsrEngine:
    return AsrEngine(ModelRegistry().resolve("base"), TranscriptionOptions(model="base"))


def assert_times_sane(words: list[Word], duration: float) -> None:
    assert words, "no words recognised"
    for before, after in zip(words, words[1:], strict=False):
        assert before.start <= before.end <= after.start + 0.01, (before, after)
    assert words[0].start >= 0.0 and words[-1].end <= duration + 0.05
    assert all(w.text == w.text.strip() and w.text for w in words)


@pytest.mark.parametrize(
    ("file", "max_wer"),
    [("jfk.flac", 0.05), ("librispeech_1272-128104-0000.wav", 0.1), ("mfa_acoustic_corpus.wav", 0.2)],
)
def test_real_recordings_are_transcribed_accurately(
    tiny: AsrEngine, shared_data: Path, file: str, max_wer: float
) -> None:
    path = shared_data / file
    words = transcribe(tiny, path)
    assert wer(path.with_suffix(".txt").read_text(), words) <= max_wer
    assert_times_sane(words, decode_all(path).size / SAMPLE_RATE)


def test_generated_interview_words_and_times(tiny: AsrEngine, interview_speech: SpeechFixture) -> None:
    words = transcribe(tiny, interview_speech.wav)
    assert wer(interview_speech.text, words) <= 0.15
    assert_times_sane(words, interview_speech.duration)
    first_turn_b = interview_speech.turns[1]
    of_course = next(w for w in words if w.text.lower().startswith("course"))
    assert abs(of_course.start - float(first_turn_b["start"])) < 1.0


def test_keep_fillers_keeps_um_and_uh(shared_data: Path) -> None:
    options = TranscriptionOptions(model="tiny.en", keep_fillers=True)
    engine = AsrEngine(ModelRegistry().resolve("tiny.en"), options)
    path = shared_data / "mfa_acoustic_corpus.wav"
    words = transcribe(engine, path)
    spoken = normalise(" ".join(w.text for w in words)).split()
    assert "um" in spoken and "uh" in spoken
    assert wer(path.with_suffix(".txt").read_text(), words) <= 0.12


@pytest.fixture(scope="module")
def non_speech(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("non-speech")
    recipes = {
        "silence": ["trim", "0", "60"],
        "noise": ["synth", "60", "pinknoise"],
        "music": ["synth", "60", "pl", "G2", "pl", "B2", "pl", "D3", "pl", "G3", "pl", "D4",
                  "delay", "0", ".05", ".1", ".15", ".2", "remix", "-", "tremolo", "2", "40", "norm", "-3"],
    }  # fmt: skip
    paths = {}
    for name, effects in recipes.items():
        paths[name] = folder / f"{name}.wav"
        subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", str(paths[name]), *effects], check=True)
    return paths


@pytest.mark.parametrize("kind", ["silence", "noise", "music"])
def test_silence_noise_and_music_give_no_words(tiny: AsrEngine, non_speech: dict[str, Path], kind: str) -> None:
    assert transcribe(tiny, non_speech[kind]) == []


def test_swedish_with_the_multilingual_base_model(base: AsrEngine, shared_data: Path) -> None:
    path = shared_data / "nst_sv_u0016002.wav"
    audio = decode_all(path)
    language = base.detect_language(audio)
    assert language.language == "sv" and (language.probability or 0) > 0.8
    words = base.transcribe_array(audio, 0.0, "sv")
    assert wer(path.with_suffix(".txt").read_text(), words, SWEDISH_NUMBERS) <= 0.15


def test_near_silence_gives_no_words(base: AsrEngine, shared_data: Path) -> None:
    assert transcribe(base, shared_data / "nst_sv_u0016001.wav") == []


def test_blocks_are_cut_in_silences_so_no_word_is_lost(tiny: AsrEngine, interview_speech: SpeechFixture) -> None:
    """8-second blocks are re-cut inside pauses and transcribe as well as the whole file at once."""
    blocks = list(stream_audio(interview_speech.wav, block_seconds=8.0))
    cuts = list(cut_at_silences(blocks, tiny.options))
    assert len(cuts) == len(blocks) and cuts[0][0] == 0.0
    for (start, audio, done), (next_start, _, _) in zip(cuts, cuts[1:], strict=False):
        assert done == pytest.approx(start + audio.size / SAMPLE_RATE) and next_start == pytest.approx(done)
        inside = [t for t in interview_speech.turns if float(t["start"]) < done < float(t["end"])]
        assert not inside, f"block cut at {done:.2f} s, inside speech {inside}"
    chunked = [w for progress in tiny.run(blocks, "en") for s in progress.segments for w in s.words]
    whole = transcribe(tiny, interview_speech.wav)
    assert wer(interview_speech.text, chunked) <= 0.15
    assert abs(len(chunked) - len(whole)) <= 2
    assert_times_sane(chunked, interview_speech.duration)
