"""Step 4 (pseudonym skip decisions) upgrades a version-3 file with its pseudonyms intact."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop_app.storage.migrations import migrate
from desktop_app.storage.project_store import ProjectStore


def _version_3_file(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=3)
    conn.execute("INSERT INTO study (id, name, created, app_version) VALUES (1, 'Old', '2025-01-01', '0.0.1')")
    conn.execute("INSERT INTO documents (id, title, created) VALUES (1, 'Interview 1', '2025-01-01')")
    conn.execute("INSERT INTO segments (id, document_id, seq, start, end, text) VALUES (5, 1, 1, 0, 2, 'Hej Anna')")
    conn.execute("INSERT INTO pseudonyms (identifier, pseudonym) VALUES ('Anna', '[P1]')")
    conn.close()


def test_step_4_adds_skips_and_keeps_pseudonyms(tmp_path: Path) -> None:
    path = tmp_path / "old.verbatim"
    _version_3_file(path)
    with ProjectStore.open(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] >= 4
        assert store.db.execute("SELECT identifier, pseudonym FROM pseudonyms").fetchall() == [("Anna", "[P1]")]
        insert = (
            "INSERT INTO pseudonym_skips (segment_id, start_offset, matched_text, identifier) "
            "VALUES (5, 4, 'Anna', 'Anna')"
        )
        store.db.execute(insert)
        with pytest.raises(sqlite3.IntegrityError):
            store.db.execute(insert)
        store.db.execute("DELETE FROM segments WHERE id = 5")
        assert store.db.execute("SELECT count(*) FROM pseudonym_skips").fetchone()[0] == 0
    assert (tmp_path / "old.verbatim.v3.bak").exists()
