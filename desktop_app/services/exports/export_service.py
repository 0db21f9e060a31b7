"""Write transcripts out: build a bundle from the study, hand it to the writer of the chosen format."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from desktop_app.core.document import DocumentStatus
from desktop_app.core.errors import ExportError
from desktop_app.core.text.text_layer import TextLayer, layered_text
from desktop_app.core.transcript import Transcript
from desktop_app.formats.formats import FORMATS, ExportFormat, export_format
from desktop_app.formats.transcript_bundle import ExportOptions, TranscriptBundle
from desktop_app.services.study import document_service
from desktop_app.services.transcription import translation_layer
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import (
    document_repository,
    run_repository,
    speaker_timeline_repository,
    transcript_repository,
)

__all__ = [
    "FORMATS",
    "ExportFormat",
    "ExportOptions",
    "build_bundle",
    "export_document",
    "export_documents",
    "linked_to_participants",
]


def build_bundle(store: ProjectStore, document_id: int, layer: TextLayer = TextLayer.ORIGINAL) -> TranscriptBundle:
    """The document as writers see it; with ``layer`` english or both, each turn's text is its stored
    English (or "original (English)"), so every format shows the chosen layer alike."""
    document = document_service.get_document(store, document_id)
    original = transcript_repository.load_transcript(store, document_id)
    english = translation_layer.texts_for(store, [s.id for s in original.segments if s.id is not None])
    transcript = _with_layer(original, english, layer)
    speakers = transcript_repository.list_speakers(store, document_id)
    runs = [r for r in run_repository.list_runs(store, document_id) if r.state == "finished"]
    model = {"name": runs[-1].model_name, "sha256": runs[-1].model_sha256} if runs else {}
    bundle = TranscriptBundle(document, transcript, speakers, model)  # participants: the linked speakers
    bundle.timeline = speaker_timeline_repository.load_timeline(store, document_id)
    bundle.english = english
    return bundle


def _with_layer(transcript: Transcript, english: dict[int, str], layer: TextLayer) -> Transcript:
    if layer is TextLayer.ORIGINAL:
        return transcript
    segments = [
        replace(s, text=layered_text(s.text, english.get(s.id) if s.id is not None else None, layer))
        for s in transcript.segments
    ]
    return replace(transcript, segments=segments)


def linked_to_participants(store: ProjectStore) -> bool:
    """Whether any speaker in the study is linked to a participant: exports are then pseudonymised by default."""
    return any(
        info.participant
        for document in document_repository.list_documents(store)
        for info in transcript_repository.list_speakers(store, document.id).values()
    )


def export_document(
    store: ProjectStore, document_id: int, format_name: str, path: Path, options: ExportOptions | None = None
) -> Path:
    layer = options.text_layer if options else TextLayer.ORIGINAL
    return write_bundle(build_bundle(store, document_id, layer), format_name, path, options)


def write_bundle(bundle: TranscriptBundle, format_name: str, path: Path, options: ExportOptions | None = None) -> Path:
    """Write a prepared bundle (plain or pseudonymised) in the named format."""
    chosen = export_format(format_name)
    if not bundle.transcript.segments and bundle.document.status in (DocumentStatus.IMPORTED, DocumentStatus.TRANSCRIBING):
        raise ExportError(path, f"document {bundle.document.title!r} has no transcript yet; transcribe it first")
    chosen.write(bundle, Path(path), options)
    return Path(path)


def export_documents(
    store: ProjectStore, document_ids: list[int], format_name: str, folder: Path, options: ExportOptions | None = None
) -> list[Path]:
    """One file per document in ``folder``, named after the document title."""
    chosen = export_format(format_name)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for document_id in document_ids:
        title = document_service.get_document(store, document_id).title
        target = chosen.default_path(folder, _safe_stem(title))
        written.append(export_document(store, document_id, format_name, target, options))
    return written


def _safe_stem(title: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in " -_.()" else "_" for c in title).strip(" .")
    return cleaned or "document"
