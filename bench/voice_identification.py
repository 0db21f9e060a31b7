"""Voices known across recordings: the share of speakers named correctly without the user.

    .venv/bin/python bench/voice_identification.py [--model base]

Each case is two recordings that share people, with reference speaker turns: the AMI meeting
excerpts trn07 and trn08 (the same four people, far-field; each way round), and two generated
espeak-ng conversations of the same three voices in a different order (tests/fixtures/speech).
Both recordings are transcribed with speakers in one study as a researcher does (``transcribe
--speakers auto``, ``--meeting`` for the AMI meetings); in the first, every speaker found is named
after the reference person it overlaps most (one-to-one, as the DER scorer maps them), which is
what the researcher does by hand; ``identify`` then proposes names for the second. A proposal is
right when it names the reference person that speaker overlaps most. Prints, per case, the
proposals with their confidence, and how many of the second recording's speakers whose person is
named in the first were named correctly; with ``--apply-above`` (the user's threshold) also how
many would have been named at once, and how many of those wrongly.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from desktop_app.services.speakers.voice_identification import VoiceMatch

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
Turns = list[tuple[float, float, str]]


def _case(
    name: str, recordings: list[tuple[Path, Turns]], meeting: bool, model: str, apply_above: float
) -> tuple[int, int, int, int]:
    from bench.speaker_scoring import read_rttm, speaker_map
    from desktop_app.cli import run
    from desktop_app.services.speakers import speaker_service, voice_identification
    from desktop_app.services.study import project_service
    from desktop_app.storage.transcripts import transcript_repository

    with tempfile.TemporaryDirectory() as folder:
        study = Path(folder) / "s.verbatim"
        with contextlib.redirect_stdout(io.StringIO()):
            assert run(["new", str(study)]) == 0
            for wav, _ in recordings:
                assert run(["import", str(study), str(wav)]) == 0
            command = ["transcribe", str(study), "--all", "--model", model, "--language", "en", "--speakers", "auto"]
            assert run(command + (["--meeting"] if meeting else [])) == 0
            found = []
            for document in (1, 2):
                out = Path(folder) / f"{document}.rttm"
                assert run(["export", str(study), str(document), "--format", "rttm", "-o", str(out)]) == 0
                found.append(speaker_map(recordings[document - 1][1], read_rttm(out)))
        with project_service.open_project(study) as store:
            # a voice heard without words (timeline only) has no speaker row to name
            rows = [set(transcript_repository.list_speakers(store, document)) for document in (1, 2)]
            found = [{k: v for k, v in people.items() if k in row} for people, row in zip(found, rows, strict=True)]
            for label, person in found[0].items():
                speaker_service.rename_speaker(store, 1, label, person)
            matches = voice_identification.identify(store, 2)
    known = set(found[0].values())
    identifiable = {label: person for label, person in found[1].items() if person in known}
    return _report(name, matches, identifiable, apply_above, f"speakers named in the first: {len(found[0])}")


def _report(
    name: str, matches: list[VoiceMatch], truth: dict[str, str], apply_above: float, remark: str
) -> tuple[int, int, int, int]:
    """Print the proposals against the truth (speaker -> person); (right, people to name, applied, wrongly)."""
    right = sum(1 for m in matches if truth.get(m.label) == m.name)
    applied = [m for m in matches if m.confidence >= apply_above]
    wrong_applied = sum(1 for m in applied if truth.get(m.label) != m.name)
    proposals = ", ".join(
        f"{m.label}->{m.name} {m.confidence:.2f}{'' if truth.get(m.label) == m.name else ' (wrong)'}" for m in matches
    )
    print(
        f"{name:32s} named correctly {right}/{len(truth)} | at >= {apply_above}: {len(applied)} named at once,"
        f" {wrong_applied} wrongly | {remark} | {proposals}",
        flush=True,
    )
    return right, len(truth), len(applied), wrong_applied


def _solo_talk(wav: Path, reference: Turns) -> dict[str, list[np.ndarray]]:
    """Each person's stretches of talk with nobody else talking (at least 0.4 s), from a reference."""
    from faster_whisper import decode_audio

    from bench.speaker_scoring import activity

    audio = decode_audio(str(wav))
    people = sorted({person for _, _, person in reference})
    on = activity(reference, people, len(audio) // 160)  # 10 ms frames
    alone = on.sum(axis=0) == 1
    talk: dict[str, list[np.ndarray]] = {}
    for person, track in zip(people, on, strict=True):
        edges = np.flatnonzero(np.diff(np.concatenate([[0], (track & alone).astype(np.int8), [0]])))
        talk[person] = [audio[a * 160 : b * 160] for a, b in zip(edges[::2], edges[1::2], strict=True) if b - a >= 40]
    return talk


def _ami_cut(folder: Path) -> tuple[list[tuple[Path, list[tuple[float, float]], list[str]]], int]:
    """Two recordings cut from trn07 and trn08 (the same four people): each person's talk alone, the first
    half of it in one recording, the second half in the other, the people in another order."""
    from bench.speaker_scoring import read_rttm
    from tests.fixtures.voice_recordings import write_recording

    talk: dict[str, list[np.ndarray]] = {}
    for clip in ("trn07", "trn08"):
        wav = DATA / "ami_dev" / f"{clip}.wav"
        for person, parts in _solo_talk(wav, read_rttm(wav.with_suffix(".rttm"))).items():
            talk.setdefault(person, []).extend(parts)
    joined = {person: np.concatenate(parts) for person, parts in talk.items() if parts}
    people = sorted(p for p, audio in joined.items() if len(audio) >= 2 * 16000)  # a second of talk in each half
    halves = {p: (joined[p][: len(joined[p]) // 2], joined[p][len(joined[p]) // 2 :]) for p in people}
    recordings = []
    for index, order in enumerate((people, people[::-1])):
        path = folder / f"ami_cut_{index + 1}.wav"
        spans = write_recording(path, [halves[p][index] for p in order])
        recordings.append((path, spans, list(order)))
    return recordings, len(set(talk) - set(people))


def _cut_case(apply_above: float) -> tuple[int, int, int, int]:
    from desktop_app.services.speakers import speaker_service, voice_identification
    from desktop_app.services.study import import_service, project_service
    from tests.fixtures.voice_recordings import store_turns

    with tempfile.TemporaryDirectory() as folder:
        recordings, too_little = _ami_cut(Path(folder))
        with project_service.create_project(Path(folder) / "s.verbatim") as store:
            documents = [d.id for d in import_service.import_recordings(store, [r[0] for r in recordings]).imported]
            for document, (_, spans, _) in zip(documents, recordings, strict=True):
                store_turns(store, document, spans)
            for i, person in enumerate(recordings[0][2]):
                speaker_service.rename_speaker(store, documents[0], f"S{i + 1}", person)
            matches = voice_identification.identify(store, documents[1])
    truth = {f"S{i + 1}": person for i, person in enumerate(recordings[1][2])}
    return _report(
        f"AMI trn07+trn08 cut ({len(truth)} people)",
        matches,
        truth,
        apply_above,
        f"{too_little} with under 2 s of talk alone left out",
    )


def _generated() -> list[tuple[Path, Turns]]:
    from tests.fixtures.speech import dialogue, make_speech

    out = []
    for voices, seed in (("ABC", 1), ("CAB", 2)):
        fixture = make_speech(dialogue(voices, 12, seed=seed), trim=True)
        out.append((fixture.wav, [(float(t["start"]), float(t["end"]), str(t["speaker"])) for t in fixture.turns]))
    return out


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from bench.speaker_scoring import read_rttm

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="base")
    parser.add_argument("--apply-above", type=float, default=0.6)
    args = parser.parse_args()
    ami = {c: (DATA / "ami_dev" / f"{c}.wav", read_rttm(DATA / "ami_dev" / f"{c}.rttm")) for c in ("trn07", "trn08")}
    totals = np.zeros(4, dtype=int)
    for name, recordings, meeting in (
        ("AMI trn07 -> trn08", [ami["trn07"], ami["trn08"]], True),
        ("AMI trn08 -> trn07", [ami["trn08"], ami["trn07"]], True),
        ("generated ABC -> CAB", _generated(), False),
    ):
        totals += _case(name, recordings, meeting, args.model, args.apply_above)
    totals += _cut_case(args.apply_above)
    right, identifiable, applied, wrong = (int(x) for x in totals)
    print(
        f"all: {right}/{identifiable} named correctly; {applied} named at once at >= {args.apply_above}, {wrong} wrongly"
    )


if __name__ == "__main__":
    main()
