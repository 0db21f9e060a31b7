"""DOCX layout details: right-to-left turns and the style Word draws line numbers in."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from desktop_app.formats import formats
from desktop_app.formats.docx_writer import is_right_to_left
from desktop_app.formats.transcript_bundle import ExportOptions
from tests.unit.formats.transcript_samples import hostile_bundle, interview_bundle


def right_to_left(paragraph: object) -> bool:
    p_pr = paragraph._p.pPr  # type: ignore[attr-defined]
    return p_pr is not None and p_pr.find(qn("w:bidi")) is not None


def test_turn_direction_follows_its_first_strong_letter() -> None:
    assert is_right_to_left("שלום, מה שלומך?", "en")
    assert is_right_to_left("«مرحبا» hello", "en")
    assert not is_right_to_left("Hello שלום", "he")
    assert is_right_to_left("123 …", "he") and not is_right_to_left("123 …", "en")
    assert not is_right_to_left("", None)


def test_hebrew_and_arabic_turns_get_right_to_left_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "h.docx"
    formats.write("docx", hostile_bundle(), path, ExportOptions(title_block=False))
    paragraphs = Document(str(path)).paragraphs
    directions = [right_to_left(p) for p in paragraphs]
    assert directions == [False, False, True, True, False, False, False]
    properties = paragraphs[2]._p.pPr
    assert properties is not None
    bidi, spacing = properties.find(qn("w:bidi")), properties.find(qn("w:spacing"))
    assert list(properties).index(bidi) < list(properties).index(spacing)  # schema order


def test_line_numbers_are_small_grey_in_the_body_font(tmp_path: Path) -> None:
    path = tmp_path / "t.docx"
    formats.write("docx", interview_bundle(), path, ExportOptions(line_numbers=True))
    styles = Document(str(path)).styles
    style = styles.element.get_by_id("LineNumber")
    assert style is not None and style.name_val == "line number"
    assert style.get(qn("w:customStyle")) is None  # Word's built-in style, not a look-alike
    rpr = style.find(qn("w:rPr"))
    assert rpr.find(qn("w:sz")).get(qn("w:val")) == "16"
    assert rpr.find(qn("w:color")).get(qn("w:val")) == "707070"
    plain = tmp_path / "p.docx"
    formats.write("docx", interview_bundle(), plain, ExportOptions())
    assert Document(str(plain)).styles.element.get_by_id("LineNumber") is None
