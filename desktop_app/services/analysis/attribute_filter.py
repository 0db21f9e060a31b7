"""Extracts kept or dropped by the attributes of the participant who speaks them ("group=manager").

A filter is a list of (attribute, value) pairs. Different attributes must all match (AND); the same
attribute given twice matches either value (OR), since a participant has one value per attribute.
Values compare by the attribute's type: ``age=030`` is 30, ``night_worker=Yes`` is yes, ``fte=0,5`` is
0.5, a category ignores case. An unknown attribute, or a value that no participant has and that is
not one of a category's choices, is an error listing the known ones, so a typo never passes for an
empty table. An extract's speaker is the speaker of its first turn, linked to a participant.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop_app.core.coding import Attribute
from desktop_app.core.errors import VerbatimError
from desktop_app.services.analysis import analysis_service
from desktop_app.services.coding import coding_service
from desktop_app.services.participants import participant_service
from desktop_app.storage.connection import guarded
from desktop_app.storage.participants import participant_repository
from desktop_app.storage.project_store import ProjectStore

Pair = tuple[str, str]


def known_values(store: ProjectStore, attribute: Attribute) -> list[str]:
    """The values an attribute can be filtered by: a category's choices, then values participants have."""
    with guarded(store.path):
        present = participant_repository.distinct_values(store, attribute.id)
    return analysis_service.value_order(store, attribute.name, present | set(attribute.choices))


def choices(store: ProjectStore) -> list[tuple[str, list[str]]]:
    """Each attribute with the values a filter menu offers, in the study's attribute order."""
    return [(a.name, known_values(store, a)) for a in participant_service.attributes(store)]


def parse(store: ProjectStore, specs: Sequence[str]) -> list[Pair]:
    """``["group=manager", "age=30"]`` from the command line, checked by :func:`validate`."""
    pairs = []
    for spec in specs:
        name, sep, value = spec.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise VerbatimError(store.path, f"--attr {spec!r}: write ATTRIBUTE=VALUE, e.g. --attr group=manager")
        pairs.append((name.strip(), value.strip()))
    return validate(store, pairs)


def validate(store: ProjectStore, pairs: Sequence[Pair]) -> list[Pair]:
    """The pairs with the attribute's own name and the value as stored; errors list what is known."""
    result = []
    for name, raw in pairs:
        attribute = participant_service.find_attribute(store, name)
        known = known_values(store, attribute)
        listing = ", ".join(known) or "none yet"
        try:
            value = participant_service.normalise_value(attribute, raw)
        except ValueError as exc:
            raise VerbatimError(store.path, f"cannot filter by {attribute.name}: {exc} (values: {listing})") from None
        if value not in known:
            raise VerbatimError(
                store.path, f"no participant has {attribute.name} = {raw!r} (values of {attribute.name}: {listing})"
            )
        result.append((attribute.name, value))
    return result


def passing_codings(
    store: ProjectStore, code_ids: Sequence[int], pairs: Sequence[Pair], *, include_subcodes: bool = True
) -> set[int]:
    """The codings of ``code_ids`` (and their sub-codes) spoken by participants matching every attribute."""
    wanted = list(code_ids)
    if include_subcodes:
        every = coding_service.codes(store)
        for code_id in code_ids:
            wanted.extend(coding_service.descendants(every, code_id))
    found = analysis_service.spans(store, wanted, analysis_service.ExtractFilter(attributes=list(pairs)))
    return {span.coding_id for span in found}


def describe(pairs: Sequence[Pair]) -> str:
    """``group = Manager, age = 30`` (the same attribute twice reads ``group = Manager or Nurse``)."""
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return ", ".join(f"{name} = {' or '.join(values)}" for name, values in grouped.items())
