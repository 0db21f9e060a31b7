"""Our JSON transcript: written for other tools and scripts, and read back into a bundle.

Schema (times in seconds)::

    {"format": "verbatim-transcript", "version": 1,
     "document": {"id", "title", "media_path", "duration", "status", "language",
                  "recorded_date", "interviewer", "participants"},
     "language": "en",
     "model": {"name", "sha256"},
     "speakers": {"S1": {"name": "Interviewer", "color", "participant"}},
     "segments": [{"start", "end", "speaker", "speaker_name", "text",
                   "words": [{"start", "end", "word", "probability", "speaker"[, "edited"]}][, "english"]}]}

``speaker`` is always the stable machine label (``S1``), so scripts can join segments, words and
RTTM files on it even after a rename; ``speaker_name`` is the display name a researcher gave it.
``"edited": true`` appears only on words a person typed or corrected; ``"english"`` only on turns
with a stored English translation (the words and times stay the original's).
Field notes stay out: they are the researcher's, not the transcript's. ``text_transform`` applies
to text, words and names, so a pseudonymised JSON carries no original names.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from desktop_app.core.document import DocumentInfo, DocumentStatus, SpeakerInfo
from desktop_app.core.errors import ExportError
from desktop_app.core.transcript import Segment, Transcript, Word
from desktop_app.formats.transcript_bundle import ExportOptions, TranscriptBundle, write_text_atomic

FORMAT_NAME = "verbatim-transcript"
FORMAT_VERSION = 1


def transcript_json(bundle: TranscriptBundle, options: ExportOptions) -> dict[str, Any]:
    doc = bundle.document
    spoken = bundle.spoken
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "document": {
            "id": doc.id,
            "title": spoken(doc.title),
            "media_path": spoken(doc.media_path) if doc.media_path else None,
            "duration": doc.duration,
            "status": str(doc.status),
            "language": doc.language,
            "recorded_date": doc.recorded_date,
            "interviewer": spoken(doc.interviewer) if doc.interviewer else None,
            "participants": bundle.participants_text(options),
        },
        "language": bundle.language,
        "model": dict(bundle.model),
        "speakers": {label: _speaker_json(bundle, label) for label in _labels(bundle)},
        "segments": [_segment_json(bundle, s, options) for s in bundle.transcript.segments],
    }


def _labels(bundle: TranscriptBundle) -> list[str]:
    labels = list(bundle.speakers)
    return labels + [label for label in bundle.transcript.speakers if label not in bundle.speakers]


def _speaker_json(bundle: TranscriptBundle, label: str) -> dict[str, Any]:
    info = bundle.speakers.get(label, SpeakerInfo(label))
    name = bundle.spoken(info.display_name) if info.display_name else None
    return {"name": name, "color": info.color, "participant": info.participant}


def _segment_json(bundle: TranscriptBundle, segment: Segment, options: ExportOptions) -> dict[str, Any]:
    name = bundle.speaker_name(segment.speaker, options) if segment.speaker is not None else None
    item = {
        "start": segment.start,
        "end": segment.end,
        "speaker": segment.speaker,
        "speaker_name": name,
        "text": bundle.spoken(segment.text),
        "words": [_word_json(bundle, w) for w in segment.words],
    }
    if segment.id in bundle.english:  # the stored English beside the turn ('verbatim translate'), for scripts
        item["english"] = bundle.spoken(bundle.english[segment.id])
    return item


def _word_json(bundle: TranscriptBundle, word: Word) -> dict[str, Any]:
    item: dict[str, Any] = {
        "start": word.start,
        "end": word.end,
        "word": bundle.spoken(word.text),
        "probability": word.probability,
        "speaker": word.speaker,
    }
    if word.edited:
        item["edited"] = True  # typed or corrected by a person; times may be interpolated
    return item


def write_json(bundle: TranscriptBundle, path: Path, options: ExportOptions) -> None:
    """The transcript with words, speakers and metadata as UTF-8 JSON (non-ASCII kept as is)."""
    text = json.dumps(transcript_json(bundle, options), ensure_ascii=False, indent=1)
    write_text_atomic(path, text + "\n")


def read_json(path: Path) -> TranscriptBundle:
    """Read a transcript JSON (ours, or the bare ``{"segments": [...]}`` shape) into a bundle."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ExportError(path, f"cannot read: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExportError(path, f"not valid JSON: {exc}") from exc
    try:
        return _bundle_from_json(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ExportError(path, f"not a transcript JSON: {type(exc).__name__} {exc}") from exc


def _bundle_from_json(data: Any) -> TranscriptBundle:
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        raise ValueError("no 'segments' list")
    doc = data.get("document") or {}
    document = DocumentInfo(
        id=int(doc.get("id") or 0),
        title=str(doc.get("title") or ""),
        media_path=doc.get("media_path"),
        duration=_optional_float(doc.get("duration")),
        status=DocumentStatus(doc.get("status") or DocumentStatus.TRANSCRIBED),
        language=doc.get("language"),
        recorded_date=doc.get("recorded_date"),
        interviewer=doc.get("interviewer"),
    )
    segments = [_segment_from_json(s) for s in data["segments"]]
    speakers = _speakers_from_json(data.get("speakers") or {}, data["segments"])
    return TranscriptBundle(
        document=document,
        transcript=Transcript(segments, language=data.get("language")),
        speakers=speakers,
        model={str(k): str(v) for k, v in (data.get("model") or {}).items()},
        participants=str(doc.get("participants") or ""),
    )


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _segment_from_json(item: dict[str, Any]) -> Segment:
    words = [
        Word(
            start=float(w["start"]),
            end=float(w["end"]),
            text=str(w["word"]).strip(),
            probability=float(w.get("probability", 1.0)),
            speaker=w.get("speaker"),
            edited=bool(w.get("edited", False)),
        )
        for w in item.get("words") or []
    ]
    return Segment(
        start=float(item["start"]),
        end=float(item["end"]),
        text=str(item["text"]).strip(),
        speaker=item.get("speaker"),
        words=words,
    )


def _speakers_from_json(block: dict[str, Any], segments: list[dict[str, Any]]) -> dict[str, SpeakerInfo]:
    speakers = {
        str(label): SpeakerInfo(str(label), info.get("name"), info.get("color"), info.get("participant"))
        for label, info in block.items()
    }
    for item in segments:  # files without a speakers block still carry names per segment
        label = item.get("speaker")
        if label is not None and label not in speakers:
            name = item.get("speaker_name")
            speakers[str(label)] = SpeakerInfo(str(label), name if name != label else None)
    return speakers
