"""Voices known across interviews: a speaker named in one recording is proposed in the study's others.

Each named speaker (a display name, or a link to a participant) has a voice print: the CAM++
embedding (``pipeline.speakers.embedding``) of up to ``PRINT_SECONDS`` of their words, overlapping
talk left out (a voice heard only without words: its stretches in the speaker timeline). ``identify``
embeds the still unnamed speakers of a document the same way and proposes for each the known
person whose prints are most alike, one person per speaker (the best pairs first: two voices in one
recording are two people), with the cosine similarity as the confidence; above ``apply_above`` the
name (and participant link) is given at once. Voice prints are kept in the study file (its settings
table, encrypted with it), keyed by a fingerprint of the talk read, so they are computed again only
when the words change.

Measured (tests/unit/services/test_voice_identification.py): three people in two close-miked
recordings, 3 of 3 named correctly (confidence 0.63-0.85); four people in two far-field AMI meeting
excerpts, 0 of 4 (confidence 0.38-0.58, a few seconds of reverberant voice each). Proposals are
therefore applied only above a threshold the researcher sets.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import numpy as np

from desktop_app.core.transcript import Word
from desktop_app.pipeline.audio_decode import SAMPLE_RATE, decode_all
from desktop_app.services.speakers import speaker_service
from desktop_app.services.study.project_service import require_writable
from desktop_app.storage.connection import guarded
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import speaker_timeline_repository, transcript_repository

PRINT_SECONDS = 60.0  # of a speaker's words read for a voice print
MIN_SECONDS = 1.0  # less talk than this gives no print
_KEY = "voiceprint:{}"


@dataclass(frozen=True)
class VoiceMatch:
    label: str  # the unnamed speaker in the document identified
    name: str  # the known person proposed
    participant: str | None
    confidence: float  # cosine similarity of the voices, 0..1
    document_id: int  # where that person was named (their most alike print)
    applied: bool = False


def _spans(words: list[Word], label: str, overlap: bool = False) -> list[tuple[float, float]]:
    """The speaker's talk: their words (overlapping ones left out, unless there is too little without
    them), joined across short gaps, at most PRINT_SECONDS."""
    spans: list[list[float]] = []
    total = 0.0
    for word in words:
        if word.speaker != label or (word.overlap and not overlap) or word.end <= word.start:
            continue
        if spans and word.start - spans[-1][1] < 0.3:
            total += word.end - spans[-1][1]
            spans[-1][1] = word.end
        else:
            total += word.end - word.start
            spans.append([word.start, word.end])
        if total >= PRINT_SECONDS:
            break
    if not overlap and total < MIN_SECONDS:
        return _spans(words, label, overlap=True)
    return [(a, b) for a, b in spans]


def _heard(timeline: list[speaker_timeline_repository.Turn], label: str) -> list[tuple[float, float]]:
    """The speaker's stretches in the speaker step's timeline (a voice with no words), at most PRINT_SECONDS:
    where nobody else is heard, unless that leaves too little (such a voice is often heard only in overlap)."""
    mine = [(a, b) for a, b, x in timeline if x == label and b > a]
    others = sorted((a, b) for a, b, x in timeline if x != label and b > a)
    alone: list[tuple[float, float]] = []
    for start, end in mine:
        for a, b in others:
            if b <= start or a >= end:
                continue
            if a > start:
                alone.append((start, a))
            start = max(start, b)
        if end > start:
            alone.append((start, end))
    kept: list[tuple[float, float]] = []
    total = 0.0
    for start, end in alone if _seconds(alone) >= MIN_SECONDS else mine:
        if total >= PRINT_SECONDS:
            break
        kept.append((start, end))
        total += end - start
    return kept


def _fingerprint(spans: list[tuple[float, float]]) -> str:
    return hashlib.sha256(json.dumps([[round(a, 2), round(b, 2)] for a, b in spans]).encode()).hexdigest()[:16]


def voice_prints(store: ProjectStore, document_id: int, labels: list[str]) -> dict[str, np.ndarray]:
    """Voice prints of the document's speakers ``labels`` (those with enough talk), cached in the study."""
    from desktop_app.pipeline.speakers.voices.embedding import VoiceEmbedder
    from desktop_app.services.study.security_service import open_document_media
    from desktop_app.storage import study_values as values

    words = transcript_repository.load_transcript(store, document_id).words
    wanted = {label: _spans(words, label) for label in labels}
    if any(_seconds(spans) < MIN_SECONDS for spans in wanted.values()):
        timeline = speaker_timeline_repository.load_timeline(store, document_id)
        wanted = {k: v if _seconds(v) >= MIN_SECONDS else _heard(timeline, k) for k, v in wanted.items()}
    wanted = {k: v for k, v in wanted.items() if _seconds(v) >= MIN_SECONDS}
    cached = values.load_value(store, _KEY.format(document_id)) or {}
    prints = {
        k: np.array(cached[k]["print"]) for k, v in wanted.items() if cached.get(k, {}).get("of") == _fingerprint(v)
    }
    missing = [k for k in wanted if k not in prints]
    if missing:
        with open_document_media(store, document_id) as media:
            audio = decode_all(media)
        embedder = VoiceEmbedder()
        for label in missing:
            talk = np.concatenate([audio[round(a * SAMPLE_RATE) : round(b * SAMPLE_RATE)] for a, b in wanted[label]])
            prints[label] = embedder.embed_audio(talk)
        if not store.readonly:
            stored = {
                k: {"of": _fingerprint(wanted[k]), "print": [round(float(x), 5) for x in p]} for k, p in prints.items()
            }
            with guarded(store.path), store.db.atomic():
                values.save_value(store, _KEY.format(document_id), stored)
    return prints


def _seconds(spans: list[tuple[float, float]]) -> float:
    return sum(b - a for a, b in spans)


def _known_people(store: ProjectStore, document_id: int) -> list[tuple[str, str | None, int, np.ndarray]]:
    """(name, participant, document, print) of every named speaker in the study's other transcribed documents."""
    from desktop_app.services.study import project_service

    people = []
    for document in project_service.list_documents(store):
        if document.id == document_id or document.status.value not in ("transcribed", "checked"):
            continue
        speakers = transcript_repository.list_speakers(store, document.id)
        named = [label for label, info in speakers.items() if info.identified]
        for label, vector in voice_prints(store, document.id, named).items():
            people.append((speakers[label].name, speakers[label].participant, document.id, vector))
    return people


def identify(store: ProjectStore, document_id: int, apply_above: float | None = None) -> list[VoiceMatch]:
    """Proposals for the document's unnamed speakers, best first; those at or above ``apply_above`` applied."""
    if apply_above is not None:
        require_writable(store)
    speakers = transcript_repository.list_speakers(store, document_id)
    unnamed = [label for label, info in speakers.items() if not info.identified]
    people = _known_people(store, document_id)
    mine = voice_prints(store, document_id, unnamed)
    if not people or not mine:
        return []
    labels = list(mine)
    names = list(dict.fromkeys((name, participant) for name, participant, _, _ in people))
    own = _unit(np.stack([mine[k] for k in labels]))
    theirs = _unit(np.stack([vector for _, _, _, vector in people]))
    similarity = own @ theirs.T  # (speakers, prints)
    best = np.full((len(labels), len(names)), -1.0)
    where = np.zeros((len(labels), len(names)), dtype=np.int64)
    for j, (name, participant, _, _) in enumerate(people):
        column = names.index((name, participant))
        better = similarity[:, j] > best[:, column]
        best[better, column], where[better, column] = similarity[better, j], j
    matches = []
    taken_rows: set[int] = set()
    taken_names: set[int] = set()
    for flat in np.argsort(-best, axis=None):
        row, column = divmod(int(flat), len(names))
        if row in taken_rows or column in taken_names:
            continue
        taken_rows.add(row)
        taken_names.add(column)
        name, participant = names[column]
        confidence = round(float(max(0.0, best[row, column])), 3)
        apply = apply_above is not None and confidence >= apply_above
        matches.append(VoiceMatch(labels[row], name, participant, confidence, people[where[row, column]][2], apply))
    applied = [(m.label, m.name, m.participant) for m in matches if m.applied]
    if applied:  # one action: one Undo takes them all back
        speaker_service.name_speakers(store, document_id, applied)
    return sorted(matches, key=lambda m: -m.confidence)


def _unit(rows: np.ndarray) -> np.ndarray:
    return np.asarray(rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12))


__all__ = ["VoiceMatch", "identify", "voice_prints"]
