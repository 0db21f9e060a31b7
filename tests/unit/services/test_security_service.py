"""Encrypted study with embedded media: transcribe from the study (original deleted), rekey, decrypt."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop_app.core.errors import ProjectError
from desktop_app.services.study import import_service, project_service, security_service
from desktop_app.services.transcription import transcription_service as ts
from tests.fixtures.speech import SpeechFixture

pytestmark = pytest.mark.slow


@pytest.fixture
def encrypted_study(tmp_path: Path, interview_speech: SpeechFixture) -> Path:
    recording = tmp_path / "P05 Anna.wav"
    shutil.copy(interview_speech.wav, recording)
    path = tmp_path / "secret.verbatim"
    with project_service.create_project(path, passphrase="pw one") as store:
        result = import_service.import_recordings(store, [recording])
        assert result.ok
        stored = security_service.embed_document_media(store, result.imported[0].id)
        assert stored == recording.stat().st_size
        assert security_service.embed_document_media(store, result.imported[0].id) == 0
    recording.unlink()  # from now on the study is the only copy
    return path


def test_transcribes_embedded_media_without_the_original(
    encrypted_study: Path, interview_speech: SpeechFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    with project_service.open_project(encrypted_study, passphrase="pw one") as store:
        audio, opener = security_service.engine_audio(store, 1)
        assert opener is not None and audio == Path("P05 Anna.wav") and "pw one" not in repr(opener)
        outcome = ts.transcribe_document(store, 1, ts.TranscriptionOptions(model="tiny.en", language="en"))
        assert outcome.state == "finished"
        text = " ".join(s[0] for s in store.db.execute("SELECT text FROM segments").fetchall()).lower()
        with security_service.open_document_media(store, 1) as stream:
            assert stream.read() == interview_speech.wav.read_bytes()
    assert len(text.split()) > 20
    # Nothing of the recording or transcript reaches temp; onnxruntime (Silero VAD) leaves a 51-byte
    # session-id file ".ses" there, which holds a number and a UUID only.
    leftovers = {p.name: p.read_bytes() for p in scratch.rglob("*") if p.is_file()}
    assert set(leftovers) <= {".ses"}
    assert all(len(data) < 100 and b"RIFF" not in data for data in leftovers.values())
    assert sorted(p.name for p in encrypted_study.parent.iterdir() if p.is_file()) == ["secret.verbatim"]


def test_rekey_then_decrypt_a_copy(encrypted_study: Path, tmp_path: Path) -> None:
    security_service.rekey_study(encrypted_study, "pw one", "pw two")
    with pytest.raises(ProjectError, match="wrong passphrase"):
        project_service.open_project(encrypted_study, passphrase="pw one")
    copy = security_service.decrypt_study(encrypted_study, "pw two", tmp_path / "plain.verbatim")
    assert not security_service.is_encrypted(copy.path) and copy.size > 0
    with project_service.open_project(copy.path) as store, security_service.open_document_media(store, 1) as stream:
        assert stream.read(4) == b"RIFF"
    with project_service.open_project(copy.path) as store, pytest.raises(ProjectError, match="not encrypted"):
        security_service.change_passphrase(store, "x")
    again = security_service.encrypt_study(copy.path, "pw three")
    assert security_service.is_encrypted(again.path)
    with project_service.open_project(copy.path, passphrase="pw three") as store:
        assert project_service.list_documents(store)[0].title == "P05 Anna"
