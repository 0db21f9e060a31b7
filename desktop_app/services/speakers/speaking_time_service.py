"""Who talked how much across the study: participants grouped by a participant attribute, for the
Analysis view's chart (one document's speakers are ``speaker_service.speaker_stats``).

Study-wide rows come from :func:`analysis_tables.speaking_time` (speakers linked to one participant
add up across documents); speakers not linked to a participant (often the interviewer) form one
group of their own, so they neither vanish nor swamp the participants.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.services.analysis.analysis_service import NOT_SET, value_order
from desktop_app.services.analysis.analysis_tables import SpeakingTime, speaking_time
from desktop_app.services.participants import participant_service
from desktop_app.storage.project_store import ProjectStore

UNLINKED = "Not linked to a participant"
ALL_PARTICIPANTS = "Participants"


@dataclass(frozen=True)
class SpeakingGroup:
    """Participants sharing an attribute value (or all of them), or the speakers linked to nobody."""

    name: str
    rows: list[SpeakingTime]
    linked: bool = True

    @property
    def seconds(self) -> float:
        return sum(r.seconds for r in self.rows)


def grouped_speaking_time(store: ProjectStore, attribute: str | None = None) -> list[SpeakingGroup]:
    """Participants' speaking time, in groups by ``attribute``'s values (one group if None), most talk
    first within a group; then the unlinked speakers' group, if any."""
    rows = speaking_time(store)
    linked = [r for r in rows if r.is_participant]
    unlinked = [r for r in rows if not r.is_participant]
    if attribute is None:
        groups = [SpeakingGroup(ALL_PARTICIPANTS, linked)] if linked else []
    else:
        name = participant_service.find_attribute(store, attribute).name
        values = {p.label: p.values.get(name, NOT_SET) for p in participant_service.participants(store)}
        members: dict[str, list[SpeakingTime]] = {}
        for row in linked:
            members.setdefault(values.get(row.name, NOT_SET), []).append(row)
        groups = [SpeakingGroup(v, members[v]) for v in value_order(store, name, set(members))]
    return groups + ([SpeakingGroup(UNLINKED, unlinked, linked=False)] if unlinked else [])
