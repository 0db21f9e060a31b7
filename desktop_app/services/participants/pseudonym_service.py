"""The study's pseudonym table, suggestions, a preview of every hit with accept/skip, pseudonymised exports.

The original transcript stays in the study; pseudonyms apply when text leaves it (exports, quotes).
The key (identifier -> pseudonym) is exported on its own and never written into a pseudonymised file.
"""

from __future__ import annotations

import copy
import csv
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.errors import VerbatimError
from desktop_app.core.pseudonymise import (
    Hit,
    PseudonymEntry,
    Suggestion,
    find_hits,
    find_word_hits,
    keep,
    pseudonymise,
    suggest_identifiers,
)
from desktop_app.core.text.text_layer import TextLayer
from desktop_app.core.transcript import Segment
from desktop_app.formats.formats import export_format
from desktop_app.formats.transcript_bundle import ExportOptions, TranscriptBundle, atomic_output
from desktop_app.services.exports import export_service
from desktop_app.services.study.project_service import list_documents, require_writable
from desktop_app.storage.connection import guarded
from desktop_app.storage.participants import pseudonym_repository
from desktop_app.storage.project_store import ProjectStore

__all__ = [
    "DocumentHit",
    "add_pseudonym",
    "export_all_pseudonymised",
    "export_key",
    "export_pseudonymised",
    "list_pseudonyms",
    "preview_hits",
    "pseudonymised_bundle",
    "remove_pseudonym",
    "set_hit_skipped",
    "suggest",
    "text_transform",
]


@dataclass(frozen=True)
class DocumentHit:
    """One place an identifier occurs in a stored segment, with the user's decision."""

    document_id: int
    segment_id: int
    hit: Hit
    context: str  # the segment text around the hit
    skipped: bool


def list_pseudonyms(store: ProjectStore) -> list[PseudonymEntry]:
    return [PseudonymEntry(identifier, pseudonym) for identifier, pseudonym in pseudonym_repository.entries(store)]


def add_pseudonym(store: ProjectStore, identifier: str, pseudonym: str) -> None:
    """Add an identifier or change its pseudonym (undoable)."""
    require_writable(store)
    identifier, pseudonym = " ".join(identifier.split()), pseudonym.strip()
    if not identifier or not pseudonym:
        raise VerbatimError(store.path, "an identifier and its pseudonym cannot be empty")
    row = pseudonym_repository.entry_id(store, identifier)
    with guarded(store.path), store.journal.action(f"Pseudonym {pseudonym}") as changes:
        if row is None:
            changes.insert("pseudonyms", {"identifier": identifier, "pseudonym": pseudonym})
        else:
            changes.update("pseudonyms", row, {"pseudonym": pseudonym})


def remove_pseudonym(store: ProjectStore, identifier: str) -> None:
    require_writable(store)
    row = pseudonym_repository.entry_id(store, identifier)
    if row is None:
        raise VerbatimError(store.path, f"has no pseudonym for {identifier!r}")
    with guarded(store.path), store.journal.action("Remove a pseudonym") as changes:
        changes.delete("pseudonyms", row)


def suggest(store: ProjectStore) -> list[Suggestion]:
    """Likely identifiers from every transcript and speaker name, minus those in the table."""
    texts = pseudonym_repository.all_turn_texts(store)
    names = pseudonym_repository.speaker_names(store)
    known = [e.identifier for e in list_pseudonyms(store)]
    return suggest_identifiers(texts, names, known)


def _skips(store: ProjectStore) -> set[tuple[int, int, str]]:
    return pseudonym_repository.skips(store)


def preview_hits(store: ProjectStore, document_id: int | None = None) -> list[DocumentHit]:
    """Every hit in the study's transcripts (or one document's), in reading order."""
    entries = list_pseudonyms(store)
    skips = _skips(store)
    hits = []
    for segment_id, doc_id, text in pseudonym_repository.turns(store, document_id):
        for hit in find_hits(text, entries):
            context = text[max(0, hit.start - 40) : hit.end + 40]
            skipped = (segment_id, hit.start, hit.identifier) in skips
            hits.append(DocumentHit(doc_id, segment_id, hit, context, skipped))
    return hits


def set_hit_skipped(store: ProjectStore, hit: DocumentHit, skipped: bool = True) -> None:
    """Keep one hit as spoken (``skipped``) or pseudonymise it again (undoable)."""
    require_writable(store)
    row = pseudonym_repository.skip_id(store, hit.segment_id, hit.hit.start, hit.hit.identifier)
    label = f"{'Keep' if skipped else 'Pseudonymise'} {hit.hit.text}"
    with guarded(store.path), store.journal.action(label) as changes:
        if skipped and row is None:
            values = {
                "segment_id": hit.segment_id,
                "start_offset": hit.hit.start,
                "matched_text": hit.hit.text,
                "identifier": hit.hit.identifier,
            }
            changes.insert("pseudonym_skips", values)
        elif not skipped and row is not None:
            changes.delete("pseudonym_skips", row)


def text_transform(store: ProjectStore) -> Callable[[str], str]:
    """The study's table as a bundle ``text_transform`` (kept spans honoured)."""
    entries = list_pseudonyms(store)
    return lambda text: pseudonymise(text, entries)


def pseudonymised_bundle(
    store: ProjectStore, document_id: int, layer: TextLayer = TextLayer.ORIGINAL
) -> TranscriptBundle:
    """A document's bundle (in text ``layer``) whose every text goes through the pseudonym table; skipped hits stay."""
    bundle = export_service.build_bundle(store, document_id, layer)
    entries = list_pseudonyms(store)
    skips = _skips(store)
    transcript = copy.deepcopy(bundle.transcript)
    for segment in transcript.segments:
        _prepare_segment(segment, entries, skips)
    bundle.transcript = transcript
    bundle.text_transform = text_transform(store)
    bundle.participant_labels = True  # linked speakers by participant label: display names are often real names
    return bundle


def _prepare_segment(segment: Segment, entries: list[PseudonymEntry], skips: set[tuple[int, int, str]]) -> None:
    """Mark the hits the user chose to keep; replace the words of every other hit.

    Words are replaced here rather than by the transform because a writer passes them one by one,
    and "Anna" "Svensson" would not match "Anna Svensson" apart. A word hit is paired with the text
    hit of the same rank; when words and text disagree (edited text) every word hit is replaced.
    """
    text_hits = find_hits(segment.text, entries)
    kept = [(segment.id, h.start, h.identifier) in skips for h in text_hits]
    for hit, is_kept in sorted(zip(text_hits, kept, strict=True), key=lambda p: p[0].start, reverse=True):
        if is_kept:
            segment.text = segment.text[: hit.start] + keep(hit.text) + segment.text[hit.end :]
    words = segment.words
    word_hits = find_word_hits([w.text for w in words], entries)
    paired = len(word_hits) == len(text_hits)
    for rank, (hit, covered) in enumerate(word_hits):
        for n, index in enumerate(covered):
            if paired and kept[rank]:
                words[index].text = keep(words[index].text)
            else:
                words[index].text = hit.replacement if n == 0 else ""


def export_pseudonymised(
    store: ProjectStore, document_id: int, format_name: str, path: Path, options: ExportOptions | None = None
) -> Path:
    """Like ``export_service.export_document``, with every name and place replaced by its pseudonym."""
    bundle = pseudonymised_bundle(store, document_id, options.text_layer if options else TextLayer.ORIGINAL)
    return export_service.write_bundle(bundle, format_name, path, options)


def export_all_pseudonymised(
    store: ProjectStore, format_name: str, folder: Path, options: ExportOptions | None = None
) -> list[Path]:
    """Every transcribed document, one file each, named by pseudonymised title."""
    chosen = export_format(format_name)
    folder.mkdir(parents=True, exist_ok=True)
    transform = text_transform(store)
    written = []
    for document in list_documents(store):
        if document.status.value in ("transcribed", "checked"):
            stem = _safe_stem(transform(document.title))
            target = chosen.default_path(folder, stem)
            written.append(export_pseudonymised(store, document.id, format_name, target, options))
    return written


def _safe_stem(title: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in " -_.()[]" else "_" for c in title).strip(" .")
    return cleaned or "document"


def export_key(store: ProjectStore, path: Path) -> Path:
    """Write the key (identifier, pseudonym) as CSV, readable by the owner only where the OS allows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["identifier", "pseudonym"])
    for entry in list_pseudonyms(store):
        writer.writerow([entry.identifier, entry.pseudonym])
    with atomic_output(Path(path)) as tmp:
        descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(buffer.getvalue())
    return Path(path)
