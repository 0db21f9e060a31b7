"""``verbatim participants | attributes | stats | kappa | report`` through the real CLI entry point."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from docx import Document

from desktop_app.cli import run
from tests.fixtures.analysis_study import code_text, make_analysis_study


@pytest.fixture
def study(tmp_path: Path) -> Path:
    built = make_analysis_study(tmp_path)
    psw = built.base.documents[0]
    code_text(built.base, psw, 1, "felt alone on the night shift", built.codes["Isolation"], coder="AB")
    code_text(built.base, psw, 1, "alone on the night shift", built.codes["Isolation"], coder="CD")
    built.store.close()
    return built.store.path


def _out(capsys: pytest.CaptureFixture[str]) -> str:
    return capsys.readouterr().out


def test_attributes_and_participants(study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["attributes", str(study), "add", "site", "--type", "category", "--choices", "North,South"]) == 0
    assert run(["attributes", str(study), "add", "shifts", "--type", "yes/no"]) == 0
    assert "Added attribute 'shifts' (boolean)" in _out(capsys)
    assert run(["attributes", str(study), "list", "--json"]) == 0
    listed = {a["name"]: a for a in json.loads(_out(capsys))["attributes"]}
    assert listed["site"] == {"name": "site", "type": "category", "choices": ["North", "South"]}
    assert listed["shifts"]["type"] == "boolean"
    assert run(["participants", str(study), "add", "P07"]) == 0
    assert run(["participants", str(study), "set", "P07", "site", "north"]) == 0
    assert "P07: site = North" in _out(capsys)
    assert run(["participants", str(study), "set", "P07", "site", "East"]) == 2
    assert "'East' is not one of the choices (North, South)" in capsys.readouterr().err
    people = tmp_path / "people.csv"
    people.write_text("label,site,years\nP08,South,3\nP07,,4\n", encoding="utf-8")
    assert run(["participants", str(study), "import", str(people)]) == 0
    assert "Imported 1 new and 1 updated participants, 3 values; new attributes: years" in _out(capsys)
    assert run(["participants", str(study), "template", "{group} {number}"]) == 0
    assert run(["participants", str(study), "list", "--json"]) == 0
    found = {p["label"]: p for p in json.loads(_out(capsys))["participants"]}
    assert found["P07"]["values"] == {"site": "North", "years": "4"}
    assert found["M2"]["quote_label"] == "Manager 2"
    bad = tmp_path / "bad.csv"
    bad.write_text("label,years\nP09,many\n", encoding="utf-8")
    assert run(["participants", str(study), "import", str(bad)]) == 2
    assert "bad.csv: row 2, column 'years': 'many' is not a whole number" in capsys.readouterr().err


def test_stats_and_kappa(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["stats", str(study), "--by", "group", "--json"]) == 0
    data = json.loads(_out(capsys))
    assert data["frequencies"]["columns"] == ["Peer support worker", "Manager"]
    rows = {r["code"]: r for r in data["frequencies"]["rows"]}
    assert rows["Isolation"]["codings"] == [3, 1]
    assert data["cooccurrence"]["codes"][:2] == ["Isolation", "Night shifts"]
    assert run(["stats", str(study)]) == 0
    assert "Codings by document" in _out(capsys)
    assert run(["kappa", str(study), "--coders", "AB", "CD", "--json"]) == 0
    (isolation,) = json.loads(_out(capsys))["codes"]
    assert isolation["both"] == len("alone on the night shift") and isolation["only_a"] == len("felt ")
    assert run(["kappa", str(study), "--coders", "AB", "CD"]) == 0
    assert "Isolation" in _out(capsys)


def test_reports(study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["participants", str(study), "template", "{group} {number}"]) == 0
    assert run(["report", str(study), "quotes", "-o", str(tmp_path / "q.docx")]) == 0
    texts = [p.text for p in Document(str(tmp_path / "q.docx")).paragraphs]
    assert "“Supervision was rare” — Manager 2" in texts
    assert run(["report", str(study), "member-check", "--quotes", "1", "-o", str(tmp_path / "m.docx")]) == 0
    assert "with 2 quotes" in _out(capsys)
    assert run(["report", str(study), "table2", "--by", "group", "-o", str(tmp_path / "t2.csv")]) == 0
    with (tmp_path / "t2.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][1] == "Peer support worker (n = 1)" and rows[1] == ["Participants, n", "1", "1", "2"]
    assert run(["report", str(study), "table2", "-o", str(tmp_path / "t2.csv")]) == 2
    assert run(["report", str(study), "cmo", "-o", str(tmp_path / "cmo.xlsx")]) == 0
