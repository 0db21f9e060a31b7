"""Groups of three and five generated voices, and one real speaker alone: the automatic count and DER.

The dialogues come from ``tests.fixtures.speech.dialogue``: espeak-ng voices taking turns with
pauses of 0.3 s (inside one stretch of speech for the VAD), 0.6 s and 1.0 s, each turn's silence
trimmed so the reference times are exact. Words are spread evenly over each turn. Measured with
this engine (collar 0.25 s | no collar, words on the right speaker): three voices 0.1 % | 5.2 %,
100 %; 0.0 % | 4.8 %, 100 %; five voices 2.0 % | 7.0 %, 98.2 %; 0.1 % | 5.1 %, 100 %. Without a
collar most of the error is false alarm: the VAD pads speech by 0.1 s and bridges the 0.3 s pauses.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from faster_whisper import decode_audio

from desktop_app.core.transcript import Word
from desktop_app.pipeline.diarization import diarize
from desktop_app.pipeline.speaker_scoring import der, word_accuracy
from tests.fixtures.speech import SpeechFixture, dialogue, make_speech


def _words(fixture: SpeechFixture) -> list[Word]:
    words = []
    for turn in fixture.turns:
        tokens = str(turn["text"]).split()
        start, end = float(turn["start"]), float(turn["end"])
        step = (end - start) / len(tokens)
        words += [Word(start + i * step, start + (i + 1) * step - 0.02, t) for i, t in enumerate(tokens)]
    return words


@pytest.mark.parametrize(
    ("voices", "turns", "seed"), [("ABC", 12, 1), ("ABC", 12, 3), ("ABCDE", 15, 1), ("ABCDE", 15, 3)]
)
def test_each_voice_is_found_and_keeps_its_words(voices: str, turns: int, seed: int) -> None:
    fixture = make_speech(dialogue(voices, turns, seed=seed), trim=True)
    reference = [(float(t["start"]), float(t["end"]), str(t["speaker"])) for t in fixture.turns]
    result = diarize(decode_audio(str(fixture.wav)), _words(fixture))
    assert len(result.speakers) == len(voices)  # counted automatically
    hypothesis = [(t.start, t.end, t.speaker) for t in result.turns]
    assert der(reference, hypothesis, collar=0.25).rate <= 0.05
    assert der(reference, hypothesis).rate <= 0.10
    on_speaker = word_accuracy([(w.start, w.end, w.speaker or "") for w in result.words], reference)
    assert on_speaker >= 0.97


def test_one_speaker_changing_pace_mid_sentence_is_one_speaker(shared_data: Path) -> None:
    """The MFA sample: one man, fast, then "talking really slow and slightly lower in intensity"."""
    audio = decode_audio(str(shared_data / "mfa_acoustic_corpus.wav"))
    words = [Word(t, t + 0.3, "word") for t in (1.5, 5.0, 9.0, 14.0, 20.0, 24.5)]
    result = diarize(audio, words)
    assert [s.label for s in result.speakers] == ["S1"]
    assert {w.speaker for w in result.words} == {"S1"}


def test_dialogue_generator_gives_every_voice_turns_and_no_one_follows_themself() -> None:
    turns = dialogue("ABCDE", 15, seed=4)
    speakers = [t.speaker for t in turns]
    assert all(a != b for a, b in zip(speakers, speakers[1:], strict=False))
    assert {speakers.count(v) for v in "ABCDE"} == {3}
    assert {t.pause_after for t in turns} == {0.3, 0.6, 1.0}
    assert dialogue("ABCDE", 15, seed=4) == turns and dialogue("ABCDE", 15, seed=5) != turns
    with pytest.raises(ValueError, match="two turns each"):
        dialogue("ABC", 5)
