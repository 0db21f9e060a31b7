"""DOCX transcripts, read back with python-docx and checked at the XML level Word relies on."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from desktop_app.core.errors import ExportError
from desktop_app.core.transcript import Segment
from desktop_app.formats.docx_writer import write_docx
from desktop_app.formats.transcript_bundle import ExportOptions, LineNumberRestart
from tests.unit.formats.test_transcript_bundle import (
    ARABIC,
    DEVANAGARI,
    EDITED,
    EMOJI,
    HEBREW,
    LONG,
    empty_bundle,
    hostile_bundle,
    small_bundle,
)


def write(tmp_path: Path, bundle: object, options: ExportOptions) -> Path:
    path = tmp_path / "t.docx"
    write_docx(bundle, path, options)  # type: ignore[arg-type]
    return path


def turn_paragraphs(path: Path) -> list[str]:
    """Paragraph texts after the title block (which ends with the ruled empty paragraph)."""
    texts = [p.text for p in Document(str(path)).paragraphs]
    return texts[texts.index("") + 1 :]


def test_title_block_names_document_date_duration_people_language_model(tmp_path: Path) -> None:
    path = write(tmp_path, hostile_bundle(), ExportOptions())
    document = Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "Interview 7 — Ärzte & <Pflege>"
    assert document.paragraphs[0].style.name.startswith("Heading")
    for fact in (
        "Recorded: 2024-05-02",
        "Duration: 00:02:05",
        "Participants: P05 (nurse)",
        "Language: English",  # the name, not the code
        "Interviewer: Dr. Ng",
        "Transcribed with: tiny.en (sha256 abababababab…)",
    ):
        assert fact in texts
    assert 'S1 = Interviewer & <Lead> "Q"; S2 = P05 שלום; S3' in " ".join(texts)
    assert document.core_properties.title == "Interview 7 — Ärzte & <Pflege>"


def test_each_turn_has_bold_speaker_timestamp_and_hostile_text_intact(tmp_path: Path) -> None:
    bundle = hostile_bundle()
    path = write(tmp_path, bundle, ExportOptions())
    turns = turn_paragraphs(path)
    assert turns == [
        f'[00:00:00] Interviewer & <Lead> "Q": {EMOJI}',
        f"[00:00:05] P05 שלום: {HEBREW} {ARABIC}",
        f'[00:00:11] Interviewer & <Lead> "Q": {DEVANAGARI}',
        f"[00:00:14] S3: {LONG}",
        f'[00:01:50] Interviewer & <Lead> "Q": {EDITED}',
    ]
    paragraphs = Document(str(path)).paragraphs
    bold = [run.text for p in paragraphs[-5:] for run in p.runs if run.bold]
    assert bold == [
        'Interviewer & <Lead> "Q": ',
        "P05 שלום: ",
        'Interviewer & <Lead> "Q": ',
        "S3: ",
        'Interviewer & <Lead> "Q": ',
    ]


def test_options_drop_timestamps_title_and_use_labels(tmp_path: Path) -> None:
    options = ExportOptions(timestamps=False, title_block=False, speaker_names=False)
    path = write(tmp_path, small_bundle(), options)
    texts = [p.text for p in Document(str(path)).paragraphs]
    assert texts == ["S1: Hello there. How are you?", "S2: Fine, thanks."]


@pytest.mark.parametrize("restart", list(LineNumberRestart))
def test_line_numbers_use_words_section_setting(tmp_path: Path, restart: LineNumberRestart) -> None:
    path = write(tmp_path, hostile_bundle(), ExportOptions(line_numbers=True, line_number_restart=restart))
    document = Document(str(path))
    sect_pr = document.sections[0]._sectPr
    numbering = sect_pr.find(qn("w:lnNumType"))
    assert numbering is not None
    assert numbering.get(qn("w:restart")) == restart.value
    assert numbering.get(qn("w:countBy")) == "1"
    children = [child.tag.split("}")[1] for child in sect_pr]
    assert children.index("lnNumType") > children.index("pgMar")
    assert children.index("lnNumType") < children.index("cols")  # schema order, or Word rejects the file
    suppressed = [
        p.text
        for p in document.paragraphs
        if p._p.pPr is not None and p._p.pPr.find(qn("w:suppressLineNumbers")) is not None
    ]
    assert suppressed[0] == "Interview 7 — Ärzte & <Pflege>" and "Recorded: 2024-05-02" in suppressed
    assert not any(text.startswith("[00:") for text in suppressed)  # the transcript itself is numbered


def test_no_line_numbers_unless_asked(tmp_path: Path) -> None:
    path = write(tmp_path, small_bundle(), ExportOptions())
    assert Document(str(path)).sections[0]._sectPr.find(qn("w:lnNumType")) is None


def test_footer_carries_page_and_page_count_fields(tmp_path: Path) -> None:
    path = write(tmp_path, small_bundle(), ExportOptions())
    footer = Document(str(path)).sections[0].footer.paragraphs[0]
    instructions = [el.text.strip() for el in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    kinds = [el.get(qn("w:fldCharType")) for el in footer._p.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"] * 2
    assert footer.text.startswith("Page ")


def test_control_characters_are_dropped_not_fatal(tmp_path: Path) -> None:
    bundle = small_bundle()
    bundle.transcript.segments.append(Segment(70.0, 71.0, "bell\x07 and\x0b tab\tok", "S2"))
    path = write(tmp_path, bundle, ExportOptions(title_block=False))
    assert Document(str(path)).paragraphs[-1].text == "[00:01:05] P05: Fine, thanks. bell and tab ok"


def test_text_transform_reaches_title_names_and_text(tmp_path: Path) -> None:
    bundle = hostile_bundle()
    bundle.text_transform = lambda s: s.replace("שלום", "[name]").replace("Ärzte", "[group]")
    path = write(tmp_path, bundle, ExportOptions())
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert "שלום" not in xml and "Ärzte" not in xml and "Ärzte" not in core
    assert "P05 [name]" in xml and "[group]" in xml


def test_empty_transcript_is_a_valid_document(tmp_path: Path) -> None:
    path = write(tmp_path, empty_bundle(), ExportOptions(line_numbers=True))
    texts = [p.text for p in Document(str(path)).paragraphs]
    assert texts[0] == "Nothing said" and "Duration: 00:00:00" in texts
    assert texts[-1] == "[No speech found in this recording.]"  # a silent recording, not a missing transcript


def test_unwritable_target_is_an_export_error_naming_it(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "t.docx"
    with pytest.raises(ExportError) as error:
        write_docx(small_bundle(), target, ExportOptions())
    assert error.value.path == str(target)
    assert not (tmp_path / "missing").exists()


def test_header_and_turns_name_linked_speakers_the_same_way(tmp_path: Path) -> None:
    """The header said "Participants: P05" while the turns said "Maria:"; now both name Maria (P05),
    and a pseudonymised export names P05 in both."""
    from desktop_app.core.document import SpeakerInfo

    bundle = small_bundle()
    bundle.participants = ""
    bundle.speakers = {
        "S1": SpeakerInfo("S1", "Interviewer"),
        "S2": SpeakerInfo("S2", "Maria", participant="P05"),
    }
    plain = Document(str(write(tmp_path, bundle, ExportOptions())))
    texts = [p.text for p in plain.paragraphs]
    assert "Participants: Maria (P05)" in texts
    assert any(t.startswith("Maria: ") or ("] Maria: " in t) for t in texts)

    bundle.participant_labels = True  # as pseudonym_service.pseudonymised_bundle sets it
    path = tmp_path / "p.docx"
    write_docx(bundle, path, ExportOptions())
    texts = [p.text for p in Document(str(path)).paragraphs]
    assert "Participants: P05" in texts
    assert not any("Maria" in t for t in texts)
    assert any("P05: " in t for t in turn_paragraphs(path))
