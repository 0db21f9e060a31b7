"""SQL lives in ``desktop_app/storage/`` only: services, the CLI, the GUI and the formats ask repositories.

import-linter checks who imports whom; this checks what it cannot see, a query written outside the
store (``db.execute(...)``, ``db.query(...)``), which would tie a service to the schema again.
"""

from __future__ import annotations

import re
from pathlib import Path

import desktop_app

PACKAGE = Path(desktop_app.__file__).parent
STATEMENT = re.compile(r"\.(execute|executemany|executescript|query)\(")
# Files allowed to query outside storage while their SQL is being moved (none now: interchange_service's
# went to storage with the REFI-QDA work). Add one only with an issue that removes it again.
KNOWN: set[str] = set()


def _statements_outside_storage() -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name.startswith("storage/") or name in KNOWN:
            continue
        lines = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if STATEMENT.search(line)]
        if lines:
            found[name] = lines
    return found


def test_no_sql_outside_storage() -> None:
    assert _statements_outside_storage() == {}, "move these queries into a repository in desktop_app/storage/"


def test_the_check_sees_a_query() -> None:
    """The pattern finds the forms services used to write, and not a function that merely ends in 'query'."""
    assert STATEMENT.search('rows = store.db.execute("SELECT id FROM codes").fetchall()')
    assert STATEMENT.search("for row in db.query(sql):")
    assert not STATEMENT.search("fts = to_fts_query(store, text)")


def test_known_exceptions_exist() -> None:
    assert all((PACKAGE / name).is_file() for name in KNOWN)
