"""Dragging transcript words onto a code: the drag's payload, a MIME type of our own.

The turn editor puts the selected span (document id, code-point positions at both ends, the words)
beside the usual plain text; the codebook tree reads it back on a drop and codes that span. Code
points, not Qt's UTF-16 positions, so the span means the same to the coding service as Ctrl+K's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QMimeData

from desktop_app.core.coding import TextPosition

SPAN_MIME_TYPE = "application/x-verbatim-transcript-span"


@dataclass(frozen=True)
class DraggedSpan:
    document_id: int
    start: TextPosition
    end: TextPosition
    text: str


def write_span(data: QMimeData, span: DraggedSpan) -> None:
    payload = {
        "document_id": span.document_id,
        "start": [span.start.segment_id, span.start.offset],
        "end": [span.end.segment_id, span.end.offset],
        "text": span.text,
    }
    data.setData(SPAN_MIME_TYPE, QByteArray(json.dumps(payload).encode("utf-8")))


def span_mime(span: DraggedSpan) -> QMimeData:
    """A drag payload holding the span and its words as plain text (for dropping into other programs)."""
    data = QMimeData()
    data.setText(span.text)
    write_span(data, span)
    return data


def read_span(data: QMimeData) -> DraggedSpan | None:
    """The span a drag carries, or None when it carries none (or something malformed)."""
    if not data.hasFormat(SPAN_MIME_TYPE):
        return None
    try:
        payload = json.loads(bytes(data.data(SPAN_MIME_TYPE).data()).decode("utf-8"))
        start, end = payload["start"], payload["end"]
        return DraggedSpan(
            int(payload["document_id"]),
            TextPosition(int(start[0]), int(start[1])),
            TextPosition(int(end[0]), int(end[1])),
            str(payload.get("text", "")),
        )
    except (ValueError, KeyError, TypeError, IndexError):
        return None
