"""Draw desktop_app's import graph by folder, as docs/ARCHITECTURE.md shows it, and count what breaks the layers.

    .venv/bin/python scripts/import_graph.py            # writes docs/import_graph.dot and .svg (.png with --png)

Each node is a folder (``gui/coding``, ``services``, ``storage``…) with its module count; an arrow means some
module there imports one in the other, labelled with how many imports. Arrows must point down the layers
(entry points → gui → services → pipeline/storage/formats → core); one pointing up is drawn red and counted.
grimp (installed with import-linter) builds the graph; graphviz's ``dot`` draws it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "desktop_app"
# The layer of a folder: a higher layer may import a lower one, never the reverse.
LAYERS = {"entry": 4, "gui": 3, "services": 2, "pipeline": 1, "storage": 1, "formats": 1, "core": 0}
ENTRY = {"__main__", "cli", "self_test", "portable"}
COLOURS = {4: "#f2e6ff", 3: "#dbeafe", 2: "#dcfce7", 1: "#fef9c3", 0: "#f3f4f6"}


def folder(module: str) -> str:
    """``desktop_app.gui.coding.codebook_panel`` -> ``gui/coding``; subpackages one level down are their own node."""
    parts = module.split(".")[1:]
    if not parts:
        return "desktop_app"
    top = parts[0]
    if top in ENTRY or len(parts) == 1:
        return top
    sub = parts[1]
    is_package = (ROOT / PACKAGE / top / sub).is_dir()
    return f"{top}/{sub}" if is_package else top


def layer(node: str) -> int:
    top = node.split("/")[0]
    return LAYERS["entry"] if top in ENTRY else LAYERS.get(top, 0)


def folder_edges(graph: grimp.ImportGraph) -> Counter[tuple[str, str]]:
    edges: Counter[tuple[str, str]] = Counter()
    for importer in graph.modules:
        if not importer.startswith(PACKAGE + "."):
            continue
        for imported in graph.find_modules_directly_imported_by(importer):
            if imported.startswith(PACKAGE + "."):
                a, b = folder(importer), folder(imported)
                if a != b:
                    edges[(a, b)] += 1
    return edges


def upward(edges: Counter[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted((a, b) for a, b in edges if layer(a) < layer(b))


def to_dot(graph: grimp.ImportGraph, edges: Counter[tuple[str, str]]) -> str:
    sizes = Counter(folder(m) for m in graph.modules if m.startswith(PACKAGE + "."))
    linked = {n for edge in edges for n in edge}
    lines = [
        "digraph desktop_app {",
        "  rankdir=TB; newrank=true; nodesep=0.25; ranksep=0.9;",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];',
        '  edge [color="#6b7280", fontname="Helvetica", fontsize=8, arrowsize=0.6];',
    ]
    for rank in sorted(set(LAYERS.values()), reverse=True):
        members = sorted(n for n in sizes if layer(n) == rank and n in linked)
        if rank == LAYERS["gui"]:  # the GUI's feature folders, boxed together: arrows inside it are thin
            lines.append('  subgraph cluster_gui { label="gui/"; fontname="Helvetica"; color="#93c5fd";')
        lines.append("  { rank=same; " + " ".join(f'"{n}"' for n in members) + " }")
        for n in members:
            lines.append(f'  "{n}" [label="{n}\\n{sizes[n]} modules", fillcolor="{COLOURS[rank]}"];')
        if rank == LAYERS["gui"]:
            lines.append("  }")
    up = set(upward(edges))
    for (a, b), count in sorted(edges.items()):
        if (a, b) in up:
            style = f'label="{count}", color="#dc2626", penwidth=2'
        elif layer(a) == layer(b):
            style = 'color="#cbd5e1", arrowsize=0.4, constraint=false'
        else:
            style = f'label="{count}"'
        lines.append(f'  "{a}" -> "{b}" [{style}];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "import_graph", help="path without suffix")
    parser.add_argument("--png", action="store_true", help="also write a PNG")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph(PACKAGE, cache_dir=None)
    edges = folder_edges(graph)
    dot_path = args.output.with_suffix(".dot")
    dot_path.parent.mkdir(parents=True, exist_ok=True)
    dot_path.write_text(to_dot(graph, edges), encoding="utf-8")
    written = [dot_path]
    dot = shutil.which("dot")
    for fmt in ["svg", *(["png"] if args.png else [])]:
        if dot is None:
            print("graphviz's dot is not installed (apt-get install graphviz): wrote the .dot only", file=sys.stderr)
            break
        target = args.output.with_suffix(f".{fmt}")
        subprocess.run([dot, f"-T{fmt}", str(dot_path), "-o", str(target)], check=True)
        written.append(target)
    up = upward(edges)
    print(f"{len(edges)} arrows between {len({n for e in edges for n in e})} folders; {len(up)} point up the layers")
    for a, b in up:
        print(f"  up: {a} -> {b}")
    print("wrote " + ", ".join(str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p) for p in written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
