"""What the REFI-QDA layer reads and writes: a whole study as plain core dataclasses, no storage.

A service builds a :class:`QdaProject` from the project store and hands it to the ``refi_qda_*``
writers; the readers return one for a service to store. Ids are the study's own (after an import:
fresh ids from 1). ``guids`` maps ``(kind, id)`` to the GUID an element carries in the exchange file,
so a service that keeps the map (``codes.guid``, ``codings.guid`` in the store) re-exports the same
GUIDs; a missing one is derived (uuid5) from the map's namespace, the study's own GUID, so every
export of a study gives its documents, cases, memos and users the same GUIDs.

Realist evaluation tags (Context, Mechanism, Outcome) are ordinary codes grouped in
:class:`QdaCodeSet`s named after the tag; any other grouping of codes is a set the same way.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.core.coding import Attribute, Code, Coding, Memo, Participant
from desktop_app.core.document import DocumentInfo, SpeakerInfo
from desktop_app.core.transcript import Transcript

# Kinds of element that keep a GUID in ``GuidMap``.
PROJECT = "project"
CODE = "code"
CODING = "coding"
DOCUMENT = "document"
PARTICIPANT = "participant"
ATTRIBUTE = "attribute"
MEMO = "memo"
CODE_SET = "code_set"

CMO_TAGS = ("Context", "Mechanism", "Outcome")


class GuidMap:
    """GUIDs of exported elements by ``(kind, id)``; lower-case 8-4-4-4-12.

    A missing GUID is uuid5 of ``namespace`` (the study's GUID) and ``kind:id``: stable across exports
    of one study and distinct between studies. Without a namespace a random one is used.
    """

    def __init__(self, known: dict[tuple[str, int], str] | None = None, namespace: str | None = None) -> None:
        self._guids: dict[tuple[str, int], str] = dict(known or {})
        self.namespace = uuid.UUID(namespace) if namespace else uuid.uuid4()

    def get(self, kind: str, item_id: int) -> str:
        key = (kind, item_id)
        if key not in self._guids:
            self._guids[key] = str(uuid.uuid5(self.namespace, f"{kind}:{item_id}"))
        return self._guids[key]

    def derived(self, role: str) -> str:
        """A GUID for something without an id (a user by name): uuid5 of the namespace and ``role``."""
        return str(uuid.uuid5(self.namespace, role))

    def set(self, kind: str, item_id: int, guid: str) -> None:
        self._guids[(kind, item_id)] = guid

    def find(self, kind: str, guid: str) -> int | None:
        """The id that ``guid`` belongs to, if any."""
        return next((i for (k, i), g in self._guids.items() if k == kind and g == guid), None)

    def items(self) -> dict[tuple[str, int], str]:
        return dict(self._guids)


def derived_guid(base: str, role: str) -> str:
    """A GUID made from another one and a role: stable across exports (uuid5)."""
    return str(uuid.uuid5(uuid.UUID(base), role))


@dataclass
class QdaUser:
    """Someone who coded or wrote memos; ``guid`` empty means make one."""

    name: str
    guid: str = ""


@dataclass
class QdaMedia:
    """A document's recording: a file on disk (``path``) or its bytes (an embedded, encrypted study)."""

    file_name: str
    path: Path | None = None
    data: bytes | None = None


@dataclass
class QdaDocument:
    """One interview or focus group: metadata, transcript (segments with ids), speakers, recording."""

    info: DocumentInfo
    transcript: Transcript = field(default_factory=Transcript)
    speakers: list[SpeakerInfo] = field(default_factory=list)
    media: QdaMedia | None = None

    def speaker_names(self) -> dict[str, str]:
        """Display name by speaker label (a label with no SpeakerInfo names itself)."""
        names = {s.label: s.name for s in self.speakers}
        for label in self.transcript.speakers:
            names.setdefault(label, label)
        return names


@dataclass
class QdaCodeSet:
    """A named group of codes (e.g. the realist tag ``Context``)."""

    id: int
    name: str
    code_ids: list[int] = field(default_factory=list)
    description: str = ""


@dataclass
class QdaProject:
    """A study as the exchange format sees it."""

    name: str
    users: list[QdaUser] = field(default_factory=list)
    codes: list[Code] = field(default_factory=list)
    code_sets: list[QdaCodeSet] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    participants: list[Participant] = field(default_factory=list)
    documents: list[QdaDocument] = field(default_factory=list)
    codings: list[Coding] = field(default_factory=list)
    memos: list[Memo] = field(default_factory=list)
    description: str = ""
    guids: GuidMap = field(default_factory=GuidMap)
    participant_notes: dict[int, str] = field(default_factory=dict)  # a case's description, by participant id
    document_variables: dict[int, dict[str, str]] = field(default_factory=dict)  # another tool's file variables

    def user_guid(self, name: str) -> str:
        """The GUID of the user called ``name``, adding the user when new."""
        for user in self.users:
            if user.name == name:
                if not user.guid:
                    user.guid = self.guids.derived(f"user:{name}")
                return user.guid
        user = QdaUser(name, self.guids.derived(f"user:{name}"))
        self.users.append(user)
        return user.guid

    def user_name(self, guid: str | None) -> str:
        if not guid:
            return ""
        return next((u.name for u in self.users if u.guid.lower() == guid.lower()), "")

    def document(self, document_id: int) -> QdaDocument | None:
        return next((d for d in self.documents if d.info.id == document_id), None)


@dataclass
class ImportResult:
    """What a reader found: the project, one line per thing it could not bring in, and the files
    outside the archive it refers to (read only when the user allowed it)."""

    project: QdaProject
    report: list[str] = field(default_factory=list)
    external_files: list[str] = field(default_factory=list)
