"""ELAN annotation files (``.eaf``, EAF 3.0): one tier per speaker, time slots in milliseconds.

Each segment becomes an alignable annotation on its speaker's tier. The tier is named after the
speaker's display name (made unique) and records it as the tier's ``PARTICIPANT``.
"""

from __future__ import annotations

import mimetypes
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

from desktop_app.formats.transcript_bundle import (
    ExportOptions,
    TranscriptBundle,
    atomic_output,
    xml_safe,
)

XSI = "http://www.w3.org/2001/XMLSchema-instance"
EAF_SCHEMA = "http://www.mpi.nl/tools/elan/EAFv3.0.xsd"
LINGUISTIC_TYPE = "utterance"
SINGLE_TIER = "Transcript"

# The four standard constraints every ELAN file declares.
CONSTRAINTS = {
    "Time_Subdivision": "Time subdivision of parent annotation's time interval, no time gaps allowed "
    "within this interval",
    "Symbolic_Subdivision": "Symbolic subdivision of a parent annotation. Annotations refering to the "
    "same parent are ordered",
    "Symbolic_Association": "1-1 association with a parent annotation",
    "Included_In": "Time alignable annotations within the parent annotation's time interval, gaps are allowed",
}


def _ms(seconds: float) -> int:
    return max(0, int(round(seconds * 1000)))


class _EafBuilder:
    """Collects time slots and annotations, then lays them out in EAF order."""

    def __init__(self) -> None:
        self.slots: list[int] = []
        self.tiers: dict[str, ET.Element] = {}
        self.annotations = 0
        self.tier_ends: dict[str, int] = {}  # ms where each tier's last annotation ends

    def tier(self, tier_id: str, participant: str) -> ET.Element:
        if tier_id not in self.tiers:
            attrs = {"TIER_ID": tier_id, "LINGUISTIC_TYPE_REF": LINGUISTIC_TYPE, "PARTICIPANT": participant}
            self.tiers[tier_id] = ET.Element("TIER", attrs)
        return self.tiers[tier_id]

    def annotate(self, tier: ET.Element, start: float, end: float, value: str) -> None:
        tier_id = tier.get("TIER_ID", "")
        # Annotations on one tier may not overlap in ELAN (edited times can make them), and need a
        # positive length.
        start_ms = max(_ms(start), self.tier_ends.get(tier_id, 0))
        end_ms = max(_ms(end), start_ms + 1)
        self.tier_ends[tier_id] = end_ms
        self.slots += [start_ms, end_ms]
        ref1, ref2 = f"ts{len(self.slots) - 1}", f"ts{len(self.slots)}"
        self.annotations += 1
        annotation = ET.SubElement(tier, "ANNOTATION")
        alignable = ET.SubElement(
            annotation,
            "ALIGNABLE_ANNOTATION",
            {"ANNOTATION_ID": f"a{self.annotations}", "TIME_SLOT_REF1": ref1, "TIME_SLOT_REF2": ref2},
        )
        ET.SubElement(alignable, "ANNOTATION_VALUE").text = xml_safe(value)


def _tier_names(bundle: TranscriptBundle, options: ExportOptions) -> dict[str | None, str]:
    """Speaker label -> unique tier id (display names may repeat after a rename)."""
    names: dict[str | None, str] = {}
    used: set[str] = set()
    labels: list[str | None] = list(bundle.transcript.speakers)
    if any(s.speaker is None for s in bundle.transcript.segments):
        labels.append(None)
    for label in labels:
        name = xml_safe(bundle.speaker_name(label, options)).strip() or (label or SINGLE_TIER)
        if name in used:
            name = f"{name} ({label})"
        used.add(name)
        names[label] = name
    return names


def eaf_tree(bundle: TranscriptBundle, options: ExportOptions) -> ET.ElementTree:
    builder = _EafBuilder()
    tiers: dict[str | None, str] = _tier_names(bundle, options) if bundle.has_speakers else {None: SINGLE_TIER}
    for tier_id in tiers.values():
        builder.tier(tier_id, tier_id if bundle.has_speakers else "")
    for segment in bundle.transcript.segments:
        text = bundle.segment_text(segment, options)
        if text:
            tier_id = tiers[segment.speaker if bundle.has_speakers else None]
            builder.annotate(builder.tier(tier_id, tier_id), segment.start, segment.end, text)
    root = _document(bundle, builder)
    ET.indent(root)
    return ET.ElementTree(root)


def _document(bundle: TranscriptBundle, builder: _EafBuilder) -> ET.Element:
    ET.register_namespace("xsi", XSI)
    root = ET.Element(
        "ANNOTATION_DOCUMENT",
        {
            "AUTHOR": "Verbatim",
            "DATE": datetime.now(UTC).isoformat(timespec="seconds"),
            "FORMAT": "3.0",
            "VERSION": "3.0",
            f"{{{XSI}}}noNamespaceSchemaLocation": EAF_SCHEMA,
        },
    )
    root.append(_header(bundle, builder))
    time_order = ET.SubElement(root, "TIME_ORDER")
    for number, value in enumerate(builder.slots, 1):
        ET.SubElement(time_order, "TIME_SLOT", {"TIME_SLOT_ID": f"ts{number}", "TIME_VALUE": str(value)})
    root.extend(builder.tiers.values())
    ET.SubElement(
        root,
        "LINGUISTIC_TYPE",
        {"LINGUISTIC_TYPE_ID": LINGUISTIC_TYPE, "TIME_ALIGNABLE": "true", "GRAPHIC_REFERENCES": "false"},
    )
    if bundle.language:
        ET.SubElement(root, "LANGUAGE", {"LANG_ID": bundle.language, "LANG_LABEL": bundle.language})
    for stereotype, description in CONSTRAINTS.items():
        ET.SubElement(root, "CONSTRAINT", {"STEREOTYPE": stereotype, "DESCRIPTION": description})
    return root


def _header(bundle: TranscriptBundle, builder: _EafBuilder) -> ET.Element:
    header = ET.Element("HEADER", {"MEDIA_FILE": "", "TIME_UNITS": "milliseconds"})
    media = bundle.spoken(bundle.document.media_path) if bundle.document.media_path else None
    if media:
        media_path = Path(media)
        url = media_path.as_uri() if media_path.is_absolute() else media_path.as_posix()
        mime = mimetypes.guess_type(media_path.name)[0] or "unknown"
        descriptor = {"MEDIA_URL": xml_safe(url), "MIME_TYPE": mime, "RELATIVE_MEDIA_URL": f"./{media_path.name}"}
        ET.SubElement(header, "MEDIA_DESCRIPTOR", descriptor)
    last_id = ET.SubElement(header, "PROPERTY", {"NAME": "lastUsedAnnotationId"})
    last_id.text = str(builder.annotations)
    return header


def write_eaf(bundle: TranscriptBundle, path: Path, options: ExportOptions) -> None:
    """ELAN ``.eaf``: a tier per speaker holding that speaker's segments."""
    tree = eaf_tree(bundle, options)
    with atomic_output(path) as tmp:
        tree.write(tmp, encoding="UTF-8", xml_declaration=True)
