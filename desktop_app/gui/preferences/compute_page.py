"""Preferences ▸ Transcription ▸ Compute: this computer, or a Dask scheduler (a GPU server, the university cluster).

The choice is a user setting, not the study's: the same study may be transcribed at the office on
the institution's scheduler and at home on the laptop. An address that would send recordings in
the clear, or TLS without the institution's CA certificate, is refused when saving, with the reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.gui.shell.settings import AppSettings
from desktop_app.services.transcription.cluster_transcription_service import ClusterError, ClusterSpec, check_cluster

ADDRESS_KEY = "compute/address"  # "" = this computer
TLS_KEYS = {"ca": "compute/tls_ca", "cert": "compute/tls_cert", "key": "compute/tls_key"}


def compute_target(settings: AppSettings) -> ClusterSpec | None:
    """The cluster transcription goes to, or None for this computer (the default)."""
    address = str(settings.value(ADDRESS_KEY, "")).strip()
    if not address:
        return None
    files = {name: str(settings.value(key, "")).strip() for name, key in TLS_KEYS.items()}
    return ClusterSpec(
        address,
        tls_ca_file=Path(files["ca"]) if files["ca"] else None,
        tls_cert=Path(files["cert"]) if files["cert"] else None,
        tls_key=Path(files["key"]) if files["key"] else None,
    )


class ComputePage(QWidget):
    """Where transcription runs: this computer, or the Dask scheduler at an address (with TLS files)."""

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.here = QRadioButton("This computer")
        self.cluster = QRadioButton("Dask scheduler at")
        group = QButtonGroup(self)
        group.addButton(self.here)
        group.addButton(self.cluster)
        self.address = QLineEdit(str(settings.value(ADDRESS_KEY, "")))
        self.address.setPlaceholderText("tls://gpu-server.example.edu:8786")
        self.files = {name: QLineEdit(str(settings.value(key, ""))) for name, key in TLS_KEYS.items()}
        (self.cluster if self.address.text().strip() else self.here).setChecked(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020")
        self.problem.hide()
        self._build()
        self.cluster.toggled.connect(self._enable)
        self._enable(self.cluster.isChecked())

    def _build(self) -> None:
        box = QGroupBox("Compute")
        form = QFormLayout(box)
        form.addRow(self.here)
        row = QHBoxLayout()
        row.addWidget(self.cluster)
        row.addWidget(self.address, 1)
        form.addRow(row)
        labels = {"ca": "CA certificate", "cert": "Client certificate", "key": "Client key"}
        for name, edit in self.files.items():
            form.addRow(labels[name], self._file_row(edit, labels[name]))
        note = QLabel(
            "Recordings go to the workers in memory over TLS and are never written to their disks; the study "
            "stays on this computer, which writes every result. A plain tcp:// address is accepted only for "
            "this computer. 'verbatim worker-check ADDRESS' shows each worker's device and speed."
        )
        note.setWordWrap(True)
        form.addRow(note)
        form.addRow(self.problem)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addStretch(1)

    def _file_row(self, edit: QLineEdit, title: str) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        browse = QPushButton("Choose…")
        browse.clicked.connect(lambda: self._choose(edit, title))
        layout.addWidget(edit, 1)
        layout.addWidget(browse)
        edit.setProperty("browse", browse)
        return row

    def _choose(self, edit: QLineEdit, title: str) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, title, edit.text() or str(Path.home()), "PEM files (*.pem *.crt *.key);;All files (*)"
        )
        if path:
            edit.setText(path)

    def _enable(self, on: bool) -> None:
        self.address.setEnabled(on)
        for edit in self.files.values():
            edit.setEnabled(on)
            edit.property("browse").setEnabled(on)

    def save(self) -> bool:
        """Store the choice; False (and the reason shown) when the address is refused."""
        address = self.address.text().strip() if self.cluster.isChecked() else ""
        files = {name: edit.text().strip() for name, edit in self.files.items()}
        if address:
            paths: dict[str, Any] = {k: Path(v) if v else None for k, v in _spec_names(files).items()}
            spec = ClusterSpec(address, **paths)
            try:
                check_cluster(spec)
            except ClusterError as exc:
                self.problem.setText(exc.message)
                self.problem.show()
                return False
        self.problem.hide()
        self.settings.set_value(ADDRESS_KEY, address)
        for name, key in TLS_KEYS.items():
            self.settings.set_value(key, files[name])
        return True


def _spec_names(files: dict[str, str]) -> dict[str, str]:
    return {"tls_ca_file": files["ca"], "tls_cert": files["cert"], "tls_key": files["key"]}
