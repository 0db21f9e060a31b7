"""``verbatim encrypt | decrypt | rekey | embed``: a study's encryption and the recordings kept inside it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop_app.cli.registry import EXIT_OK, Subparsers, add_command
from desktop_app.cli.study_access import add_study_argument, file_or_prompt, open_study
from desktop_app.services.study import project_service, security_service
from desktop_app.services.study.backup_service import BackupsReencrypted


def register(sub: Subparsers) -> None:
    p = add_command(sub, "encrypt", cmd_encrypt, help="encrypt a study (in place, or a copy with -o)")
    add_study_argument(p, passphrase_help="the new passphrase on its first line")
    p.add_argument("-o", "--output", type=Path, help="write an encrypted copy here; keep the original")
    p = add_command(sub, "decrypt", cmd_decrypt, help="write a decrypted copy of an encrypted study")
    add_study_argument(p)
    p.add_argument("-o", "--output", type=Path, required=True)
    p = add_command(sub, "rekey", cmd_rekey, help="change the passphrase of an encrypted study")
    add_study_argument(p, passphrase_help="the current passphrase")
    p.add_argument("--new-passphrase-file", type=Path, metavar="FILE", help="the new passphrase")
    p = add_command(sub, "embed", cmd_embed, help="copy documents' recordings into the study file")
    add_study_argument(p)
    p.add_argument("documents", nargs="*", type=int, metavar="DOC_ID", help="default: every document")


def cmd_encrypt(args: argparse.Namespace) -> int:
    print(security_service.FORGOTTEN_PASSPHRASE_WARNING, file=sys.stderr)
    passphrase = file_or_prompt(args.passphrase_file, "New passphrase", confirm=True)
    result = security_service.encrypt_study(Path(args.study), passphrase, args.output)
    print(f"Encrypted {result.path} ({result.size / 1e6:.1f} MB in {result.seconds:.1f} s)")
    if result.backups is not None:
        _report_backups(result.backups)
    return EXIT_OK


def _report_backups(done: BackupsReencrypted) -> None:
    print(done.summary())
    for path, problem in done.deleted:
        print(
            f"verbatim: warning: deleted backup {path.name}, which could not be re-encrypted: {problem}",
            file=sys.stderr,
        )


def cmd_decrypt(args: argparse.Namespace) -> int:
    passphrase = file_or_prompt(args.passphrase_file, f"Passphrase for {Path(args.study).name}")
    result = security_service.decrypt_study(Path(args.study), passphrase, args.output)
    print(f"Wrote a decrypted copy {result.path} ({result.size / 1e6:.1f} MB in {result.seconds:.1f} s)")
    return EXIT_OK


def cmd_rekey(args: argparse.Namespace) -> int:
    old = file_or_prompt(args.passphrase_file, f"Current passphrase for {Path(args.study).name}")
    new = file_or_prompt(args.new_passphrase_file, "New passphrase", confirm=True)
    rewritten = security_service.rekey_study(Path(args.study), old, new)
    print(f"Changed the passphrase of {args.study}")
    _report_backups(rewritten)
    return EXIT_OK


def cmd_embed(args: argparse.Namespace) -> int:
    with open_study(args) as store:
        ids = args.documents or [d.id for d in project_service.list_documents(store)]
        for document_id in ids:
            stored = security_service.embed_document_media(store, document_id)
            print(f"Document {document_id}: " + (f"embedded {stored / 1e6:.1f} MB" if stored else "already embedded"))
    return EXIT_OK
