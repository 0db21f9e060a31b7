"""The numbers issue #16 tracks, measured on the working tree (run before and after a restructuring):

    .venv/bin/python scripts/architecture_measures.py [--list]

import cycles between modules, arrows up the layers, files in the biggest folder, SQL statements outside
storage/, lines excluded from mypy, and long functions (an AST scan). --list names the offenders.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

import grimp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_graph import PACKAGE, ROOT, folder, folder_edges, layer, upward  # noqa: E402

SQL = re.compile(r"\.(execute|executemany|executescript|query)\(")


def module_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected groups of two or more modules (Tarjan), ignoring a package's own ``__init__``
    importing its children, which is how packages list their parts, not a cycle of dependencies."""
    modules = sorted(m for m in graph.modules if m.startswith(PACKAGE + "."))
    edges = {
        m: [
            t
            for t in graph.find_modules_directly_imported_by(m)
            if t.startswith(PACKAGE + ".") and not t.startswith(m + ".") and not m.startswith(t + ".")
        ]
        for m in modules
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    sys.setrecursionlimit(10_000)

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, []):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in modules:
        if module not in index:
            visit(module)
    return found


def upward_module_imports(graph: grimp.ImportGraph) -> list[tuple[str, str]]:
    return sorted(
        (m, t)
        for m in graph.modules
        if m.startswith(PACKAGE + ".")
        for t in graph.find_modules_directly_imported_by(m)
        if t.startswith(PACKAGE + ".") and layer(folder(m)) < layer(folder(t))
    )


def python_files() -> list[Path]:
    return sorted((ROOT / PACKAGE).rglob("*.py"))


def biggest_folder() -> tuple[str, int]:
    counts = Counter(str(p.parent.relative_to(ROOT)) for p in python_files() if p.name != "__init__.py")
    return counts.most_common(1)[0]


def sql_outside_storage() -> list[str]:
    found = []
    for path in python_files():
        relative = path.relative_to(ROOT / PACKAGE).as_posix()
        if not relative.startswith("storage/"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if SQL.search(line):
                    found.append(f"{relative}:{number}")
    return found


def mypy_excluded_lines() -> int:
    """Lines in files mypy's configuration excludes or whose errors it ignores."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    excluded = [re.compile(pattern) for pattern in config.get("exclude", [])]
    ignored = []
    for override in config.get("overrides", []):
        if override.get("ignore_errors"):
            modules = override["module"] if isinstance(override["module"], list) else [override["module"]]
            ignored += [re.compile(re.escape(m).replace(r"\*", ".*") + "$") for m in modules]
    total = 0
    for path in python_files():
        relative = path.relative_to(ROOT).as_posix()
        module = relative[:-3].replace("/", ".").removesuffix(".__init__")
        if any(p.search(relative) for p in excluded) or any(p.match(module) for p in ignored):
            total += len(path.read_text(encoding="utf-8").splitlines())
    return total


def long_functions(limit: int) -> list[tuple[int, str]]:
    found = []
    for path in python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None:
                length = node.end_lineno - node.lineno + 1
                if length > limit:
                    found.append((length, f"{path.relative_to(ROOT).as_posix()}:{node.lineno} {node.name}"))
    return sorted(found, reverse=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="name the offenders")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph(PACKAGE, cache_dir=None)
    cycles = module_cycles(graph)
    runtime_cycles = module_cycles(grimp.build_graph(PACKAGE, exclude_type_checking_imports=True, cache_dir=None))
    up_folders = upward(folder_edges(graph))
    up_modules = upward_module_imports(graph)
    name, files = biggest_folder()
    sql = sql_outside_storage()
    over_40, over_30 = long_functions(40), long_functions(30)
    print(f"import cycles between modules:       {len(cycles)} ({len(runtime_cycles)} without TYPE_CHECKING imports)")
    print(f"imports running up the layers:       {len(up_modules)} ({len(up_folders)} folder arrows)")
    print(f"files in the biggest folder:         {files} ({name})")
    print(f"SQL statement lines outside storage: {len(sql)}")
    print(f"lines excluded from mypy:            {mypy_excluded_lines()}")
    print(f"functions over 40 lines:             {len(over_40)} (over 30: {len(over_30)})")
    if args.list:
        for cycle in cycles:
            print("  cycle: " + " <-> ".join(cycle))
        for importer, imported in up_modules:
            print(f"  up: {importer} -> {imported}")
        for line in sql:
            print(f"  sql: {line}")
        for length, where in over_40:
            print(f"  {length:>4} lines: {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
