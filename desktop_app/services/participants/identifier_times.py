"""When, in a recording, the names and places of the pseudonym table are spoken: the spans to bleep.

The same matching as the pseudonymised text exports (case, accents, inflection, longest
identifier first), run over each turn's timed words; a hit the user chose to keep as spoken is
kept in the audio too. As in ``pseudonym_service``, a word hit is paired with the text hit of the
same rank, and when words and text disagree (edited text) every word hit is bleeped.
"""

from __future__ import annotations

from collections import defaultdict

from desktop_app.core.pseudonymise import PseudonymEntry, find_word_hits
from desktop_app.core.transcript import Segment
from desktop_app.services.participants import pseudonym_service
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import transcript_repository

TimeSpan = tuple[float, float]


def identifier_spans(store: ProjectStore, document_id: int) -> list[TimeSpan]:
    """(start, end) seconds of every spoken identifier in a document, in time order."""
    entries = pseudonym_service.list_pseudonyms(store)
    if not entries:
        return []
    kept: dict[int, list[bool]] = defaultdict(list)  # segment id -> each text hit's "keep as spoken"
    for hit in pseudonym_service.preview_hits(store, document_id):
        kept[hit.segment_id].append(hit.skipped)
    spans: list[TimeSpan] = []
    for segment in transcript_repository.load_transcript(store, document_id).segments:
        spans.extend(_segment_spans(segment, entries, kept.get(segment.id or -1, [])))
    return sorted(spans)


def _segment_spans(segment: Segment, entries: list[PseudonymEntry], kept: list[bool]) -> list[TimeSpan]:
    words = [w for w in segment.words if w.text]
    hits = find_word_hits([w.text for w in words], entries)
    paired = len(hits) == len(kept)
    spans = []
    for rank, (_, indices) in enumerate(hits):
        if paired and kept[rank]:
            continue
        covered = [words[i] for i in indices]
        if covered:
            spans.append((min(w.start for w in covered), max(w.end for w in covered)))
    return spans
