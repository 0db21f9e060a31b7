"""``verbatim codes | code | extracts | search`` through the real CLI entry point on a real study."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop_app.cli import run
from desktop_app.services.coding import coding_service
from desktop_app.services.study import project_service
from tests.fixtures.coding_study import make_coding_study


@pytest.fixture
def study(tmp_path: Path) -> Path:
    built = make_coding_study(tmp_path)
    built.store.close()
    return built.store.path


def _out(capsys: pytest.CaptureFixture[str]) -> str:
    return capsys.readouterr().out


def test_codes_add_list_export(study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["codes", str(study), "add", "Connection", "--grouping", "--color", "#336699"]) == 0
    assert run(["codes", str(study), "add", "Peer support", "--parent", "connection"]) == 0
    assert "Added code 'Peer support'" in _out(capsys)
    assert run(["codes", str(study), "list"]) == 0
    lines = _out(capsys).splitlines()
    assert lines[0].endswith("Connection (grouping)") and lines[1].endswith("  Peer support")
    assert run(["codes", str(study), "list", "--json"]) == 0
    listed = json.loads(_out(capsys))["codes"]
    assert [(c["Code"], c["Parent"], c["Colour"]) for c in listed][0] == ("Connection", "", "#336699")
    assert run(["codes", str(study), "export", "-o", str(tmp_path / "codebook.csv")]) == 0
    with (tmp_path / "codebook.csv").open(encoding="utf-8-sig") as handle:
        assert [r["Path"] for r in csv.DictReader(handle)] == ["Connection", "Connection > Peer support"]


def test_code_by_words_and_by_match_then_extract(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(["codes", str(study), "add", "Isolation"])
    assert run(["code", str(study), "1", "--code", "isolation", "--start-word", "11", "--end-word", "13"]) == 0
    assert "Coded 'I felt alone' with 'Isolation' at 00:00:06" in _out(capsys)
    assert run(["code", str(study), "1", "--code", "Isolation", "--start-word", "9", "--end-word", "10"]) == 0
    assert "'year? Honestly'" in _out(capsys), "a word span may cross turns"
    assert run(["code", str(study), "2", "--code", "Isolation", "--match", "PEER   support", "--coder", "AB"]) == 0
    assert "'peer support'" in _out(capsys)
    with project_service.open_project(study, readonly=True) as store:
        (coding,) = coding_service.codings(store, 2)
    assert coding.coder == "AB" and coding.start_time is not None
    out = tmp_path / "table.xlsx"
    assert run(["extracts", str(study), "--code", "Isolation", "-o", str(out)]) == 0
    assert "Wrote 3 extracts" in _out(capsys)
    sheet = load_workbook(out).active
    assert sheet is not None
    assert [c.value for c in sheet["A"]][1:] == ["year? Honestly", "I felt alone", "peer support"]
    assert [c.value for c in sheet["E"]][1:3] == ["S1", "Peer support worker 5"]


def test_search_text_and_json(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["search", str(study), '"peer support"']) == 0
    lines = _out(capsys).splitlines()
    assert lines[0] == (
        "PSW 5 interview [00:00:15] Maria: [Peer support] made the difference for me. "
        "Café meetings with other workers helped."
    )
    assert lines[-1] == "2 matching turns"
    assert run(["search", str(study), "superv*", "--json", "--limit", "1"]) == 0
    data = json.loads(_out(capsys))
    assert data["total"] == 2 and len(data["hits"]) == 1
    assert data["hits"][0]["document"] == "Manager 2 interview" and data["hits"][0]["matches"] == [[14, 25]]


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["search", "{study}", '"unclosed'], "not closed"),
        (["code", "{study}", "1", "--code", "Nope", "--match", "x"], "has no code named 'Nope'"),
        (["code", "{study}", "1", "--code", "Isolation", "--start-word", "3", "--end-word", "999"], "word indices"),
        (["code", "{study}", "1", "--code", "Isolation", "--match", "not said"], "is not in this document"),
        (["code", "{study}", "1", "--code", "Isolation"], "--start-word and --end-word"),
        (["codes", "{study}", "add"], "needs a NAME"),
        (["codes", "{study}", "export"], "needs -o"),
        (["extracts", "{study}", "--code", "Isolation", "-o", "{tmp}/t.pdf"], "unknown table format"),
    ],
)
def test_errors_are_one_line_and_exit_2(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], problem: str
) -> None:
    run(["codes", str(study), "add", "Isolation"])
    capsys.readouterr()
    assert run([a.format(study=study, tmp=tmp_path) for a in argv]) == 2
    err = capsys.readouterr().err
    assert problem in err and err.count("\n") == 1 and err.startswith("verbatim: error: ")


def test_codes_import_merges_and_export_docx_round_trips(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(["codes", str(study), "add", "Isolation", "--color", "#336699", "--description", "Alone"])
    source = tmp_path / "frame.csv"
    source.write_text(
        "Theme,Sub-theme,Code,Definition,Owner\nisolation,Night shifts,Nobody to call,No one to phone,AB\n"
        ",,Rota,,\nConnection,,Peer support,,\n",
        "utf-8",
    )
    capsys.readouterr()
    assert run(["codes", str(study), "import", str(source)]) == 0
    assert _out(capsys).strip() == (  # Isolation is matched, case aside, not added again
        "Imported frame.csv: 5 new codes, 0 updated, 0 already up to date; ignored columns: Owner "
        "(verbatim undo takes it back)"
    )
    assert run(["codes", str(study), "export", "-o", str(tmp_path / "codebook.docx")]) == 0
    assert "Wrote 6 codes" in _out(capsys)
    copy = tmp_path / "copy.verbatim"
    assert run(["new", str(copy)]) == 0
    assert run(["codes", str(copy), "import", str(tmp_path / "codebook.docx")]) == 0
    assert "6 new codes" in _out(capsys)
    for path in (study, copy):
        assert run(["codes", str(path), "list", "--json"]) == 0
        rows = json.loads(_out(capsys))["codes"]
        listed = [(r["Path"], r["Colour"], r["Description"], r["Codable"]) for r in rows]
        if path == study:
            original = listed
    assert listed == original and listed[0] == ("Isolation", "#336699", "Alone", "yes")
    assert run(["undo", str(copy)]) == 0
    assert run(["codes", str(copy), "list"]) == 0
    assert "No codes yet" in _out(capsys), "the whole import is one undo step"


def test_codes_import_errors_are_one_line(study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Code,Colour\nFine,#00ff00\nBroken,greenish\n", "utf-8")
    for argv, problem in (
        (["codes", str(study), "import", str(bad)], f"{bad}: row 3: the colour 'greenish' is not written like"),
        (["codes", str(study), "import"], "codes import needs a FILE"),
        (["codes", str(study), "export", "-o", str(tmp_path / "c.pdf")], "is not a codebook format"),
    ):
        assert run(argv) == 2
        err = capsys.readouterr().err
        assert problem in err and err.count("\n") == 1
    assert run(["codes", str(study), "list"]) == 0
    assert "No codes yet" in _out(capsys), "a bad row writes nothing"


@pytest.fixture
def study_with_groups(study: Path) -> Path:
    """PSW 5 (peer support worker, 41) speaks in document 1, Manager 2 (manager, 52) in document 2;
    'Isolation' codes the interviewer (no participant), PSW 5 and Manager 2."""
    from desktop_app.core.coding import AttributeType
    from desktop_app.services.participants import participant_service
    from tests.fixtures.coding_study import link_participant

    with project_service.open_project(study) as store:
        participant_service.add_attribute(store, "group", AttributeType.CATEGORY, ["Manager", "Peer support worker"])
        participant_service.add_attribute(store, "age", AttributeType.INTEGER)
        participant_service.add_attribute(store, "site", AttributeType.TEXT)
        participant_service.set_value(store, "Peer support worker 5", "group", "peer support worker")
        participant_service.set_value(store, "Peer support worker 5", "age", "41")
        link_participant(store, 2, "S2", "Manager 2")
        participant_service.set_value(store, "Manager 2", "group", "Manager")
        participant_service.set_value(store, "Manager 2", "age", "52")
        participant_service.set_value(store, "Manager 2", "site", "Lund")
    run(["codes", str(study), "add", "Isolation"])
    run(["code", str(study), "1", "--code", "Isolation", "--match", "night shifts feel"])
    run(["code", str(study), "1", "--code", "Isolation", "--match", "I felt alone"])
    run(["code", str(study), "2", "--code", "Isolation", "--match", "peer support filled the gap"])
    return study


@pytest.mark.parametrize(
    ("attrs", "extracts"),
    [
        ([], ["night shifts feel", "I felt alone", "peer support filled the gap"]),
        (["group=manager"], ["peer support filled the gap"]),
        (["Group=Peer support worker", "age=041"], ["I felt alone"]),
        (["group=manager", "group=peer support worker"], ["I felt alone", "peer support filled the gap"]),
        (["group=manager", "age=41"], []),
    ],
)
def test_extracts_filtered_by_participant_attributes(
    study_with_groups: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], attrs: list[str], extracts: list[str]
) -> None:
    out = tmp_path / "t.csv"
    argv = ["extracts", str(study_with_groups), "--code", "Isolation", "-o", str(out)]
    capsys.readouterr()
    assert run([*argv, *(a for attr in attrs for a in ("--attr", attr))]) == 0
    said = _out(capsys)
    assert said.startswith(f"Wrote {len(extracts)} extracts")
    assert ("spoken by participants with group = " in said) == bool(attrs)
    with out.open(encoding="utf-8-sig") as handle:
        assert [r["Data extract"] for r in csv.DictReader(handle)] == extracts


@pytest.mark.parametrize(
    ("attr", "problem"),
    [
        ("grop=manager", "has no attribute named 'grop' (attributes: group, age, site)"),
        ("group=nurse", "'nurse' is not one of the choices (Manager, Peer support worker)"),
        ("age=99", "no participant has age = '99' (values of age: 41, 52)"),
        ("age=old", "cannot filter by age: 'old' is not a whole number (values: 41, 52)"),
        ("site=Malmo", "no participant has site = 'Malmo' (values of site: Lund)"),
        ("group", "--attr 'group': write ATTRIBUTE=VALUE"),
    ],
)
def test_extracts_attribute_filter_errors_list_what_is_known(
    study_with_groups: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], attr: str, problem: str
) -> None:
    capsys.readouterr()
    argv = ["extracts", str(study_with_groups), "--code", "Isolation", "--attr", attr, "-o", str(tmp_path / "t.csv")]
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert problem in err and err.count("\n") == 1
    assert not (tmp_path / "t.csv").exists()
