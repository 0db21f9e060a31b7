"""Every command on a study takes ``--passphrase-file`` (or asks); a passphrase file others may read is used
with a warning; encrypt and rekey say what happened to the study's backups."""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path

import pytest

from desktop_app import cli
from desktop_app.cli import study_access
from desktop_app.services.study import backup_service
from desktop_app.storage import encryption

SECRET = "blue kettle 42"


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    [sub] = [a for a in cli.build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def _study_commands() -> list[str]:
    return [name for name, p in _subcommands().items() if any(a.dest == "study" for a in p._actions)]


def _minimal_arguments(parser: argparse.ArgumentParser) -> list[str]:
    """Placeholders for a subcommand's required arguments (positionals, required options), so it parses."""
    argv: list[str] = []
    for action in parser._actions:
        optional = not action.required if action.option_strings else action.nargs in ("?", "*")
        if optional:
            continue
        value = str(list(action.choices)[0]) if action.choices else "1"
        argv += [*action.option_strings[:1], *[value] * (action.nargs if isinstance(action.nargs, int) else 1)]
    return argv


def test_every_command_on_a_study_takes_a_passphrase_file() -> None:
    commands = _study_commands()
    assert {"code", "participants", "codes", "diarize", "backup", "info"} <= set(commands)
    for name in commands:
        argv = [name, *_minimal_arguments(_subcommands()[name]), "--passphrase-file", "key.txt"]
        args = cli.build_parser().parse_args(argv)
        assert args.passphrase_file == Path("key.txt"), name
    with pytest.raises(SystemExit):  # not abbreviated: a passphrase never goes on the command line
        cli.build_parser().parse_args(["participants", "s.verbatim", "--passphrase", SECRET])


@pytest.fixture
def encrypted(tmp_path: Path) -> tuple[Path, Path]:
    key = tmp_path / "key.txt"
    key.write_text(SECRET + "\n")
    key.chmod(0o600)
    study = tmp_path / "Grief.verbatim"
    assert cli.run(["new", str(study), "--encrypt", "--passphrase-file", str(key)]) == 0
    return study, key


def test_participants_on_an_encrypted_study_with_a_passphrase_file(
    encrypted: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    study, key = encrypted
    assert cli.run(["participants", str(study), "add", "Peer support worker 5", "--passphrase-file", str(key)]) == 0
    capsys.readouterr()
    assert cli.run(["participants", str(study), "--json", "--passphrase-file", str(key)]) == 0
    said = capsys.readouterr()
    assert "Peer support worker 5" in said.out and said.err == ""
    assert cli.run(["participants", str(study)]) == 2  # no file, no terminal to ask on: one clear line
    assert "encrypted: give its passphrase" in capsys.readouterr().err


def test_without_a_file_an_encrypted_study_asks_for_its_passphrase(
    encrypted: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    study, _key = encrypted
    asked: list[str] = []
    monkeypatch.setattr(study_access, "_interactive", lambda: True)
    monkeypatch.setattr(getpass, "getpass", lambda prompt: asked.append(prompt) or SECRET)
    assert cli.run(["codes", str(study), "add", "Stigma"]) == 0
    assert asked == ["Passphrase for Grief.verbatim: "]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_passphrase_file_others_can_read_works_with_a_warning(
    encrypted: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    study, key = encrypted
    key.chmod(0o644)
    capsys.readouterr()
    assert cli.run(["info", str(study), "--passphrase-file", str(key)]) == 0
    said = capsys.readouterr()
    assert "Grief" in said.out
    assert said.err == (
        f"verbatim: warning: passphrase file {key} can be read by other users (permissions 0644); "
        f"make it private with: chmod 600 '{key}'\n"
    )


def test_a_missing_or_empty_passphrase_file_is_one_line_naming_it(
    encrypted: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study, _key = encrypted
    missing, empty = tmp_path / "nowhere.txt", tmp_path / "empty.txt"
    empty.write_text("")
    capsys.readouterr()
    for given, problem in ((missing, "passphrase file not found"), (empty, "passphrase file is empty")):
        assert cli.run(["participants", str(study), "--passphrase-file", str(given)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"verbatim: error: {given}: {problem}") and err.count("\n") == 1, err


def test_encrypt_and_rekey_report_the_backups(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study = tmp_path / "Nurses.verbatim"
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    for path, text in ((first, "first passphrase"), (second, "second passphrase")):
        path.write_text(text + "\n")
        path.chmod(0o600)
    assert cli.run(["new", str(study)]) == 0
    assert cli.run(["backup", str(study)]) == 0
    assert cli.run(["backup", str(study)]) == 0
    capsys.readouterr()
    assert cli.run(["encrypt", str(study), "--passphrase-file", str(first)]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "2 backups re-encrypted with the new passphrase"
    assert all(encryption.is_encrypted(b.path) for b in backup_service.list_backups(study, None))
    assert cli.run(["rekey", str(study), "--passphrase-file", str(first), "--new-passphrase-file", str(second)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"Changed the passphrase of {study}",
        "2 backups re-encrypted with the new passphrase",
    ]
    assert [e.documents for e in backup_service.list_backups(study, "second passphrase")] == [0, 0]
