"""What a rolling backup costs: time and size for a study holding a one-hour interview transcript.

Builds the study through the services (import a recording, the transcript stored the way the
transcription service stores it: ~9,000 words in ~600 turns, with a few dozen codings), then times
``backup_service.backup_now``, listing, the integrity check and a restore, plain and encrypted,
with the recording linked and (with --embed) a one-hour recording stored inside the study. Each
time is also printed as a ratio to a plain file copy of the same study measured in the same run.

    .venv/bin/python bench/backup_cost.py [--embed] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.core.coding import TextPosition  # noqa: E402
from desktop_app.core.transcript import Segment, Word  # noqa: E402
from desktop_app.services.coding import coding_service
from desktop_app.services.study import backup_service, import_service, project_service, security_service
from desktop_app.storage.transcripts import transcript_repository  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
WORDS = [
    "so",
    "I",
    "think",
    "the",
    "night",
    "shifts",
    "were",
    "the",
    "hardest",
    "part",
    "you",
    "know",
    "because",
    "nobody",
    "was",
    "there",
    "to",
    "talk",
    "to",
]
PASSPHRASE = "blue kettle 42"


def one_hour_recording(folder: Path) -> Path:
    """jfk.flac repeated to an hour, as Ogg Vorbis (about the size of a phone's hour of m4a)."""
    target = folder / "interview 1h.ogg"
    subprocess.run(
        ["sox", str(SHARED / "jfk.flac"), "-r", "16000", "-c", "1", str(target), "repeat", "326"],
        check=True,
        capture_output=True,
    )
    return target


def build_study(path: Path, recording: Path, passphrase: str | None, embed: bool) -> None:
    rng = random.Random(7)
    with project_service.create_project(path, passphrase=passphrase) as store:
        result = import_service.import_recordings(store, [recording])
        assert result.ok, result.failed
        document_id = result.imported[0].id
        segments, clock = [], 0.0
        for turn in range(600):  # ~15 words a turn, 0.4 s a word: one hour
            words = []
            for _ in range(15):
                words.append(Word(clock, clock + 0.35, rng.choice(WORDS), rng.uniform(0.6, 1.0)))
                clock += 0.4
            segments.append(Segment.from_words(words, f"S{turn % 2 + 1}"))
        transcript_repository.append_segments(store, document_id, None, segments)
        stored = transcript_repository.load_transcript(store, document_id).segments
        code_ids = [coding_service.add_code(store, f"Code {n}") for n in range(12)]
        for n in range(40):
            segment = stored[n * 15]
            assert segment.id is not None
            position = TextPosition(segment.id, 0), TextPosition(segment.id, 20)
            coding_service.apply_code(store, document_id, code_ids[n % 12], *position)
        if embed:
            security_service.embed_document_media(store, document_id)


def timed(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(folder: Path, recording: Path, passphrase: str | None, embed: bool, repeat: int) -> None:
    label = ("encrypted" if passphrase else "plain") + (", recording embedded" if embed else ", recording linked")
    study = folder / f"{label.replace(', ', '-').replace(' ', '_')}.verbatim"
    build_study(study, recording, passphrase, embed)
    size = study.stat().st_size
    copy_time = timed(lambda: shutil.copyfile(study, folder / "copy.verbatim"), repeat)
    backup_time = timed(lambda: backup_service.backup_now(study, passphrase), repeat)
    newest = backup_service.list_backups(study, passphrase)[0]
    list_time = timed(lambda: backup_service.list_backups(study, passphrase), repeat)
    check_time = timed(lambda: backup_service.check_backup(newest.path, passphrase), repeat)
    restore_time = timed(lambda: backup_service.restore(study, newest.path, passphrase), 1)
    count = len(backup_service.list_backups(study, passphrase))
    print(f"\n{label}: study {size / 1e6:.1f} MB, backup {newest.size / 1e6:.1f} MB ({newest.documents} document)")
    print(f"  file copy (baseline)      {copy_time * 1000:8.0f} ms   1.0x")
    for name, seconds in (
        ("backup_now", backup_time),
        (f"list {count} backups", list_time),
        ("integrity check", check_time),
        ("restore (incl. backup)", restore_time),
    ):
        print(f"  {name:<25} {seconds * 1000:8.0f} ms  {seconds / max(copy_time, 1e-6):5.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embed", action="store_true", help="also measure studies with the recording inside")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        recording = one_hour_recording(folder)
        print(f"recording: {recording.name}, {recording.stat().st_size / 1e6:.1f} MB")
        for embed in (False, True) if args.embed else (False,):
            for passphrase in (None, PASSPHRASE):
                measure(folder, recording, passphrase, embed, args.repeat)


if __name__ == "__main__":
    main()
