"""Analysis results as plain :class:`SummaryTable` s, so the Analysis view exports them with the same
writers (DOCX, XLSX, CSV) as Table 2 and the CMO table; and the coders a study knows.
"""

from __future__ import annotations

from desktop_app.core.coding import Code
from desktop_app.services.analysis.analysis_service import FrequencyTable
from desktop_app.services.analysis.analysis_tables import SummaryTable
from desktop_app.services.analysis.intercoder_service import IntercoderReport
from desktop_app.storage.coding import analysis_repository
from desktop_app.storage.connection import guarded
from desktop_app.storage.project_store import ProjectStore

INDENT = "    "


def coders(store: ProjectStore) -> list[str]:
    """Every coder name used in a coding of a present document ("" for codings without one)."""
    with guarded(store.path):
        return analysis_repository.coders(store)


def code_depths(codes: list[Code]) -> dict[int, int]:
    """How deep each code sits in the tree (themes 0), for indented names in tables."""
    parents = {c.id: c.parent_id for c in codes}
    depths: dict[int, int] = {}
    for code in codes:
        depth, current = 0, code.parent_id
        while current is not None and current in parents and depth <= len(parents):
            depth, current = depth + 1, parents[current]
        depths[code.id] = depth
    return depths


def frequency_summary(table: FrequencyTable, *, cases: bool = False) -> SummaryTable:
    """Codings (or distinct participants, ``cases``) per code and column, names indented by depth.

    A participant can speak in several documents, so participant counts by document have no total;
    by an attribute each participant sits in one column and the total is exact.
    """
    with_total = not cases or table.by != "document"
    depths = code_depths([r.code for r in table.rows])
    rows = []
    for row in table.rows:
        counts = row.cases if cases else row.codings
        total = [str(sum(counts))] if with_total else []
        rows.append([INDENT * depths[row.code.id] + row.code.name, *(str(n) for n in counts), *total])
    what = "Participants" if cases else "Codings"
    by = "document" if table.by == "document" else table.by
    headers = ["Code", *table.columns, *(["Total"] if with_total else [])]
    notes = [] if with_total else ["A participant who speaks in several documents counts once in each."]
    return SummaryTable(f"{what} per code by {by}", headers, rows, notes)


def agreement_summary(report: IntercoderReport) -> SummaryTable:
    """Per code: percentage agreement, Cohen's kappa and the character counts behind them."""
    a, b = report.coder_a or "(no name)", report.coder_b or "(no name)"
    headers = ["Code", "Agreement", "Cohen's kappa", "Both", f"Only {a}", f"Only {b}", "Neither", "Characters"]
    rows = []
    for row in report.by_code:
        s = row.stats
        numbers = (s.both, s.only_a, s.only_b, s.neither, s.total)
        rows.append([row.code.name, f"{s.agreement:.1%}", f"{s.kappa:.3f}", *(str(n) for n in numbers)])
    notes = [f"Compared at character level over {len(report.documents)} document(s): {', '.join(report.documents)}"]
    return SummaryTable(f"Intercoder agreement: {a} and {b}", headers, rows, notes)
