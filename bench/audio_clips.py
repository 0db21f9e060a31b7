"""Audio clips at interview scale: 100 coded extracts (about 20 s each) from a one-hour recording.

Builds a throwaway study over an hour of generated speech (the focus-group fixture repeated),
with a timed word every 0.4 s, "Anna" said every ~30 s and in the pseudonym table, and 100
codings spread over the hour. Times the export of all clips as they are, bleeped, and from an
encrypted study with the recording embedded, for a WAV and an AAC (.m4a) recording. The
baseline, measured in the same run, is decoding the whole recording once.

    .venv/bin/python bench/audio_clips.py [--minutes 60] [--clips 100] [--formats wav,m4a]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import wave
from pathlib import Path

import av
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.core.coding import TextPosition  # noqa: E402
from desktop_app.core.transcript import Segment, Word  # noqa: E402
from desktop_app.services.coding import coding_service
from desktop_app.services.exports.audio_clip_service import ClipOptions, export_clips  # noqa: E402
from desktop_app.services.participants import pseudonym_service
from desktop_app.services.study import import_service, project_service, security_service
from desktop_app.storage.project_store import ProjectStore  # noqa: E402
from desktop_app.storage.transcripts import transcript_repository  # noqa: E402
from tests.fixtures.media_formats import transcode  # noqa: E402
from tests.fixtures.speech import FOCUS_GROUP, make_speech  # noqa: E402

WORD_STEP, WORDS_PER_TURN = 0.4, 20


def long_recording(folder: Path, minutes: float) -> Path:
    speech = make_speech(FOCUS_GROUP)
    with wave.open(str(speech.wav)) as source:
        rate = source.getframerate()
        samples = np.frombuffer(source.readframes(source.getnframes()), dtype="<i2")
    repeated = np.resize(samples, int(minutes * 60 * rate))
    path = folder / "hour.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(repeated.astype("<i2").tobytes())
    return path


def build_study(path: Path, recording: Path, clips: int, *, passphrase: str | None = None) -> tuple[ProjectStore, int]:
    store = project_service.create_project(path, passphrase=passphrase)
    result = import_service.import_recordings(store, [recording])
    document = result.imported[0].id
    if passphrase:
        security_service.embed_document_media(store, document)
    duration = result.imported[0].duration or 0.0
    segments = []
    clock, count = 0.0, 0
    while clock + WORDS_PER_TURN * WORD_STEP < duration:
        words = []
        for _ in range(WORDS_PER_TURN):
            text = "Anna" if count % 75 == 0 else f"word{count % 50}"
            words.append(Word(clock, clock + WORD_STEP * 0.8, text, 0.9, "S1"))
            clock, count = clock + WORD_STEP, count + 1
        segments.append(Segment.from_words(words, "S1"))
    transcript_repository.append_segments(store, document, None, segments)
    code = coding_service.add_code(store, "Bench")
    stride = max(1, len(segments) // clips)
    for index in range(0, stride * clips, stride):
        first, last = segments[index], segments[min(index + 1, len(segments) - 1)]
        assert first.id is not None and last.id is not None
        start, end = TextPosition(first.id, 0), TextPosition(last.id, len(last.text) // 3)
        coding_service.apply_code(store, document, code, start, end)
    pseudonym_service.add_pseudonym(store, "Anna", "[P1]")
    return store, code


def timed(label: str, baseline: float, store: ProjectStore, code: int, out: Path, options: ClipOptions) -> None:
    started = time.perf_counter()
    result = export_clips(store, code, out, options)
    seconds = time.perf_counter() - started
    print(
        f"  {label:<30} {seconds:6.2f} s  x{seconds / baseline:5.2f} of a full decode  "
        f"({len(result.written)} clips, {result.audio_seconds:.0f} s of audio, {result.bleeps} bleeps)"
    )


def decode_all(path: Path) -> None:
    with av.open(str(path)) as container:
        for _ in container.decode(audio=0):
            pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--clips", type=int, default=100)
    parser.add_argument("--formats", default="wav,m4a")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as scratch:
        folder = Path(scratch)
        wav = long_recording(folder, args.minutes)
        for suffix in args.formats.split(","):
            recording = wav if suffix == "wav" else transcode(wav, folder / f"hour.{suffix}")
            started = time.perf_counter()
            decode_all(recording)
            baseline = time.perf_counter() - started
            size = recording.stat().st_size / 1e6
            print(f"{recording.name}: {args.minutes:.0f} min, {size:.0f} MB; full decode {baseline:.2f} s")
            bleeped = ClipOptions(padding=0.5, bleep=True)
            plain, code = build_study(folder / f"plain-{suffix}.verbatim", recording, args.clips)
            timed("clips as recorded", baseline, plain, code, folder / f"a-{suffix}", ClipOptions())
            timed("clips, padded 0.5 s, bleeped", baseline, plain, code, folder / f"b-{suffix}", bleeped)
            timed("clips as FLAC", baseline, plain, code, folder / f"c-{suffix}", ClipOptions(fmt="flac"))
            plain.close()
            secret, code = build_study(folder / f"secret-{suffix}.verbatim", recording, args.clips, passphrase="pw")
            timed("encrypted, embedded, bleeped", baseline, secret, code, folder / f"d-{suffix}", bleeped)
            secret.close()


if __name__ == "__main__":
    main()
