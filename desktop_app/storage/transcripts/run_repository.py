"""Transcription runs: what model and options made a transcript, how long it took, where to resume."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from desktop_app.storage.journal import now_iso
from desktop_app.storage.project_store import ProjectStore


@dataclass(frozen=True)
class RunRecord:
    id: int
    document_id: int
    model_name: str
    model_sha256: str
    options: dict[str, Any]
    language: str | None
    language_probability: float | None
    started: str
    finished: str | None
    audio_seconds: float
    wall_seconds: float
    state: str
    resume_at: float
    error: str | None


def start_run(
    store: ProjectStore, document_id: int, model_name: str, model_sha256: str, options: dict[str, Any]
) -> int:
    with store.db.atomic():
        cursor = store.db.execute(
            "INSERT INTO transcription_runs (document_id, model_name, model_sha256, options, started) "
            "VALUES (?, ?, ?, ?, ?)",
            [document_id, model_name, model_sha256, json.dumps(options, sort_keys=True), now_iso()],
        )
    return int(cursor.lastrowid or 0)


def update_run(store: ProjectStore, run_id: int, **values: Any) -> None:
    if not values:
        return
    assignments = ", ".join(f"{column} = ?" for column in values)
    with store.db.atomic():
        store.db.execute(f"UPDATE transcription_runs SET {assignments} WHERE id = ?", [*values.values(), run_id])


def finish_run(store: ProjectStore, run_id: int, state: str, error: str | None = None) -> None:
    update_run(store, run_id, state=state, finished=now_iso(), error=error)


def list_runs(store: ProjectStore, document_id: int) -> list[RunRecord]:
    rows = store.db.execute(
        "SELECT id, document_id, model_name, model_sha256, options, language, language_probability, started, "
        "finished, audio_seconds, wall_seconds, state, resume_at, error FROM transcription_runs "
        "WHERE document_id = ? ORDER BY id",
        [document_id],
    ).fetchall()
    return [RunRecord(r[0], r[1], r[2], r[3], json.loads(r[4]), *r[5:]) for r in rows]


def mark_stale_runs_interrupted(store: ProjectStore) -> int:
    """Runs left 'running' by a killed process are 'interrupted' when the study is next opened by a run."""
    with store.db.atomic():
        cursor = store.db.execute("UPDATE transcription_runs SET state = 'interrupted' WHERE state = 'running'")
    return cursor.rowcount
