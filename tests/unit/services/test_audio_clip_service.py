"""Audio clips of coded extracts: real generated speech, exact samples, bleeped names, encrypted studies."""

from __future__ import annotations

import tempfile
import tracemalloc
import wave
from pathlib import Path

import numpy as np
import pytest

from desktop_app.cli import run
from desktop_app.core.errors import ExportError
from desktop_app.core.transcript import Segment, Word
from desktop_app.services.coding import coding_service
from desktop_app.services.exports import audio_clip_service
from desktop_app.services.exports.audio_clip_service import ClipOptions, export_clips
from desktop_app.services.participants import pseudonym_service
from desktop_app.services.study import import_service, project_service
from desktop_app.storage.transcripts import transcript_repository
from tests.fixtures.clip_study import ClipStudy, clip_speech, code_segment, make_clip_study
from tests.fixtures.speech import SpeechFixture

ANNA, LUND = 2, 4  # the one-word turns in CLIP_TURNS


@pytest.fixture(scope="module")
def speech() -> SpeechFixture:
    return clip_speech()


@pytest.fixture
def study(tmp_path: Path, speech: SpeechFixture) -> ClipStudy:
    return make_clip_study(tmp_path, speech)


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path)) as clip:
        assert clip.getsampwidth() == 2 and clip.getnchannels() == 1
        return np.frombuffer(clip.readframes(clip.getnframes()), dtype="<i2"), clip.getframerate()


def source(study: ClipStudy) -> np.ndarray:
    return read_wav(study.speech.wav)[0]


def coded_range(study: ClipStudy, code: str) -> tuple[float, float]:
    row = study.store.db.execute(
        "SELECT start_time, end_time FROM codings WHERE code_id = ?", [study.codes[code]]
    ).fetchone()
    return float(row[0]), float(row[1])


def dominant_hz(samples: np.ndarray, rate: int) -> tuple[float, float]:
    """The strongest frequency and the share of the energy within 20 Hz of it."""
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64) * np.hanning(len(samples)))) ** 2
    freqs = np.fft.rfftfreq(len(samples), 1 / rate)
    peak = float(freqs[int(np.argmax(spectrum))])
    return peak, float(spectrum[np.abs(freqs - peak) <= 20].sum() / spectrum.sum())


def test_a_clip_is_the_coded_stretch_plus_padding_sample_for_sample(study: ClipStudy, tmp_path: Path) -> None:
    start, end = coded_range(study, "Night shifts")
    result = export_clips(study.store, study.codes["Night shifts"], tmp_path / "out", ClipOptions(padding=0.5))
    assert [p.name for p in result.written] == [f"Night shifts - Nurse 3 - 00.{int(start):02d}.wav"]
    samples, rate = read_wav(result.written[0])
    assert rate == 16000
    assert len(samples) / rate == pytest.approx(end - start + 1.0, abs=1 / rate)
    first = round((start - 0.5) * rate)
    assert np.array_equal(samples, source(study)[first : first + len(samples)])
    assert result.audio_seconds == pytest.approx(end - start + 1.0, abs=0.001) and not result.skipped


def test_padding_stops_at_the_ends_of_the_recording(study: ClipStudy, tmp_path: Path) -> None:
    start, end = coded_range(study, "Questions")  # the first words, 0.5 s after the start
    result = export_clips(study.store, study.codes["Questions"], tmp_path, ClipOptions(padding=5.0, fmt="flac"))
    assert result.written[0].suffix == ".flac"
    from desktop_app.pipeline.audio_excerpt import ExcerptReader

    with ExcerptReader(result.written[0]) as reader:
        clip = reader.read(0, 3600).samples[:, 0]
    assert len(clip) == round(min(end + 5.0, study.speech.duration) * 16000)
    assert np.array_equal(clip, source(study)[: len(clip)])  # FLAC is lossless


def test_bleep_covers_each_spoken_name_with_a_tone_and_leaves_the_rest(study: ClipStudy, tmp_path: Path) -> None:
    start, _ = coded_range(study, "Introductions")
    options = ClipOptions(padding=0.3, bleep=True)
    result = export_clips(study.store, study.codes["Introductions"], tmp_path, options)
    assert result.bleeps == 2
    clip, rate = read_wav(result.written[0])
    original = source(study)
    offset = round((start - 0.3) * rate)
    untouched = np.ones(len(clip), dtype=bool)
    for turn in (ANNA, LUND):
        word_start, word_end = study.word_span(turn)
        low, high = round(word_start * rate) - offset, round(word_end * rate) - offset
        peak, purity = dominant_hz(clip[low:high], rate)
        assert peak == pytest.approx(1000, abs=5) and purity > 0.95, (turn, peak, purity)
        assert 0.1 < np.abs(clip[low:high]).max() / 32767 < 0.3  # a modest level
        margin = round(options.bleep_margin * rate)
        untouched[low - margin : high + margin] = False
    assert np.array_equal(clip[untouched], original[offset : offset + len(clip)][untouched])
    assert result.written[0].name.startswith("Introductions - Nurse 3 - ")


def test_a_hit_kept_as_spoken_is_not_bleeped(study: ClipStudy, tmp_path: Path) -> None:
    lund = next(h for h in pseudonym_service.preview_hits(study.store) if h.hit.text == "Lund")
    pseudonym_service.set_hit_skipped(study.store, lund)
    result = export_clips(study.store, study.codes["Introductions"], tmp_path, ClipOptions(bleep=True))
    assert result.bleeps == 1
    clip, rate = read_wav(result.written[0])
    offset = round(coded_range(study, "Introductions")[0] * rate)
    lund_start, lund_end = (round(t * rate) - offset for t in study.word_span(LUND))
    assert np.array_equal(clip[lund_start:lund_end], source(study)[offset + lund_start : offset + lund_end])
    anna_start, anna_end = (round(t * rate) - offset for t in study.word_span(ANNA))
    assert dominant_hz(clip[anna_start:anna_end], rate)[0] == pytest.approx(1000, abs=5)


def test_pseudonymised_names_use_the_pseudonymised_title_when_no_participant_is_linked(
    study: ClipStudy, tmp_path: Path
) -> None:
    plain = export_clips(study.store, study.codes["Questions"], tmp_path / "plain")
    hidden = export_clips(study.store, study.codes["Questions"], tmp_path / "hidden", ClipOptions(pseudonymised=True))
    assert plain.written[0].name == "Questions - Interview with Anna - 00.00.wav"
    assert hidden.written[0].name == "Questions - Interview with [P3] - 00.00.wav"
    assert audio_clip_service.clip_name('a/b: "c"', "Peer support worker 5", 3 * 60 + 7) == (
        "a_b_ _c_ - Peer support worker 5 - 03.07"
    )


def test_an_encrypted_study_with_embedded_media_writes_clips_without_temporary_files(
    tmp_path: Path, speech: SpeechFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    study = make_clip_study(tmp_path, speech, passphrase="pw", embed=True)
    study.store.close()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    out = tmp_path / "clips"
    with project_service.open_project(tmp_path / "clips.verbatim", readonly=True, passphrase="pw") as store:
        study.store = store
        result = export_clips(store, study.codes["Night shifts"], out, ClipOptions(padding=0.25, bleep=True))
    assert list(scratch.iterdir()) == []
    others = {p.name for p in tmp_path.iterdir() if not p.name.startswith("clips.verbatim")}  # study, -wal, -shm
    assert others == {"clips", "tmp"}
    assert [p.name for p in out.iterdir()] == [result.written[0].name]
    start, _ = coded_range_from(tmp_path / "clips.verbatim", study.codes["Night shifts"])
    samples, rate = read_wav(result.written[0])
    first = round((start - 0.25) * rate)
    assert np.array_equal(samples, source(study)[first : first + len(samples)])


def coded_range_from(path: Path, code_id: int) -> tuple[float, float]:
    with project_service.open_project(path, readonly=True, passphrase="pw") as store:
        row = store.db.execute("SELECT start_time, end_time FROM codings WHERE code_id = ?", [code_id]).fetchone()
    return float(row[0]), float(row[1])


def test_a_missing_recording_is_reported_and_other_problems_are_clear(study: ClipStudy, tmp_path: Path) -> None:
    (tmp_path / "Interview with Anna.wav").unlink()
    result = export_clips(study.store, study.codes["Night shifts"], tmp_path / "out")
    assert result.written == [] and len(result.failed) == 1
    assert "Interview with Anna.wav" in result.failed[0] and "cannot be found" in result.failed[0]
    (tmp_path / "a-file").write_text("")
    with pytest.raises(ExportError, match="is a file, not a folder"):
        export_clips(study.store, study.codes["Night shifts"], tmp_path / "a-file")


def test_cli_clips(study: ClipStudy, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study.store.close()
    path, out = str(tmp_path / "clips.verbatim"), tmp_path / "out"
    assert run(["clips", path, "--code", "introductions", "-o", str(out), "--bleep", "--padding", "0.5"]) == 0
    printed = capsys.readouterr().out
    assert "Wrote 1 clip" in printed and "2 spoken names bleeped" in printed, printed
    assert [p.name for p in out.iterdir()] == [next(out.iterdir()).name]
    assert next(out.iterdir()).name.startswith("Introductions - Nurse 3 - 00.")
    assert run(["clips", path, "--code", "Nope", "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "no code named 'Nope'" in err, err
    assert run(["clips", path, "--code", "Questions", "-o", str(out), "--padding", "-1"]) == 2
    capsys.readouterr()
    with project_service.open_project(Path(path)) as store:
        empty = coding_service.add_code(store, "Not yet used")
        coding_service.add_code(store, "Child", parent_id=empty)
    assert run(["clips", path, "--code", "Not yet used", "-o", str(out), "--no-subcodes"]) == 0
    assert "No extracts are coded with 'Not yet used' (its sub-codes left out" in capsys.readouterr().out


def test_cli_clips_on_an_encrypted_study(
    tmp_path: Path, speech: SpeechFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    make_clip_study(tmp_path, speech, passphrase="pw", embed=True).store.close()
    secret = tmp_path / "passphrase.txt"
    secret.write_text("pw\n")
    out = tmp_path / "out"
    args = ["clips", str(tmp_path / "clips.verbatim"), "--code", "Night shifts", "-o", str(out)]
    assert run([*args, "--passphrase-file", str(secret), "--format", "flac"]) == 0, capsys.readouterr().err
    assert [p.suffix for p in out.iterdir()] == [".flac"]


def test_a_long_extract_is_written_in_blocks_not_held_in_memory(tmp_path: Path) -> None:
    """A whole five-minute interview coded at once: the clip (9.6 MB) never sits in memory whole."""
    rate, seconds = 16000, 300
    noise = np.random.default_rng(3).integers(-3000, 3000, size=rate * seconds).astype("<i2")
    recording = tmp_path / "long.wav"
    with wave.open(str(recording), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(noise.tobytes())
    store = project_service.create_project(tmp_path / "long.verbatim")
    document = import_service.import_recordings(store, [recording]).imported[0].id
    words = [Word(1.0, 1.5, "It", 0.9, "S1"), Word(298.0, 299.0, "ended.", 0.9, "S1")]
    segment = Segment.from_words(words, "S1")
    transcript_repository.append_segments(store, document, None, [segment])
    code = coding_service.add_code(store, "Whole interview")
    code_segment(store, document, segment, code)
    tracemalloc.start()
    try:
        result = export_clips(store, code, tmp_path / "out", ClipOptions(padding=1.0))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.audio_seconds == pytest.approx(300.0) and result.written[0].stat().st_size > 9_000_000
    assert peak < 4_000_000, f"peak {peak / 1e6:.1f} MB for a {len(noise) * 2 / 1e6:.0f} MB clip"
    from desktop_app.pipeline.audio_excerpt import ExcerptReader

    with ExcerptReader(result.written[0]) as reader:
        assert np.array_equal(reader.read(0, 700).samples[:, 0], noise)
    store.close()
