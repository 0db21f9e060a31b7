"""Step 5 (settings, journaled attribute values, realist tables, indexes) upgrades a version-4 file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop_app.storage.migrations import migrate
from desktop_app.storage.project_store import ProjectStore


def _version_4_file(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=4)
    conn.execute("INSERT INTO study (id, name, created, app_version) VALUES (1, 'Old', '2025-01-01', '0.0.1')")
    conn.execute("INSERT INTO participants (id, label) VALUES (3, 'P03')")
    conn.execute("INSERT INTO attributes (id, name, type) VALUES (7, 'age', 'integer')")
    conn.execute("INSERT INTO attribute_values (participant_id, attribute_id, value) VALUES (3, 7, '41')")
    conn.close()


def test_step_5_keeps_attribute_values_and_gives_them_ids(tmp_path: Path) -> None:
    path = tmp_path / "old.verbatim"
    _version_4_file(path)
    with ProjectStore.open(path) as store:
        db = store.db
        assert db.execute("PRAGMA user_version").fetchone()[0] >= 5
        rows = db.execute("SELECT id, participant_id, attribute_id, value FROM attribute_values").fetchall()
        assert len(rows) == 1 and rows[0][1:] == (3, 7, "41") and rows[0][0] is not None
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO attribute_values (participant_id, attribute_id, value) VALUES (3, 7, '42')")
        db.execute("INSERT OR REPLACE INTO attribute_values (participant_id, attribute_id, value) VALUES (3, 7, '42')")
        assert db.execute("SELECT value FROM attribute_values").fetchall() == [("42",)]
        db.execute("DELETE FROM participants WHERE id = 3")
        assert db.execute("SELECT count(*) FROM attribute_values").fetchone()[0] == 0
        db.execute("INSERT INTO settings (key, value) VALUES ('label_template', '{group} {number}')")
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            db.execute("INSERT INTO realist_tags (coding_id, role) VALUES (1, 'impact')")
    assert (tmp_path / "old.verbatim.v4.bak").exists()
