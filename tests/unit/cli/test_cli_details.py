"""``verbatim details``: an interview's interviewer, date, setting and format, set from the CLI, kept in
the study (undoable), and printed in the DOCX export's header."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document

from desktop_app.cli import run
from tests.fixtures.coding_study import make_coding_study


@pytest.fixture
def study(tmp_path: Path) -> Path:
    built = make_coding_study(tmp_path)
    built.store.close()
    return built.store.path


def _details(study: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    capsys.readouterr()
    assert run(["details", str(study), "1", "--json"]) == 0
    return dict(json.loads(capsys.readouterr().out))


def test_set_show_and_undo_details(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _details(study, capsys)
    assert {k: before[k] for k in ("interviewer", "date", "setting", "format")} == dict.fromkeys(
        ("interviewer", "date", "setting", "format")
    )
    argv = ["details", str(study), "1", "--interviewer", " A. Berg ", "--date", "2024-03-05"]
    assert run([*argv, "--setting", "participant's home", "--format", "in person"]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert shown[1:] == [
        "  Interviewer:  A. Berg",
        "  Date:         2024-03-05",
        "  Setting:      participant's home",
        "  Format:       in person",
    ]
    assert run(["details", str(study), "1", "--setting", ""]) == 0  # empty clears one; the others stay
    after = _details(study, capsys)
    assert (after["interviewer"], after["setting"], after["format"]) == ("A. Berg", None, "in person")
    assert run(["undo", str(study)]) == 0
    assert "Undid: Edit interview details" in capsys.readouterr().out
    assert _details(study, capsys)["setting"] == "participant's home"


def test_a_bad_date_or_document_is_one_line(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run(["details", str(study), "1", "--date", "5/3/2024"]) == 2
    assert capsys.readouterr().err == "verbatim: error: " + f"{study}: '5/3/2024' is not a date written YYYY-MM-DD\n"
    assert run(["details", str(study), "99"]) == 2
    assert "has no document with id 99" in capsys.readouterr().err
    assert _details(study, capsys)["date"] is None  # nothing written by the failed command


def test_the_docx_header_shows_the_details(study: Path, tmp_path: Path) -> None:
    argv = ["details", str(study), "1", "--interviewer", "A. Berg", "--date", "2024-03-05"]
    assert run([*argv, "--setting", "ward office", "--format", "video call"]) == 0
    out = tmp_path / "interview.docx"
    assert run(["export", str(study), "1", "-f", "docx", "-o", str(out)]) == 0
    cells = [[cell.text for cell in row.cells] for table in Document(str(out)).tables for row in table.rows]
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    found = {tuple(row[:2]) for row in cells} | {tuple(line.split(": ", 1)) for line in text.splitlines()}
    for row in (
        ("Recorded", "2024-03-05"),
        ("Interviewer", "A. Berg"),
        ("Setting", "ward office"),
        ("Format", "video call"),
    ):
        assert row in found, (row, cells, text)
