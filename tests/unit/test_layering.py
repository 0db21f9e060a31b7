"""SQL lives in ``desktop_app/storage/`` only: services, the CLI, the GUI and the formats ask repositories;
and no two modules import each other, however indirectly.

import-linter checks who imports whom; this checks what it cannot see, a query written outside the
store (``db.execute(...)``, ``db.query(...)``), which would tie a service to the schema again.
"""

from __future__ import annotations

import graphlib
import re
from pathlib import Path

import grimp

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


def _module_imports() -> dict[str, set[str]]:
    """Who imports whom inside the package (grimp, as import-linter reads it), leaving out a package's
    ``__init__`` listing its own modules and a module importing its package: that is how packages
    present their parts, not a dependency running both ways."""
    graph = grimp.build_graph("desktop_app")
    return {
        module: {
            target
            for target in graph.find_modules_directly_imported_by(module)
            if not target.startswith(module + ".") and not module.startswith(target + ".")
        }
        for module in graph.modules
    }


def test_no_import_cycles() -> None:
    """A cycle makes two modules one piece that cannot be read, tested or moved alone (issue #16 took
    them from 5 to 0); break a new one by moving what both sides need into a lower module."""
    try:
        graphlib.TopologicalSorter(_module_imports()).prepare()
    except graphlib.CycleError as cycle:
        raise AssertionError(f"import cycle: {' -> '.join(cycle.args[1])}") from None


def test_the_cycle_check_reads_the_real_imports() -> None:
    """It sees a module's imports, and leaves out only a package listing its own modules."""
    imports = _module_imports()
    assert "desktop_app.pipeline.speakers.window_options" in imports["desktop_app.pipeline.speakers.heard_speech"]
    assert "desktop_app.pipeline.cluster.cluster_spec" in imports["desktop_app.pipeline.cluster.job_queue"]
    assert not any(target.startswith("desktop_app.cli.") for target in imports["desktop_app.cli"])
