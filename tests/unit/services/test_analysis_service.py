"""Code queries, filters, frequencies, co-occurrence, Table 2 and speaking time on a real study."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.coding import TextPosition
from desktop_app.core.errors import VerbatimError
from desktop_app.services.analysis import analysis_service as an
from desktop_app.services.analysis.analysis_tables import speaking_time, table2
from desktop_app.services.coding import coding_service
from desktop_app.services.participants import participant_service
from tests.fixtures.analysis_study import AnalysisStudy, make_analysis_study
from tests.fixtures.coding_study import INTERVIEW_1


@pytest.fixture
def study(tmp_path: Path) -> AnalysisStudy:
    return make_analysis_study(tmp_path)


def _texts(extracts: list[an.AnalysisExtract]) -> list[str]:
    return [e.text for e in extracts]


def test_and_or_not_at_extract_level(study: AnalysisStudy) -> None:
    store, c = study.store, study.codes
    both = an.retrieve(store, an.CodeQuery(any_of=[c["Peer support"]], all_of=[c["Isolation"]], include_subcodes=False))
    assert _texts(both) == ["peer support filled the gap"], "only the extract that overlaps Isolation"
    assert both[0].participant == "M2" and both[0].document_title == "Manager 2 interview"
    without = an.retrieve(store, an.CodeQuery(any_of=[c["Peer support"]], none_of=[c["Isolation"]]))
    assert _texts(without) == ["Peer support made the difference for me."]
    either = an.retrieve(store, an.CodeQuery(any_of=[c["Supervision"], c["Night shifts"]]))
    assert _texts(either) == [
        "the night shift",
        "Supervision was rare",
        "The night-shift rota was the hardest part.",
    ]
    theme = an.retrieve(store, an.CodeQuery(all_of=[c["Isolation"], c["Night shifts"]], include_subcodes=False))
    assert _texts(theme) == ["felt alone on the night shift"], "AND without OR: first code's extracts"
    with_sub = an.retrieve(store, an.CodeQuery(any_of=[c["Isolation"]]))
    assert len(with_sub) == 4, "a theme's query includes its sub-codes' extracts"
    with pytest.raises(VerbatimError, match="at least one code"):
        an.retrieve(store, an.CodeQuery(none_of=[c["Isolation"]]))


def test_overlap_across_turns(study: AnalysisStudy) -> None:
    base, c = study.base, study.codes
    psw = base.documents[0]
    question, answer = base.segment(psw, 0), base.segment(psw, 1)
    across = coding_service.apply_code(
        study.store, psw, c["Supervision"], TextPosition(question, 30), TextPosition(answer, 5)
    )
    found = an.query_spans(study.store, an.CodeQuery(any_of=[c["Supervision"]], all_of=[c["Isolation"]]))
    assert [s.coding_id for s in found] == [], "ends before 'felt alone' starts (offset 11)"
    coding_service.remove_coding(study.store, across)
    coding_service.apply_code(study.store, psw, c["Supervision"], TextPosition(question, 30), TextPosition(answer, 12))
    found = an.query_spans(study.store, an.CodeQuery(any_of=[c["Supervision"]], all_of=[c["Isolation"]]))
    assert len(found) == 1 and found[0].start[0] < found[0].end[0]


def test_filters_by_attribute_and_document(study: AnalysisStudy) -> None:
    store, c = study.store, study.codes
    query = an.CodeQuery(any_of=[c["Support"]])
    managers = an.retrieve(store, query, an.ExtractFilter(attributes=[("Group", "manager")]))
    assert _texts(managers) == ["Supervision was rare", "peer support filled the gap"]
    assert {e.speaker for e in managers} == {"S2"}
    workers = an.retrieve(store, query, an.ExtractFilter(attributes=[("group", "Peer support worker")]))
    assert [(e.text, e.speaker, e.participant) for e in workers] == [
        ("Peer support made the difference for me.", "Maria", "Peer support worker 5")
    ]
    both = an.ExtractFilter(attributes=[("group", "Manager"), ("group", "Peer support worker")])
    assert len(an.retrieve(store, query, both)) == 3
    older = an.ExtractFilter(attributes=[("group", "Manager"), ("age", "29")])
    assert an.retrieve(store, query, older) == []
    first_doc = an.ExtractFilter(document_ids=[study.base.documents[0]])
    assert _texts(an.retrieve(store, query, first_doc)) == ["Peer support made the difference for me."]
    with pytest.raises(VerbatimError, match="cannot filter by age: 'old' is not a whole number"):
        an.retrieve(store, query, an.ExtractFilter(attributes=[("age", "old")]))


def test_frequencies_by_document_and_group(study: AnalysisStudy) -> None:
    store = study.store
    by_doc = an.frequencies(store)
    assert by_doc.columns == ["PSW 5 interview", "Manager 2 interview"]
    rows = {r.code.name: r for r in by_doc.rows}
    assert list(rows) == ["Isolation", "Night shifts", "Support", "Peer support", "Supervision"]
    assert rows["Peer support"].codings == [1, 1] and rows["Supervision"].codings == [0, 1]
    assert rows["Support"].total == 0
    by_group = an.frequencies(store, by="group")
    assert by_group.columns == ["Peer support worker", "Manager"]
    groups = {r.code.name: r for r in by_group.rows}
    assert groups["Isolation"].codings == [1, 1] and groups["Isolation"].cases == [1, 1]
    assert groups["Night shifts"].codings == [1, 1]


def test_cooccurrence_matrix_and_cell_extracts(study: AnalysisStudy) -> None:
    store, c = study.store, study.codes
    matrix = an.cooccurrence(store)
    names = [code.name for code in matrix.codes]
    assert names == ["Isolation", "Night shifts", "Peer support", "Supervision"], "unused codes are left out"
    cell = {(a, b): matrix.counts[i][j] for i, a in enumerate(names) for j, b in enumerate(names)}
    assert cell["Isolation", "Isolation"] == 2 and cell["Night shifts", "Night shifts"] == 2
    assert cell["Isolation", "Night shifts"] == cell["Night shifts", "Isolation"] == 1
    assert cell["Isolation", "Peer support"] == 1 and cell["Peer support", "Supervision"] == 0
    extracts = an.cooccurring_extracts(store, c["Isolation"], c["Peer support"])
    assert _texts(extracts) == ["peer support filled the gap", "the gap when managers didn't."]
    chosen = an.cooccurrence(store, [c["Support"], c["Supervision"]])
    assert [code.name for code in chosen.codes] == ["Support", "Supervision"] and chosen.counts == [[0, 0], [0, 1]]


def test_table2_groups_by_attribute(study: AnalysisStudy) -> None:
    store = study.store
    participant_service.add_participant(store, "P07")
    participant_service.set_value(store, "P07", "group", "Peer support worker")
    participant_service.set_value(store, "P07", "age", "34")
    participant_service.add_attribute(store, "night shifts", participant_service.parse_type(store, "yes/no"))
    participant_service.set_value(store, "P07", "night shifts", "yes")
    table = table2(store, "group")
    assert table.headers == [
        "Characteristic",
        "Peer support worker (n = 2)",
        "Manager (n = 1)",
        "Total (n = 3)",
    ]
    rows = {r[0]: r[1:] for r in table.rows}
    assert rows["Participants, n"] == ["2", "1", "3"]
    assert rows["age, mean (range)"] == ["31.5 (29–34)", "52.0 (52–52)", "38.3 (29–52)"]
    assert rows["    yes"] == ["1 (50%)", "0 (0%)", "1 (33%)"]
    assert rows["    (not set)"] == ["1", "1", "2"]


def test_speaking_time_adds_up_per_participant(study: AnalysisStudy) -> None:
    rows = {r.name: r for r in speaking_time(study.store)}
    worker = rows["Peer support worker 5"]
    assert worker.is_participant and worker.turns == 2 and worker.documents == 1
    said = [text for speaker, text in INTERVIEW_1 if speaker == "S2"]
    assert worker.words == sum(len(t.split()) for t in said) == 24
    assert worker.seconds == pytest.approx(sum(len(t.split()) * 0.5 - 0.1 for t in said))
    assert not rows["PSW 5 interview: S1"].is_participant
