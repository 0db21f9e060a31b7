"""What the window asks of voices known across interviews: proposals with what is needed to show them.

``voice_identification.identify`` compares voices; this adds what a researcher reads beside a
proposal (the title of the recording the person was named in) and, when there is nothing to
propose, why: nobody named in the study's other recordings yet, or everyone here named already.
Accepting goes through ``speaker_service.name_speakers``: one journal action, so Undo takes it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.services.speakers import speaker_service, voice_identification
from desktop_app.services.speakers.voice_identification import VoiceMatch
from desktop_app.services.study import project_service
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import transcript_repository

NOBODY_NAMED = "No speaker is named in the study's other recordings yet."
ALL_NAMED = "Every speaker in this recording is named already."
NO_SPEAKERS = "This recording has no speakers yet: transcribe it with speakers first."
NO_VOICE = "No voice could be compared: the speakers here, or those named elsewhere, say too little."


@dataclass(frozen=True)
class KnownVoices:
    """The proposals for one document, best first, or ``why`` there are none."""

    document_id: int
    matches: list[VoiceMatch] = field(default_factory=list)
    titles: dict[int, str] = field(default_factory=dict)  # the study's documents (where each person was named)
    why: str = ""

    def describe(self, match: VoiceMatch) -> str:
        """ "S2 sounds like Moderator (P01) — confidence 0.78 — heard in “FG 1”"."""
        who = f"{match.name} ({match.participant})" if match.participant else match.name
        where = self.titles.get(match.document_id, f"document {match.document_id}")
        return f"{match.label} sounds like {who} — confidence {match.confidence:.2f} — heard in “{where}”"


def find_known_voices(store: ProjectStore, document_id: int) -> KnownVoices:
    """Proposals for the document's unnamed speakers (nothing is applied). Decodes the recordings whose voice
    prints are not in the study yet (seconds each): run it off the GUI thread, on a connection of its own."""
    speakers = transcript_repository.list_speakers(store, document_id)
    if not speakers:
        return KnownVoices(document_id, why=NO_SPEAKERS)
    if all(info.identified for info in speakers.values()):
        return KnownVoices(document_id, why=ALL_NAMED)
    documents = project_service.list_documents(store)
    titles = {d.id: d.title for d in documents}  # this one's too, for what is said about it
    others = [d for d in documents if d.id != document_id and d.status.value in ("transcribed", "checked")]
    if not any(_has_named(store, d.id) for d in others):
        return KnownVoices(document_id, titles=titles, why=NOBODY_NAMED)
    matches = voice_identification.identify(store, document_id)
    return KnownVoices(document_id, matches, titles, "" if matches else NO_VOICE)


def find_in_study(study: Path, passphrase: str | None, readonly: bool, document_id: int) -> KnownVoices:
    """``find_known_voices`` on a connection opened for it (a writable one keeps the new voice prints in the study)."""
    with project_service.open_project(study, readonly=readonly, passphrase=passphrase) as store:
        return find_known_voices(store, document_id)


def accept(store: ProjectStore, document_id: int, matches: list[VoiceMatch]) -> None:
    """Name (and link) the speakers of ``matches`` as proposed, as one action Undo takes back."""
    speaker_service.name_speakers(store, document_id, [(m.label, m.name, m.participant) for m in matches])


def _has_named(store: ProjectStore, document_id: int) -> bool:
    return any(info.identified for info in transcript_repository.list_speakers(store, document_id).values())


__all__ = ["KnownVoices", "accept", "find_in_study", "find_known_voices"]
