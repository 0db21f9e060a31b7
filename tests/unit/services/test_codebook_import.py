"""Codebook import from CSV, XLSX and DOCX: our own exports round-trip, hand-made codebooks (columns in
any order, nested Word headings, Word tables with merged cells) become the right tree, merging updates
codes with the same path, one undo takes an import back, and bad files name the file and the row."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.shared import Pt

from desktop_app.core.coding import TextPosition
from desktop_app.core.errors import VerbatimError
from desktop_app.services.coding import codebook_service, coding_service
from desktop_app.services.coding.codebook_import import import_codebook
from desktop_app.services.study import document_service, project_service
from desktop_app.storage.project_store import ProjectStore
from tests.fixtures.coding_study import make_coding_study

Tree = list[tuple[str, str, str, str]]  # path, colour, description, codable


def tree(store: ProjectStore) -> Tree:
    return [
        (str(r["Path"]), str(r["Colour"]), str(r["Description"]), str(r["Codable"]))
        for r in codebook_service.codebook_rows(store)
    ]


def paths(store: ProjectStore) -> list[str]:
    return [t[0] for t in tree(store)]


@pytest.fixture
def store(tmp_path: Path) -> ProjectStore:
    return project_service.create_project(tmp_path / "target.verbatim")


def _source_study(tmp_path: Path) -> ProjectStore:
    """A coded study whose codebook has groupings, odd colours, multi-line and quoted descriptions."""
    tmp_path.mkdir()
    built = make_coding_study(tmp_path)
    store = built.store
    theme = coding_service.add_code(
        store, "Isolation", color="#336699", description='Feeling "cut off", alone\nat night'
    )
    coding_service.update_code(store, theme, codable=False)
    night = coding_service.add_code(store, "Night shifts", theme, "#E6194B", "Working 22:00–07:00; rota; nights")
    nobody = coding_service.add_code(store, "Nobody to call", night)
    coding_service.add_code(store, "Connection", description="Being with others")
    coding_service.add_code(store, "Café meetings 😀", coding_service.find_code(store, "Connection").id, "#abc")
    first = built.segment(built.documents[0], 1)
    coding_service.apply_code(store, built.documents[0], nobody, TextPosition(first, 11), TextPosition(first, 21))
    return store


@pytest.mark.parametrize("suffix", [".csv", ".docx"])
def test_export_then_import_into_a_new_study_gives_the_same_codebook(
    tmp_path: Path, store: ProjectStore, suffix: str
) -> None:
    source = _source_study(tmp_path / "source")
    exported = tmp_path / f"codebook{suffix}"
    assert codebook_service.export_codebook(source, exported) == 5
    summary = import_codebook(store, exported)
    assert (summary.added, summary.updated, summary.unchanged, summary.ignored_columns) == (5, 0, 0, [])
    assert tree(store) == tree(source)
    assert tree(store)[0] == ("Isolation", "#336699", 'Feeling "cut off", alone\nat night', "no")
    again = import_codebook(store, exported)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 5), "a second import changes nothing"
    assert len(coding_service.codes(store)) == 5


def test_hand_made_csv_with_columns_in_another_order(tmp_path: Path, store: ProjectStore) -> None:
    source = tmp_path / "codebook.csv"
    source.write_bytes(  # Excel on Windows: semicolons, cp1252 (the curly quotes), a title row above the header
        (
            "Codebook v3 (draft)\n"
            "\n"
            "Definition;Code;Sub-theme;THEME;Colour (hex);Example quote;Owner\n"
            "Alone at work;;;Isolation;#aa0000;;AB\n"
            "Shifts at night;;Night shifts;;;;AB\n"
            "No one to phone;Nobody to call;;;;“nobody to call”;CD\n"
            ";Rota;;;;;\n"
            "Support from peers;Peer support;;Connection;3cb44b;;\n"
        ).encode("cp1252")
    )
    summary = import_codebook(store, source)
    assert summary.added == 6 and summary.ignored_columns == ["Owner"]
    assert [(p, d) for p, _c, d, _k in tree(store)] == [
        ("Isolation", "Alone at work"),
        ("Isolation > Night shifts", "Shifts at night"),
        ("Isolation > Night shifts > Nobody to call", "No one to phone\nExample quote: “nobody to call”"),
        ("Isolation > Night shifts > Rota", ""),
        ("Connection", ""),
        ("Connection > Peer support", "Support from peers"),
    ]
    colours = [c for _p, c, _d, _k in tree(store)]
    assert colours[0] == "#aa0000" and colours[-1] == "#3cb44b"
    assert set(colours[1:5]) <= set(coding_service.DEFAULT_COLORS), "codes without a colour get the usual ones"


def test_code_and_parent_columns_in_any_row_order(tmp_path: Path, store: ProjectStore) -> None:
    coding_service.add_code(store, "Workload")
    source = tmp_path / "flat.csv"
    source.write_text(
        "Code,Parent,Description\nNobody to call,Night shifts,\nNight shifts,Isolation,\n"
        "Isolation,,Alone\nOvertime,workload,\n",
        "utf-8",
    )
    import_codebook(store, source)
    assert paths(store) == [
        "Workload",
        "Workload > Overtime",
        "Isolation",
        "Isolation > Night shifts",
        "Isolation > Night shifts > Nobody to call",
    ]


def _heading_codebook(path: Path) -> None:
    document = docx.Document()
    document.add_heading("Coding frame, version 2", 1)
    document.add_paragraph("How to use this frame: code whole sentences.")
    coders = document.add_table(rows=2, cols=2)  # a table of coders is not the codebook
    coders.cell(0, 0).text, coders.cell(0, 1).text = "Name", "Email"
    coders.cell(1, 0).text, coders.cell(1, 1).text = "A. Berg", "ab@example.org"
    document.add_heading("1. Isolation", 2)
    document.add_paragraph("Being or feeling alone at work.")
    document.add_paragraph("Includes remote sites.")
    document.add_heading("1.1 Night shifts", 3)
    document.add_heading("Nobody to call", 4)
    document.add_paragraph("No one to phone for advice.", style="List Bullet")
    document.add_heading("24 hour cover", 4)
    document.add_heading("2. Connection", 2)
    document.add_paragraph("Peer support, supervision.")
    document.save(str(path))


def test_word_codebook_with_nested_headings(tmp_path: Path, store: ProjectStore) -> None:
    source = tmp_path / "frame.docx"
    _heading_codebook(source)
    import_codebook(store, source)
    assert [(p, d) for p, _c, d, _k in tree(store)] == [
        ("Isolation", "Being or feeling alone at work.\nIncludes remote sites."),
        ("Isolation > Night shifts", ""),
        ("Isolation > Night shifts > Nobody to call", "No one to phone for advice."),
        ("Isolation > Night shifts > 24 hour cover", ""),
        ("Connection", "Peer support, supervision."),
    ]


def test_word_codebook_tables_with_merged_cells_and_a_table_per_theme(tmp_path: Path, store: ProjectStore) -> None:
    document = docx.Document()
    document.add_heading("Codebook", 0)
    document.add_heading("Isolation", 1)
    document.add_paragraph("Feeling alone.")
    table = document.add_table(rows=4, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Sub-theme", "Code", "Definition"), strict=True):
        cell.text = text
    table.cell(1, 0).merge(table.cell(2, 0)).text = "Night shifts"  # one sub-theme beside two codes
    table.cell(1, 1).text, table.cell(1, 2).text = "Nobody to call", "No one to phone"
    table.cell(2, 1).text = "Rota"
    merged = table.cell(3, 0).merge(table.cell(3, 2))  # a row across the table: a section
    merged.text = "Remote sites"
    document.add_heading("Connection", 1)
    second = document.add_table(rows=2, cols=2)
    second.cell(0, 0).text, second.cell(0, 1).text = "Code", "Description"
    second.cell(1, 0).text, second.cell(1, 1).text = "Peer support", "Help from peers"
    for run in second.cell(1, 1).paragraphs[0].runs:
        run.font.size = Pt(9)
    source = tmp_path / "tables.docx"
    document.save(str(source))
    import_codebook(store, source)
    assert [(p, d) for p, _c, d, _k in tree(store)] == [
        ("Isolation", "Feeling alone."),
        ("Isolation > Night shifts", ""),
        ("Isolation > Night shifts > Nobody to call", "No one to phone"),
        ("Isolation > Night shifts > Rota", ""),
        ("Isolation > Remote sites", ""),
        ("Connection", ""),
        ("Connection > Peer support", "Help from peers"),
    ]


def test_merge_updates_codes_with_the_same_path_and_one_undo_takes_it_back(tmp_path: Path, store: ProjectStore) -> None:
    theme = coding_service.add_code(store, "Isolation", color="#111111", description="old")
    night = coding_service.add_code(store, "Night shifts", theme, "#222222", "keep me")
    before = tree(store)
    history = len(store.journal.history())
    source = tmp_path / "update.csv"
    source.write_text(
        "Path,Colour,Description,Codable\n"
        "isolation,#333333,new words,no\n"
        "ISOLATION > night shifts,,,\n"
        "Isolation > Night shifts > Nobody to call,,,\n"
        "Connection > Peer support,#444444,,\n",
        "utf-8",
    )
    summary = import_codebook(store, source)
    assert (summary.added, summary.updated, summary.unchanged) == (3, 1, 1)
    assert tree(store)[:2] == [
        ("Isolation", "#333333", "new words", "no"),
        ("Isolation > Night shifts", "#222222", "keep me", "yes"),  # empty cells keep what the study has
    ]
    assert [c.id for c in coding_service.codes(store)][:2] == [theme, night], "updated in place, not duplicated"
    assert len(store.journal.history()) == history + 1
    assert store.journal.history()[0].label == "Import codebook update.csv"
    document_service.undo(store)
    assert tree(store) == before
    document_service.redo(store)
    assert len(coding_service.codes(store)) == 5


def test_xlsx_codebook(tmp_path: Path, store: ProjectStore) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Theme", "Code", "Description"])
    sheet.append(["Isolation", "Nobody to call", "No one to phone"])
    sheet.append([None, "Rota", None])
    book.save(tmp_path / "codes.xlsx")
    import_codebook(store, tmp_path / "codes.xlsx")
    assert paths(store) == ["Isolation", "Isolation > Nobody to call", "Isolation > Rota"]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("bad.csv", "Path,Colour\nIsolation,#12345\n", "bad.csv: row 2: the colour '#12345' is not written like"),
        ("bad.csv", "Theme,Code,Codable\nA,B,yes\nA,C,maybe\n", "bad.csv: row 3: codable must be yes or no"),
        ("bad.csv", "Theme;Code;Description\nA;B;x\n;;only a description\n", "bad.csv: row 3: no code name"),
        ("bad.csv", "Code,Notes\n", None),
        ("bad.csv", "Owner,Notes\nAB,x\n", "bad.csv: row 1: no column names the codes"),
        ("bad.csv", "", "bad.csv: row 1: no column names the codes"),
        ("bad.csv", "Code,Parent\nA,Missing\n", "bad.csv: row 2: the parent 'Missing' is neither in the file"),
        ("bad.csv", "Code\n" + "x" * 250 + "\n", "bad.csv: row 2: a code name of 250 characters is too long"),
        ("bad.docx", "just text, not Word", "bad.docx: is not a Word document"),
        ("old.doc.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "is an old Word .doc file"),
        ("codes.pdf", "x", "codes.pdf: is not a codebook file"),
        ("missing.csv", None, "missing.csv: cannot be read"),
    ],
)
def test_bad_files_name_the_file_and_row_and_change_nothing(
    tmp_path: Path, store: ProjectStore, name: str, content: str | bytes | None, problem: str | None
) -> None:
    coding_service.add_code(store, "Existing")
    before, history = tree(store), store.journal.history()
    source = tmp_path / name
    if isinstance(content, bytes):
        source.write_bytes(content)
    elif content is not None:
        source.write_text(content, "utf-8")
    with pytest.raises(VerbatimError) as raised:
        import_codebook(store, source)
    message = str(raised.value)
    assert message.startswith(str(source)) and "\n" not in message
    assert problem is None and "holds no codes" in message or problem is not None and problem in message
    assert tree(store) == before and store.journal.history() == history


def test_word_document_without_a_codebook(tmp_path: Path, store: ProjectStore) -> None:
    document = docx.Document()
    document.add_paragraph("Minutes of the team meeting.")
    document.add_table(rows=1, cols=2).cell(0, 0).text = "Owner"
    document.save(str(tmp_path / "minutes.docx"))
    with pytest.raises(VerbatimError, match=r"minutes.docx: has no codebook: expected a table"):
        import_codebook(store, tmp_path / "minutes.docx")


def test_bad_row_in_a_word_table_names_table_and_row(tmp_path: Path, store: ProjectStore) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Code", "Colour"
    table.cell(1, 0).text, table.cell(1, 1).text = "Fine", "#00ff00"
    table.cell(2, 0).text, table.cell(2, 1).text = "Broken", "green-ish"
    document.save(str(tmp_path / "t.docx"))
    with pytest.raises(VerbatimError, match=r"t.docx: table 1, row 3: the colour 'green-ish'"):
        import_codebook(store, tmp_path / "t.docx")


def test_read_only_study_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ro.verbatim"
    project_service.create_project(path).close()
    (tmp_path / "c.csv").write_text("Code\nA\n", "utf-8")
    with project_service.open_project(path, readonly=True) as store, pytest.raises(VerbatimError, match="read-only"):
        import_codebook(store, tmp_path / "c.csv")
