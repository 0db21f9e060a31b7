"""``verbatim encrypt|decrypt|rekey|embed|pseudonyms``, and opening encrypted studies from any command.

A passphrase comes from ``--passphrase-file`` (its first line) or a prompt without echo; it is
never accepted on the command line, where other users and shell history would see it. Like ssh
with a private key, a passphrase file that other users may read is used, with a warning.
"""

from __future__ import annotations

import argparse
import getpass
import os
import stat
import sys
from pathlib import Path
from typing import Any

from desktop_app.cli import EXIT_OK, PARSER_EXTENSIONS, command, emit_json, fail
from desktop_app.core.errors import VerbatimError
from desktop_app.services import project_service, pseudonym_service, security_service
from desktop_app.services.backup_service import BackupsReencrypted
from desktop_app.services.project_service import ProjectStore

OTHERS_MAY_READ = stat.S_IRGRP | stat.S_IROTH


def read_passphrase_file(path: Path) -> str:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise VerbatimError(path, "passphrase file not found") from exc
    except IsADirectoryError as exc:
        raise VerbatimError(path, "is a folder, not a passphrase file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise VerbatimError(path, f"cannot be read as a passphrase file ({exc})") from exc
    lines = text.splitlines()
    if not lines or not lines[0]:
        raise VerbatimError(path, "passphrase file is empty: put the passphrase on its first line")
    _warn_if_others_may_read(path)
    return lines[0]


def _warn_if_others_may_read(path: Path) -> None:
    if os.name != "posix":  # Windows has no such mode bits; its ACLs are the user's profile's
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & OTHERS_MAY_READ:
        print(
            f"verbatim: warning: passphrase file {path} can be read by other users (permissions {mode:04o}); "
            f"make it private with: chmod 600 '{path}'",
            file=sys.stderr,
        )


def _file_or_prompt(path: Path | None, prompt: str, *, confirm: bool = False) -> str:
    if path is not None:
        return read_passphrase_file(path)
    first = getpass.getpass(f"{prompt}: ")
    if confirm and getpass.getpass(f"{prompt} (again): ") != first:
        raise VerbatimError("passphrase", "the two passphrases differ; nothing was changed")
    return first


def study_passphrase(args: argparse.Namespace) -> str | None:
    """The passphrase for ``args.study``: from the file given, or asked for if the study is encrypted."""
    given = getattr(args, "passphrase_file", None)
    if given is not None:
        return read_passphrase_file(given)
    if security_service.is_encrypted(Path(args.study)) and _interactive():
        return getpass.getpass(f"Passphrase for {Path(args.study).name}: ")
    return None  # not encrypted, or no one to ask: opening says what is wrong


def _interactive() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def open_study(args: argparse.Namespace, *, readonly: bool = False) -> ProjectStore:
    """Open ``args.study`` for a command, encrypted or not."""
    return project_service.open_project(Path(args.study), readonly=readonly, passphrase=study_passphrase(args))


def new_study_passphrase(args: argparse.Namespace) -> str:
    """For ``verbatim new --encrypt``: the passphrase, with the warning that it cannot be recovered."""
    print(security_service.FORGOTTEN_PASSPHRASE_WARNING, file=sys.stderr)
    return _file_or_prompt(getattr(args, "passphrase_file", None), "New passphrase", confirm=True)


def add_passphrase_options(sub: Any) -> None:
    """Give every command on a STUDY ``--passphrase-file``; run once, after every parser extension.

    Each subcommand also stops abbreviating long options, so ``--passphrase SECRET`` is an error
    rather than being taken for ``--passphrase-file``.
    """
    for parser in sub.choices.values():
        parser.allow_abbrev = False
        takes_study = any(action.dest == "study" for action in parser._actions)
        if takes_study and "--passphrase-file" not in parser._option_string_actions:
            parser.add_argument("--passphrase-file", type=Path, metavar="FILE", help="passphrase on its first line")


def _add_parsers(sub: Any) -> None:
    _add_security_parsers(sub)


def _add_security_parsers(sub: Any) -> None:
    p = sub.add_parser("encrypt", help="encrypt a study (in place, or a copy with -o)")
    p.add_argument("study")
    p.add_argument("-o", "--output", type=Path, help="write an encrypted copy here; keep the original")
    p.add_argument("--passphrase-file", type=Path, metavar="FILE", help="the new passphrase on its first line")
    p = sub.add_parser("decrypt", help="write a decrypted copy of an encrypted study")
    p.add_argument("study")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--passphrase-file", type=Path, metavar="FILE")
    p = sub.add_parser("rekey", help="change the passphrase of an encrypted study")
    p.add_argument("study")
    p.add_argument("--passphrase-file", type=Path, metavar="FILE", help="the current passphrase")
    p.add_argument("--new-passphrase-file", type=Path, metavar="FILE", help="the new passphrase")
    p = sub.add_parser("embed", help="copy documents' recordings into the study file")
    p.add_argument("study")
    p.add_argument("documents", nargs="*", type=int, metavar="DOC_ID", help="default: every document")
    p.add_argument("--passphrase-file", type=Path, metavar="FILE")
    p = sub.add_parser("pseudonyms", help="pseudonym table: suggest, add, remove, list, hits, skip, export-key")
    p.add_argument("study")
    p.add_argument("action", choices=["suggest", "add", "remove", "list", "hits", "skip", "unskip", "export-key"])
    p.add_argument("args", nargs="*", help="add IDENTIFIER PSEUDONYM | remove IDENTIFIER | skip/unskip HIT_NUMBER")
    p.add_argument("-o", "--output", type=Path, help="export-key: the CSV file to write")
    p.add_argument("--document", type=int, help="hits: one document only")
    p.add_argument("--json", action="store_true")
    p.add_argument("--passphrase-file", type=Path, metavar="FILE")


PARSER_EXTENSIONS.append(_add_parsers)


@command("encrypt")
def cmd_encrypt(args: argparse.Namespace) -> int:
    print(security_service.FORGOTTEN_PASSPHRASE_WARNING, file=sys.stderr)
    passphrase = _file_or_prompt(args.passphrase_file, "New passphrase", confirm=True)
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


@command("decrypt")
def cmd_decrypt(args: argparse.Namespace) -> int:
    passphrase = _file_or_prompt(args.passphrase_file, f"Passphrase for {Path(args.study).name}")
    result = security_service.decrypt_study(Path(args.study), passphrase, args.output)
    print(f"Wrote a decrypted copy {result.path} ({result.size / 1e6:.1f} MB in {result.seconds:.1f} s)")
    return EXIT_OK


@command("rekey")
def cmd_rekey(args: argparse.Namespace) -> int:
    old = _file_or_prompt(args.passphrase_file, f"Current passphrase for {Path(args.study).name}")
    new = _file_or_prompt(args.new_passphrase_file, "New passphrase", confirm=True)
    rewritten = security_service.rekey_study(Path(args.study), old, new)
    print(f"Changed the passphrase of {args.study}")
    _report_backups(rewritten)
    return EXIT_OK


@command("embed")
def cmd_embed(args: argparse.Namespace) -> int:
    with open_study(args) as store:
        ids = args.documents or [d.id for d in project_service.list_documents(store)]
        for document_id in ids:
            stored = security_service.embed_document_media(store, document_id)
            print(f"Document {document_id}: " + (f"embedded {stored / 1e6:.1f} MB" if stored else "already embedded"))
    return EXIT_OK


@command("pseudonyms")
def cmd_pseudonyms(args: argparse.Namespace) -> int:
    readonly = args.action in ("suggest", "list", "hits", "export-key")
    with open_study(args, readonly=readonly) as store:
        return _pseudonyms_action(store, args)


def _pseudonyms_action(store: ProjectStore, args: argparse.Namespace) -> int:
    action, rest = args.action, args.args
    if action == "add":
        if len(rest) != 2:
            return fail("usage: pseudonyms STUDY add IDENTIFIER PSEUDONYM")
        pseudonym_service.add_pseudonym(store, rest[0], rest[1])
    elif action == "remove":
        if len(rest) != 1:
            return fail("usage: pseudonyms STUDY remove IDENTIFIER")
        pseudonym_service.remove_pseudonym(store, rest[0])
    elif action == "export-key":
        if args.output is None:
            return fail("export-key needs -o FILE")
        print(f"Wrote the key to {pseudonym_service.export_key(store, args.output)}; keep it apart from exports")
        return EXIT_OK
    elif action == "suggest":
        return _print_suggestions(store, args.json)
    elif action in ("hits", "skip", "unskip"):
        return _hits(store, args)
    return _print_table(store, args.json)


def _print_table(store: ProjectStore, as_json: bool) -> int:
    entries = pseudonym_service.list_pseudonyms(store)
    if as_json:
        emit_json({"pseudonyms": [{"identifier": e.identifier, "pseudonym": e.pseudonym} for e in entries]})
    for e in [] if as_json else entries:
        print(f"{e.identifier}\t{e.pseudonym}")
    return EXIT_OK


def _print_suggestions(store: ProjectStore, as_json: bool) -> int:
    found = pseudonym_service.suggest(store)
    if as_json:
        emit_json({"suggestions": [{"identifier": s.identifier, "reason": s.reason, "count": s.count} for s in found]})
    for s in [] if as_json else found:
        print(f"{s.identifier:<30} {s.reason:<13} {s.count:>4}")
    return EXIT_OK


def _hits(store: ProjectStore, args: argparse.Namespace) -> int:
    hits = pseudonym_service.preview_hits(store, args.document)
    if args.action in ("skip", "unskip"):
        if len(args.args) != 1 or not args.args[0].isdigit() or not 1 <= int(args.args[0]) <= len(hits):
            return fail(f"usage: pseudonyms STUDY {args.action} HIT_NUMBER (1 to {len(hits)}, see 'hits')")
        pseudonym_service.set_hit_skipped(store, hits[int(args.args[0]) - 1], args.action == "skip")
        hits = pseudonym_service.preview_hits(store, args.document)
    rows = [
        {"hit": n, "document": h.document_id, "text": h.hit.text, "pseudonym": h.hit.replacement, "kept": h.skipped}
        for n, h in enumerate(hits, 1)
    ]
    if args.json:
        emit_json({"hits": rows})
    for row, h in [] if args.json else zip(rows, hits, strict=True):
        state = "keep" if row["kept"] else "replace"
        print(
            f"{row['hit']:>4}  doc {row['document']:<4} {state:<8} {row['text']} -> {row['pseudonym']}  …{h.context}…"
        )
    return EXIT_OK


def export_pseudonymised(store: ProjectStore, args: argparse.Namespace, options: Any) -> list[Path]:
    """``verbatim export ... --pseudonymised``: every name and place replaced; the key stays out."""
    if args.all:
        return pseudonym_service.export_all_pseudonymised(store, args.format, args.output, options)
    if args.document is None:
        raise VerbatimError(Path(args.study), "export needs a DOC_ID or --all")
    return [pseudonym_service.export_pseudonymised(store, args.document, args.format, args.output, options)]


def embed_documents(store: ProjectStore, document_ids: list[int]) -> None:
    """``verbatim import --embed``: copy the new documents' recordings into the study."""
    for document_id in document_ids:
        stored = security_service.embed_document_media(store, document_id)
        print(f"Embedded document {document_id} ({stored / 1e6:.1f} MB)")
