"""Speech the batched pipeline skips is found between words and transcribed again (real engine, tiny.en)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from desktop_app.pipeline.asr_engine import AsrEngine
from desktop_app.pipeline.asr_options import TranscriptionOptions
from desktop_app.pipeline.audio_decode import SAMPLE_RATE, decode_all
from desktop_app.pipeline.missed_speech import MAX_CLIP_SECONDS, clips_for, gaps_among, kept, missed_between
from desktop_app.pipeline.model_registry import ModelRegistry
from desktop_app.pipeline.vad_once import install
from tests.fixtures.speech import SpeechFixture
from tests.unit.pipeline.test_asr_engine import normalise, wer


def test_missed_speech_needs_enough_speech_away_from_the_words() -> None:
    speech = [(1.0, 4.0), (5.0, 5.5), (9.0, 12.0)]
    assert missed_between(speech, 0.0, 1.2) == []  # less than 1.5 s of speech in reach
    assert missed_between(speech, 3.0, 9.5) == []  # 0.7 s from the first, 0.5 s of the second: breaths, fillers
    assert missed_between(speech, 0.5, 7.0) == [(1.0, 4.0), (5.0, 5.5)]
    assert missed_between(speech, 2.0, 10.5) == [(2.3, 4.0), (5.0, 5.5), (9.0, 10.2)]  # 0.3 s margin at the words


def test_clips_are_packed_or_alone_never_longer_than_a_window_nor_over_the_words() -> None:
    pieces = [(2.0, 4.0), (5.0, 9.0), (20.0, 31.0)]
    packed = clips_for(pieces, 1.9, 40.0, packed=True)
    assert packed == [(1.9, 31.2)] or all(b - a <= MAX_CLIP_SECONDS + 0.4 for a, b in packed)
    assert packed[0][0] == 1.9  # the padding stops at the word before
    assert clips_for(pieces, 1.9, 40.0, packed=False) == [(1.9, 4.2), (4.8, 9.2), (19.8, 31.2)]
    long = clips_for([(0.0, 70.0)], 0.0, 70.0, packed=False)
    assert len(long) == 3 and all(b - a <= MAX_CLIP_SECONDS + 0.4 for a, b in long)
    assert long[0][0] == 0.0 and long[-1][1] == 70.0


def test_gaps_among_words_and_the_words_kept() -> None:
    assert gaps_among([(1.0, 2.0), (3.0, 4.0)], 0.0, 10.0) == [(0.0, 1.0), (2.0, 3.0), (4.0, 10.0)]
    assert gaps_among([], 0.0, 10.0) == [(0.0, 10.0)]
    assert kept([(0.5, 1.5), (1.0, 1.6), (2.0, 2.4), (9.0, 11.0)], 1.2, 10.0) == [1, 2, 3]  # by the centre
    assert kept([(0.0, 1.0), (9.8, 11.0)], 1.2, 10.0) == []


@pytest.fixture(scope="module")
def tiny() -> AsrEngine:
    return AsrEngine(ModelRegistry().resolve("tiny.en"), TranscriptionOptions(model="tiny.en", language="en"))


@pytest.mark.slow
def test_a_lost_turn_is_recovered_between_the_words_around_it(tiny: AsrEngine, focus_group_speech: SpeechFixture) -> None:
    """As if Whisper had stopped early: the words of the middle turns are dropped and ``recover`` finds them again."""
    audio = decode_all(focus_group_speech.wav)
    words = tiny.transcribe_array(audio, 0.0, "en")
    turns = focus_group_speech.turns
    lost = turns[3:5]
    after = float(lost[0]["start"]) - 0.2
    before = float(lost[-1]["end"]) + 0.2
    heard_after = max(w.end for w in words if w.end <= after)
    heard_before = min(w.start for w in words if w.start >= before)
    counted = tiny.recovered_words
    recovered = tiny.recover(audio, 100.0, "en", tiny.speech(audio), heard_after, heard_before)
    assert tiny.recovered_words == counted + len(recovered)  # reported with the run's end (Finished)
    text = " ".join(str(t["text"]) for t in lost)
    assert wer(text, recovered) < 0.2, " ".join(w.text for w in recovered)  # 4 of 38 words wrong here
    assert all(100.0 + heard_after <= w.start <= w.end <= 100.0 + heard_before for w in recovered)
    assert all(a.start <= b.start for a, b in zip(recovered, recovered[1:], strict=False))
    assert tiny.recover(audio, 0.0, "en", tiny.speech(audio), heard_after, heard_after + 1.0) == []


@pytest.fixture(scope="module")
def skipped_by_whisper(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """The call sample from 3 s, the AMI meeting and JFK, 0.7 s apart: tiny.en's batched pass skips most of AMI."""
    folder = tmp_path_factory.mktemp("skipped")
    parts = []
    for i, (name, effects) in enumerate(
        [("pyannote_sample.wav", ["trim", "3"]), ("ami_ES2003b_0-30s.wav", []), ("jfk.flac", [])]
    ):
        part = folder / f"{i}.wav"
        subprocess.run(["sox", str(shared_data / name), "-r", "16000", "-c", "1", str(part), *effects], check=True)
        parts.append(str(part))
    pause = folder / "pause.wav"
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", str(pause), "trim", "0", "0.7"], check=True)
    joined = folder / "joined.wav"
    subprocess.run(["sox", parts[0], str(pause), parts[1], str(pause), parts[2], str(joined)], check=True)
    return joined


@pytest.mark.slow
def test_no_stretch_of_speech_is_left_without_words(tiny: AsrEngine, skipped_by_whisper: Path) -> None:
    audio = decode_all(skipped_by_whisper)
    words = tiny.transcribe_array(audio, 0.0, "en")
    speech = tiny.speech(audio)
    gaps = gaps_among([(w.start, w.end) for w in words], 0.0, audio.size / SAMPLE_RATE)
    missed = [piece for gap in gaps for piece in missed_between(speech, *gap)]
    # the first pass leaves 15.6 s of speech without words here; what is left after recovery is
    # only what Whisper hears nothing in even alone (none on the machine this was written on)
    assert sum(b - a for a, b in missed) <= 2.0, f"speech with no words: {missed}"
    said = normalise(" ".join(w.text for w in words))
    assert "desktop" in said and "dump" in said  # AMI, the stretch the first pass skips
    assert "ask not what your country can do for you" in said  # JFK
    assert all(a.start <= b.start for a, b in zip(words, words[1:], strict=False))


@pytest.mark.slow
def test_each_block_costs_one_silero_pass(tiny: AsrEngine, interview_speech: SpeechFixture) -> None:
    """The engine's own speech map and faster-whisper's VAD inside the pipeline share one pass."""
    silero = install()
    audio = decode_all(interview_speech.wav)
    audio = audio[: len(audio) // 512 * 512 - 10]  # Silero writes into the last frame when it holds audio
    before = silero.passes
    words = tiny.transcribe_array(audio, 0.0, "en")
    assert words and silero.passes == before + 1
    tiny.speech(audio[: SAMPLE_RATE * 5])
    assert silero.passes == before + 2  # other audio: a pass of its own
