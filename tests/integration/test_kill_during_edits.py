"""kill -9 during a burst of 1,000 edits, codings and speaker changes loses nothing that was acknowledged.

A child process runs the burst through the real services and acknowledges each operation after
its service call returned; the test kills it with SIGKILL at a seeded random moment, reopens the
study and checks it is intact, holds every acknowledged operation (and at most the one in flight),
and that undo and redo still walk the journal. ``bench/fault_kill_edits.py`` runs more rounds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.services.study import project_service
from tests.fixtures.edit_burst import (
    Acknowledged,
    check_after_kill,
    expected_states,
    kill_round,
    make_burst_study,
    plan,
    run_op,
)


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_kill_9_during_an_edit_burst_keeps_every_acknowledged_change(tmp_path: Path, seed: int) -> None:
    result = kill_round(tmp_path, seed, count=1000)
    assert result.check.integrity == "ok"
    assert result.check.acknowledged >= result.kill_after
    assert result.check.committed in (result.check.acknowledged, result.check.acknowledged + 1)
    assert result.check.undone == 3


def test_the_check_notices_a_lost_change(tmp_path: Path) -> None:
    """The verifier is not vacuous: a study holding more or less than was acknowledged is refused."""
    study = make_burst_study(tmp_path)
    ops = plan(5, 40, study)
    coding_ids: dict[int, int] = {}
    with project_service.open_project(study.path) as store:
        lines = [run_op(store, study, op, coding_ids) for op in ops]
    acks = Acknowledged.parse(lines)
    assert check_after_kill(study, ops, acks).committed == 40
    with pytest.raises(AssertionError, match="matches neither"):
        check_after_kill(study, ops, Acknowledged.parse(lines[:-2]))  # two committed ops never acknowledged
    live = {coding_ids[c] for c in expected_states(study, ops, 39)[-1].codings}
    with project_service.open_project(study.path) as store:
        store.db.execute("DELETE FROM codings WHERE id = ?", [max(live)])  # an acknowledged coding lost
    with pytest.raises(AssertionError, match="matches neither"):
        check_after_kill(study, ops, acks)
