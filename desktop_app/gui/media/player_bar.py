"""Player controls: play/pause, skip, time, speed, volume, loop the turn, follow playback."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel, QSlider, QStyle, QToolButton, QWidget

from desktop_app.core.timecode import format_hms
from desktop_app.gui.media.media_player import MAX_RATE, MIN_RATE, RATE_STEP, MediaPlayer

Icon = QStyle.StandardPixmap


class PlayerBar(QWidget):
    def __init__(self, player: MediaPlayer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.player = player
        self.back_button = self._button(Icon.SP_MediaSeekBackward, "Skip back (F3)", lambda: player.skip(-1))
        self.play_button = self._button(Icon.SP_MediaPlay, "Play / pause (Esc or F4)", player.toggle)
        self.forward_button = self._button(Icon.SP_MediaSeekForward, "Skip forward (F6)", lambda: player.skip(1))
        self.loop_button = self._button(Icon.SP_BrowserReload, "Loop the current turn (F8)", None)
        self.loop_button.setCheckable(True)
        self.follow_button = self._button(Icon.SP_ArrowDown, "Follow playback in the transcript (F9)", None)
        self.follow_button.setCheckable(True)
        self.follow_button.setChecked(True)
        self.time_label = QLabel("00:00:00 / 00:00:00")
        self.time_label.setMinimumWidth(140)
        self.rate = self._rate_box()
        self.volume = self._volume_slider()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        for button in (self.back_button, self.play_button, self.forward_button, self.time_label):
            layout.addWidget(button)
        layout.addStretch()
        for widget in (
            QLabel("Speed"),
            self.rate,
            self._icon_label(Icon.SP_MediaVolume),
            self.volume,
            self.loop_button,
            self.follow_button,
        ):
            layout.addWidget(widget)
        player.position_changed.connect(self._show_time)
        player.duration_changed.connect(lambda _d: self._show_time(player.position))
        player.playing_changed.connect(
            lambda playing: self.play_button.setIcon(
                self.style().standardIcon(Icon.SP_MediaPause if playing else Icon.SP_MediaPlay)
            )
        )

    def _rate_box(self) -> QDoubleSpinBox:
        """Playback speed, following the player when a key changes it."""
        rate = QDoubleSpinBox()
        rate.setRange(MIN_RATE, MAX_RATE)
        rate.setSingleStep(RATE_STEP)
        rate.setDecimals(1)
        rate.setSuffix("×")
        rate.setValue(1.0)
        rate.setToolTip("Playback speed, pitch kept (F1 slower, F2 faster)")
        rate.valueChanged.connect(self.player.set_rate)
        self.player.rate_changed.connect(self._show_rate)
        return rate

    def _volume_slider(self) -> QSlider:
        volume = QSlider(Qt.Orientation.Horizontal)
        volume.setRange(0, 100)
        volume.setValue(100)
        volume.setMaximumWidth(100)
        volume.setToolTip("Volume")
        volume.valueChanged.connect(lambda v: self.player.set_volume(v / 100))
        return volume

    def _icon_label(self, icon: QStyle.StandardPixmap) -> QLabel:
        label = QLabel()
        label.setPixmap(self.style().standardIcon(icon).pixmap(16, 16))
        return label

    def _button(self, icon: QStyle.StandardPixmap, tip: str, slot: object) -> QToolButton:
        button = QToolButton()
        button.setIcon(self.style().standardIcon(icon))
        button.setToolTip(tip)
        button.setMinimumSize(32, 28)
        if slot is not None:
            button.clicked.connect(slot)
        return button

    def _show_time(self, seconds: float) -> None:
        self.time_label.setText(f"{format_hms(seconds)} / {format_hms(self.player.duration)}")

    def _show_rate(self, rate: float) -> None:
        if abs(self.rate.value() - rate) > 1e-6:
            self.rate.blockSignals(True)
            self.rate.setValue(rate)
            self.rate.blockSignals(False)
