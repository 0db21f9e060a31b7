"""XML helpers shared by the REFI-QDA writers and readers: namespaces, clean text, GUIDs, colours, dates.

Writers build ``xml.etree.ElementTree`` elements (which escape ``&<>"``) from text passed through
:func:`xml_text`, which drops what XML 1.0 cannot hold. Readers parse with defusedxml (no entity
expansion, no external entities) and drop namespaces so any version of the schema, or none, reads alike.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from desktop_app.core.errors import ExportError

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

# Everything XML 1.0 does not allow (C0 controls but tab/newline/return, lone surrogates, U+FFFE/F).
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_GUID = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$")
_HEX_COLOR = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_RGB_COLOR = re.compile(r"^rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*[\d.]+%?\s*)?\)$", re.I)


def illegal_char_offsets(text: str) -> list[int]:
    """Code-point offsets of the characters XML 1.0 cannot carry."""
    return [m.start() for m in _XML_ILLEGAL.finditer(text)]


def xml_text(text: str, where: str, report: list[str]) -> str:
    """``text`` without characters XML 1.0 forbids (reported once per place), line ends as ``\\n``."""
    cleaned, count = _XML_ILLEGAL.subn("", text)
    if count:
        report.append(f"{where}: removed {count} control character(s) that XML cannot carry")
    return cleaned.replace("\r\n", "\n").replace("\r", "\n")


def qualified(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


class ElementBuilder:
    """Makes elements in one namespace, leaving out attributes whose value is None."""

    def __init__(self, ns: str) -> None:
        self.ns = ns

    def make(self, tag: str, parent: ET.Element | None = None, /, **attrs: str | int | None) -> ET.Element:
        values = {k: str(v) for k, v in attrs.items() if v is not None}
        if parent is None:
            return ET.Element(qualified(self.ns, tag), values)
        return ET.SubElement(parent, qualified(self.ns, tag), values)

    def text(self, tag: str, parent: ET.Element, text: str) -> ET.Element:
        element = self.make(tag, parent)
        element.text = text
        return element


def serialise(root: ET.Element, ns: str) -> bytes:
    """UTF-8 XML (no BOM) with the namespace as default and a declaration."""
    ET.register_namespace("", ns)
    ET.register_namespace("xsi", XSI_NS)
    ET.indent(root, space="  ")
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data


def normalise_guid(value: str | None) -> str | None:
    """A GUID as lower-case 8-4-4-4-12 without braces, or None when ``value`` is not one."""
    if value is None:
        return None
    found = _GUID.match(value.strip())
    return found.group(1).lower() if found else None


def normalise_color(value: str | None) -> str | None:
    """``#RRGGBB`` from ``#RGB``, ``#RRGGBB``, ``#RRGGBBAA`` (alpha dropped) or ``rgb(r, g, b)``; else None."""
    if not value:
        return None
    value = value.strip()
    found = _HEX_COLOR.match(value)
    if found:
        digits = found.group(1)
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return "#" + digits[:6]
    found = _RGB_COLOR.match(value)
    if found:
        parts = [int(p) for p in found.groups()]
        if all(p <= 255 for p in parts):
            return "#" + "".join(f"{p:02X}" for p in parts)
    return None


def xml_datetime(value: str | datetime | None) -> str | None:
    """An ``xsd:dateTime`` in UTC (``2024-05-01T10:00:00Z``) from an ISO text or datetime; None if not one."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def milliseconds(seconds: float) -> int:
    return round(seconds * 1000)


def excerpt(text: str, limit: int = 60) -> str:
    """A one-line label for a selection."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "\u2026"


def parse_xml(data: bytes, path: str | Path) -> ET.Element:
    """Parse hostile XML safely and strip namespaces; ``ExportError`` naming ``path`` when refused."""
    try:
        root: ET.Element = SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise ExportError(path, f"refused: the XML declares entities or a DTD ({type(exc).__name__})") from exc
    except ET.ParseError as exc:
        raise ExportError(path, f"not well-formed XML: {exc}") from exc
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.split("}", 1)[1]
    return root


def children(element: ET.Element, tag: str) -> Iterator[ET.Element]:
    """Direct children called ``tag`` (namespaces already stripped)."""
    return (child for child in element if child.tag == tag)


def child_text(element: ET.Element, tag: str) -> str:
    found = element.find(tag)
    return (found.text or "") if found is not None else ""


def int_attr(element: ET.Element, name: str) -> int | None:
    raw = element.get(name)
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def replace_atomically(temp: Path, path: Path) -> None:
    """Move a finished ``temp`` file over ``path`` (same folder), or raise ``ExportError``."""
    try:
        temp.replace(path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise ExportError(path, f"cannot write: {exc.strerror or exc}") from exc


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, so a failure leaves no half file."""
    temp = path.with_name(f".{path.name}.part")
    try:
        temp.write_bytes(data)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise ExportError(path, f"cannot write: {exc.strerror or exc}") from exc
    replace_atomically(temp, path)
