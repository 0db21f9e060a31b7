"""Encrypt a plain study, decrypt a copy, change the passphrase: data intact, no plain text on disk."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop_app.core.errors import ProjectError
from desktop_app.core.file_hash import file_sha256
from desktop_app.storage import encryption, media_blobs
from desktop_app.storage.project_store import ProjectStore
from tests.fixtures.speech import SpeechFixture

pytestmark = pytest.mark.slow  # each open derives the key (PBKDF2, about 0.3 s)

SECRET_WORDS = "Anna Svensson lives in Malmö"


def _plain_study(folder: Path, recording: Path) -> Path:
    path = folder / "plain.verbatim"
    local = folder / "interview.wav"
    shutil.copy(recording, local)
    with ProjectStore.create(path) as store:
        cursor = store.db.execute(
            "INSERT INTO media (file_name, abs_path, sha256, size, duration, codec, channels, sample_rate, added) "
            "VALUES ('interview.wav', ?, ?, ?, 25.0, 'pcm_s16le', 1, 16000, '2025-01-01')",
            [str(local), file_sha256(local), local.stat().st_size],
        )
        media_id = int(cursor.lastrowid or 0)
        media_blobs.embed_media_file(store, media_id, local)
        store.db.execute("INSERT INTO documents (id, title, media_id, created) VALUES (1, 'P05', ?, 'x')", [media_id])
        store.db.execute(
            "INSERT INTO segments (document_id, seq, start, end, text) VALUES (1, 1, 0, 2, ?)", [SECRET_WORDS]
        )
        store.db.execute("INSERT INTO pseudonyms (identifier, pseudonym) VALUES ('Anna Svensson', '[P5]')")
    return path


@pytest.fixture
def plain(tmp_path: Path, interview_speech: SpeechFixture) -> Path:
    return _plain_study(tmp_path, interview_speech.wav)


def _assert_readable(path: Path, passphrase: str | None, recording: Path) -> None:
    with ProjectStore.open(path, readonly=True, passphrase=passphrase) as store:
        hits = store.db.execute("SELECT rowid FROM segments_fts WHERE segments_fts MATCH 'svensson'").fetchall()
        assert len(hits) == 1
        assert store.db.execute("SELECT pseudonym FROM pseudonyms").fetchone()[0] == "[P5]"
        with media_blobs.open_media_blob(store, 1) as reader:
            assert reader.read() == recording.read_bytes()


def test_encrypted_copy_holds_everything_and_no_plain_text(plain: Path, interview_speech: SpeechFixture) -> None:
    target = plain.with_name("secret.verbatim")
    encryption.encrypt_copy(plain, target, "correct horse battery")
    assert encryption.is_encrypted(target) and not encryption.is_encrypted(plain)
    raw = target.read_bytes()
    assert SECRET_WORDS.encode() not in raw and b"Svensson" not in raw and b"RIFF" not in raw
    assert interview_speech.wav.read_bytes()[1000:1064] not in raw
    _assert_readable(target, "correct horse battery", interview_speech.wav)
    assert not list(plain.parent.glob(".*.part*"))


def test_wrong_or_missing_passphrase_is_a_clear_error(plain: Path) -> None:
    target = plain.with_name("secret.verbatim")
    encryption.encrypt_copy(plain, target, "right")
    with pytest.raises(ProjectError, match="wrong passphrase"):
        ProjectStore.open(target, passphrase="wrong")
    with pytest.raises(ProjectError, match="encrypted: give its passphrase"):
        ProjectStore.open(target)


def test_decrypted_copy_round_trips(plain: Path, interview_speech: SpeechFixture) -> None:
    secret = plain.with_name("secret.verbatim")
    encryption.encrypt_copy(plain, secret, "pass phrase")
    copy = plain.with_name("copy.verbatim")
    encryption.decrypt_copy(secret, copy, "pass phrase")
    assert not encryption.is_encrypted(copy)
    assert SECRET_WORDS.encode() in copy.read_bytes()
    _assert_readable(copy, None, interview_speech.wav)
    with pytest.raises(ProjectError, match="wrong passphrase"):
        encryption.decrypt_copy(secret, plain.with_name("other.verbatim"), "nope")
    assert not plain.with_name("other.verbatim").exists()


def test_encrypt_in_place_replaces_the_plain_file(plain: Path, interview_speech: SpeechFixture) -> None:
    encryption.encrypt_in_place(plain, "it's a 'quoted' passphrase")
    assert encryption.is_encrypted(plain)
    assert not Path(f"{plain}-wal").exists() and not Path(f"{plain}-shm").exists()
    assert sorted(p.name for p in plain.parent.iterdir()) == ["interview.wav", "plain.verbatim"]
    _assert_readable(plain, "it's a 'quoted' passphrase", interview_speech.wav)


def test_rekey_changes_the_passphrase(plain: Path, interview_speech: SpeechFixture) -> None:
    encryption.encrypt_in_place(plain, "old one")
    with ProjectStore.open(plain, passphrase="old one") as store:
        store.db.execute("INSERT INTO codes (name) VALUES ('Stigma')")  # pending in the WAL
        encryption.rekey(store.db, plain, "new 'one'")
    with pytest.raises(ProjectError, match="wrong passphrase"):
        ProjectStore.open(plain, passphrase="old one")
    _assert_readable(plain, "new 'one'", interview_speech.wav)
    with ProjectStore.open(plain, passphrase="new 'one'") as store:
        assert store.db.execute("SELECT name FROM codes").fetchall() == [("Stigma",)]


@pytest.mark.parametrize("passphrase", ["", " padded "])
def test_unusable_passphrases_are_refused(plain: Path, passphrase: str) -> None:
    with pytest.raises(ProjectError, match="passphrase cannot"):
        encryption.encrypt_copy(plain, plain.with_name("x.verbatim"), passphrase)
    assert not plain.with_name("x.verbatim").exists()


def test_refusals_name_the_file(plain: Path) -> None:
    with pytest.raises(ProjectError, match="already exists"):
        encryption.encrypt_copy(plain, plain, "pw")
    with pytest.raises(ProjectError, match="is not encrypted"):
        encryption.decrypt_copy(plain, plain.with_name("y.verbatim"), "pw")
    with pytest.raises(ProjectError, match="does not exist"):
        encryption.encrypt_copy(plain, plain.parent / "missing" / "z.verbatim", "pw2")
    encryption.encrypt_in_place(plain, "pw")
    with pytest.raises(ProjectError, match="already encrypted"):
        encryption.encrypt_copy(plain, plain.with_name("z.verbatim"), "pw")
