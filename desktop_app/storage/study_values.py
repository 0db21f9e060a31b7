"""Small JSON values the study keeps by key (its ``settings`` table): inside the study file, encrypted with it."""

from __future__ import annotations

import json
from typing import Any

from desktop_app.storage.project_store import ProjectStore


def save_value(store: ProjectStore, key: str, value: Any) -> None:
    """Set ``key`` to ``value`` (JSON), replacing what was there."""
    store.db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, json.dumps(value, separators=(",", ":"))],
    )


def load_value(store: ProjectStore, key: str) -> Any:
    """The value of ``key``; None when never set or not readable as JSON."""
    row = store.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    if not row:
        return None
    try:
        return json.loads(row[0])
    except ValueError:
        return None
