from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.storage.project_store import ProjectStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ProjectStore]:
    project = ProjectStore.create(tmp_path / "study.verbatim")
    yield project
    project.close()
