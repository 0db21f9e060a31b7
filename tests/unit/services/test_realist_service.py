"""Realist tags and C–M–O configurations: journaled, validated, tabulated per document and study."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.errors import VerbatimError
from desktop_app.services.coding import coding_service
from desktop_app.services.coding import realist_service as rs
from desktop_app.services.study import document_service
from tests.fixtures.analysis_study import AnalysisStudy, make_analysis_study


@pytest.fixture
def study(tmp_path: Path) -> AnalysisStudy:
    return make_analysis_study(tmp_path)


def test_tags_configurations_and_cmo_table(study: AnalysisStudy) -> None:
    store, c = study.store, study.codings
    rs.tag_coding(store, c["psw night"], "context")
    rs.tag_coding(store, c["psw peer"], rs.Role.MECHANISM)
    rs.tag_coding(store, c["psw isolation"], "outcome")
    rs.tag_coding(store, c["mgr supervision"], "mechanism", "negative")
    rs.tag_coding(store, c["mgr isolation"], "outcome")
    assert rs.tags(store)[c["psw peer"]].polarity is rs.Polarity.POSITIVE, "a mechanism is positive unless told"
    night = rs.add_configuration(store, "Night work", [c["psw night"], c["psw peer"], c["psw isolation"]])
    gaps = rs.add_configuration(store, "Supervision gaps", [c["mgr supervision"]])
    rs.link(store, gaps, c["mgr isolation"])
    rs.link(store, night, c["mgr isolation"])
    table = rs.cmo_table(store)
    assert table.headers == rs.CMO_HEADERS
    assert [r[:2] for r in table.rows] == [
        ["Night work", "PSW 5 interview"],
        ["Night work", "Manager 2 interview"],
        ["Supervision gaps", "Manager 2 interview"],
    ]
    first = table.rows[0]
    assert first[2] == "“the night shift” (Peer support worker 5)"
    assert first[3] == "“Peer support made the difference for me.” (Peer support worker 5)"
    assert first[4] == "" and first[5] == "“felt alone on the night shift” (Peer support worker 5)"
    assert table.rows[2][4] == "“Supervision was rare” (M2)" and table.rows[2][5].startswith("“the gap")
    per_document = rs.cmo_table(store, study.base.documents[1])
    assert per_document.title == "C–M–O configurations: Manager 2 interview"
    assert [r[0] for r in per_document.rows] == ["Night work", "Supervision gaps"]


def test_validation_and_undo(study: AnalysisStudy) -> None:
    store, c = study.store, study.codings
    with pytest.raises(VerbatimError, match="not tagged"):
        rs.add_configuration(store, "X", [c["psw peer"]])
    with pytest.raises(VerbatimError, match="only a mechanism is positive or negative"):
        rs.tag_coding(store, c["psw peer"], "outcome", "negative")
    with pytest.raises(VerbatimError, match="not a realist tag"):
        rs.tag_coding(store, c["psw peer"], "impact")
    with pytest.raises(VerbatimError, match="no coding with id 999"):
        rs.tag_coding(store, 999, "context")
    rs.tag_coding(store, c["psw peer"], "context")
    rs.tag_coding(store, c["psw peer"], "outcome")
    assert rs.tags(store)[c["psw peer"]].role is rs.Role.OUTCOME
    configuration = rs.add_configuration(store, "Peer", [c["psw peer"]])
    rs.untag_coding(store, c["psw peer"])
    assert rs.tags(store) == {} and rs.configurations(store)[0].coding_ids == []
    document_service.undo(store)
    assert rs.configurations(store)[0].coding_ids == [c["psw peer"]]
    rs.delete_configuration(store, configuration)
    assert rs.configurations(store) == []
    document_service.undo(store)
    assert rs.configurations(store)[0].name == "Peer"
    coding_service.remove_coding(store, c["psw peer"])
    assert rs.configurations(store)[0].coding_ids == [] and rs.tags(store) == {}, "cascade with the coding"
