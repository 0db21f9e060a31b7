from __future__ import annotations

import io
import subprocess
from pathlib import Path

import numpy as np
import pytest
from faster_whisper import decode_audio

from desktop_app.core.errors import MediaError
from desktop_app.pipeline.audio_decode import SAMPLE_RATE, decode_all, stream_audio


def test_decodes_like_faster_whisper(shared_data: Path) -> None:
    path = shared_data / "jfk.flac"  # 44.1 kHz stereo
    ours = decode_all(path)
    assert ours.dtype == np.float32
    np.testing.assert_array_equal(ours, decode_audio(str(path)))


def test_streams_fixed_blocks_with_their_start_times(shared_data: Path) -> None:
    path = shared_data / "jfk.flac"
    blocks = list(stream_audio(path, block_seconds=3.0))
    assert [start for start, _ in blocks] == [0.0, 3.0, 6.0, 9.0]
    assert [b.size for _, b in blocks[:3]] == [3 * SAMPLE_RATE] * 3
    np.testing.assert_array_equal(np.concatenate([b for _, b in blocks]), decode_all(path))


def test_start_offset_skips_audio_exactly(shared_data: Path) -> None:
    path = shared_data / "mfa_acoustic_corpus.wav"
    whole = decode_all(path)
    tail = decode_all(path, start=3.3)
    first = int(3.3 * SAMPLE_RATE)
    assert tail.size == whole.size - first
    np.testing.assert_allclose(tail[SAMPLE_RATE:], whole[first + SAMPLE_RATE :], atol=1e-3)
    blocks = list(stream_audio(path, start=3.3, block_seconds=10.0))
    assert blocks[0][0] == pytest.approx(3.3) and blocks[1][0] == pytest.approx(13.3)


def test_decodes_from_a_binary_file_object(shared_data: Path) -> None:
    data = (shared_data / "librispeech_1272-128104-0000.wav").read_bytes()
    from_bytes = decode_all(io.BytesIO(data))
    np.testing.assert_array_equal(from_bytes, decode_all(shared_data / "librispeech_1272-128104-0000.wav"))


def test_decodes_compressed_audio(tmp_path: Path, shared_data: Path) -> None:
    ogg = tmp_path / "interview.ogg"
    subprocess.run(["sox", str(shared_data / "librispeech_1272-128104-0000.wav"), str(ogg)], check=True)
    audio = decode_all(ogg)
    assert abs(audio.size / SAMPLE_RATE - 5.855) < 0.1


@pytest.mark.parametrize(("name", "content"), [("empty.wav", b""), ("notes.mp3", b"Interview notes, not audio\n" * 50)])
def test_unreadable_input_names_the_file(tmp_path: Path, name: str, content: bytes) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    with pytest.raises(MediaError, match=name):
        decode_all(bad)


def test_a_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="gone.wav"):
        next(stream_audio(tmp_path / "gone.wav"))
