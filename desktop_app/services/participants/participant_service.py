"""Participants (cases) and their typed attributes; the study's label template for quotes.

Values are stored as normalised text: integers as digits, decimals with a point, dates as ISO
``YYYY-MM-DD``, yes/no as ``yes``/``no``, categories as the choice's own spelling. Every change
goes through the journal, so it can be undone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from desktop_app.core.coding import Attribute, AttributeType, Participant
from desktop_app.core.errors import VerbatimError
from desktop_app.services.study.project_service import require_writable
from desktop_app.storage.connection import guarded
from desktop_app.storage.journal import ChangeSet
from desktop_app.storage.participants import participant_repository
from desktop_app.storage.project_store import ProjectStore

LABEL_TEMPLATE_KEY = "participant_label_template"
_YES = {"yes", "y", "true", "1", "ja", "oui", "si", "sí"}
_NO = {"no", "n", "false", "0", "nej", "nein", "non"}
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def attributes(store: ProjectStore) -> list[Attribute]:
    return participant_repository.list_attributes(store)


def find_attribute(store: ProjectStore, name: str) -> Attribute:
    for attribute in attributes(store):
        if attribute.name.casefold() == name.strip().casefold():
            return attribute
    known = ", ".join(a.name for a in attributes(store)) or "none yet"
    raise VerbatimError(store.path, f"has no attribute named {name!r} (attributes: {known})")


def parse_type(store: ProjectStore, type_name: str) -> AttributeType:
    aliases = {"yes/no": "boolean", "bool": "boolean", "int": "integer", "number": "decimal", "float": "decimal"}
    name = aliases.get(type_name.strip().lower(), type_name.strip().lower())
    try:
        return AttributeType(name)
    except ValueError:
        allowed = ", ".join(t.value for t in AttributeType)
        raise VerbatimError(store.path, f"unknown attribute type {type_name!r} (use {allowed})") from None


def add_attribute(
    store: ProjectStore, name: str, kind: AttributeType = AttributeType.TEXT, choices: list[str] | None = None
) -> int:
    """A new attribute; a ``category`` needs its fixed list of ``choices``."""
    require_writable(store)
    with guarded(store.path), store.journal.action(f"Add attribute {name.strip()}") as changes:
        return insert_attribute(changes, store, name, kind, choices or [])


def insert_attribute(
    changes: ChangeSet, store: ProjectStore, name: str, kind: AttributeType, choices: list[str]
) -> int:
    name = name.strip()
    if not name:
        raise VerbatimError(store.path, "an attribute needs a name")
    if name.casefold() in {a.name.casefold() for a in attributes(store)} or name.casefold() == "label":
        raise VerbatimError(store.path, f"an attribute named {name!r} already exists")
    clean = [c.strip() for c in choices if c.strip()]
    if kind is AttributeType.CATEGORY and not clean:
        raise VerbatimError(store.path, f"category attribute {name!r} needs a list of choices")
    if len({c.casefold() for c in clean}) != len(clean):
        raise VerbatimError(store.path, f"attribute {name!r} lists a choice twice")
    position = participant_repository.next_attribute_position(store)
    values = {"name": name, "type": kind.value, "choices": json.dumps(clean, ensure_ascii=False), "position": position}
    return changes.insert("attributes", values)


@dataclass(frozen=True)
class RemovalImpact:
    """What removing a participant or an attribute takes with it, for the confirmation."""

    values: int  # attribute values deleted
    speakers: int = 0  # speakers unlinked (they and their turns stay)
    in_template: bool = False  # the quote label template names the attribute


def attribute_removal_impact(store: ProjectStore, name: str) -> RemovalImpact:
    attribute = find_attribute(store, name)
    values = participant_repository.count_values_of(store, attribute.id)
    placeholders = {p.strip().casefold() for p in _PLACEHOLDER.findall(label_template(store))}
    return RemovalImpact(int(values), in_template=attribute.name.casefold() in placeholders)


def participant_removal_impact(store: ProjectStore, label: str) -> RemovalImpact:
    participant = find_participant(store, label)
    speakers = participant_repository.speaker_ids_of_participant(store, participant.id)
    return RemovalImpact(len(participant.values), speakers=len(speakers))


def remove_attribute(store: ProjectStore, name: str) -> None:
    """Remove an attribute and every participant's value of it (undoable)."""
    require_writable(store)
    attribute = find_attribute(store, name)
    value_ids = participant_repository.value_ids_of_attribute(store, attribute.id)
    with guarded(store.path), store.journal.action(f"Remove attribute {attribute.name}") as changes:
        for value_id in value_ids:
            changes.delete("attribute_values", value_id)
        changes.delete("attributes", attribute.id)


def normalise_value(attribute: Attribute, raw: str) -> str:
    """The stored form of ``raw`` for ``attribute``; raises ValueError saying what is expected."""
    text = raw.strip()
    if attribute.type is AttributeType.INTEGER:
        if not re.fullmatch(r"[+-]?\d+", text):
            raise ValueError(f"{raw!r} is not a whole number")
        return str(int(text))
    if attribute.type is AttributeType.DECIMAL:
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ValueError(f"{raw!r} is not a number") from None
        if not number.is_finite():
            raise ValueError(f"{raw!r} is not a number")
        return format(number.normalize(), "f")
    if attribute.type is AttributeType.DATE:
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError(f"{raw!r} is not a date written YYYY-MM-DD") from None
    if attribute.type is AttributeType.BOOLEAN:
        if text.casefold() in _YES:
            return "yes"
        if text.casefold() in _NO:
            return "no"
        raise ValueError(f"{raw!r} is not yes or no")
    if attribute.type is AttributeType.CATEGORY:
        for choice in attribute.choices:
            if choice.casefold() == text.casefold():
                return choice
        raise ValueError(f"{raw!r} is not one of the choices ({', '.join(attribute.choices)})")
    return text


def participants(store: ProjectStore) -> list[Participant]:
    """Every participant with attribute values keyed by attribute name, by label."""
    names = {a.id: a.name for a in attributes(store)}
    values: dict[int, dict[str, str]] = {}
    for participant_id, attribute_id, value in participant_repository.stored_values(store):
        values.setdefault(participant_id, {})[names[attribute_id]] = value
    return [
        Participant(id_, label, values.get(id_, {})) for id_, label in participant_repository.participant_labels(store)
    ]


def find_participant(store: ProjectStore, label: str) -> Participant:
    for participant in participants(store):
        if participant.label.casefold() == label.strip().casefold():
            return participant
    raise VerbatimError(store.path, f"has no participant {label!r}")


def add_participant(store: ProjectStore, label: str, notes: str = "") -> int:
    require_writable(store)
    label = label.strip()
    if not label:
        raise VerbatimError(store.path, "a participant needs a label")
    if any(p.label.casefold() == label.casefold() for p in participants(store)):
        raise VerbatimError(store.path, f"a participant labelled {label!r} already exists")
    with guarded(store.path), store.journal.action(f"Add participant {label}") as changes:
        return changes.insert("participants", {"label": label, "notes": notes})


def rename_participant(store: ProjectStore, label: str, new_label: str) -> None:
    require_writable(store)
    participant = find_participant(store, label)
    new_label = new_label.strip()
    others = [p for p in participants(store) if p.id != participant.id]
    if not new_label or any(p.label.casefold() == new_label.casefold() for p in others):
        raise VerbatimError(store.path, f"cannot rename {label!r} to {new_label!r}: empty or already used")
    with guarded(store.path), store.journal.action(f"Rename participant {label}") as changes:
        changes.update("participants", participant.id, {"label": new_label})


def remove_participant(store: ProjectStore, label: str) -> None:
    """Remove a participant and its values; speakers linked to it become unlinked (undoable)."""
    require_writable(store)
    participant = find_participant(store, label)
    value_ids = participant_repository.value_ids_of_participant(store, participant.id)
    speaker_ids = participant_repository.speaker_ids_of_participant(store, participant.id)
    with guarded(store.path), store.journal.action(f"Remove participant {participant.label}") as changes:
        for speaker_id in speaker_ids:
            changes.update("speakers", speaker_id, {"participant_id": None})
        for value_id in value_ids:
            changes.delete("attribute_values", value_id)
        changes.delete("participants", participant.id)


def set_value(store: ProjectStore, label: str, attribute_name: str, raw: str | None) -> str | None:
    """Set (or with ``None``/empty, clear) a participant's attribute; returns the stored value."""
    require_writable(store)
    participant = find_participant(store, label)
    attribute = find_attribute(store, attribute_name)
    value = None
    if raw is not None and raw.strip():
        try:
            value = normalise_value(attribute, raw)
        except ValueError as exc:
            raise VerbatimError(store.path, f"{attribute.name} of {participant.label}: {exc}") from None
    with guarded(store.path), store.journal.action(f"Set {attribute.name} of {participant.label}") as changes:
        write_value(changes, store, participant.id, attribute.id, value)
    return value


def write_value(
    changes: ChangeSet, store: ProjectStore, participant_id: int, attribute_id: int, value: str | None
) -> None:
    """Insert, update or delete one stored value inside an open journal action."""
    row_id = participant_repository.value_id(store, participant_id, attribute_id)
    if value is None:
        if row_id is not None:
            changes.delete("attribute_values", row_id)
    elif row_id is None:
        changes.insert(
            "attribute_values", {"participant_id": participant_id, "attribute_id": attribute_id, "value": value}
        )
    else:
        changes.update("attribute_values", row_id, {"value": value})


def participant_id_for(changes: ChangeSet, store: ProjectStore, label: str) -> int:
    """The id of the participant labelled ``label``, created inside ``changes`` if new."""
    found = participant_repository.participant_id(store, label)
    return found if found is not None else changes.insert("participants", {"label": label})


# --- the label template for quotes -------------------------------------------------------------


def label_template(store: ProjectStore) -> str:
    row = participant_repository.setting(store, LABEL_TEMPLATE_KEY)
    return row[1] if row else ""


def set_label_template(store: ProjectStore, template: str) -> None:
    """E.g. ``"{group} {number}"``: placeholders are attribute names or ``label``; empty uses the label."""
    require_writable(store)
    known = {a.name.casefold() for a in attributes(store)} | {"label"}
    unknown = [p for p in _PLACEHOLDER.findall(template) if p.strip().casefold() not in known]
    if unknown:
        raise VerbatimError(store.path, f"the label template names unknown attributes: {', '.join(unknown)}")
    row = participant_repository.setting(store, LABEL_TEMPLATE_KEY)
    with guarded(store.path), store.journal.action("Set participant label template") as changes:
        if row is None:
            changes.insert("settings", {"key": LABEL_TEMPLATE_KEY, "value": template.strip()})
        else:
            changes.update("settings", row[0], {"value": template.strip()})


def render_label(template: str, participant: Participant) -> str:
    """The participant's quote label; its own label when the template is empty or a value is missing."""
    if not template.strip():
        return participant.label
    values = {k.casefold(): v for k, v in participant.values.items()} | {"label": participant.label}
    missing = [p for p in _PLACEHOLDER.findall(template) if not values.get(p.strip().casefold())]
    if missing:
        return participant.label
    rendered = _PLACEHOLDER.sub(lambda m: values[m.group(1).strip().casefold()], template)
    return " ".join(rendered.split())


def quote_labels(store: ProjectStore) -> dict[str, str]:
    """Participant label -> quote label under the study's template."""
    template = label_template(store)
    return {p.label: render_label(template, p) for p in participants(store)}
