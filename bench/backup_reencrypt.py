"""What encrypting a study in place and changing its passphrase cost once its backups come along.

Builds the one-hour-interview study of ``bench/backup_cost.py`` (recording linked, or with --embed
stored inside), takes ``--backups`` backups, then times ``security_service.encrypt_study`` (the study,
then every backup re-encrypted) and ``security_service.rekey_study`` (the study, then every backup
re-keyed), each against a plain file copy of the study and of all its backups measured in the same run.

    .venv/bin/python bench/backup_reencrypt.py [--embed] [--backups 10]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.backup_cost import build_study, one_hour_recording  # noqa: E402
from desktop_app.services.study import backup_service, security_service  # noqa: E402
from desktop_app.storage import backups, encryption  # noqa: E402

OLD, NEW = "blue kettle 42", "red kettle 43"


def copy_everything(study: Path, target: Path) -> float:
    """The baseline: copy the study and each backup once, as a file."""
    target.mkdir()
    started = time.perf_counter()
    shutil.copyfile(study, target / study.name)
    for found in backups.list_backups(study):
        shutil.copyfile(found.path, target / found.path.name)
    return time.perf_counter() - started


def measure(folder: Path, recording: Path, embed: bool, count: int) -> None:
    label = "recording embedded" if embed else "recording linked"
    study = folder / f"{label.replace(' ', '-')}.verbatim"
    build_study(study, recording, None, embed)
    for _ in range(count):
        backup_service.backup_now(study, None, backup_service.BackupPolicy(keep=count))
    size = study.stat().st_size
    baseline = copy_everything(study, folder / f"copy-{label.replace(' ', '-')}")

    started = time.perf_counter()
    encrypted = security_service.encrypt_study(study, OLD)
    encrypt_all = time.perf_counter() - started
    assert encrypted.backups is not None and encrypted.backups.reencrypted == count, encrypted.backups
    started = time.perf_counter()
    rekeyed = security_service.rekey_study(study, OLD, NEW)
    rekey_all = time.perf_counter() - started
    assert rekeyed.reencrypted == count, rekeyed
    assert all(encryption.opens_with(b.path, NEW) for b in backups.list_backups(study))

    print(f"\n{label}: study {size / 1e6:.1f} MB, {count} backups")
    print(f"  copy study + backups (baseline)      {baseline:7.2f} s   1.0x")
    for name, seconds in (("encrypt in place + backups", encrypt_all), ("change passphrase + backups", rekey_all)):
        each = seconds / (count + 1)
        print(f"  {name:<36} {seconds:7.2f} s  {seconds / baseline:5.1f}x  ({each:.2f} s a file)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embed", action="store_true", help="also measure a study with the recording inside")
    parser.add_argument("--backups", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        recording = one_hour_recording(folder)
        for embed in (False, True) if args.embed else (False,):
            measure(folder, recording, embed, args.backups)


if __name__ == "__main__":
    main()
