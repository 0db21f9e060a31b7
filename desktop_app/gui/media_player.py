"""Playback for transcription work: speed with pitch kept, skip, auto-rewind on resume, loop a turn."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QUrl, Signal
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

MIN_RATE, MAX_RATE, RATE_STEP = 0.5, 2.0, 0.1


class MediaPlayer(QObject):
    """A QMediaPlayer with the controls transcribers expect; positions are seconds."""

    position_changed = Signal(float)
    duration_changed = Signal(float)
    playing_changed = Signal(bool)
    rate_changed = Signal(float)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.player = QMediaPlayer(self)
        self.audio = QAudioOutput(self)
        self.player.setAudioOutput(self.audio)
        self.rewind_on_resume = 2.0
        self.skip_seconds = 5.0
        self._loop: tuple[float, float] | None = None
        self._stop_at: float | None = None
        self._device: QBuffer | None = None
        if hasattr(self.player, "setPitchCompensation"):
            self.player.setPitchCompensation(True)
        # Bound methods of this main-thread object, never lambdas: Qt then delivers the player's signals on
        # the GUI thread. A lambda runs on whichever thread emits; if that is a player thread while the GUI
        # thread waits in stop() holding the GIL, the two deadlock (seen in CI).
        self.player.positionChanged.connect(self._position_changed)
        self.player.durationChanged.connect(self._duration_changed)
        self.player.playbackStateChanged.connect(self._state_changed)

    def load(self, path: Path | None) -> None:
        self.stop()
        self._loop = None
        self._release_device()
        self.player.setSource(QUrl.fromLocalFile(str(path)) if path else QUrl())

    def load_bytes(self, data: bytes, name: str = "") -> None:
        """Play a recording held in memory (an embedded one). ``name`` only hints the format to the backend.

        A ``QBuffer`` on purpose: the backend reads it on its own threads without Python (see media_device.py).
        """
        self.stop()
        self._loop = None
        self._release_device()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._device = buffer
        self.player.setSourceDevice(buffer, QUrl(name))

    def _release_device(self) -> None:
        device, self._device = self._device, None
        if device is not None:
            self.player.setSource(QUrl())
            device.close()
            device.deleteLater()

    @property
    def position(self) -> float:
        return self.player.position() / 1000.0

    @property
    def duration(self) -> float:
        return self.player.duration() / 1000.0

    @property
    def playing(self) -> bool:
        return self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def toggle(self) -> None:
        if self.playing:
            self.player.pause()
        else:
            if self.position > 0 and self.rewind_on_resume > 0:
                self.seek(self.position - self.rewind_on_resume)
            self.player.play()

    def play_from(self, seconds: float) -> None:
        self.seek(seconds)
        self.player.play()

    def stop(self) -> None:
        self.player.stop()

    def seek(self, seconds: float) -> None:
        upper = self.duration if self.duration > 0 else seconds
        self.player.setPosition(int(max(0.0, min(seconds, upper)) * 1000))

    def skip(self, direction: int) -> None:
        self.seek(self.position + direction * self.skip_seconds)

    def set_rate(self, rate: float) -> None:
        rate = round(max(MIN_RATE, min(MAX_RATE, rate)), 2)
        self.player.setPlaybackRate(rate)
        self.rate_changed.emit(rate)

    def change_rate(self, steps: int) -> None:
        self.set_rate(self.player.playbackRate() + steps * RATE_STEP)

    def set_volume(self, volume: float) -> None:
        self.audio.setVolume(max(0.0, min(1.0, volume)))

    def play_span(self, start: float, end: float) -> None:
        """Play from ``start`` and pause at ``end`` (a voice sample, an extract)."""
        self._stop_at = end
        self.play_from(start)

    def loop(self, span: tuple[float, float] | None) -> None:
        """Play ``(start, end)`` over and over (None stops looping)."""
        self._loop = span
        if span is not None:
            self.play_from(span[0])

    @property
    def looping(self) -> bool:
        return self._loop is not None

    def _duration_changed(self, ms: int) -> None:
        self.duration_changed.emit(ms / 1000.0)

    def _state_changed(self, state: QMediaPlayer.PlaybackState) -> None:
        self.playing_changed.emit(state == QMediaPlayer.PlaybackState.PlayingState)

    def _position_changed(self, ms: int) -> None:
        seconds = ms / 1000.0
        if self._loop is not None and seconds >= self._loop[1]:
            self.seek(self._loop[0])
            return
        if self._stop_at is not None and seconds >= self._stop_at:
            self._stop_at = None
            self.player.pause()
        self.position_changed.emit(seconds)
