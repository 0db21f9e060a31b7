"""Participants and attribute values in a merge: matched by label and attribute name.

A participant or attribute they have and we lack is added; a value we lack is filled; a value that
differs is a conflict (ours kept, listed). Speaker-to-participant links come with the documents
they belong to only where the document was copied, so none are changed here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from desktop_app.storage.interchange import interchange_repository, merge_repository
from desktop_app.storage.journal import ChangeSet
from desktop_app.storage.project_store import ProjectStore


@dataclass
class PeopleMerge:
    added: int = 0
    conflicts: list[str] = field(default_factory=list)


def _attribute_ids(changes: ChangeSet, store: ProjectStore, other: ProjectStore) -> dict[str, int]:
    ours = {a.name: a.id for a in interchange_repository.attributes(store)}
    for attribute in interchange_repository.attributes(other):
        if attribute.name not in ours:
            ours[attribute.name] = changes.insert(
                "attributes",
                {
                    "name": attribute.name,
                    "type": attribute.type.value,
                    "choices": json.dumps(attribute.choices),
                    "position": len(ours),
                },
            )
    return ours


def merge_participants(changes: ChangeSet, store: ProjectStore, other: ProjectStore) -> PeopleMerge:
    result = PeopleMerge()
    attributes = _attribute_ids(changes, store, other)
    ours = {p.label: p for p in interchange_repository.participants(store)[0]}
    theirs, notes = interchange_repository.participants(other)
    for person in theirs:
        mine = ours.get(person.label)
        if mine is None:
            pid = changes.insert("participants", {"label": person.label, "notes": notes.get(person.id, "")})
            result.added += 1
            values: dict[str, str] = {}
        else:
            pid, values = mine.id, mine.values
        for name, value in person.values.items():
            existing = merge_repository.value_id(store, pid, attributes[name]) if name not in values else None
            if name not in values and existing is not None:  # a row without a value
                changes.update("attribute_values", existing, {"value": value})
            elif name not in values:
                changes.insert(
                    "attribute_values", {"participant_id": pid, "attribute_id": attributes[name], "value": value}
                )
            elif values[name] != value:
                result.conflicts.append(
                    f"{person.label}: {name} is {values[name]!r} here, {value!r} in theirs; ours kept"
                )
    return result
