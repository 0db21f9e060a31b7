"""Documents (interviews, focus groups) and the media they were made from."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DocumentStatus(StrEnum):
    IMPORTED = "imported"
    TRANSCRIBING = "transcribing"
    TRANSCRIBED = "transcribed"
    CHECKED = "checked"


@dataclass
class MediaInfo:
    """What probing a recording found out about it."""

    file_name: str
    size: int
    sha256: str
    duration: float
    codec: str
    channels: int
    sample_rate: int
    container: str = ""


@dataclass
class DocumentInfo:
    """A document as exports and lists see it (metadata, no transcript)."""

    id: int
    title: str
    media_path: str | None = None
    duration: float | None = None
    status: DocumentStatus = DocumentStatus.IMPORTED
    language: str | None = None
    recorded_date: str | None = None
    interviewer: str | None = None
    field_notes: str = ""
    setting: str | None = None  # where the interview took place ("participant's home", "ward office")
    interview_format: str | None = None  # how: "in person", "telephone", "video call"


@dataclass
class SpeakerInfo:
    """A voice in one document: machine label (``S1``), the name a researcher gave it, colour."""

    label: str
    display_name: str | None = None
    color: str | None = None
    participant: str | None = None

    @property
    def name(self) -> str:
        return self.display_name or self.label

    @property
    def identified(self) -> bool:
        """Named by the researcher or linked to a participant: a known person, not only a voice."""
        return bool(self.display_name or self.participant)
