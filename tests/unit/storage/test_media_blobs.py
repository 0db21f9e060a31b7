"""Embedded recordings: chunked blobs read back byte-exact, seekable, decodable, openable in a child."""

from __future__ import annotations

import io
import pickle
import random
import shutil
from pathlib import Path

import numpy as np
import pytest

from desktop_app.core.errors import MediaError
from desktop_app.core.file_hash import file_sha256
from desktop_app.pipeline.audio_decode import decode_all
from desktop_app.storage import media_blobs
from desktop_app.storage.project_store import ProjectStore
from tests.fixtures.speech import SpeechFixture


def _add_media_row(store: ProjectStore, source: Path) -> int:
    cursor = store.db.execute(
        "INSERT INTO media (file_name, abs_path, sha256, size, duration, codec, channels, sample_rate, added) "
        "VALUES (?, ?, ?, ?, 1.0, 'pcm_s16le', 1, 16000, '2025-01-01')",
        [source.name, str(source), file_sha256(source), source.stat().st_size],
    )
    return int(cursor.lastrowid or 0)


@pytest.fixture
def recording(tmp_path: Path, interview_speech: SpeechFixture) -> Path:
    copy = tmp_path / "interview.wav"
    shutil.copy(interview_speech.wav, copy)
    return copy


def test_embedded_bytes_read_back_exactly_across_chunk_boundaries(store: ProjectStore, recording: Path) -> None:
    media_id = _add_media_row(store, recording)
    stored = media_blobs.embed_media_file(store, media_id, recording, chunk_size=4096)
    original = recording.read_bytes()
    assert stored == len(original)
    assert media_blobs.is_embedded(store, media_id)
    assert media_blobs.embedded_bytes(store) == len(original)
    chunks = store.db.execute("SELECT count(*) FROM media_chunks WHERE media_id = ?", [media_id]).fetchone()[0]
    assert chunks == -(-len(original) // 4096)
    with media_blobs.open_media_blob(store, media_id) as reader:
        assert reader.read() == original
        assert reader.read() == b""


def test_random_seeks_and_reads_match_the_file(store: ProjectStore, recording: Path) -> None:
    media_id = _add_media_row(store, recording)
    media_blobs.embed_media_file(store, media_id, recording, chunk_size=1000)
    expected = io.BytesIO(recording.read_bytes())
    rng = random.Random(7)
    with media_blobs.open_media_blob(store, media_id) as reader:
        assert reader.seekable() and reader.readable() and not reader.writable()
        for _ in range(300):
            whence = rng.choice([io.SEEK_SET, io.SEEK_CUR, io.SEEK_END])
            offset = rng.randint(-3000, 3000) if whence != io.SEEK_SET else rng.randint(0, reader.size + 10)
            base = {io.SEEK_SET: 0, io.SEEK_CUR: expected.tell(), io.SEEK_END: reader.size}[whence]
            if base + offset < 0:
                continue
            assert reader.seek(offset, whence) == expected.seek(offset, whence)
            size = rng.choice([0, 1, 999, 1000, 1001, 5000])
            assert reader.read(size) == expected.read(size)
            assert reader.tell() == expected.tell()
        with pytest.raises(ValueError):
            reader.seek(-1)
    with pytest.raises(ValueError):
        reader.read(1)


def test_decoding_from_the_blob_gives_the_same_samples_as_the_file(store: ProjectStore, recording: Path) -> None:
    media_id = _add_media_row(store, recording)
    media_blobs.embed_media_file(store, media_id, recording)
    from_file = decode_all(recording)
    with media_blobs.open_media_blob(store, media_id) as reader:
        from_blob = decode_all(reader)  # type: ignore[arg-type]
    assert from_file.size > 16000 * 10
    np.testing.assert_array_equal(from_blob, from_file)


def test_a_changed_file_is_not_embedded(store: ProjectStore, recording: Path) -> None:
    media_id = _add_media_row(store, recording)
    with recording.open("r+b") as handle:
        handle.seek(2000)
        handle.write(b"\x00\x01\x02\x03")
    with pytest.raises(MediaError, match="changed since it was imported"):
        media_blobs.embed_media_file(store, media_id, recording)
    assert not media_blobs.is_embedded(store, media_id)
    assert media_blobs.embedded_bytes(store) == 0
    with pytest.raises(MediaError, match="not embedded"):
        media_blobs.open_media_blob(store, media_id)


def test_unknown_media_and_unreadable_file_are_clear_errors(store: ProjectStore, recording: Path) -> None:
    with pytest.raises(MediaError, match="no recording with id 99"):
        media_blobs.embed_media_file(store, 99, recording)
    media_id = _add_media_row(store, recording)
    recording.unlink()
    with pytest.raises(MediaError, match="cannot be read"):
        media_blobs.embed_media_file(store, media_id, recording)


def test_opener_is_picklable_hides_the_passphrase_and_opens_an_encrypted_study(tmp_path: Path, recording: Path) -> None:
    path = tmp_path / "secret.verbatim"
    with ProjectStore.create(path, passphrase="correct horse") as store:
        media_id = _add_media_row(store, recording)
        media_blobs.embed_media_file(store, media_id, recording)
    opener = media_blobs.EmbeddedMediaOpener(path, media_id, "correct horse")
    assert "correct horse" not in repr(opener)
    clone = pickle.loads(pickle.dumps(opener))
    with clone() as reader:
        assert reader.name == "interview.wav"
        assert reader.read() == recording.read_bytes()
    wrong = media_blobs.EmbeddedMediaOpener(path, media_id, "wrong")
    with pytest.raises(Exception, match="wrong passphrase"):
        wrong()
