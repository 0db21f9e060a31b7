"""Word transcripts (``.docx``, python-docx) laid out the way qualitative researchers share them.

A title block (document title, recorded date, duration, participants, speakers, language, model),
then one paragraph per speaker turn: optional ``[hh:mm:ss]`` timestamp in grey, the speaker's name
in bold, the words. Optional line numbers use Word's own section setting (``w:lnNumType``), so
they renumber as the text is edited, restarting on each page or running on; the title block is
left out of the count. The footer carries "Page N of M" as PAGE/NUMPAGES fields.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from desktop_app.core.timecode import format_hms
from desktop_app.formats.text_writers import NO_SPEECH_NOTE, document_title, title_block
from desktop_app.formats.transcript_bundle import (
    ExportOptions,
    TranscriptBundle,
    Turn,
    atomic_output,
    xml_safe,
)

GREY = RGBColor(0x70, 0x70, 0x70)
BODY_FONT = "Calibri"
# Languages written right to left, for turns whose text has no letters to tell by.
RTL_LANGUAGES = frozenset({"ar", "he", "iw", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"})
LINE_NUMBER_DISTANCE = "360"  # twips between line numbers and text (0.25 inch)

# Elements that must follow the one we insert, in schema order (WordprocessingML CT_SectPr and
# CT_PPrBase are sequences: a misplaced element makes Word refuse the file).
_SECT_PR_TAIL = (
    "pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid printerSettings sectPrChange"
)
_P_PR_TAIL = (
    "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
    "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
)
AFTER_LN_NUM_TYPE = tuple(f"w:{name}" for name in _SECT_PR_TAIL.split())
AFTER_SUPPRESS_LINE_NUMBERS = tuple(f"w:{name}" for name in _P_PR_TAIL.split())
AFTER_P_BDR = AFTER_SUPPRESS_LINE_NUMBERS[1:]
AFTER_BIDI = AFTER_SUPPRESS_LINE_NUMBERS[AFTER_SUPPRESS_LINE_NUMBERS.index("w:bidi") + 1 :]


def build_docx(bundle: TranscriptBundle, options: ExportOptions) -> DocxDocument:
    document = Document()
    _set_up_page(document, bundle)
    if options.title_block:
        _add_title_block(document, bundle, options)
    for turn in bundle.turns():
        _add_turn(document, bundle, turn, options)
    if not bundle.transcript.segments:
        document.add_paragraph(NO_SPEECH_NOTE)
    if options.line_numbers:
        _number_lines(document, options)
        _style_line_numbers(document)
    _add_page_numbers(document)
    return document


def set_landscape(document: DocxDocument, margin_cm: float) -> None:
    """Turn the first section to landscape with ``margin_cm`` on every side (wide tables: extracts,
    codebooks, report tables)."""
    from docx.enum.section import WD_ORIENT

    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(margin_cm)


def _set_up_page(document: DocxDocument, bundle: TranscriptBundle) -> None:
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.2)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(11)
    document.core_properties.title = xml_safe(document_title(bundle))
    document.core_properties.author = "Verbatim"
    if bundle.language:
        document.core_properties.language = bundle.language


def _add_title_block(document: DocxDocument, bundle: TranscriptBundle, options: ExportOptions) -> None:
    heading = document.add_heading(xml_safe(document_title(bundle)), level=1)
    _suppress_line_numbers(heading)
    for label, value in title_block(bundle, options):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(xml_safe(value))
        _suppress_line_numbers(paragraph)
    rule = document.add_paragraph()
    _bottom_border(rule)
    _suppress_line_numbers(rule)


def _add_turn(document: DocxDocument, bundle: TranscriptBundle, turn: Turn, options: ExportOptions) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(8)
    if is_right_to_left(bundle.turn_text(turn, options), bundle.language):
        paragraph._p.get_or_add_pPr().insert_element_before(OxmlElement("w:bidi"), *AFTER_BIDI)
    if options.timestamps:
        stamp = paragraph.add_run(f"[{format_hms(turn.start)}] ")
        stamp.font.color.rgb = GREY
        stamp.font.size = Pt(9)
    if bundle.has_speakers:
        paragraph.add_run(xml_safe(bundle.speaker_name(turn.speaker, options)) + ": ").bold = True
    paragraph.add_run(xml_safe(bundle.turn_text(turn, options)))


def _number_lines(document: DocxDocument, options: ExportOptions) -> None:
    """Word's line numbering for the section: ``<w:lnNumType w:countBy="1" w:restart=.../>``."""
    sect_pr = document.sections[0]._sectPr
    numbering = OxmlElement("w:lnNumType")
    numbering.set(qn("w:countBy"), "1")
    numbering.set(qn("w:distance"), LINE_NUMBER_DISTANCE)
    numbering.set(qn("w:restart"), str(options.line_number_restart))
    sect_pr.insert_element_before(numbering, *AFTER_LN_NUM_TYPE)


def _style_line_numbers(document: DocxDocument) -> None:
    """Small grey numbers in the body font: Word draws line numbers in its "line number" style."""
    style = document.styles.add_style("Line Number", WD_STYLE_TYPE.CHARACTER)
    style.element.name_val = "line number"  # the built-in style's internal name, so Word uses it
    style.element.attrib.pop(qn("w:customStyle"), None)
    style.font.name = BODY_FONT
    style.font.size = Pt(8)
    style.font.color.rgb = GREY


def is_right_to_left(text: str, language: str | None) -> bool:
    """Whether a turn reads right to left: its first strong character decides (Unicode bidi rule
    P2), so a Hebrew answer in an English interview gets a right-to-left paragraph."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return bool(language) and str(language).split("-")[0].lower() in RTL_LANGUAGES


def _suppress_line_numbers(paragraph: Paragraph) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.insert_element_before(OxmlElement("w:suppressLineNumbers"), *AFTER_SUPPRESS_LINE_NUMBERS)


def _bottom_border(paragraph: Paragraph) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "999999")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.insert_element_before(borders, *AFTER_P_BDR)


def _add_page_numbers(document: DocxDocument) -> None:
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("Page ")
    _add_field(paragraph, "PAGE")
    paragraph.add_run(" of ")
    _add_field(paragraph, "NUMPAGES")


def _add_field(paragraph: Paragraph, instruction: str) -> None:
    """A complex field (begin / instruction / separate / placeholder / end) Word updates on open."""

    def char(kind: str) -> None:
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(fld)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    char("separate")
    paragraph.add_run("1")
    char("end")


def write_docx(bundle: TranscriptBundle, path: Path, options: ExportOptions) -> None:
    """A Word transcript: title block, bold speaker names, optional timestamps and line numbers."""
    document = build_docx(bundle, options)
    with atomic_output(path) as tmp:
        document.save(str(tmp))
