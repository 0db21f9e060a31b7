"""Views follow the study: counts refresh after any change, a theme counts its sub-codes, Undo names
the action, the first coding asks who codes, and exports say where the file went."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from desktop_app.core.coding import AttributeType, TextPosition
from desktop_app.gui.coding import coder_name_dialog
from desktop_app.gui.coding.codebook_model import CODINGS, NAME
from desktop_app.gui.shell.main_window import MainWindow
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.gui.shell.study_workspace import StudyWorkspace
from desktop_app.services.coding import coding_service
from desktop_app.services.transcript import edit_service
from tests.fixtures.coding_study import CodingStudy, make_coding_study
from tests.fixtures.study_window import window_on_coding_study

pytestmark = pytest.mark.usefixtures("errors")


@pytest.fixture
def study(tmp_path: Path) -> CodingStudy:
    built = make_coding_study(tmp_path)
    built.store.close()
    return built


@pytest.fixture
def window(qtbot: QtBot, study: CodingStudy) -> Iterator[MainWindow]:
    yield from window_on_coding_study(qtbot, study)


def _ws(window: MainWindow) -> StudyWorkspace:
    assert window.workspace is not None
    return window.workspace


def _span(study: CodingStudy, turn: int, start: int, end: int) -> tuple[TextPosition, TextPosition, str]:
    segment = study.segment(study.documents[0], turn)
    return TextPosition(segment, start), TextPosition(segment, end), "words"


def test_undo_and_redo_name_the_action(qtbot: QtBot, window: MainWindow) -> None:
    ws = _ws(window)
    codebook = ws.coding.codebook
    code = codebook.add_code(name="Isolaton")
    assert code is not None
    qtbot.waitUntil(lambda: window.undo_action.text() == "&Undo add code Isolaton", timeout=2000)
    codebook.model.setData(codebook.model.index_of(code), "Isolation", Qt.ItemDataRole.EditRole)  # typed in the tree
    qtbot.waitUntil(lambda: window.undo_action.text() == "&Undo rename code Isolaton", timeout=2000)
    assert not window.redo_action.isEnabled()
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: window.redo_action.text() == "&Redo rename code Isolaton", timeout=2000)
    assert window.undo_action.text() == "&Undo add code Isolaton"
    assert codebook.model.codes[code].name == "Isolaton"


def test_a_theme_counts_the_codings_of_its_sub_codes(qtbot: QtBot, window: MainWindow, study: CodingStudy) -> None:
    ws = _ws(window)
    codebook = ws.coding.codebook
    theme = codebook.add_code(name="Support")
    assert theme is not None
    codebook.select(theme)
    peer = codebook.add_code(child=True, name="Peer support")
    codebook.select(theme)
    managers = codebook.add_code(child=True, name="Managers")
    assert peer is not None and managers is not None
    ws.coding.code_selection(peer, _span(study, 3, 0, 12))
    ws.coding.code_selection(managers, _span(study, 1, 0, 8))
    ws.coding.code_selection(theme, _span(study, 1, 9, 14))

    def count(code_id: int) -> object:
        return codebook.model.data(codebook.model.index_of(code_id, CODINGS))

    assert (count(peer), count(managers)) == (1, 1)
    assert count(theme) == 3  # its own coding and its two sub-codes'
    tooltip = codebook.model.data(codebook.model.index_of(theme, NAME), Qt.ItemDataRole.ToolTipRole)
    assert "1 on Support itself, 2 in its sub-codes" in tooltip
    window.undo_action.trigger()  # the theme's own coding goes; the row follows
    qtbot.waitUntil(lambda: count(theme) == 2, timeout=2000)


def test_frequencies_speakers_and_participants_follow_changes(
    qtbot: QtBot, window: MainWindow, study: CodingStudy
) -> None:
    ws = _ws(window)
    code = ws.coding.codebook.add_code(name="Night shifts")
    ws.coding.code_selection(code, _span(study, 1, 0, 8))
    ws.pages.setCurrentWidget(ws.analysis)
    ws.analysis.tabs.setCurrentWidget(ws.analysis.frequencies)
    qtbot.waitUntil(lambda: ws.analysis.frequencies.summary.text().startswith("1 codings"), timeout=5000)

    window.undo_action.trigger()  # Ctrl+Z on the Analysis page: the table recounts without Refresh
    qtbot.waitUntil(lambda: ws.analysis.frequencies.summary.text().startswith("0 codings"), timeout=5000)

    ws.participants.add_attribute("Shift", AttributeType.TEXT, [])
    qtbot.waitUntil(lambda: ws.analysis.frequencies.by.findText("Shift") >= 0, timeout=5000)

    ws.pages.setCurrentIndex(0)
    ws.explorer.tabs.setCurrentWidget(ws.speakers)
    qtbot.waitUntil(lambda: bool(ws.speakers.model.stats), timeout=5000)  # counted in the background
    before = {s.label: s.word_share for s in ws.speakers.model.stats}
    first_question = study.segment(study.documents[0], 0)
    longer = "How did the night shifts feel in the first year, and in the second, and the third?"
    edit_service.update_segment_text(ws.store, first_question, longer)  # as the editor stores a correction
    qtbot.waitUntil(lambda: {s.label: s.word_share for s in ws.speakers.model.stats}["S1"] > before["S1"], timeout=2000)


def test_the_first_coding_asks_who_is_coding(
    qtbot: QtBot, window: MainWindow, study: CodingStudy, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _ws(window)
    ws.settings.forget_coder_name()
    asked: list[str] = []

    def answer(dialog: coder_name_dialog.CoderNameDialog) -> int:
        asked.append(dialog.windowTitle())
        dialog.name_edit.clear()
        qtbot.keyClicks(dialog.name_edit, "MK")
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(coder_name_dialog.CoderNameDialog, "exec", answer)
    code = ws.coding.codebook.add_code(name="Night shifts")
    first = ws.coding.code_selection(code, _span(study, 1, 0, 8))
    second = ws.coding.code_selection(code, _span(study, 3, 0, 4))
    assert asked == ["Who is coding?"]  # once, not for every coding
    codings = {c.id: c for c in coding_service.codings(ws.store, study.documents[0])}
    assert codings[first].coder == "MK" and codings[second].coder == "MK"  # type: ignore[index]
    assert AppSettings().coder_name() == "MK"


def test_preferences_left_without_a_coder_name_do_not_stop_the_question(qtbot: QtBot) -> None:
    from desktop_app.gui.preferences.preferences_dialog import PreferencesDialog

    settings = AppSettings()
    settings.forget_coder_name()
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    dialog.font_size.setValue(dialog.font_size.value() + 1)  # changed something else; the coder field left empty
    dialog.save()  # what OK does
    assert not settings.has_coder_name()
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    dialog.coder.setText("MK")
    dialog.save()
    assert settings.coder_name() == "MK"


def test_exports_from_the_panels_say_where_the_file_went(
    qtbot: QtBot, window: MainWindow, study: CodingStudy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    ws = _ws(window)
    code = ws.coding.codebook.add_code(name="Night shifts")
    assert code is not None
    ws.coding.code_selection(code, _span(study, 1, 0, 8))
    ws.coding.codebook.select(code)
    extracts = tmp_path / "night shifts"  # no suffix typed: the chosen filter's is added
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(extracts), "Word (*.docx)"))
    )
    ws.coding.extracts.export_button.click()
    assert extracts.with_suffix(".docx").exists()
    assert ws.export_notice.path == extracts.with_suffix(".docx")
    assert ws.export_notice.label.text() == "Exported to night shifts.docx · 1 extract"

    table = tmp_path / "frequencies.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(table), "")))
    ws.pages.setCurrentWidget(ws.analysis)
    ws.analysis.tabs.setCurrentWidget(ws.analysis.frequencies)
    qtbot.waitUntil(lambda: ws.analysis.frequencies.export_button.isEnabled(), timeout=5000)
    ws.analysis.frequencies.export_button.click()
    assert table.exists() and ws.export_notice.path == table and ws.export_notice.isVisibleTo(window)
