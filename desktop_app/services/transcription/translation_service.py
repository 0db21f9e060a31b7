"""English beside the original, turn by turn, for a document in another language.

Multi-country teams quote in English from interviews held in Swedish, German or Swahili. This runs
Whisper's translate task over each turn's audio with a multilingual model and returns the English
beside each turn; :func:`translate_and_store` keeps it in the study as its translation layer
(see translation_layer). The recording is streamed (from its file, or from the study when it is
embedded), so a long interview needs little memory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from threading import Event
from typing import Any

from desktop_app.core.errors import VerbatimError
from desktop_app.pipeline.audio_decode import stream_audio
from desktop_app.pipeline.translation import Turn, translate_blocks, translator
from desktop_app.services.study import security_service
from desktop_app.services.transcript import edit_service
from desktop_app.services.transcription import model_service, translation_layer
from desktop_app.services.transcription.translation_layer import NewTranslation, Overwrite
from desktop_app.storage.project_store import ProjectStore

DEFAULT_MODEL = "base"


@dataclass(frozen=True)
class TranslatedTurn:
    segment_id: int
    start: float
    end: float
    speaker: str | None
    original: str
    english: str

    def to_json(self) -> dict[str, Any]:
        return {
            "segment_id": self.segment_id,
            "start": self.start,
            "end": self.end,
            "speaker": self.speaker,
            "original": self.original,
            "english": self.english,
        }


def translate_document(
    store: ProjectStore,
    document_id: int,
    model: str = DEFAULT_MODEL,
    *,
    device: str = "auto",
    progress: Callable[[int, int], None] | None = None,
    cancel: Event | None = None,
    skip: frozenset[int] = frozenset(),
) -> list[TranslatedTurn]:
    """The document's turns with their English translation, in order (less the segment ids in ``skip``)."""
    transcript = edit_service.load_transcript(store, document_id)
    turns = [s for s in transcript.segments if s.text.strip()]
    if not turns:
        raise VerbatimError(store.path, f"document {document_id} has no transcript yet; transcribe it first")
    language = transcript.language
    if not language or language == "auto":
        raise VerbatimError(store.path, f"the language of document {document_id} is not known; transcribe it first")
    if language == "en":
        raise VerbatimError(store.path, f"document {document_id} is in English; there is nothing to translate")
    turns = [s for s in turns if s.id not in skip]
    if not turns:
        return []
    engine = translator(model_service.resolve_model(model), model, device)
    path, embedded = security_service.engine_audio(store, document_id)
    stream = security_service.open_document_media(store, document_id) if embedded is not None else None
    try:
        blocks = stream_audio(stream or path, block_seconds=60.0, name=str(path))
        spans = [Turn(s.start, s.end) for s in turns]
        english = translate_blocks(engine, blocks, spans, language, progress=progress, cancel=cancel)
    finally:
        if stream is not None:
            stream.close()
    return [
        TranslatedTurn(s.id or 0, s.start, s.end, s.speaker, s.text, e) for s, e in zip(turns, english, strict=True)
    ]


def translate_and_store(
    store: ProjectStore,
    document_id: int,
    model: str = DEFAULT_MODEL,
    *,
    mode: Overwrite = Overwrite.REFUSE,
    device: str = "auto",
    progress: Callable[[int, int], None] | None = None,
    cancel: Event | None = None,
) -> list[TranslatedTurn]:
    """Translate a document and keep the English in the study (one undoable action).

    Corrected translations are checked first, so a refusal comes before minutes of work, and turns
    whose correction is kept are not translated at all.
    """
    keep = frozenset(translation_layer.check_overwrite(store, document_id, mode))
    turns = translate_document(store, document_id, model, device=device, progress=progress, cancel=cancel, skip=keep)
    new = [NewTranslation(t.segment_id, t.english, t.original) for t in turns]
    translation_layer.store_translation(store, document_id, new, model, mode)
    return turns
