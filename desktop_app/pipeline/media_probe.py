"""Find out what a recording is before it enters a study: codec, channels, rate, true duration, hash.

The whole audio stream is decoded once (without resampling, which is cheap) so that the duration
is exact and a damaged or truncated file is refused at import rather than halfway through a
transcription.
"""

from __future__ import annotations

from pathlib import Path

import av

from desktop_app.core.document import MediaInfo
from desktop_app.core.errors import MediaError
from desktop_app.core.file_hash import file_sha256
from desktop_app.pipeline import container_integrity

# A file whose decoded audio is this much shorter than its header claims was cut off.
TRUNCATION_TOLERANCE = 0.05  # fraction of the declared duration
TRUNCATION_MIN_SECONDS = 1.0
# A WAV header states its data size exactly, so any shortfall beyond rounding is a cut-off file.
EXACT_HEADER_TOLERANCE_SECONDS = 0.1


def probe_media(path: Path) -> MediaInfo:
    """Probe ``path``; raise :class:`MediaError` naming the file and the problem."""
    path = Path(path)
    _check_file(path)
    try:
        container = av.open(str(path), mode="r")
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise MediaError(path, "is not an audio or video file that Verbatim can read") from exc
    with container:
        if not container.streams.audio:
            kind = "video file" if container.streams.video else "file"
            raise MediaError(path, f"is a {kind} with no audio track")
        stream = container.streams.audio[0]
        declared = _declared_duration(container, stream)
        decoded = _decoded_seconds(path, container, stream)
        container_name = container.format.name
        info = MediaInfo(
            file_name=path.name,
            size=path.stat().st_size,
            sha256="",
            duration=decoded,
            codec=stream.codec_context.name,
            channels=stream.codec_context.channels,
            sample_rate=stream.codec_context.sample_rate,
            container=container.format.name,
        )
    _check_truncation(path, declared, decoded)
    _check_container(path, container_name, decoded)
    info.sha256 = file_sha256(path)
    return info


def _check_file(path: Path) -> None:
    if not path.exists():
        raise MediaError(path, "does not exist")
    if not path.is_file():
        raise MediaError(path, "is not a file")
    if path.stat().st_size == 0:
        raise MediaError(path, "is empty (0 bytes)")


# Raw elementary streams carry no length: FFmpeg estimates it from the bitrate, which for variable-bitrate
# audio can be seconds off on an intact file, so it cannot reveal truncation.
ESTIMATED_DURATION_FORMATS = {"aac", "ac3", "eac3"}


def _declared_duration(container: av.container.InputContainer, stream: av.audio.AudioStream) -> float | None:
    if container.format.name in ESTIMATED_DURATION_FORMATS:
        return None
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None


def _decoded_seconds(path: Path, container: av.container.InputContainer, stream: av.audio.AudioStream) -> float:
    samples = 0
    rate = stream.codec_context.sample_rate or 0
    try:
        for frame in container.decode(stream):
            samples += frame.samples
            rate = frame.sample_rate or rate
    except av.error.FFmpegError as exc:
        raise MediaError(path, f"is damaged: decoding stopped after {samples / max(rate, 1):.1f} s ({exc})") from exc
    if samples == 0 or rate == 0:
        raise MediaError(path, "contains no decodable audio")
    return samples / rate


def _check_truncation(path: Path, declared: float | None, decoded: float, *, exact: bool = False) -> None:
    if declared is None or declared <= 0:
        return
    missing = declared - decoded
    allowed = EXACT_HEADER_TOLERANCE_SECONDS if exact else max(TRUNCATION_MIN_SECONDS, TRUNCATION_TOLERANCE * declared)
    if missing > allowed:
        raise MediaError(
            path, f"is truncated: its header says {declared:.1f} s but only {decoded:.1f} s of audio could be read"
        )


def _check_container(path: Path, container_name: str, decoded: float) -> None:
    """Truncation FFmpeg does not report: a WAV shorter than its header, an Ogg file cut mid-page."""
    if container_name == "wav":
        _check_truncation(path, container_integrity.wav_declared_seconds(path), decoded, exact=True)
    elif container_name == "ogg" and container_integrity.ogg_incomplete_page(path) is not None:
        raise MediaError(
            path,
            f"is truncated: the file stops part-way through its audio data after {decoded:.1f} s "
            "(the rest of the recording is missing; copy or export it again)",
        )
