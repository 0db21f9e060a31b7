from __future__ import annotations

from pathlib import Path

from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import document_repository as docs


def _add(store: ProjectStore, title: str) -> int:
    with store.journal.action(f"Add {title}") as changes:
        return docs.add_document(changes, store, title, None)


def test_rename_undo_redo(store: ProjectStore) -> None:
    doc = _add(store, "Interview 1")
    with store.journal.action("Rename") as changes:
        docs.update_document(changes, doc, title="PSW 5")
    assert docs.get_document(store, doc).title == "PSW 5"
    assert store.journal.undo().label == "Rename"
    assert docs.get_document(store, doc).title == "Interview 1"
    assert store.journal.redo().label == "Rename"
    assert docs.get_document(store, doc).title == "PSW 5"


def test_undo_survives_restart(tmp_path: Path) -> None:
    path = tmp_path / "s.verbatim"
    with ProjectStore.create(path) as store:
        doc = _add(store, "Focus group")
        with store.journal.action("Field notes") as changes:
            docs.update_document(changes, doc, field_notes="Noisy café; P3 left at 40 min.")
    with ProjectStore.open(path) as store:
        assert store.journal.undo_entry().label == "Field notes"
        store.journal.undo()
        assert docs.get_document(store, doc).field_notes == ""
    with ProjectStore.open(path) as store:
        store.journal.redo()
        assert docs.get_document(store, doc).field_notes == "Noisy café; P3 left at 40 min."


def test_remove_document_is_undoable(store: ProjectStore) -> None:
    keep, gone = _add(store, "Keep"), _add(store, "Remove me")
    with store.journal.action("Remove document") as changes:
        docs.update_document(changes, gone, removed=1)
    assert [d.id for d in docs.list_documents(store)] == [keep]
    store.journal.undo()
    assert [d.id for d in docs.list_documents(store)] == [keep, gone]


def test_undo_of_insert_deletes_and_redo_restores_same_row(store: ProjectStore) -> None:
    doc = _add(store, "New")
    store.journal.undo()
    assert docs.list_documents(store) == []
    store.journal.redo()
    assert [d.id for d in docs.list_documents(store)] == [doc]


def test_new_action_clears_redo_and_empty_actions_are_not_recorded(store: ProjectStore) -> None:
    doc = _add(store, "A")
    with store.journal.action("Rename") as changes:
        docs.update_document(changes, doc, title="B")
    store.journal.undo()
    with store.journal.action("Rename again") as changes:
        docs.update_document(changes, doc, title="C")
    assert store.journal.redo_entry() is None
    with store.journal.action("No change") as changes:
        docs.update_document(changes, doc, title="C")
    assert store.journal.undo_entry().label == "Rename again"


def test_failed_action_rolls_back_everything(store: ProjectStore) -> None:
    doc = _add(store, "A")
    try:
        with store.journal.action("Broken") as changes:
            docs.update_document(changes, doc, title="half-done")
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert docs.get_document(store, doc).title == "A"
    assert store.journal.undo_entry().label == "Add A"
