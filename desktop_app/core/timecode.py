"""Time codes as researchers read them: ``[00:01:02]`` and ``00:01:02.345``."""

from __future__ import annotations


def split_seconds(seconds: float) -> tuple[int, int, int, int]:
    """Return hours, minutes, seconds and milliseconds of a non-negative time."""
    total_ms = max(0, int(round(seconds * 1000)))
    h, rest = divmod(total_ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return h, m, s, ms


def format_hms(seconds: float) -> str:
    """``3725.4`` -> ``01:02:05`` (whole seconds, rounded down)."""
    h, m, s, _ = split_seconds(int(max(0.0, seconds)))
    return f"{h:02d}:{m:02d}:{s:02d}"


def format_hms_ms(seconds: float, sep: str = ".") -> str:
    """``3725.4`` -> ``01:02:05.400``; ``sep=","`` gives SRT's form."""
    h, m, s, ms = split_seconds(seconds)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def parse_timecode(text: str) -> float:
    """Parse ``hh:mm:ss[.mmm]``, ``mm:ss`` or plain seconds into seconds."""
    cleaned = text.strip().strip("[]#").replace(",", ".")
    parts = cleaned.split(":")
    if not 1 <= len(parts) <= 3:
        raise ValueError(f"not a time code: {text!r}")
    total = 0.0
    for part in parts:
        total = total * 60 + float(part)
    return total
