"""The speaker step end to end on real recordings and generated dialogues, scored with DER.

DER here is frame based (10 ms) with overlap scored, the best one-to-one speaker mapping, and
either no collar or a 0.25 s collar around reference boundaries (bench/speaker_scoring.py,
tested in test_der.py). AMI is scored against ``ami_ES2003b_0-30s.rttm`` (the full reference, not
the word-only one). Thresholds are what this engine measured, with a margin: pyannote 17.8 % |
2.9 % (collar), AMI 24.2 % | 12.6 %; generated dialogues of three and five voices 5-8 % | 0-2.7 %,
98-100 % of words on the right speaker.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from faster_whisper import decode_audio

from bench.speaker_scoring import der, read_rttm, word_accuracy
from desktop_app.core.errors import VerbatimError
from desktop_app.core.transcript import Word
from desktop_app.pipeline.speakers.diarization import (
    DiarizationOptions,
    DiarizationResult,
    diarize,
    embed_speech,
    label_speakers,
)
from desktop_app.pipeline.speakers.windows import SpeechEmbeddings
from tests.fixtures.speech import SpeechFixture


def _words_over(lines: list[tuple[float, float, str, str]]) -> tuple[list[Word], list[str]]:
    """Words spread evenly over each reference line (start, end, speaker, text); and their true speakers."""
    words, truth = [], []
    for start, end, speaker, text in lines:
        tokens = text.split()
        step = (end - start) / len(tokens)
        for i, token in enumerate(tokens):
            words.append(Word(round(start + i * step, 3), round(start + (i + 1) * step - 0.02, 3), token))
            truth.append(speaker)
    return words, truth


def _read_stm(path: Path) -> list[tuple[float, float, str, str]]:
    lines = []
    for line in path.read_text().splitlines():
        _, _, speaker, start, end, text = line.split(maxsplit=5)
        lines.append((float(start), float(end), speaker, text))
    return lines


def _hypothesis(result: DiarizationResult) -> list[tuple[float, float, str]]:
    return [(t.start, t.end, t.speaker) for t in result.turns]


@pytest.fixture(scope="module")
def call(shared_data: Path) -> SpeechEmbeddings:
    audio = decode_audio(str(shared_data / "pyannote_sample.wav"))
    return embed_speech([(0.0, audio)])


@pytest.fixture(scope="module")
def meeting(shared_data: Path) -> SpeechEmbeddings:
    audio = decode_audio(str(shared_data / "ami_ES2003b_0-30s.wav"))
    return embed_speech([(0.0, audio)])


@pytest.mark.slow
def test_call_two_speakers_low_der_and_words_on_the_right_speaker(call: SpeechEmbeddings, shared_data: Path) -> None:
    words, truth = _words_over(_read_stm(shared_data / "pyannote_sample.stm"))
    result = label_speakers(call, words)
    reference = read_rttm(shared_data / "pyannote_sample.rttm")
    assert [s.label for s in result.speakers] == ["S1", "S2"]
    assert der(reference, _hypothesis(result)).rate <= 0.20
    assert der(reference, _hypothesis(result), collar=0.25).rate <= 0.06
    scored = [(w.start, w.end, w.speaker or "") for w in result.words]
    assert word_accuracy(scored, reference) >= 0.90
    assert result.turns[0].speaker == "S1" and result.turns[0].start == pytest.approx(6.69, abs=0.25)


@pytest.mark.slow
def test_meeting_two_speakers_der(meeting: SpeechEmbeddings, shared_data: Path) -> None:
    result = label_speakers(meeting, [])
    reference = read_rttm(shared_data / "ami_ES2003b_0-30s.rttm")
    assert len(result.speakers) == 2
    assert der(reference, _hypothesis(result)).rate <= 0.28
    assert der(reference, _hypothesis(result), collar=0.25).rate <= 0.16


@pytest.mark.slow
def test_given_count_and_range_are_honoured(call: SpeechEmbeddings) -> None:
    assert len(label_speakers(call, [], DiarizationOptions(num_speakers=3)).speakers) == 3
    assert len(label_speakers(call, [], DiarizationOptions(num_speakers=1)).speakers) == 1
    assert len(label_speakers(call, [], DiarizationOptions.from_speakers("3-5")).speakers) == 3
    assert len(label_speakers(call, [], DiarizationOptions.from_speakers("1-1")).speakers) == 1
    assert len(label_speakers(call, [], DiarizationOptions.from_speakers("auto")).speakers) == 2


@pytest.mark.slow
def test_interview_splits_into_two_voices_turn_by_turn(interview_speech: SpeechFixture) -> None:
    audio = decode_audio(str(interview_speech.wav))
    lines = [(float(t["start"]), float(t["end"]), str(t["speaker"]), str(t["text"])) for t in interview_speech.turns]
    words, truth = _words_over(lines)
    result = diarize(audio, words, DiarizationOptions(batch_size=37))
    assert [s.label for s in result.speakers] == ["S1", "S2"]
    assert sum(s.words for s in result.speakers) == len(words)
    first = 0
    for start, _end, _speaker, text in lines:
        turn = result.words[first : first + len(text.split())]
        first += len(text.split())
        labels = [w.speaker for w in turn]
        main = max(set(labels), key=labels.count)
        assert labels.count(main) >= 0.9 * len(labels), f"turn at {start:.1f} s split: {labels}"
        assert turn[0].speaker == main, f"turn at {start:.1f} s starts on the wrong speaker"
    mapping = {lines[0][2]: "S1", lines[1][2]: "S2"}
    right = sum(mapping[t] == w.speaker for t, w in zip(truth, result.words, strict=True))
    assert right >= 0.97 * len(words)
    reference = [(a, b, s) for a, b, s, _ in lines]
    assert der(reference, _hypothesis(result), collar=0.25).rate <= 0.05
    assert "SPEAKER interview 1 " in result.rttm("interview")


def test_silence_gives_no_speakers_and_words_keep_no_speaker() -> None:
    result = diarize(np.zeros(16000 * 2, dtype=np.float32), [Word(0.1, 0.4, "hm")])
    assert result.speakers == [] and result.turns == []
    assert result.words[0].speaker is None and result.words[0].text == "hm"


def test_speakers_option_parsing() -> None:
    assert DiarizationOptions.from_speakers("auto").num_speakers is None
    assert DiarizationOptions.from_speakers("4").num_speakers == 4
    ranged = DiarizationOptions.from_speakers(" 2-6 ", batch_size=8)
    assert (ranged.min_speakers, ranged.max_speakers, ranged.batch_size) == (2, 6, 8)
    for bad in ("0", "five", "4-2", "-3", "2-"):
        with pytest.raises(VerbatimError, match="speakers must be"):
            DiarizationOptions.from_speakers(bad)
