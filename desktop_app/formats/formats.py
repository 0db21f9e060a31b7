"""The transcript export formats, by name, so the CLI and the GUI list and call them the same way.

Usage::

    write("docx", bundle, Path("interview.docx"), ExportOptions(line_numbers=True))
    FORMATS["srt"].extension  # ".srt"
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.errors import ExportError
from desktop_app.formats.docx_writer import write_docx
from desktop_app.formats.elan_writer import write_eaf
from desktop_app.formats.json_transcript import write_json
from desktop_app.formats.rttm_writer import write_rttm
from desktop_app.formats.subtitle_writers import write_srt, write_vtt
from desktop_app.formats.text_writers import write_maxqda_text, write_nvivo_text, write_plain_text
from desktop_app.formats.transcript_bundle import ExportOptions, TranscriptBundle

TranscriptWriter = Callable[[TranscriptBundle, Path, ExportOptions], None]


@dataclass(frozen=True)
class ExportFormat:
    """One way to write a transcript: a short name, the file extension and what it is for."""

    name: str
    extension: str  # with the dot: ".docx"
    description: str
    writer: TranscriptWriter

    def write(self, bundle: TranscriptBundle, path: Path, options: ExportOptions | None = None) -> None:
        self.writer(bundle, Path(path), options or ExportOptions())

    def default_path(self, folder: Path, stem: str) -> Path:
        """``folder/stem.ext``, with the MAXQDA/NVivo variants marked in the name."""
        suffix = {"txt-maxqda": "_maxqda", "txt-nvivo": "_nvivo"}.get(self.name, "")
        return Path(folder) / f"{stem}{suffix}{self.extension}"


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat(
            "docx", ".docx", "Word document: title block, bold speakers, timestamps, line numbers", write_docx
        ),
        ExportFormat("txt", ".txt", "Plain text, one paragraph per speaker turn", write_plain_text),
        ExportFormat("txt-maxqda", ".txt", "Text with timestamps for MAXQDA (Import > Transcripts)", write_maxqda_text),
        ExportFormat(
            "txt-nvivo", ".txt", "Text with timestamps for NVivo (Transcript > Import Rows)", write_nvivo_text
        ),
        ExportFormat("srt", ".srt", "SubRip subtitles with speaker names", write_srt),
        ExportFormat("vtt", ".vtt", "WebVTT subtitles with <v Speaker> voice tags", write_vtt),
        ExportFormat("eaf", ".eaf", "ELAN annotation file, one tier per speaker", write_eaf),
        ExportFormat("json", ".json", "JSON transcript with words, times and speakers", write_json),
        ExportFormat("rttm", ".rttm", "RTTM: who spoke when, for diarization scoring", write_rttm),
    )
}


def export_formats() -> list[ExportFormat]:
    """All formats in the order menus show them."""
    return list(FORMATS.values())


def export_format(name: str) -> ExportFormat:
    """The format called ``name`` (case-insensitive), or an ExportError listing the known ones."""
    found = FORMATS.get(name.strip().lower())
    if found is None:
        known = ", ".join(FORMATS)
        raise ExportError(None, f"unknown export format {name!r}; choose one of: {known}")
    return found


def write(format_name: str, bundle: TranscriptBundle, path: Path, options: ExportOptions | None = None) -> None:
    """Write ``bundle`` to ``path`` in the format called ``format_name`` (see :data:`FORMATS`).

    Raises :class:`ExportError` for an unknown format or a file that cannot be written.
    """
    export_format(format_name).write(bundle, path, options)
