"""The sample study: the bundled recording, imported into a study of its own, transcribed with speakers."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.errors import MediaError
from desktop_app.pipeline.media_probe import probe_media
from desktop_app.services.study import project_service, sample_study_service
from desktop_app.storage.transcripts import run_repository, transcript_repository


def test_bundled_recording_is_short_two_voices_and_described() -> None:
    sample = sample_study_service.sample_recording()
    info = probe_media(sample.audio)
    assert 15 < (info.duration or 0) <= 30
    assert sample.audio.stat().st_size < 300_000
    assert sample.speakers == 2 and len({t["speaker"] for t in sample.turns}) == 2
    spoken = " ".join(t["text"].lower() for t in sample.turns)
    assert sample.expected_phrases and all(p in spoken for p in sample.expected_phrases)
    assert (sample.audio.parent / "LICENSE.txt").is_file()


def test_create_copies_the_recording_beside_the_study(tmp_path: Path) -> None:
    store, document_id = sample_study_service.create_sample_study(tmp_path / "sample")
    with store:
        document = project_service.list_documents(store)[0]
        assert document.id == document_id
        assert Path(document.media_path or "").resolve().parent == (tmp_path / "sample").resolve()
    assert (tmp_path / "sample" / sample_study_service.STUDY_FILE).is_file()
    assert (tmp_path / "sample" / "sample-interview.ogg").is_file()


def test_default_folder_follows_the_portable_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERBATIM_DATA_DIR", str(tmp_path))
    assert sample_study_service.default_sample_folder() == tmp_path / "sample"


def test_missing_description_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sample_study_service, "resources_dir", lambda: tmp_path)
    with pytest.raises(MediaError) as caught:
        sample_study_service.sample_recording()
    assert str(caught.value.path) == str(tmp_path / "sample" / "sample-interview.json")
    assert "cannot be read (No such file or directory); reinstall Verbatim" in caught.value.message


@pytest.mark.slow
def test_open_makes_a_transcribed_study_with_two_speakers_once(tmp_path: Path) -> None:
    study = sample_study_service.open_sample_study(tmp_path)
    with project_service.open_project(study, readonly=True) as store:
        summary = project_service.study_summary(store)
        document_id = summary["documents"][0]["id"]
        assert summary["documents"][0]["status"] == "transcribed"
        runs = run_repository.list_runs(store, document_id)
        speakers = {s.speaker for s in transcript_repository.load_transcript(store, document_id).segments}
    assert len(speakers) == 2
    assert sample_study_service.open_sample_study(tmp_path) == study
    with project_service.open_project(study, readonly=True) as store:
        assert len(run_repository.list_runs(store, document_id)) == len(runs), "opened again, not redone"
