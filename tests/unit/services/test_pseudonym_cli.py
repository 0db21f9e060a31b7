"""CLI: new --encrypt, import --embed, pseudonyms, export --pseudonymised, encrypt/decrypt/rekey, prompts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.core.transcript import Segment, Word
from desktop_app.services.study import project_service
from desktop_app.storage.transcripts import transcript_repository
from tests.fixtures.speech import SpeechFixture

pytestmark = pytest.mark.slow  # key derivation on every open


def _secret(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text + "\n", encoding="utf-8")
    return path


def test_encrypted_study_end_to_end(
    tmp_path: Path, interview_speech: SpeechFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    pw = _secret(tmp_path, "pw.txt", "first secret")
    study = tmp_path / "s.verbatim"
    recording = tmp_path / "Anna.wav"
    shutil.copy(interview_speech.wav, recording)
    assert run(["new", str(study), "--encrypt", "--passphrase-file", str(pw)]) == 0
    assert "cannot be opened by anyone" in capsys.readouterr().err
    assert run(["import", str(study), str(recording), "--embed", "--passphrase-file", str(pw)]) == 0
    assert "Embedded document 1" in capsys.readouterr().out
    with project_service.open_project(study, passphrase="first secret") as store:
        words = [Word(0, 0.5, "I'm", 0.9, "S1"), Word(0.5, 1, "Anna", 0.9, "S1"), Word(1, 1.5, "Svensson.", 0.9, "S1")]
        transcript_repository.append_segments(store, 1, None, [Segment.from_words(words, "S1")])
        store.db.execute("UPDATE documents SET status = 'transcribed'")
    assert run(["pseudonyms", str(study), "suggest", "--json", "--passphrase-file", str(pw)]) == 0
    assert "Anna Svensson" in [s["identifier"] for s in json.loads(capsys.readouterr().out)["suggestions"]]
    assert run(["pseudonyms", str(study), "add", "Anna Svensson", "[P5]", "--passphrase-file", str(pw)]) == 0
    assert capsys.readouterr().out == "Anna Svensson\t[P5]\n"
    assert run(["pseudonyms", str(study), "hits", "--json", "--passphrase-file", str(pw)]) == 0
    assert json.loads(capsys.readouterr().out)["hits"][0]["text"] == "Anna Svensson"
    out = tmp_path / "t.txt"
    args = ["export", str(study), "1", "-f", "txt", "-o", str(out), "--pseudonymised", "--passphrase-file", str(pw)]
    assert run(args) == 0
    assert "[P5]" in out.read_text(encoding="utf-8") and "Svensson" not in out.read_text(encoding="utf-8")
    key = tmp_path / "key.csv"
    assert run(["pseudonyms", str(study), "export-key", "-o", str(key), "--passphrase-file", str(pw)]) == 0
    assert "Anna Svensson,[P5]" in key.read_text(encoding="utf-8")
    new_pw = _secret(tmp_path, "new.txt", "second secret")
    rekey = ["rekey", str(study), "--passphrase-file", str(pw), "--new-passphrase-file", str(new_pw)]
    assert run(rekey) == 0
    capsys.readouterr()
    assert run(["info", str(study), "--passphrase-file", str(pw)]) == 2
    assert "wrong passphrase" in capsys.readouterr().err
    plain = tmp_path / "plain.verbatim"
    assert run(["decrypt", str(study), "-o", str(plain), "--passphrase-file", str(new_pw)]) == 0
    assert run(["info", str(plain), "--json"]) == 0
    assert "Anna" in capsys.readouterr().out
    assert run(["encrypt", str(plain), "--passphrase-file", str(pw)]) == 0
    assert run(["info", str(plain), "--passphrase-file", str(pw)]) == 0


def test_prompt_is_used_when_no_file_is_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter(["typed secret", "typed secret", "typed secret"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    monkeypatch.setattr("desktop_app.cli.study_access._interactive", lambda: True)
    study = tmp_path / "p.verbatim"
    assert run(["new", str(study), "--encrypt"]) == 0
    assert run(["info", str(study)]) == 0  # asks, because the file is encrypted


def test_mismatched_prompts_and_empty_file_refuse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter(["one", "two"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert run(["new", str(tmp_path / "x.verbatim"), "--encrypt"]) == 2
    assert "differ" in capsys.readouterr().err
    assert not (tmp_path / "x.verbatim").exists()
    empty = _secret(tmp_path, "empty.txt", "")
    assert run(["new", str(tmp_path / "y.verbatim"), "--encrypt", "--passphrase-file", str(empty)]) == 2
    assert "is empty" in capsys.readouterr().err


def test_passphrase_is_not_a_command_line_option() -> None:
    with pytest.raises(SystemExit):
        run(["new", "z.verbatim", "--encrypt", "--passphrase", "oops"])
