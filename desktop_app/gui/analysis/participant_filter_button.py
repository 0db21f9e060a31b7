"""A "Participants: all" button whose menu narrows extracts to participants with chosen attribute values.

Each attribute is a submenu of its values (a category's choices, then the values participants have);
ticking values of different attributes keeps extracts matching all of them, two values of one
attribute keep either (see :mod:`attribute_filter`). The same filter as ``verbatim extracts --attr``.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from desktop_app.core.errors import VerbatimError
from desktop_app.services.analysis import attribute_filter
from desktop_app.services.analysis.attribute_filter import Pair
from desktop_app.services.study.project_service import ProjectStore

LABEL_LIMIT = 34


class ParticipantFilterButton(QPushButton):
    changed = Signal()  # the chosen values changed

    def __init__(self, store: ProjectStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.pairs: list[Pair] = []
        self.choices_menu = QMenu(self)
        self.choices_menu.aboutToShow.connect(self.rebuild)
        self.setMenu(self.choices_menu)
        self._show_pairs()

    def current(self) -> list[Pair]:
        """The chosen pairs still valid in the study (an attribute or value removed since is dropped)."""
        kept = []
        for pair in self.pairs:
            try:
                kept.extend(attribute_filter.validate(self.store, [pair]))
            except VerbatimError:
                continue
        if kept != self.pairs:
            self.pairs = kept
            self._show_pairs()
        return list(self.pairs)

    def set_pairs(self, pairs: list[Pair]) -> None:
        self.pairs = attribute_filter.validate(self.store, pairs)
        self._show_pairs()
        self.changed.emit()

    def rebuild(self) -> None:
        menu = self.choices_menu
        menu.clear()
        offered = [(name, values) for name, values in attribute_filter.choices(self.store) if values]
        everyone = menu.addAction("All participants")
        everyone.setCheckable(True)
        everyone.setChecked(not self.pairs)
        everyone.triggered.connect(self.clear)
        if not offered:
            menu.addAction("No attribute values yet (Participants tab)").setEnabled(False)
            return
        menu.addSeparator()
        for name, values in offered:
            chosen = [v for n, v in self.pairs if n == name]
            submenu = menu.addMenu(f"{name}: {' or '.join(chosen)}" if chosen else name)
            for value in values:
                action = submenu.addAction(value)
                action.setCheckable(True)
                action.setChecked(value in chosen)
                action.toggled.connect(lambda on, pair=(name, value): self.toggle_pair(pair, on))

    def toggle_pair(self, pair: Pair, on: bool) -> None:
        pairs = [p for p in self.pairs if p != pair] + ([pair] if on else [])
        self.set_pairs(pairs)

    def clear(self) -> None:
        if self.pairs:
            self.set_pairs([])

    def _show_pairs(self) -> None:
        described = attribute_filter.describe(self.pairs)
        text = described if len(described) <= LABEL_LIMIT else f"{len(self.pairs)} values"
        self.setText(f"Participants: {text or 'all'}")
        self.setToolTip(
            f"Only extracts spoken by participants with {described}"
            if described
            else "Show only extracts spoken by participants with chosen attribute values"
        )
