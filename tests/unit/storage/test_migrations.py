"""Each schema step upgrades an older file without touching its data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop_app.storage.migrations import migrate
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.schema import CURRENT_VERSION


def _old_file(path: Path, version: int) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=version)
    conn.execute("INSERT INTO study (id, name, created, app_version) VALUES (1, 'Old', '2025-01-01', '0.0.1')")
    conn.execute(
        "INSERT INTO media (id, file_name, sha256, size, duration, codec, channels, sample_rate, added) "
        "VALUES (1, 'a.wav', 'ab', 10, 61.5, 'pcm_s16le', 1, 16000, '2025-01-01')"
    )
    conn.execute("INSERT INTO documents (id, title, media_id, created) VALUES (1, 'Interview 1', 1, '2025-01-01')")
    return conn


@pytest.mark.parametrize("version", range(1, CURRENT_VERSION))
def test_old_file_upgrades_with_data_intact_and_backup(tmp_path: Path, version: int) -> None:
    path = tmp_path / "old.verbatim"
    conn = _old_file(path, version)
    if version >= 2:
        conn.execute("INSERT INTO segments (id, document_id, seq, start, end, text) VALUES (7, 1, 1, 0, 2, 'hej då')")
    conn.close()
    with ProjectStore.open(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
        assert store.study()["name"] == "Old"
        assert store.db.execute("SELECT title, media_id FROM documents").fetchall() == [("Interview 1", 1)]
        assert store.db.execute("SELECT duration FROM media").fetchone()[0] == 61.5
        if version >= 2:
            hits = store.db.execute("SELECT rowid FROM segments_fts WHERE segments_fts MATCH 'hej'").fetchall()
            assert hits == [(7,)]
        store.db.execute("INSERT INTO codes (name) VALUES ('Peer support')")
    assert (tmp_path / f"old.verbatim.v{version}.bak").exists()


def test_failed_step_leaves_the_file_at_a_whole_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop_app.storage import migrations, schema

    path = tmp_path / "old.verbatim"
    _old_file(path, 1).close()
    broken = [*schema.STEPS[:1], "CREATE TABLE transcription_runs (id INTEGER);\nNOT SQL AT ALL;\n"]
    monkeypatch.setattr(migrations, "STEPS", broken)
    conn = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, target=2)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'transcription_runs'").fetchone() is None


def test_step_8_adds_a_searchable_translation_layer_that_follows_its_turn(tmp_path: Path) -> None:
    path = tmp_path / "old.verbatim"
    conn = _old_file(path, 7)
    conn.execute("INSERT INTO segments (id, document_id, seq, start, end, text) VALUES (7, 1, 1, 0, 2, 'hej då')")
    conn.close()
    with ProjectStore.open(path) as store:
        store.db.execute(
            "INSERT INTO translations (segment_id, text, source_text, created) VALUES (7, 'bye now', 'hej då', 'x')"
        )
        assert store.db.execute("SELECT rowid FROM translations_fts WHERE translations_fts MATCH 'bye'").fetchall() == [
            (1,)
        ]
        store.db.execute("UPDATE translations SET text = 'goodbye' WHERE id = 1")
        assert store.db.execute(
            "SELECT COUNT(*) FROM translations_fts WHERE translations_fts MATCH 'bye'"
        ).fetchone() == (0,)
        store.db.execute("DELETE FROM segments WHERE id = 7")
        assert store.db.execute("SELECT COUNT(*) FROM translations").fetchone() == (0,)
        assert store.db.execute(
            "SELECT COUNT(*) FROM translations_fts WHERE translations_fts MATCH 'goodbye'"
        ).fetchone() == (0,)
    assert (tmp_path / "old.verbatim.v7.bak").exists()
