"""Waveform overview of the whole recording with a lane of coloured speaker turns; click to seek.

Talk of a voice heard only without words (no turn: in overlap, or too quiet for the transcriber) is
drawn in the lower half of the lane, in that speaker's colour, so the researcher sees where it is.

The wave and the turns are drawn once into a pixmap (again only when they or the size change); the
playhead, which moves many times a second during playback, is a line over it. Redrawing 1,500 turns
and the wave on every position update took ~30 ms a time and made typing stutter while it played.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap, QPolygonF, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop_app.gui.common.speaker_colors import speaker_color

LANE_HEIGHT = 8


class WaveformView(QWidget):
    seek_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(72)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Click to play from here")
        self._peaks = np.zeros(0, dtype=np.float32)
        self._duration = 0.0
        self._position = 0.0
        self._turns: list[tuple[float, float, str]] = []  # start, end, colour
        self._wordless: list[tuple[float, float, str]] = []  # talk without words: start, end, colour
        self._static: QPixmap | None = None  # wave and turns at the current size

    def set_peaks(self, peaks: np.ndarray, duration: float) -> None:
        self._peaks = peaks
        self._duration = duration
        self._static = None
        self.update()

    def set_turns(
        self,
        turns: list[tuple[float, float, str | None, str | None]],
        speakers: dict[str, str | None] | None = None,
        wordless: list[tuple[float, float, str]] | None = None,
    ) -> None:
        """``(start, end, speaker label, chosen colour)`` for each turn; ``speakers``: every speaker of the
        document and its chosen colour (one heard only without words has no turn but takes a colour), so
        each has the colour it has elsewhere; ``wordless``: (start, end, label) of such a voice's talk."""
        speakers = speakers if speakers is not None else {t[2]: t[3] for t in turns if t[2]}
        order = sorted(speakers)
        self._turns = [(s, e, speaker_color(label, color, order)) for s, e, label, color in turns]
        self._wordless = [(s, e, speaker_color(x, speakers.get(x), order)) for s, e, x in wordless or []]
        self._static = None
        self.update()

    def set_position(self, seconds: float) -> None:
        old = self._x(self._position)
        self._position = seconds
        new = self._x(seconds)
        self.update(int(min(old, new)) - 2, 0, int(abs(new - old)) + 5, self.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._static = None
        super().resizeEvent(event)

    def _x(self, seconds: float) -> float:
        return 0.0 if self._duration <= 0 else seconds / self._duration * self.width()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._static is None or self._static.deviceIndependentSize().toSize() != self.size():
            self._static = self._draw_static()
        painter = QPainter(self)
        painter.setClipRect(event.rect())
        painter.drawPixmap(0, 0, self._static)
        painter.setPen(QPen(QColor("#c0392b"), 2))
        x = self._x(self._position)
        painter.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        painter.end()

    def _draw_static(self) -> QPixmap:
        ratio = self.devicePixelRatioF()  # sharp on high-density screens
        pixmap = QPixmap(round(self.width() * ratio), round(self.height() * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(self.palette().base().color())
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        wave_rect = QRectF(0, 0, self.width(), self.height() - LANE_HEIGHT - 2)
        self._paint_wave(painter, wave_rect)
        for start, end, color in self._turns:
            x0, x1 = self._x(start), self._x(end)
            painter.fillRect(QRectF(x0, self.height() - LANE_HEIGHT, max(1.0, x1 - x0), LANE_HEIGHT), QColor(color))
        for start, end, color in self._wordless:
            x0, x1 = self._x(start), self._x(end)
            painter.fillRect(QRectF(x0, self.height() - LANE_HEIGHT / 2, max(1.0, x1 - x0), LANE_HEIGHT / 2), QColor(color))
        painter.end()
        return pixmap

    def _paint_wave(self, painter: QPainter, rect: QRectF) -> None:
        if self._peaks.size == 0 or rect.width() < 2:
            return
        columns = int(rect.width())
        edges = np.linspace(0, self._peaks.size, columns + 1).astype(int)
        levels = np.array(
            [
                self._peaks[a : max(b, a + 1)].max() if a < self._peaks.size else 0.0
                for a, b in zip(edges[:-1], edges[1:], strict=True)
            ]
        )
        levels = levels / max(float(levels.max()), 1e-6)
        middle, half = rect.center().y(), rect.height() / 2 - 2
        top = [QPointF(i, middle - level * half) for i, level in enumerate(levels)]
        bottom = [QPointF(i, middle + level * half) for i, level in reversed(list(enumerate(levels)))]
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#7a8ca3"))
        painter.drawPolygon(QPolygonF(top + bottom))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._duration > 0 and event.button() == Qt.MouseButton.LeftButton:
            self.seek_requested.emit(
                max(0.0, min(self._duration, event.position().x() / self.width() * self._duration))
            )
