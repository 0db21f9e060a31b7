"""The export for another QDA tool: valid, and shaped the way QualCoder's REFI importer needs it.

``qualcoder_problems`` checks the rules that ``shared/refi-qda/README.md`` lists from running
QualCoder's importer on Verbatim's exports (a date on every transcript and note, texts in
``plainTextPath`` files inside the archive, no media source without a recording, each coding once,
journals and annotations in the shapes it reads). The same checks fail on the complete export,
which is what a test per rule needs to be able to fail.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
import xmlschema

from desktop_app.formats.qda_snapshot import GuidMap, QdaMedia
from desktop_app.formats.refi_qda.layout import transcript_to_text
from desktop_app.formats.refi_qda.project_reader import ProjectImportOptions, read_project
from desktop_app.formats.refi_qda.project_writer import ProjectExportOptions, write_project
from tests.unit.formats.test_refi_qda_export import COMPLETE, REFI_DIR, sample_project

NS = "{urn:QDA-XML:project:1.0}"
DATED = ("Transcript", "TextSource", "AudioSource", "VideoSource", "Note", "PlainTextSelection", "Coding")


def _local(element: ET.Element) -> str:
    return element.tag.removeprefix(NS)


def _internal(archive: zipfile.ZipFile, url: str | None) -> bool:
    return url is not None and url.startswith("internal://") and f"sources/{url[11:]}" in archive.namelist()


def qualcoder_problems(path: Path) -> list[str]:
    """What would make QualCoder's REFI importer crash, lose or duplicate something in ``path``."""
    problems = []
    with zipfile.ZipFile(path) as archive:
        root = ET.fromstring(archive.read("project.qde"))
        for element in root.iter():
            tag = _local(element)
            if tag in DATED and not element.get("creationDateTime") and not element.get("modifiedDateTime"):
                problems.append(f"{tag} without a date")
            if tag in ("Transcript", "TextSource") and not _internal(archive, element.get("plainTextPath")):
                problems.append(f"{tag} without an internal plainTextPath file")
            if tag in ("AudioSource", "VideoSource") and not element.get("path"):
                problems.append(f"{tag} without a path")
            if tag in ("TranscriptSelection", "AudioSelection", "VideoSelection") and element.find(f"{NS}Coding"):
                problems.append(f"a coding repeated as a {tag}")
            if tag == "Note":
                inline = element.find(f"{NS}PlainTextSelection") is not None
                if not inline and not _internal(archive, element.get("plainTextPath")):
                    problems.append("a note that is neither a journal nor an annotation")
            if "absolute://" in " ".join(element.attrib.values()):
                problems.append(f"{tag} refers to a local path")
        spans = Counter(
            (source.get("guid"), s.get("startPosition"), s.get("endPosition"), c.find(f"{NS}CodeRef").get("targetGUID"),
             c.get("creatingUser"))
            for source in root.iter(f"{NS}TextSource")
            for s in source.iter(f"{NS}PlainTextSelection")
            for c in s.iter(f"{NS}Coding")
        )  # fmt: skip
        problems += ["a code twice on one span by one coder (QualCoder's unique key)" for n in spans.values() if n > 1]
        names = Counter(s.get("name") for s in root.iter() if _local(s).endswith("Source"))
        problems += [f"two sources named {n!r}" for n, count in names.items() if count > 1]
    return problems


def _codings(path: Path) -> list[ET.Element]:
    """The codings, without those that link a case to a document (a code with the case's GUID)."""
    with zipfile.ZipFile(path) as archive:
        root = ET.fromstring(archive.read("project.qde"))
    cases = {c.get("guid") for c in root.iter(f"{NS}Case")}
    return [e for e in root.iter(f"{NS}Coding") if e.find(f"{NS}CodeRef").get("targetGUID") not in cases]


@pytest.fixture(scope="module")
def project_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(REFI_DIR / "Project-mrt2019.xsd"))


def test_default_export_follows_every_import_rule(tmp_path: Path, project_schema: xmlschema.XMLSchema) -> None:
    project = sample_project()
    project.documents[0].info.interviewer, project.documents[1].info.language = "AB", "en"
    path = tmp_path / "tool.qdpx"
    report = write_project(project, path)
    with zipfile.ZipFile(path) as archive:
        qde = archive.read("project.qde").decode("utf-8")
        project_schema.validate(qde)
    assert qde.count("<VariableValue>") == 2 + 5  # the documents' interviewer and language, the case's 5 values
    assert qualcoder_problems(path) == []
    assert any("word timings are not written" in line for line in report)
    complete = tmp_path / "complete.qdpx"
    write_project(project, complete, COMPLETE)
    assert "a coding repeated as a TranscriptSelection" in qualcoder_problems(complete)


def test_each_coding_once_with_its_own_guid_and_coder(tmp_path: Path) -> None:
    project = sample_project()
    path = tmp_path / "tool.qdpx"
    write_project(project, path)
    codings = _codings(path)
    assert len(codings) == len(project.codings)
    assert sorted(c.get("guid") or "" for c in codings) == sorted(
        project.guids.get("coding", c.id) for c in project.codings
    )
    users = {u.guid: u.name for u in project.users}
    assert sorted(users[c.get("creatingUser") or ""] for c in codings) == ["Ann Coder", "Ann Coder", "Bob"]
    write_project(project, tmp_path / "complete.qdpx", COMPLETE)
    assert len(_codings(tmp_path / "complete.qdpx")) == 3 * 2 + 1  # the focus group has no recording: text only


def test_texts_live_in_files_inside_the_archive(tmp_path: Path) -> None:
    project = sample_project()
    path = tmp_path / "tool.qdpx"
    write_project(project, path)
    with zipfile.ZipFile(path) as archive:
        root = ET.fromstring(archive.read("project.qde"))
        texts = {
            e.get("name"): archive.read(f"sources/{(e.get('plainTextPath') or '')[11:]}").decode("utf-8")
            for e in root.iter(f"{NS}TextSource")
        }
        journals = [
            archive.read(f"sources/{(e.get('plainTextPath') or '')[11:]}").decode("utf-8")
            for e in root.iter(f"{NS}Note")
            if e.get("plainTextPath")
        ]
    for document in project.documents:
        layout = transcript_to_text(document.transcript, document.speaker_names())
        assert texts[document.info.title] == layout.text
    assert sorted(journals) == sorted(["Overall impressions", "Good rapport", "Use for informal help",
                                       "Strong example", "Quiet room, tea."])  # fmt: skip


def test_text_only_document_is_a_text_source_and_its_memos_are_annotations(tmp_path: Path) -> None:
    path = tmp_path / "tool.qdpx"
    write_project(sample_project(), path)
    with zipfile.ZipFile(path) as archive:
        root = ET.fromstring(archive.read("project.qde"))
    sources = [(_local(s), s.get("name")) for s in root.find(f"{NS}Sources") or []]
    assert sources == [("AudioSource", "Interview 1.wav"), ("TextSource", "Interview 1"), ("TextSource", "Focus group")]
    (annotation,) = [n for n in root.iter(f"{NS}Note") if n.find(f"{NS}PlainTextSelection") is not None]
    assert annotation.findtext(f"{NS}PlainTextContent") == "Check the audio here"
    selection = annotation.find(f"{NS}PlainTextSelection")
    assert selection is not None and (selection.get("startPosition"), selection.get("endPosition")) == ("0", "21")
    focus = next(s for s in root.iter(f"{NS}TextSource") if s.get("name") == "Focus group")
    assert [r.get("targetGUID") for r in focus.iter(f"{NS}NoteRef")] == [annotation.get("guid")]


def test_guids_are_stable_across_exports_and_differ_between_studies(tmp_path: Path) -> None:
    def export(namespace: str, name: str) -> bytes:
        project = sample_project()
        project.guids = GuidMap(namespace=namespace)
        write_project(project, tmp_path / name, ProjectExportOptions(created=None))
        with zipfile.ZipFile(tmp_path / name) as archive:
            root = ET.fromstring(archive.read("project.qde"))
        return b" ".join(sorted((e.get("guid") or "").encode() for e in root.iter() if e.get("guid")))

    study = "5b0f3f2e-6a57-4c55-9a43-4f6d0c1d2e3f"
    assert export(study, "one.qdpx") == export(study, "two.qdpx")
    assert set(export(study, "one.qdpx").split()).isdisjoint(
        export("0" * 8 + "-0000-4000-8000-" + "0" * 12, "x.qdpx").split()
    )


def test_local_recording_path_is_never_written(tmp_path: Path) -> None:
    folder = tmp_path / "Jane Doe interviews"
    folder.mkdir()
    recording = folder / "jane.wav"
    recording.write_bytes(b"RIFF" + b"\x00" * 100)
    project = sample_project()
    project.documents[0].media = QdaMedia(recording.name, recording)
    project.documents[0].info.media_path = str(recording)
    for embed in (True, False):
        path = tmp_path / f"{embed}.qdpx"
        report = write_project(project, path, ProjectExportOptions(embed_media=embed))
        with zipfile.ZipFile(path) as archive:
            assert "Jane Doe" not in archive.read("project.qde").decode("utf-8")
        assert embed or any("relative://jane.wav" in line for line in report)


def test_cases_refer_to_sources_that_exist(tmp_path: Path) -> None:
    path = tmp_path / "tool.qdpx"
    write_project(sample_project(), path)
    with zipfile.ZipFile(path) as archive:
        root = ET.fromstring(archive.read("project.qde"))
    sources = {s.get("guid") for s in root.find(f"{NS}Sources") or []}
    refs = [r.get("targetGUID") for r in root.iter(f"{NS}SourceRef")]
    assert len(refs) == 2 and set(refs) <= sources


def test_tool_export_comes_back_with_the_same_coded_text_memos_and_speakers(tmp_path: Path) -> None:
    original = sample_project()
    path = tmp_path / "tool.qdpx"
    write_project(original, path)
    restored = read_project(path, ProjectImportOptions(media_dir=tmp_path / "media")).project
    assert [d.info.title for d in restored.documents] == ["Interview 1", "Focus group"]
    before, after = original.documents[0], restored.documents[0]
    assert [(before.speaker_names()[s.speaker or ""], s.text) for s in before.transcript.segments] == [
        (after.speaker_names()[s.speaker or ""], s.text) for s in after.transcript.segments
    ]  # speakers come back from the "Name: " that starts every line
    # one turn of two has a speaker: too few to tell "S1: " from text, so the line stays whole
    assert [s.text for s in restored.documents[1].transcript.segments] == ["No speaker known here", "S1: Second turn"]

    def coded(project: object) -> list[tuple[str, str, str, str]]:
        rows = []
        for coding in project.codings:  # type: ignore[attr-defined]
            document = project.document(coding.document_id)  # type: ignore[attr-defined]
            layout = transcript_to_text(document.transcript, document.speaker_names())
            start, end = layout.offset_of(coding.start), layout.offset_of(coding.end)
            code = next(c.name for c in project.codes if c.id == coding.code_id)  # type: ignore[attr-defined]
            rows.append((code, layout.text[start:end], coding.coder, coding.memo))
        return sorted(rows)

    assert coded(restored) == coded(original)
    memos = sorted((m.target_type, m.text, m.author) for m in restored.memos)
    assert memos == sorted((m.target_type, m.text, m.author) for m in original.memos)
    segment_memo = next(m for m in restored.memos if m.target_type == "segment")
    assert restored.documents[1].transcript.segments[0].id == segment_memo.target_id
    assert restored.documents[0].info.field_notes == "Quiet room, tea."
    media = restored.documents[0].media
    assert media is not None and media.path is not None and media.path.read_bytes() == b"RIFF0000WAVEfmt "


def test_a_repeated_coding_is_written_once(tmp_path: Path) -> None:
    project = sample_project()
    first = project.codings[0]
    project.codings.append(replace(first, id=9, memo=""))  # the same code, words and coder again
    path = tmp_path / "tool.qdpx"
    report = write_project(project, path)
    assert qualcoder_problems(path) == [] and len(_codings(path)) == 3
    assert "coding 9 repeats another on the same words by the same coder; once" in report


def test_cases_are_linked_to_their_documents_the_way_qualcoder_reads(tmp_path: Path) -> None:
    project = sample_project()
    path = tmp_path / "tool.qdpx"
    write_project(project, path)
    with zipfile.ZipFile(path) as archive:
        root = ET.fromstring(archive.read("project.qde"))
    (case,) = root.iter(f"{NS}Case")
    (code,) = [c for c in root.iter(f"{NS}Code") if c.get("guid") == case.get("guid")]
    assert code.get("name") == "P5"
    links = [
        (source.get("name"), s.get("startPosition"), s.get("endPosition"))
        for source in root.iter(f"{NS}TextSource")
        for s in source.iter(f"{NS}PlainTextSelection")
        if s.find(f"{NS}Coding/{NS}CodeRef").get("targetGUID") == case.get("guid")
    ]
    text = transcript_to_text(project.documents[0].transcript, project.documents[0].speaker_names()).text
    assert links == [("Interview 1", "0", str(len(text)))]  # P5 speaks in interview 1 only
    restored = read_project(path).project
    assert "P5" not in {c.name for c in restored.codes} and len(restored.codings) == len(project.codings)
