"""``verbatim codes | code | extracts | search`` through the real CLI entry point on a real study."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop_app.cli import run
from desktop_app.services import coding_service, project_service
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
