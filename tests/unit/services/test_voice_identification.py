"""Voices known across interviews, on real speech: two recordings of the same three people.

Each recording is built from halves of three shared recordings of different people (LibriSpeech
English, Common Voice German and French), in a different order, with words over each person's
talk; so what is tested is the identification, not the speaker step. Measured: 3 of 3 named
correctly, confidence 0.63-0.85 (the other people 0.25-0.46). On the far-field AMI excerpts that
share four speakers (trn07 named from the reference, trn08 identified) it names 0 of 4 correctly
(confidence 0.38-0.58): a few seconds of a reverberant voice are too little for CAM++, which is why
proposals are not applied unless the researcher sets a threshold.
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest
from faster_whisper import decode_audio

from desktop_app.core.transcript import Segment, Word
from desktop_app.services.speakers import speaker_service, voice_identification
from desktop_app.services.study import import_service, project_service
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import transcript_repository

PEOPLE = ("librispeech_1272-128104-0000.wav", "cv_de.wav", "cv_fr.wav")


def _recording(path: Path, parts: list[np.ndarray]) -> list[tuple[float, float]]:
    """Write the parts one after another (0.5 s apart) as 16 kHz WAV; their (start, end) times."""
    gap = np.zeros(8000, dtype=np.float32)
    spans, audio, at = [], [], 0.0
    for part in parts:
        spans.append((at, at + len(part) / 16000))
        audio += [part, gap]
        at += (len(part) + len(gap)) / 16000
    samples = (np.clip(np.concatenate(audio), -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(16000)
        out.writeframes(samples.tobytes())
    return spans


def _transcribe(store: ProjectStore, document: int, spans: list[tuple[float, float]]) -> None:
    """One segment per person (S1, S2, S3 in order), words every 0.4 s over their talk."""
    segments = []
    for i, (start, end) in enumerate(spans):
        label = f"S{i + 1}"
        words = [Word(float(t), float(t + 0.35), "word", speaker=label) for t in np.arange(start, end - 0.4, 0.4)]
        segments.append(Segment.from_words(words, label))
    transcript_repository.append_segments(store, document, None, segments)
    store.db.execute("UPDATE documents SET status = 'transcribed' WHERE id = ?", [document])


def test_people_named_in_one_interview_are_recognised_in_another(
    tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    voices = [np.asarray(decode_audio(str(shared_data / name))) for name in PEOPLE]
    first_spans = _recording(tmp_path / "first.wav", [v[: len(v) // 2] for v in voices])
    order = [2, 0, 1]  # the second interview: French, English, German halves
    second_spans = _recording(tmp_path / "second.wav", [voices[i][len(voices[i]) // 2 :] for i in order])
    store = project_service.create_project(tmp_path / "s.verbatim")
    result = import_service.import_recordings(store, [tmp_path / "first.wav", tmp_path / "second.wav"])
    first, second = (d.id for d in result.imported)
    _transcribe(store, first, first_spans)
    _transcribe(store, second, second_spans)
    names = ["Interviewer", "Anna", "Karim"]
    for i, name in enumerate(names):
        speaker_service.rename_speaker(store, first, f"S{i + 1}", name)
    speaker_service.link_participant(store, first, "S2", "P05")
    assert voice_identification.identify(store, first) == []  # everyone there is named already

    matches = {m.label: m for m in voice_identification.identify(store, second)}
    assert {label: m.name for label, m in matches.items()} == {"S1": "Karim", "S2": "Interviewer", "S3": "Anna"}
    assert matches["S3"].participant == "P05" and all(m.document_id == first for m in matches.values())
    assert all(0.55 <= m.confidence <= 1.0 and not m.applied for m in matches.values())
    assert not any(info.display_name for info in transcript_repository.list_speakers(store, second).values())

    store.close()

    from desktop_app.cli import run

    study = str(tmp_path / "s.verbatim")
    assert run(["speakers", study, str(second), "identify"]) == 0
    assert "Anna (P05)" in capsys.readouterr().out
    assert run(["speakers", study, str(second), "identify", "--apply-above", "1.5"]) == 2
    assert run(["speakers", study, str(second), "identify", "--apply-above", "0.55"]) == 0
    assert capsys.readouterr().out.count("named") == 3
    with project_service.open_project(tmp_path / "s.verbatim") as store:
        speakers = transcript_repository.list_speakers(store, second)
        assert (speakers["S3"].display_name, speakers["S3"].participant) == ("Anna", "P05")
        assert speakers["S1"].display_name == "Karim"
        assert voice_identification.identify(store, second) == []  # all named now
        prints = store.db.execute("SELECT count(*) FROM settings WHERE key LIKE 'voiceprint:%'").fetchone()[0]
        assert prints == 2  # voice prints stay in the study file
