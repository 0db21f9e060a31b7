"""REFI-QDA export: every file validates against the schemas, hostile text included; archive layout."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import xmlschema

from desktop_app.core.coding import Attribute, AttributeType, Code, Coding, Memo, Participant, TextPosition
from desktop_app.core.document import DocumentInfo, SpeakerInfo
from desktop_app.core.errors import ExportError
from desktop_app.core.transcript import Segment, Transcript, Word
from desktop_app.formats.qda_snapshot import QdaCodeSet, QdaDocument, QdaMedia, QdaProject, QdaUser
from desktop_app.formats.refi_qda.codebook import codebook_xml, write_codebook
from desktop_app.formats.refi_qda.layout import Side, transcript_to_text
from desktop_app.formats.refi_qda.project_writer import (
    ProjectExportOptions,
    Representation,
    project_xml,
    write_project,
)

REFI_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "refi-qda"
COMPLETE = ProjectExportOptions(representation=Representation.COMPLETE)
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def timed_segment(segment_id: int, speaker: str | None, text: str, start: float) -> Segment:
    words = [Word(start + 0.5 * i, start + 0.5 * i + 0.4, w, 0.9, speaker) for i, w in enumerate(text.split())]
    segment = Segment.from_words(words, speaker) if words else Segment(start, start, "", speaker)
    segment.id = segment_id
    return segment


def sample_project(
    first_text: str = "Hello and welcome to the study", second_text: str = "Thanks, I am glad to help"
) -> QdaProject:
    """Two documents, a code tree with colours, attributes, a participant, codings and every kind of memo."""
    first = QdaDocument(
        DocumentInfo(1, "Interview 1", field_notes="Quiet room, tea."),
        Transcript([timed_segment(1, "S1", first_text, 0.0), timed_segment(2, "S2", second_text, 10.0)]),
        [SpeakerInfo("S1", "Interviewer"), SpeakerInfo("S2", "Peer 5", participant="P5")],
        QdaMedia("interview1.wav", data=b"RIFF0000WAVEfmt "),
    )
    second = QdaDocument(
        DocumentInfo(2, "Focus group"),
        Transcript([timed_segment(3, None, "No speaker known here", 1.0), timed_segment(4, "S1", "Second turn", 4.0)]),
        [SpeakerInfo("S1")],
    )
    return QdaProject(
        "Peer support study",
        users=[QdaUser("Ann Coder")],
        codes=[
            Code(1, "Support", None, "#336699", "Theme: support", codable=False),
            Code(2, "Peer help", 1, "#FF0000", "Help from peers", position=0),
            Code(3, "Waiting", 1, "#00ff00", "", position=1),
            Code(4, "Context", None, "#123456"),
        ],
        code_sets=[QdaCodeSet(1, "Context", [4], "Realist tag")],
        attributes=[
            Attribute(1, "Age", AttributeType.INTEGER),
            Attribute(2, "Group", AttributeType.CATEGORY, ["Staff", "Peer"]),
            Attribute(3, "Joined", AttributeType.DATE),
            Attribute(4, "Paid", AttributeType.BOOLEAN),
            Attribute(5, "Hours", AttributeType.DECIMAL),
            Attribute(6, "Note", AttributeType.TEXT),
        ],
        participants=[
            Participant(1, "P5", {"Age": "34", "Group": "Peer", "Joined": "2021-03-04", "Paid": "yes", "Hours": "12.5"})
        ],
        documents=[first, second],
        codings=[
            Coding(
                1, 2, 1, TextPosition(1, 6), TextPosition(2, 6), 0.5, 10.4, "Ann Coder", "2024-05-01T10:00:00Z", "key"
            ),
            Coding(2, 3, 1, TextPosition(2, 0), TextPosition(2, 6), 10.0, 10.4, "Bob", "2024-05-02T11:00:00Z"),
            Coding(3, 4, 2, TextPosition(3, 3), TextPosition(3, 10), 1.5, 2.4, "Ann Coder"),
        ],
        memos=[
            Memo(1, "study", None, "Overall impressions", "Ann Coder", "2024-05-01T09:00:00Z"),
            Memo(2, "document", 1, "Good rapport"),
            Memo(3, "code", 2, "Use for informal help"),
            Memo(4, "coding", 1, "Strong example", "Bob"),
            Memo(5, "segment", 3, "Check the audio here"),
        ],
    )


@pytest.fixture(scope="module")
def project_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(REFI_DIR / "Project-mrt2019.xsd"))


@pytest.fixture(scope="module")
def codebook_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(REFI_DIR / "Codebook.xsd"))


def test_sample_project_validates(project_schema: xmlschema.XMLSchema) -> None:
    built = project_xml(sample_project(), COMPLETE)
    project_schema.validate(built.xml.decode("utf-8"))
    assert not built.xml.startswith(b"\xef\xbb\xbf")
    text = built.xml.decode("utf-8")
    for name in ("AudioSource", "Transcript", "SyncPoint", "TranscriptSelection", "TextSource", "PlainTextSelection",
                 "AudioSelection", "Note", "NoteRef", "Set", "Case", "Variable"):  # fmt: skip
        assert f"<{name} " in text or f"<{name}>" in text, name


HOSTILE = "Emoji 😀👍🏽 and שלום עולם RTL, &<>\"' quotes \x00\x07\x1b bell \ud800 surrogate"


def test_hostile_content_validates_and_is_reported(
    project_schema: xmlschema.XMLSchema, codebook_schema: xmlschema.XMLSchema
) -> None:
    project = sample_project(HOSTILE, "x" * 200_000)
    project.codes[1].name = HOSTILE
    project.codes[1].description = HOSTILE
    project.memos[0].text = HOSTILE
    project.documents[0].speakers[0].display_name = "Dr. <Smith> & \x01Co"
    project.participants[0].label = HOSTILE
    built = project_xml(project, COMPLETE)
    project_schema.validate(built.xml.decode("utf-8"))
    codebook_schema.validate(codebook_xml(project)[0].decode("utf-8"))
    assert any("control character" in line for line in built.report)
    assert any("lost control characters" in line for line in built.report)
    assert any(
        "😀👍🏽 and שלום עולם RTL, &<>\"' quotes  bell  surrogate".encode() in f.data for f in built.files if f.data
    )


def test_empty_transcripts_and_empty_study_validate(project_schema: xmlschema.XMLSchema) -> None:
    project = sample_project()
    project.documents[1].transcript = Transcript([])
    project.codings = [c for c in project.codings if c.document_id != 2]
    project_schema.validate(project_xml(project).xml.decode("utf-8"))
    empty = QdaProject("Nothing yet")
    project_schema.validate(project_xml(empty).xml.decode("utf-8"))
    with pytest.raises(ExportError, match="no codes"):
        codebook_xml(empty)


def test_invalid_values_and_colours_are_left_out_and_reported(project_schema: xmlschema.XMLSchema) -> None:
    project = sample_project()
    project.participants[0].values.update({"Age": "thirty", "Joined": "last spring", "Paid": "maybe"})
    project.codes[2].color = "teal"
    built = project_xml(project)
    project_schema.validate(built.xml.decode("utf-8"))
    assert sum("not a valid" in line for line in built.report) == 3
    assert any("teal" in line for line in built.report)


def test_guids_and_colours_have_the_schema_form() -> None:
    text = project_xml(sample_project()).xml.decode("utf-8")
    guids = re.findall(r'(?:guid|GUID)="([^"]+)"', text)
    assert guids and all(GUID.match(g) for g in guids)
    assert set(re.findall(r'color="([^"]+)"', text)) == {"#336699", "#FF0000", "#00ff00", "#123456"}


def test_reexport_keeps_the_same_guids() -> None:
    project = sample_project()
    options = ProjectExportOptions(created=None)
    first = re.findall(r'guid="([^"]+)"', project_xml(project, options).xml.decode("utf-8"))
    second = re.findall(r'guid="([^"]+)"', project_xml(project, options).xml.decode("utf-8"))
    case = project.guids.get("participant", 1)  # a case and its linking code share a GUID (case_links)
    assert first == second and len(set(first)) == len(first) - 1 and first.count(case) == 2


def test_sync_points_are_exact_word_times() -> None:
    project = sample_project()
    text = project_xml(project, COMPLETE).xml.decode("utf-8")
    layout = transcript_to_text(project.documents[0].transcript, project.documents[0].speaker_names())
    assert layout.text.splitlines()[0] == "Interviewer: Hello and welcome to the study"
    welcome = layout.text.index("welcome")
    assert f'timeStamp="1000" position="{welcome}"' in text  # third word starts at 1.0 s
    assert f'timeStamp="1400" position="{welcome + len("welcome")}"' in text
    assert '<AudioSelection begin="500" end="10400"' in text


def test_layout_maps_positions_both_ways() -> None:
    project = sample_project()
    layout = transcript_to_text(project.documents[0].transcript, project.documents[0].speaker_names())
    for coding in project.codings[:2]:
        start, end = layout.offset_of(coding.start), layout.offset_of(coding.end)
        assert start is not None and end is not None
        assert layout.position_at(start, Side.START) == coding.start
        assert layout.position_at(end, Side.END) == coding.end
    second_line = layout.text.index("Peer 5: ")
    assert layout.position_at(second_line, Side.END) == TextPosition(
        1, len(project.documents[0].transcript.segments[0].text)
    )
    assert layout.position_at(second_line + 3, Side.START) == TextPosition(2, 0)


def test_qdpx_layout_embedded_and_referenced_media(tmp_path: Path) -> None:
    project = sample_project()
    recording = tmp_path / "focus group.mp4"
    recording.write_bytes(b"\x00" * 1000)
    project.documents[1].media = QdaMedia(recording.name, recording)
    path = tmp_path / "study.qdpx"
    report = write_project(project, path, COMPLETE)
    assert any("not part of REFI-QDA" in line for line in report)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert names[0] == "project.qde"
        sources = [n for n in names if n != "project.qde"]
        assert all(re.match(r"^sources/[0-9a-f-]{36}\.(wav|mp4|txt)$", n) for n in sources), sources
        # 2 text sources, 2 transcripts, 4 journal notes (study, document, code, coding memos), 1 field note
        assert sum(n.endswith(".txt") for n in sources) == 9 and len(sources) == 11
        assert all(not archive.read(n).startswith(b"\xef\xbb\xbf") for n in sources)
        assert "<VideoSource " in archive.read("project.qde").decode()
    write_project(project, path, ProjectExportOptions(embed_media=False))
    with zipfile.ZipFile(path) as archive:
        assert sum(n.endswith((".wav", ".mp4")) for n in archive.namelist()) == 1  # bytes-only media stays inside
        qde = archive.read("project.qde").decode()
        assert 'path="relative://focus group.mp4"' in qde and str(tmp_path) not in qde


def test_codebook_file_validates(tmp_path: Path, codebook_schema: xmlschema.XMLSchema) -> None:
    path = tmp_path / "codes.qdc"
    assert write_codebook(sample_project(), path) == []
    text = path.read_text("utf-8")
    codebook_schema.validate(text)
    assert 'isCodable="false"' in text and "<MemberCode guid=" in text
