"""Speakers of a document: statistics, rename (data, not text), merge, recolour, link to a participant."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from desktop_app.core.errors import VerbatimError
from desktop_app.core.transcript import Segment
from desktop_app.services.study.project_service import require_writable
from desktop_app.storage.connection import guarded
from desktop_app.storage.journal import ChangeSet
from desktop_app.storage.participants import participant_repository
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import speaker_repository, speaker_timeline_repository, transcript_repository


@dataclass(frozen=True)
class SpeakerStats:
    label: str
    name: str
    color: str | None
    participant: str | None
    speaking_seconds: float
    turns: int
    words: int
    word_share: float
    heard_without_words: bool = False  # no turn: heard only in overlap or in talk with no transcribed words

    def to_json(self) -> dict[str, object]:
        return {
            "label": self.label,
            "name": self.name,
            "color": self.color,
            "participant": self.participant,
            "speaking_seconds": round(self.speaking_seconds, 2),
            "turns": self.turns,
            "words": self.words,
            "word_share": round(self.word_share, 4),
            "heard_without_words": self.heard_without_words,
        }


def speaker_stats(store: ProjectStore, document_id: int) -> list[SpeakerStats]:
    """Time, turns and word share per speaker, from the turns alone: reading every word row of a 2-hour
    group took ~270 ms, and the Speakers tab counts again after every stored edit. A speaker with no
    turn (a voice heard only without words) has its time from the speaker step's timeline."""
    speakers = transcript_repository.list_speakers(store, document_id)
    segments = transcript_repository.load_transcript(store, document_id, words=False).segments
    seconds: dict[str, float] = {}
    turns: dict[str, int] = {}
    words: dict[str, int] = {}
    previous: str | None = None
    for segment in segments:
        label = segment.speaker or ""
        seconds[label] = seconds.get(label, 0.0) + max(0.0, segment.end - segment.start)
        if label != previous:
            turns[label] = turns.get(label, 0) + 1
        previous = label
        words[label] = words.get(label, 0) + len(segment.text.split())
    total_words = sum(words.values()) or 1
    turnless = [label for label in speakers if label not in turns]
    wordless = timeline_seconds(store, document_id) if turnless else {}
    return [
        SpeakerStats(
            label,
            info.name,
            info.color,
            info.participant,
            seconds[label] if label in turns else wordless.get(label, 0.0),
            turns.get(label, 0),
            words.get(label, 0),
            words.get(label, 0) / total_words,
            label not in turns and label in wordless,
        )
        for label, info in speakers.items()
    ]


def timeline_talk(store: ProjectStore, document_id: int, labels: set[str]) -> list[tuple[float, float, str]]:
    """(start, end, label) of the talk of the speakers ``labels`` in the speaker step's timeline, in time order
    (for a voice heard only without words: all there is of it)."""
    return [t for t in speaker_timeline_repository.load_timeline(store, document_id) if t[2] in labels]


def wordless_talk(
    store: ProjectStore, document_id: int, labels: Iterable[str], turns: list[Segment]
) -> list[tuple[float, float, str]]:
    """``timeline_talk`` of those of the speakers ``labels`` who have no turn among ``turns`` (voices heard only
    without words); the timeline is not read when every one has a turn."""
    turnless = set(labels) - {t.speaker for t in turns}
    return timeline_talk(store, document_id, turnless) if turnless else []


def timeline_seconds(store: ProjectStore, document_id: int) -> dict[str, float]:
    """Seconds each speaker is heard in the speaker step's timeline (their stretches joined where they overlap)."""
    seconds: dict[str, float] = {}
    reach: dict[str, float] = {}
    for start, end, label in sorted(speaker_timeline_repository.load_timeline(store, document_id)):
        start = max(start, reach.get(label, start))
        if end > start:
            seconds[label] = seconds.get(label, 0.0) + end - start
            reach[label] = end
    return seconds


def _speaker_id(store: ProjectStore, document_id: int, label: str) -> int:
    ids = transcript_repository.speaker_ids(store, document_id)
    if label in ids:
        return ids[label]
    by_name = {info.name: key for key, info in transcript_repository.list_speakers(store, document_id).items()}
    if label in by_name:
        return ids[by_name[label]]
    raise VerbatimError(store.path, f"document {document_id} has no speaker {label!r} (speakers: {', '.join(ids)})")


def rename_speaker(store: ProjectStore, document_id: int, label: str, name: str) -> None:
    """Give a speaker a display name; every turn, export and quote shows it at once."""
    require_writable(store)
    speaker = _speaker_id(store, document_id, label)
    with guarded(store.path), store.journal.action(f"Rename speaker {label} to {name.strip()}") as changes:
        changes.update("speakers", speaker, {"display_name": name.strip() or None})


def recolor_speaker(store: ProjectStore, document_id: int, label: str, color: str) -> None:
    require_writable(store)
    speaker = _speaker_id(store, document_id, label)
    with guarded(store.path), store.journal.action(f"Recolour speaker {label}") as changes:
        changes.update("speakers", speaker, {"color": color})


def merge_speakers(store: ProjectStore, document_id: int, source: str, target: str) -> None:
    """Everything ``source`` said becomes ``target``'s; ``source`` disappears (undoable)."""
    require_writable(store)
    source_id, target_id = _speaker_id(store, document_id, source), _speaker_id(store, document_id, target)
    if source_id == target_id:
        raise VerbatimError(store.path, "cannot merge a speaker into itself")
    with guarded(store.path), store.journal.action(f"Merge speaker {source} into {target}") as changes:
        for segment_id in speaker_repository.segment_ids_spoken_by(store, source_id):
            changes.update("segments", segment_id, {"speaker_id": target_id})
        for word_id in speaker_repository.word_ids_spoken_by(store, source_id):
            changes.update("words", word_id, {"speaker_id": target_id})
        changes.delete("speakers", source_id)
        timeline = speaker_timeline_repository.timeline_row(store, document_id)
        if timeline is not None:  # who-spoke-when (RTTM) follows: the source's talk without words is the target's too
            turns = [
                (a, b, target if label == source else label)
                for a, b, label in speaker_timeline_repository.load_timeline(store, document_id)
            ]
            value = json.dumps(speaker_timeline_repository.encode(turns), separators=(",", ":"))
            changes.update("settings", timeline, {"value": value})


def link_participant(store: ProjectStore, document_id: int, label: str, participant: str | None) -> None:
    """Link a speaker to a participant (created if new); ``None`` unlinks."""
    require_writable(store)
    speaker = _speaker_id(store, document_id, label)
    with guarded(store.path), store.journal.action(f"Link speaker {label}") as changes:
        _link(store, changes, speaker, participant)


def name_speakers(store: ProjectStore, document_id: int, names: list[tuple[str, str, str | None]]) -> None:
    """Name speakers and link them to their participants as ONE action Undo takes back (a voice known from
    another recording accepted, or several at once): ``names`` holds (label, name, participant or None)."""
    require_writable(store)
    speakers = [
        (_speaker_id(store, document_id, label), label, name, participant) for label, name, participant in names
    ]
    if not speakers:
        return
    title = f"Name {names[0][0]} {names[0][1]}" if len(names) == 1 else f"Name {len(names)} speakers"
    with guarded(store.path), store.journal.action(f"{title} (voices known from other recordings)") as changes:
        for speaker, _label, name, participant in speakers:
            if participant:
                _link(store, changes, speaker, participant)
            changes.update("speakers", speaker, {"display_name": name.strip() or None})


def _link(store: ProjectStore, changes: ChangeSet, speaker: int, participant: str | None) -> None:
    participant_id = None
    if participant:
        found = participant_repository.participant_id(store, participant, ignore_case=False)
        participant_id = found if found is not None else changes.insert("participants", {"label": participant})
    changes.update("speakers", speaker, {"participant_id": participant_id})


def voice_sample(store: ProjectStore, document_id: int, label: str, seconds: float = 4.0) -> tuple[float, float] | None:
    """A few seconds of a speaker's longest turn (or, for a voice heard only without words, of their longest
    stretch in the timeline), to hear whose voice it is."""
    turns = [
        (s.start, s.end)
        for s in transcript_repository.load_transcript(store, document_id).segments
        if s.speaker == label
    ]
    if not turns:
        turns = [(a, b) for a, b, _ in timeline_talk(store, document_id, {label})]
    if not turns:
        return None
    start, end = max(turns, key=lambda span: span[1] - span[0])
    return start, min(end, start + seconds)
