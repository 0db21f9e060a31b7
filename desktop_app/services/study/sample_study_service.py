"""The sample study: a short bundled two-voice interview, imported and transcribed, to try the app on.

The recording is copied next to the study file, so the study is complete on its own and can be
moved, explored, edited and coded like any other. Creating it again resumes or reuses what is
already there.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from desktop_app.core.app_root import app_root
from desktop_app.core.errors import MediaError, ProjectError
from desktop_app.services.speakers import diarization_service
from desktop_app.services.speakers.diarization_service import DiarizationOptions, DiarizationOutcome
from desktop_app.services.study import import_service, project_service
from desktop_app.services.transcription import transcription_service
from desktop_app.services.transcription.transcription_service import TranscriptionListener, TranscriptionOptions
from desktop_app.storage.project_store import ProjectStore

SAMPLE_FOLDER = Path("resources") / "sample"
SAMPLE_DESCRIPTION = "sample-interview.json"
STUDY_FILE = "Sample study.verbatim"
SAMPLE_MODEL = "tiny.en"  # the recording is English; the small model makes it quick


@dataclass(frozen=True)
class SampleRecording:
    """The bundled recording and what is said in it."""

    audio: Path
    title: str
    language: str
    speakers: int
    turns: list[dict[str, Any]] = field(default_factory=list)
    expected_phrases: list[str] = field(default_factory=list)


def resources_dir() -> Path:
    """``resources/`` of the app: inside a PyInstaller bundle, or the repository's."""
    return app_root() / "resources"


def sample_recording() -> SampleRecording:
    folder = resources_dir() / "sample"
    description = folder / SAMPLE_DESCRIPTION
    try:
        data = json.loads(description.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise MediaError(
            description, f"the sample study's description cannot be read ({reason}); reinstall Verbatim"
        ) from exc
    audio = folder / data["recording"]
    if not audio.is_file():
        raise MediaError(audio, "the sample recording is missing; reinstall Verbatim")
    return SampleRecording(
        audio, data["title"], data["language"], int(data["speakers"]), data["turns"], data["expected_phrases"]
    )


def default_sample_folder() -> Path:
    """``sample/`` in the portable data folder, or in the user's data folder."""
    data_dir = os.environ.get("VERBATIM_DATA_DIR")
    root = Path(data_dir) if data_dir else Path(platformdirs.user_data_dir("Verbatim", appauthor=False))
    return root / "sample"


def create_sample_study(folder: Path, sample: SampleRecording | None = None) -> tuple[ProjectStore, int]:
    """A new study in ``folder`` with the sample recording imported (not transcribed); store and document id."""
    sample = sample or sample_recording()
    folder.mkdir(parents=True, exist_ok=True)
    audio = folder / sample.audio.name
    if not audio.is_file():
        shutil.copyfile(sample.audio, audio)
    study = folder / STUDY_FILE
    store = project_service.create_project(study, name=sample.title)
    try:
        result = import_service.import_recordings(store, [audio])
        if result.failed:
            raise result.failed[0]
    except BaseException:
        store.close()
        raise
    return store, result.imported[0].id


def transcribe_sample(
    store: ProjectStore,
    document_id: int,
    options: TranscriptionOptions | None = None,
    listener: TranscriptionListener | None = None,
) -> transcription_service.TranscriptionOutcome:
    """Transcribe the sample document (English, ``tiny.en`` unless ``options`` say otherwise)."""
    options = options or TranscriptionOptions(model=SAMPLE_MODEL, language="en")
    return transcription_service.transcribe_document(store, document_id, options, listener)


def split_sample_speakers(store: ProjectStore, document_id: int, speakers: str = "auto") -> DiarizationOutcome:
    """Split the transcribed sample into speaker turns (``auto``, or a count such as ``2``)."""
    return diarization_service.diarize_document(store, document_id, DiarizationOptions.from_speakers(speakers))


def open_sample_study(folder: Path | None = None, listener: TranscriptionListener | None = None) -> Path:
    """The sample study's path, created and transcribed first if needed (for the start screen)."""
    folder = folder or default_sample_folder()
    study = folder / STUDY_FILE
    if study.exists():
        store = project_service.open_project(study)
        documents = project_service.list_documents(store)
        if not documents:
            store.close()
            raise ProjectError(study, "the sample study has no recording; delete it to make it again")
        document_id = documents[0].id
    else:
        store, document_id = create_sample_study(folder)
    with store:
        if document_id in transcription_service.pending_documents(store):
            transcribe_sample(store, document_id, listener=listener)
            split_sample_speakers(store, document_id, str(sample_recording().speakers))
    return study
