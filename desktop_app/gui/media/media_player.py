"""Playback for transcription work: speed with pitch kept, skip, auto-rewind on resume, loop a turn.

Every command to Qt's player (play, pause, stop, seek, a new source, a new speed) is delivered to it queued,
from the event loop, through connections made by signature: Qt then calls the player's C++ slot with no
Python frame on the stack and the GIL free. Called directly from Python, ``QMediaPlayer.stop()`` and
``setSource()`` keep the GIL while they wait on the media backend's threads, and those threads need the GIL
whenever they touch an object created from Python (the player's and audio output's virtual methods): the two
deadlocked, freezing the window (it hung a CI run; py-spy showed the GUI thread in ``stop()`` waiting on a
mutex held by a backend thread that waited for the GIL).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import SIGNAL, SLOT, QByteArray, QDataStream, QIODevice, QObject, Qt, QUrl, Signal
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

MIN_RATE, MAX_RATE, RATE_STEP = 0.5, 2.0, 0.1

# (our request signal, the QMediaPlayer slot it is delivered to)
_QUEUED_SLOTS = (
    ("_play_requested()", "play()"),
    ("_pause_requested()", "pause()"),
    ("_stop_requested()", "stop()"),
    ("_position_requested(qint64)", "setPosition(qint64)"),
    ("_source_requested(QUrl)", "setSource(QUrl)"),
    ("_device_requested(QIODevice*,QUrl)", "setSourceDevice(QIODevice*,QUrl)"),
    ("_rate_requested(double)", "setPlaybackRate(double)"),
)


class MediaPlayer(QObject):
    """A QMediaPlayer with the controls transcribers expect; positions are seconds."""

    position_changed = Signal(float)
    duration_changed = Signal(float)
    playing_changed = Signal(bool)
    rate_changed = Signal(float)

    _play_requested = Signal()
    _pause_requested = Signal()
    _stop_requested = Signal()
    _position_requested = Signal("qint64")  # type: ignore[arg-type]  # a C++ type name: int would be 32-bit
    _source_requested = Signal(QUrl)
    _device_requested = Signal(QIODevice, QUrl)
    _rate_requested = Signal(float)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.player = QMediaPlayer(self)
        self.audio = QAudioOutput(self)
        self.player.setAudioOutput(self.audio)
        self.rewind_on_resume = 2.0
        self.skip_seconds = 5.0
        self._loop: tuple[float, float] | None = None
        self._stop_at: float | None = None
        self._pending_seek: float | None = None  # a seek sent but not yet reported back by the player
        self._rate = 1.0
        self._stream: QDataStream | None = None  # owns the buffer an embedded recording plays from
        self._retired: list[QDataStream] = []  # buffers the player may still hold until it takes the next source
        if hasattr(self.player, "setPitchCompensation"):
            self.player.setPitchCompensation(True)
        for request, slot in _QUEUED_SLOTS:
            QObject.connect(self, SIGNAL(request), self.player, SLOT(slot), Qt.ConnectionType.QueuedConnection)
        # Bound methods of this main-thread object, never lambdas: Qt then delivers the player's signals on
        # the GUI thread.
        self.player.positionChanged.connect(self._position_changed)
        self.player.durationChanged.connect(self._duration_changed)
        self.player.playbackStateChanged.connect(self._state_changed)
        self.player.sourceChanged.connect(self._source_changed)

    def load(self, path: Path | None) -> None:
        self.stop()
        self._loop = None
        self._retire_buffer()
        self._source_requested.emit(QUrl.fromLocalFile(str(path)) if path else QUrl())

    def load_bytes(self, data: bytes, name: str = "") -> None:
        """Play a recording held in memory (an embedded one). ``name`` only hints the format to the backend.

        The buffer is the one ``QDataStream`` makes for itself, created by Qt rather than from Python, so the
        backend reads it on its own threads without ever needing the GIL.
        """
        self.stop()
        self._loop = None
        self._retire_buffer()
        self._stream = QDataStream(QByteArray(data))
        self._device_requested.emit(self._stream.device(), QUrl(name))

    def _retire_buffer(self) -> None:
        if self._stream is not None:
            self._retired.append(self._stream)
            self._stream = None

    def _source_changed(self) -> None:
        """The player took its new source: the buffers of the ones before are no longer read."""
        self._retired.clear()

    @property
    def position(self) -> float:
        if self._pending_seek is not None:
            return self._pending_seek
        return self.player.position() / 1000.0

    @property
    def duration(self) -> float:
        return self.player.duration() / 1000.0

    @property
    def playing(self) -> bool:
        return self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def toggle(self) -> None:
        if self.playing:
            self._pause_requested.emit()
        else:
            if self.position > 0 and self.rewind_on_resume > 0:
                self.seek(self.position - self.rewind_on_resume)
            self._play_requested.emit()

    def play_from(self, seconds: float) -> None:
        self.seek(seconds)
        self._play_requested.emit()

    def stop(self) -> None:
        self._stop_requested.emit()

    def seek(self, seconds: float) -> None:
        upper = self.duration if self.duration > 0 else seconds
        target = max(0.0, min(seconds, upper))
        self._pending_seek = target
        self._position_requested.emit(int(target * 1000))

    def skip(self, direction: int) -> None:
        self.seek(self.position + direction * self.skip_seconds)

    def set_rate(self, rate: float) -> None:
        rate = round(max(MIN_RATE, min(MAX_RATE, rate)), 2)
        self._rate = rate
        self._rate_requested.emit(rate)
        self.rate_changed.emit(rate)

    def change_rate(self, steps: int) -> None:
        self.set_rate(self._rate + steps * RATE_STEP)

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
        self._pending_seek = None
        seconds = ms / 1000.0
        if self._loop is not None and seconds >= self._loop[1]:
            self.seek(self._loop[0])
            return
        if self._stop_at is not None and seconds >= self._stop_at:
            self._stop_at = None
            self._pause_requested.emit()
        self.position_changed.emit(seconds)
