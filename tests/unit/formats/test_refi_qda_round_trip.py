"""REFI-QDA round trip: export -> import keeps codes, participants, text, codings (same characters and times), memos."""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.transcript import Segment
from desktop_app.formats.qda_snapshot import CODE, CODING, DOCUMENT, QdaProject
from desktop_app.formats.refi_qda.codebook import read_codebook, write_codebook
from desktop_app.formats.refi_qda.project_reader import ProjectImportOptions, read_project
from desktop_app.formats.refi_qda.project_writer import write_project
from tests.unit.formats.test_refi_qda_export import COMPLETE, sample_project


def _ms(value: float | None) -> int | None:
    return None if value is None else round(value * 1000)


def _tree(project: QdaProject) -> list[tuple[str, str | None, str, str, bool]]:
    names = {c.id: c.name for c in project.codes}
    return sorted(
        (c.name, names.get(c.parent_id) if c.parent_id else None, c.color.lower(), c.description, c.codable)
        for c in project.codes
    )


def _extents(project: QdaProject) -> list[tuple[str, str, int, int, int, int, int | None, int | None, str, str]]:
    """Codings as (code, document, start segment index, offset, end index, offset, times ms, coder, memo)."""
    names = {c.id: c.name for c in project.codes}
    rows = []
    for coding in project.codings:
        document = project.document(coding.document_id)
        assert document is not None
        index = {s.id: i for i, s in enumerate(document.transcript.segments)}
        rows.append((
            names[coding.code_id], document.info.title, index[coding.start.segment_id], coding.start.offset,
            index[coding.end.segment_id], coding.end.offset, _ms(coding.start_time), _ms(coding.end_time),
            coding.coder, coding.memo,
        ))  # fmt: skip
    return sorted(rows)


def _segments(segments: list[Segment], names: dict[str, str]) -> list[tuple[object, ...]]:
    return [
        (
            names.get(s.speaker or ""),
            s.text,
            _ms(s.start),
            _ms(s.end),
            [(w.text, _ms(w.start), _ms(w.end)) for w in s.words],
        )
        for s in segments
    ]


def test_project_round_trip(tmp_path: Path) -> None:
    original = sample_project("Hello 😀 and שלום & <welcome>", "Thanks, I am glad to help")
    path = tmp_path / "study.qdpx"
    write_project(original, path, COMPLETE)
    result = read_project(path, ProjectImportOptions(media_dir=tmp_path / "media"))
    restored = result.project

    assert _tree(restored) == _tree(original)
    assert [(s.name, [n.name for n in restored.codes if n.id in s.code_ids]) for s in restored.code_sets] == [
        ("Context", ["Context"])
    ]
    assert [(a.name, a.type, a.choices) for a in restored.attributes] == [
        (a.name, a.type, a.choices) for a in original.attributes
    ]
    assert [(p.label, p.values) for p in restored.participants] == [
        ("P5", {"Age": "34", "Group": "Peer", "Joined": "2021-03-04", "Paid": "true", "Hours": "12.5"})
    ]
    assert [d.info.title for d in restored.documents] == ["Interview 1", "Focus group"]
    for before, after in zip(original.documents, restored.documents, strict=True):
        expected = _segments(before.transcript.segments, before.speaker_names())
        if before.media is None:  # a text source: no times (reported by the export)
            expected = [(name, text, 0, 0, []) for name, text, *_ in expected]
        assert _segments(after.transcript.segments, after.speaker_names()) == expected
        assert after.info.field_notes == before.info.field_notes
    assert _extents(restored) == [
        row if row[1] != "Focus group" else (*row[:6], None, None, *row[8:]) for row in _extents(original)
    ]
    memo_view = sorted((m.target_type, m.text, m.author) for m in restored.memos)
    assert memo_view == sorted((m.target_type, m.text, m.author) for m in original.memos)
    segment_memo = next(m for m in restored.memos if m.target_type == "segment")
    assert restored.documents[1].transcript.segments[0].id == segment_memo.target_id
    media = restored.documents[0].media
    assert media is not None and media.path is not None and media.path.read_bytes() == b"RIFF0000WAVEfmt "
    assert sorted(result.report) == ["'Interview 1': the text of a transcript already imported; not imported twice"]


def test_round_trip_keeps_guids(tmp_path: Path) -> None:
    original = sample_project()
    path = tmp_path / "study.qdpx"
    write_project(original, path)
    restored = read_project(path).project
    for kind, items in ((CODE, original.codes), (CODING, original.codings)):
        assert {original.guids.get(kind, i.id) for i in items} == {
            restored.guids.get(kind, i.id) for i in restored.codes if kind == CODE
        } | {restored.guids.get(kind, c.id) for c in restored.codings if kind == CODING}
    assert restored.guids.get(DOCUMENT, 1) == original.guids.get(DOCUMENT, 1)


def test_codebook_round_trip(tmp_path: Path) -> None:
    original = sample_project()
    path = tmp_path / "codes.qdc"
    write_codebook(original, path)
    result = read_codebook(path)
    assert _tree(result.project) == _tree(original)
    assert [c.name for c in result.project.code_sets] == ["Context"]
    assert result.report == []
