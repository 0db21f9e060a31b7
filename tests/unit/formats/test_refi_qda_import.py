"""REFI-QDA import: ATLAS.ti samples, the variants the spec allows, and hostile files refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from desktop_app.core.coding import TextPosition
from desktop_app.core.errors import ExportError
from desktop_app.formats.refi_qda.archive import ImportLimits
from desktop_app.formats.refi_qda.codebook import read_codebook
from desktop_app.formats.refi_qda.project_reader import ProjectImportOptions, read_project

REFI_DIR = Path("/work/shared/refi-qda")
TEXT_GUID = "11E0D4D7-4DE8-4501-A82F-653D3E5D1C15"
CODE_A, CODE_B = "{5215CC69-B628-4E02-AFB9-9BEEAEE55808}", "d7aa29da-519b-4946-9b90-253b6db8fd0a"
PARAGRAPHS = "First paragraph here.\r\n\r\n  Second one, with שלום.\nThird."


def _qde(namespace: str | None, sources: str, extra: str = "") -> str:
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project{xmlns} name="Variant" basePath="/data/base">
  <CodeBook><Codes>
    <Code guid="{CODE_A}" name="Topics" isCodable="false" color="#FFAA0080">
      <Code guid="{CODE_B}" name="Economy" isCodable="true" color="rgb(255, 0, 10)">
        <Description>Jobs</Description></Code>
    </Code>
  </Codes></CodeBook>
  <Sources>{sources}</Sources>{extra}
</Project>"""


def _selection(start: int, end: int, code: str = CODE_B) -> str:
    return f"""<PlainTextSelection guid="4191294A-E287-4510-95B0-69BCE4638E56"
      startPosition="{start}" endPosition="{end}">
      <Coding guid="445A6AEC-1400-4502-919D-0867832FF211"><CodeRef targetGUID="{code}"/></Coding>
    </PlainTextSelection>"""


def _write_qdpx(path: Path, qde: str, members: dict[str, bytes] | None = None, qde_name: str = "project.qde") -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(qde_name, qde)
        for name, data in (members or {}).items():
            archive.writestr(name, data)
    return path


def test_atlas_ti_samples() -> None:
    blank = read_project(REFI_DIR / "atlas-ti-blank-project.qdpx")
    assert blank.project.name == "blank-atlas-project"
    assert [u.name for u in blank.project.users] == ["Enric Llagostera", "ATLAS.ti"]
    assert (blank.project.codes, blank.project.documents, blank.project.codings) == ([], [], [])
    sample = read_project(REFI_DIR / "atlas-ti-sample-project.qdpx").project
    assert [(c.name, c.parent_id) for c in sample.codes] == [
        ("Commits", None), ("2022-05-10T02:05:59Z 19e4dce", 1), ("2022-02-11T10:39:25Z cdbfd92", 1),
    ]  # fmt: skip
    assert (len(sample.documents), len(sample.codings)) == (0, 0)
    assert sample.guids.get("code", 1) == "a182cd3a-d83c-4d8c-bc80-26d9103ec6d6"


@pytest.mark.parametrize("namespace", ["urn:QDA-XML:project:1.0", "urn:QDA-XML:project:0:10", None])
@pytest.mark.parametrize("folder", ["sources", "Sources", "SOURCES"])
def test_text_source_by_path_any_namespace_and_folder_case(tmp_path: Path, namespace: str | None, folder: str) -> None:
    start = PARAGRAPHS.index("Second")
    url = f"internal://{TEXT_GUID.lower()}.txt"
    selection = _selection(start, start + 10)
    source = f'<TextSource guid="{TEXT_GUID}" name="Mabel.txt" plainTextPath="{url}">{selection}</TextSource>'
    path = _write_qdpx(
        tmp_path / "v.qdpx", _qde(namespace, source), {f"{folder}/{TEXT_GUID}.TXT": PARAGRAPHS.encode("utf-8-sig")}
    )
    project = read_project(path).project
    assert [(c.name, c.color, c.codable) for c in project.codes] == [
        ("Topics", "#FFAA00", False),
        ("Economy", "#FF000A", True),
    ]
    (document,) = project.documents
    assert [s.text for s in document.transcript.segments] == [
        "First paragraph here.",
        "Second one, with שלום.",
        "Third.",
    ]
    (coding,) = project.codings
    second = document.transcript.segments[1].id
    assert second is not None
    assert (coding.code_id, coding.start, coding.end) == (2, TextPosition(second, 0), TextPosition(second, 10))


def test_inline_text_coding_across_paragraphs_and_notes(tmp_path: Path) -> None:
    text = "Alpha beta.\nGamma delta."
    source = f"""<TextSource guid="{TEXT_GUID}" name="Inline"><PlainTextContent>{text}</PlainTextContent>
      {_selection(6, 18)}<NoteRef targetGUID="CE15250D-46AD-42C2-B90F-A509B8D64EC8"/></TextSource>"""
    notes = """<Notes><Note guid="CE15250D-46AD-42C2-B90F-A509B8D64EC8" name="On doc">
        <PlainTextContent>About it</PlainTextContent></Note>
      <Note guid="E41BE463-FDF3-4ED0-B668-119C53D8D687" name="Free">
        <PlainTextContent>Free memo</PlainTextContent></Note></Notes>
      <Links><Link guid="7B56978E-9D9F-4D47-B4EC-436E2F6B8BE5"/></Links>"""
    result = read_project(_write_qdpx(tmp_path / "i.qdpx", _qde("urn:QDA-XML:project:1.0", source, notes)))
    project = result.project
    (coding,) = project.codings
    first, second = (s.id for s in project.documents[0].transcript.segments if s.id is not None)
    assert (coding.start, coding.end) == (TextPosition(first, 6), TextPosition(second, 6))
    assert sorted((m.target_type, m.text) for m in project.memos) == [("document", "About it"), ("study", "Free memo")]
    assert "links are not supported; skipped" in result.report


def test_audio_source_with_relative_path_and_sparse_sync_points(tmp_path: Path) -> None:
    text = "I: How was it?\nB: Fine."
    source = f"""<AudioSource guid="DA744775-589A-46D3-8B26-A07ADCE1E1CA" name="Jeanine.m4a" path="relative:///audio/j.m4a">
      <Transcript guid="0EBF03C4-768D-4937-B37E-58341FDA4CDB"><PlainTextContent>{text}</PlainTextContent>
        <SyncPoint guid="BC57B3AA-64E1-4974-AC92-646A4F822070" position="0" timeStamp="0"/>
        <SyncPoint guid="5BDDBA5C-54F3-4AEE-B9ED-3B80486517AD" position="{len(text)}" timeStamp="2300"/>
      </Transcript>
      <AudioSelection guid="238965CB-E557-405D-B4F0-6F824B2F4570" begin="1700" end="2300">
        <Coding guid="04EBEC7D-EAB4-43FC-8167-ADB14F921143"><CodeRef targetGUID="{CODE_B}"/></Coding></AudioSelection>
    </AudioSource>"""
    archive = _write_qdpx(tmp_path / "a.qdpx", _qde("urn:QDA-XML:project:1.0", source))
    refused = read_project(archive)
    assert refused.project.documents[0].media is None and refused.external_files == ["/data/base/audio/j.m4a"]
    assert any("outside the project; not read" in line for line in refused.report)
    result = read_project(archive, ProjectImportOptions(allow_external_files=True))
    (document,) = result.project.documents
    assert document.info.title == "Jeanine" and document.info.media_path == "/data/base/audio/j.m4a"
    assert any("not found; linked anyway" in line for line in result.report)
    first, second = document.transcript.segments
    assert (first.text, first.start, second.end) == ("How was it?", 0.0, 2.3)  # "I: " and "B: " are speakers
    assert [document.speaker_names()[s.speaker or ""] for s in (first, second)] == ["I", "B"]
    assert all(w.edited for w in first.words) and first.words[0].text == "How"
    (coding,) = result.project.codings
    assert coding.start.segment_id == second.id and (coding.start_time, coding.end_time) == (1.7, 2.3)


def test_codebook_variants(tmp_path: Path) -> None:
    path = tmp_path / "book.qdc"
    path.write_text(f"""<CodeBook><Codes><Code guid="{CODE_A}" name="A" isCodable="true" color="#abc"/>
      <Code name="no guid" isCodable="true"/></Codes></CodeBook>""")
    result = read_codebook(path)
    assert [(c.name, c.color) for c in result.project.codes] == [("A", "#aabbcc"), ("no guid", "#808080")]
    assert any("new one was made" in line for line in result.report)


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Project name="&lol2;"/>"""


def test_xml_bomb_refused_naming_the_file(tmp_path: Path) -> None:
    path = _write_qdpx(tmp_path / "bomb.qdpx", BOMB)
    with pytest.raises(ExportError, match="refused: the XML declares entities") as caught:
        read_project(path)
    assert caught.value.path == str(path)
    codebook = tmp_path / "bomb.qdc"
    codebook.write_text(BOMB.replace("Project", "CodeBook"))
    with pytest.raises(ExportError, match="refused"):
        read_codebook(codebook)


@pytest.mark.parametrize("member", ["../evil.txt", "sources/../../evil.txt", "/etc/evil", "C:/evil.txt"])
def test_zip_slip_refused(tmp_path: Path, member: str) -> None:
    path = _write_qdpx(tmp_path / "slip.qdpx", _qde(None, ""), {member: b"x"})
    with pytest.raises(ExportError, match="unsafe path"):
        read_project(path, ProjectImportOptions(media_dir=tmp_path / "media"))
    assert not (tmp_path / "evil.txt").exists()


def test_zip_bomb_and_oversize_refused(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "zbomb.qdpx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", _qde(None, ""))
        archive.writestr("sources/big.txt", b"\0" * (20 * 2**20))
    with pytest.raises(ExportError, match="expands too much"):
        read_project(tmp_path / "zbomb.qdpx")
    source = f'<TextSource guid="{TEXT_GUID}" plainTextPath="internal://{TEXT_GUID}.txt"/>'
    path = _write_qdpx(tmp_path / "big.qdpx", _qde(None, source), {f"sources/{TEXT_GUID}.txt": b"word " * 1000})
    with pytest.raises(ExportError, match="is over"):
        read_project(path, ProjectImportOptions(limits=ImportLimits(max_text_bytes=1000)))


def test_not_a_project(tmp_path: Path) -> None:
    path = tmp_path / "x.qdpx"
    path.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(ExportError):
        read_project(path)
    with pytest.raises(ExportError, match="no project.qde"):
        read_project(_write_qdpx(tmp_path / "y.qdpx", "<x/>", qde_name="readme.txt"))
