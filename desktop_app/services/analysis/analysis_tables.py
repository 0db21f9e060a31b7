"""Summary tables for the write-up: "Table 2" (participants by an attribute) and speaking time.

A :class:`SummaryTable` is plain text cells, so every writer (DOCX, XLSX, CSV, the CLI) can
show it as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from statistics import fmean

from desktop_app.core.coding import Attribute, AttributeType, Participant
from desktop_app.services.analysis.analysis_service import NOT_SET, value_order
from desktop_app.services.participants import participant_service
from desktop_app.services.speakers import speaker_service
from desktop_app.storage.coding import analysis_repository
from desktop_app.storage.connection import guarded
from desktop_app.storage.project_store import ProjectStore

MAX_TEXT_VALUES = 12  # a text attribute with more distinct values is free text, not summarised
DASH = "–"


@dataclass(frozen=True)
class SummaryTable:
    title: str
    headers: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"title": self.title, "headers": self.headers, "rows": self.rows, "notes": self.notes}


def table2(store: ProjectStore, by: str) -> SummaryTable:
    """Participants' characteristics grouped by attribute ``by``: n, mean (range), counts (%)."""
    grouping = participant_service.find_attribute(store, by)
    people = participant_service.participants(store)
    present = {p.values.get(grouping.name, NOT_SET) for p in people}
    groups = value_order(store, grouping.name, present)
    members = {g: [p for p in people if p.values.get(grouping.name, NOT_SET) == g] for g in groups}
    columns = [*(members[g] for g in groups), people]
    headers = ["Characteristic", *(f"{g} (n = {len(members[g])})" for g in groups), f"Total (n = {len(people)})"]
    rows = [["Participants, n", *(str(len(c)) for c in columns)]]
    notes = []
    for attribute in participant_service.attributes(store):
        if attribute.id == grouping.id:
            continue
        summarised = _attribute_rows(attribute, columns)
        if summarised is None:
            notes.append(f"{attribute.name}: free text, not summarised")
        rows.extend(summarised or [])
    return SummaryTable(f"Participant characteristics by {grouping.name}", headers, rows, notes)


def _attribute_rows(attribute: Attribute, columns: list[list[Participant]]) -> list[list[str]] | None:
    if attribute.type in (AttributeType.INTEGER, AttributeType.DECIMAL):
        return [[f"{attribute.name}, mean (range)", *(_mean_range(attribute.name, c) for c in columns)]]
    if attribute.type is AttributeType.DATE:
        return [[f"{attribute.name}, range", *(_date_range(attribute.name, c) for c in columns)]]
    values = sorted({p.values[attribute.name] for p in columns[-1] if attribute.name in p.values}, key=str.casefold)
    if attribute.type is AttributeType.CATEGORY:
        values = [c for c in attribute.choices if c in values] + [v for v in values if v not in attribute.choices]
    elif attribute.type is AttributeType.BOOLEAN:
        values = [v for v in ("yes", "no") if v in values]
    elif len(values) > MAX_TEXT_VALUES:
        return None
    rows = [[f"{attribute.name}, n (%)", *("" for _ in columns)]]
    for value in values:
        rows.append([f"    {value}", *(_count(attribute.name, value, c) for c in columns)])
    missing = [_count_missing(attribute.name, c) for c in columns]
    if any(m != "0" for m in missing):
        rows.append([f"    {NOT_SET}", *missing])
    return rows


def _numbers(name: str, people: list[Participant]) -> list[float]:
    return [float(p.values[name]) for p in people if name in p.values]


def _number(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _mean_range(name: str, people: list[Participant]) -> str:
    numbers = _numbers(name, people)
    if not numbers:
        return DASH
    return f"{fmean(numbers):.1f} ({_number(min(numbers))}{DASH}{_number(max(numbers))})"


def _date_range(name: str, people: list[Participant]) -> str:
    dates = sorted(p.values[name] for p in people if name in p.values)
    return f"{dates[0]} {DASH} {dates[-1]}" if dates else DASH


def _count(name: str, value: str, people: list[Participant]) -> str:
    n = sum(1 for p in people if p.values.get(name) == value)
    return f"{n} ({100 * n / len(people):.0f}%)" if people else "0"


def _count_missing(name: str, people: list[Participant]) -> str:
    return str(sum(1 for p in people if name not in p.values))


# --- speaking time -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpeakingTime:
    """Talk by one participant across the study, or by an unlinked speaker in one document."""

    name: str
    is_participant: bool
    seconds: float
    turns: int
    words: int
    documents: int

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "participant": self.is_participant,
            "seconds": round(self.seconds, 2),
            "turns": self.turns,
            "words": self.words,
            "documents": self.documents,
        }


def speaking_time(store: ProjectStore) -> list[SpeakingTime]:
    """Speaking time per participant (speakers linked to one add up), most talk first.

    Turns give the time; a voice heard only without words (no turn) adds its talk from the speaker
    timeline, as the Speakers tab shows it: to its participant's row, or as a row of its own.
    """
    with guarded(store.path):
        rows = analysis_repository.speaking_time_rows(store)
        turnless = analysis_repository.turnless_speakers(store)
        seen = analysis_repository.participant_documents(store) if turnless else set()
        heard = {doc: speaker_service.timeline_seconds(store, doc) for doc in {t[0] for t in turnless}}
    talk = {
        (str(r[0]), bool(r[1])): SpeakingTime(r[0], bool(r[1]), float(r[2] or 0.0), r[3], int(r[4] or 0), r[5])
        for r in rows
    }
    for document_id, title, label, name, participant in turnless:
        seconds = heard[document_id].get(label, 0.0)
        if not seconds:
            continue
        key = (participant, True) if participant else (f"{title}: {name or label}", False)
        row = talk.get(key, SpeakingTime(key[0], key[1], 0.0, 0, 0, 0))
        new_document = (participant, document_id) not in seen if participant else key not in talk
        seen.add((participant or "", document_id))
        talk[key] = replace(row, seconds=row.seconds + seconds, documents=row.documents + int(new_document))
    return sorted(talk.values(), key=lambda t: (-t.seconds, t.name))
