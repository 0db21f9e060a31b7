"""Speaking time per participant group across a real coded study."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.errors import VerbatimError
from desktop_app.services.participants import participant_service
from desktop_app.services.speakers.speaking_time_service import ALL_PARTICIPANTS, UNLINKED, grouped_speaking_time
from tests.fixtures.analysis_study import AnalysisStudy, make_analysis_study


@pytest.fixture
def study(tmp_path: Path) -> AnalysisStudy:
    return make_analysis_study(tmp_path)


def test_participants_grouped_by_an_attribute_then_the_unlinked(study: AnalysisStudy) -> None:
    # Words last 0.4 s, 0.5 s apart: a turn of n words lasts 0.5 n - 0.1 s.
    groups = grouped_speaking_time(study.store, "group")
    assert [(g.name, [r.name for r in g.rows], g.linked) for g in groups] == [
        ("Peer support worker", ["Peer support worker 5"], True),
        ("Manager", ["M2"], True),
        (UNLINKED, ["PSW 5 interview: S1", "Manager 2 interview: S1"], False),
    ]
    assert groups[1].seconds == pytest.approx(5.4 + 3.4)
    assert sum(g.seconds for g in groups) == pytest.approx(5.4 + 6.4 + 4.9 + 1.9 + 5.4 + 3.4 + 1.9)
    ungrouped = grouped_speaking_time(study.store)
    assert [g.name for g in ungrouped] == [ALL_PARTICIPANTS, UNLINKED] and len(ungrouped[0].rows) == 2


def test_a_participant_without_the_value_is_not_set(study: AnalysisStudy) -> None:
    participant_service.set_value(study.store, "M2", "group", None)
    names = [g.name for g in grouped_speaking_time(study.store, "group")]
    assert names == ["Peer support worker", "(not set)", UNLINKED]
    with pytest.raises(VerbatimError, match="colour"):
        grouped_speaking_time(study.store, "colour")
