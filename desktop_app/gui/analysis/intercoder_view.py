"""Intercoder agreement for two chosen coders: percentage agreement and Cohen's kappa per code (at
character level, over the documents both coded), kappa shaded by the Landis & Koch bands, Export…"""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.gui.analysis.analysis_page import AnalysisPage
from desktop_app.gui.analysis.summary_table_model import SummaryTableModel, fit_columns, make_table_view
from desktop_app.services.analysis import intercoder_service
from desktop_app.services.analysis.analysis_summaries import agreement_summary, coders
from desktop_app.services.analysis.analysis_tables import SummaryTable
from desktop_app.services.analysis.intercoder_service import IntercoderReport
from desktop_app.services.study.project_service import ProjectStore

KAPPA_COLUMN = 2
# Landis & Koch (1977): upper bound, name, shade.
BANDS = (
    (0.20, "slight", "#f6d5d1"),
    (0.40, "fair", "#fae3cc"),
    (0.60, "moderate", "#fbf0c9"),
    (0.80, "substantial", "#e3f0d6"),
    (1.01, "almost perfect", "#cfe8c6"),
)


def kappa_band(kappa: float) -> tuple[str, str]:
    return next((name, shade) for limit, name, shade in BANDS if kappa < limit)


def _kappa_shade(_row: int, column: int, text: str) -> QColor | None:
    if column != KAPPA_COLUMN:
        return None
    try:
        return QColor(kappa_band(float(text))[1])
    except ValueError:
        return None


def band_key() -> str:
    """The shading explained in one line of rich text: a swatch and its range per band."""
    chips, low = [], 0.0
    for limit, name, shade in BANDS:
        top = f"&lt; {limit:.2f}" if not low else f"{low:.2f}–{limit:.2f}" if limit <= 1 else f"≥ {low:.2f}"
        chips.append(f"<span style='background:{shade}'>&nbsp;&nbsp;&nbsp;&nbsp;</span>&nbsp;{name} ({top})")
        low = limit
    return "Kappa: " + " &nbsp; ".join(chips)


def coder_name(coder: str) -> str:
    return coder or "(no coder name)"


class IntercoderView(AnalysisPage):
    activity = "compare the coders"
    export_file = "intercoder-agreement.xlsx"

    def __init__(self, store: ProjectStore, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.report: IntercoderReport | None = None
        self.coder_a, self.coder_b = QComboBox(), QComboBox()
        self.compare_button = QPushButton("Compare")
        self.compare_button.clicked.connect(self.compare)
        self.export_button.setEnabled(False)
        self.model = SummaryTableModel(_kappa_shade)
        self.table = make_table_view(self.model)
        self.key = QLabel(band_key())
        self.key.setWordWrap(True)  # one long line made the window 800 px wide at least
        self.key.setToolTip("Landis & Koch (1977), the usual reading of Cohen's kappa")
        controls = QHBoxLayout()
        for widget in (QLabel("Coder"), self.coder_a, QLabel("and"), self.coder_b, self.compare_button):
            controls.addWidget(widget)
        controls.addStretch()
        controls.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.key)

    def refresh(self) -> None:
        """Fill the coder lists from the study; compare the chosen (else the first two) coders."""
        names = coders(self.store)
        chosen = (self.coder_a.currentData(), self.coder_b.currentData())
        for index, combo in enumerate((self.coder_a, self.coder_b)):
            combo.blockSignals(True)
            combo.clear()
            for name in names:
                combo.addItem(coder_name(name), name)
            keep = combo.findData(chosen[index]) if chosen[index] is not None else -1
            combo.setCurrentIndex(keep if keep >= 0 else min(index, len(names) - 1))
            combo.blockSignals(False)
        self.compare_button.setEnabled(len(names) >= 2)
        if len(names) < 2:
            self._clear(
                "Agreement needs the same documents coded by two coders. Each coder sets their name "
                "in Preferences before coding; codings keep the name."
            )
            return
        self.compare()

    def compare(self) -> None:
        a, b = self.coder_a.currentData(), self.coder_b.currentData()
        if a is None or b is None or a == b:
            self._clear("Choose two different coders.")
            return
        self.summary.setText(f"Comparing {coder_name(a)} and {coder_name(b)}…")
        self.reader.request(lambda s: intercoder_service.compare_coders(s, a, b), self._show, self._failed)

    def _show(self, report: IntercoderReport) -> None:
        self.report = report
        self.summary_table = agreement_summary(report)
        self.model.set_table(self.summary_table)
        fit_columns(self.table)
        kappas = [r.stats.kappa for r in report.by_code]
        mean = sum(kappas) / len(kappas) if kappas else 1.0
        low = [r.code.name for r in report.by_code if r.stats.kappa < 0.6]
        attention = f" Below 0.60 (moderate or less): {', '.join(low)}." if low else ""
        self.summary.setText(
            f"{coder_name(report.coder_a)} and {coder_name(report.coder_b)} over {len(report.documents)} "
            f"document(s), {len(report.by_code)} codes: mean kappa {mean:.2f} ({kappa_band(mean)[0]}).{attention}"
        )
        self.export_button.setEnabled(bool(report.by_code))

    def _clear(self, message: str) -> None:
        self.report = None
        self.summary_table = SummaryTable("", [], [])
        self.model.set_table(self.summary_table)
        self.export_button.setEnabled(False)
        self.summary.setText(message)

    def _failed(self, error: object) -> None:
        self._clear("")
        super()._failed(error)

    def ask_export(self) -> None:
        if self.report is not None:
            super().ask_export()
