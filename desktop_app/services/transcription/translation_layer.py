"""The stored translation layer: English kept beside each turn, corrected like any edit, undoable.

Adding a translation is one journal action ("Add English translation"), so Undo removes it all and
Redo brings it back; correcting one turn's English is another ("Edit translation"), marked as
edited so translating again never silently overwrites the researcher's words. Codings, words and
times stay on the original turn; the translation only points at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from desktop_app.core.coding import Coding
from desktop_app.core.errors import VerbatimError
from desktop_app.core.text.text_layer import TextLayer, layered_text
from desktop_app.services.study.project_service import require_writable
from desktop_app.storage.connection import guarded
from desktop_app.storage.journal import ChangeSet, now_iso
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import transcript_repository, translation_repository
from desktop_app.storage.transcripts.translation_repository import ENGLISH, TranslationRow


class Overwrite(Enum):
    """What translating again does with translations the researcher corrected."""

    REFUSE = "refuse"  # stop and say so (the default)
    KEEP_CORRECTED = "keep"  # keep them exactly, translate the other turns
    REPLACE = "replace"  # replace them too (undoable)


class CorrectedTranslationsError(VerbatimError):
    """Translating again would overwrite translations the researcher corrected."""

    def __init__(self, path: str, corrected: int) -> None:
        self.corrected = corrected
        super().__init__(
            path, f"{corrected} translated turn(s) were corrected by hand; translating again would replace them"
        )


@dataclass(frozen=True)
class NewTranslation:
    """The English for one turn, and the original it was made from."""

    segment_id: int
    text: str
    source_text: str


def load(store: ProjectStore, document_id: int) -> dict[int, TranslationRow]:
    """The document's English by segment id."""
    return translation_repository.for_document(store, document_id)


def texts_for(store: ProjectStore, segment_ids: list[int]) -> dict[int, str]:
    """English by segment id for the turns an export quotes (absent where a turn has none)."""
    return translation_repository.for_segments(store, segment_ids)


def has_translation(store: ProjectStore, document_id: int) -> bool:
    return translation_repository.document_has_translation(store, document_id)


def study_has_translation(store: ProjectStore) -> bool:
    """Whether any turn of the study has English: only then do export dialogs offer the choice of text."""
    return translation_repository.study_has_translation(store)


def corrected_segments(store: ProjectStore, document_id: int) -> set[int]:
    return {sid for sid, row in load(store, document_id).items() if row.edited}


def check_overwrite(store: ProjectStore, document_id: int, mode: Overwrite) -> set[int]:
    """Before the (slow) translation runs: the turns to leave alone, or refuse when corrections would be lost."""
    corrected = corrected_segments(store, document_id)
    if corrected and mode is Overwrite.REFUSE:
        raise CorrectedTranslationsError(str(store.path), len(corrected))
    return corrected if mode is Overwrite.KEEP_CORRECTED else set()


def store_translation(
    store: ProjectStore, document_id: int, translations: list[NewTranslation], model: str, mode: Overwrite
) -> int:
    """Write the English of a document's turns as one undoable action; returns the turns written.

    A turn merged away or transcribed again while the translation ran is left out (its English
    belongs to words no longer there)."""
    require_writable(store)
    keep = check_overwrite(store, document_id, mode)
    existing = load(store, document_id)
    current = set(translation_repository.segment_ids(store, document_id))
    written = 0
    with guarded(store.path), store.journal.action("Add English translation") as changes:
        for item in translations:
            if item.segment_id in keep or item.segment_id not in current:
                continue
            values = {"text": item.text, "source_text": item.source_text, "model": model, "edited": 0}
            old = existing.get(item.segment_id)
            if old is not None:
                changes.update("translations", old.id, values)
            else:
                changes.insert(
                    "translations",
                    {"segment_id": item.segment_id, "language": ENGLISH, "created": now_iso(), **values},
                )
            written += 1
    return written


def update_translation(store: ProjectStore, segment_id: int, text: str) -> None:
    """The researcher's correction of one turn's English (an empty text clears it), undoable."""
    require_writable(store)
    new_text = " ".join(text.split())
    row = translation_repository.for_segment(store, segment_id)
    with guarded(store.path), store.journal.action("Edit translation") as changes:
        if row is not None and not new_text:
            changes.delete("translations", row.id)
        elif row is not None:
            if new_text != row.text:
                changes.update("translations", row.id, {"text": new_text, "edited": 1})
        elif new_text:
            _require_segment(store, segment_id)
            changes.insert(
                "translations",
                {"segment_id": segment_id, "language": ENGLISH, "text": new_text, "edited": 1, "created": now_iso()},
            )


def _require_segment(store: ProjectStore, segment_id: int) -> None:
    try:
        transcript_repository.load_segment(store, segment_id)
    except KeyError:
        raise VerbatimError(store.path, f"segment {segment_id} no longer exists") from None


def delete_with_segments(changes: ChangeSet, store: ProjectStore, segment_ids: list[int]) -> None:
    """Inside an action deleting turns: their translations first, so undo brings them back with the turns."""
    for row_id in translation_repository.row_ids_of_segments(store, segment_ids):
        changes.delete("translations", row_id)


def follow_merge(changes: ChangeSet, store: ProjectStore, first_id: int, second_id: int) -> None:
    """Two turns merged into the first: the English of both becomes the first's, then the second's goes."""
    first, second = (translation_repository.for_segment(store, i) for i in (first_id, second_id))
    if second is not None and first is not None:
        joined = f"{first.text} {second.text}".strip()
        changes.update("translations", first.id, {"text": joined, "edited": int(first.edited or second.edited)})
    elif second is not None:
        changes.update("translations", second.id, {"segment_id": first_id})
        return
    delete_with_segments(changes, store, [second_id])


def extract_text(store: ProjectStore, coding: Coding, original: str, layer: TextLayer) -> str:
    """A coded extract's text for an export in ``layer``. Codings stay on the original words, so an
    extract's English is the English of the turns it lies in (all of each turn, even where the coding
    covers part of it); an extract whose turns have no translation keeps its original."""
    if layer is TextLayer.ORIGINAL:
        return original
    english = " ".join(translation_repository.for_span(store, coding.start.segment_id, coding.end.segment_id))
    return layered_text(original, english or None, layer)
