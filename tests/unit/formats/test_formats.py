"""The format registry the CLI and GUI list, and the behaviour every writer shares."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.errors import ExportError
from desktop_app.formats import formats
from desktop_app.formats.formats import FORMATS, export_format, export_formats
from desktop_app.formats.transcript_bundle import ExportOptions
from tests.unit.formats.test_transcript_bundle import HEBREW, empty_bundle, hostile_bundle

EXPECTED = {
    "docx": ".docx",
    "txt": ".txt",
    "txt-maxqda": ".txt",
    "txt-nvivo": ".txt",
    "srt": ".srt",
    "vtt": ".vtt",
    "eaf": ".eaf",
    "json": ".json",
    "rttm": ".rttm",
}


def test_registry_lists_every_transcript_format_with_extension_and_description() -> None:
    assert {f.name: f.extension for f in export_formats()} == EXPECTED
    assert [f.name for f in export_formats()][0] == "docx"
    assert all(len(f.description) > 10 for f in export_formats())
    paths = {f.default_path(Path("out"), "interview 7") for f in export_formats()}
    assert len(paths) == len(FORMATS)  # the three TXT variants get distinct names
    assert export_format("txt-maxqda").default_path(Path("out"), "i7") == Path("out/i7_maxqda.txt")


def test_lookup_is_case_insensitive_and_unknown_names_list_the_known_ones() -> None:
    assert export_format(" DOCX ") is FORMATS["docx"]
    with pytest.raises(ExportError, match="unknown export format 'pdf'.*docx, txt, txt-maxqda"):
        export_format("pdf")


@pytest.mark.parametrize("name", list(EXPECTED))
def test_every_format_writes_hostile_and_empty_transcripts_atomically(tmp_path: Path, name: str) -> None:
    spec = export_format(name)
    hostile = spec.default_path(tmp_path, "hostile")
    formats.write(name, hostile_bundle(), hostile, ExportOptions(line_numbers=True, include_pauses=True))
    empty = spec.default_path(tmp_path, "empty")
    spec.write(empty_bundle(), empty)
    assert hostile.stat().st_size > empty.stat().st_size
    assert empty.stat().st_size > 0 or name in ("srt", "rttm")  # nothing to say: an empty file is valid
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([hostile.name, empty.name])  # no temp files


@pytest.mark.parametrize("name", list(EXPECTED))
def test_every_format_text_transform_hides_a_name(tmp_path: Path, name: str) -> None:
    bundle = hostile_bundle()
    bundle.text_transform = lambda text: text.replace(HEBREW.split(",")[0], "[name]")
    path = export_format(name).default_path(tmp_path, "pseudonymised")
    formats.write(name, bundle, path)
    if name != "docx":  # DOCX is a zip, checked in its own tests
        assert HEBREW.split(",")[0] not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", list(EXPECTED))
def test_every_format_reports_an_unwritable_path_as_export_error(tmp_path: Path, name: str) -> None:
    target = tmp_path / "gone" / f"t{FORMATS[name].extension}"
    with pytest.raises(ExportError) as error:
        formats.write(name, hostile_bundle(), target)
    assert error.value.path == str(target)
