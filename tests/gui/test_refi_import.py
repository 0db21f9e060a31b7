"""Importing a .qdpx from the workspace: files it names outside itself are read only when the user says yes."""

from __future__ import annotations

import zipfile
from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.services.study import project_service

SECRET = "the researcher's own notes"


def _crafted(tmp_path: Path) -> tuple[Path, Path]:
    secret = tmp_path / "private.txt"
    secret.write_text(SECRET, "utf-8")
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Received"><Sources>
<TextSource guid="2f1e5c1a-0000-4000-8000-0000000000d1" name="Shared" plainTextPath="absolute://{secret.as_posix()}"/>
</Sources></Project>"""
    path = tmp_path / "received.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
    return path, secret


def test_outside_files_need_a_yes(qtbot: QtBot, tmp_path: Path, monkeypatch) -> None:
    from desktop_app.gui.shell.main_window import MainWindow
    from desktop_app.gui.shell.settings import AppSettings

    crafted, secret = _crafted(tmp_path)
    project_service.create_project(tmp_path / "s.verbatim").close()
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.open_study(tmp_path / "s.verbatim")
    assert window.workspace is not None and window.store is not None
    asked: list[str] = []
    shown: list[str] = []
    answer = QMessageBox.StandardButton.No

    def question(_parent: object, _title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    window.workspace.import_files([crafted])
    assert "refers to 1 file(s) outside it" in asked[0] and secret.as_posix() in asked[0]
    assert project_service.list_documents(window.store) == []
    assert "not read (external files not allowed)" in shown[0] and SECRET not in shown[0]
    answer = QMessageBox.StandardButton.Yes
    window.workspace.import_files([crafted])
    (document,) = project_service.list_documents(window.store)
    assert document.title == "Shared"
