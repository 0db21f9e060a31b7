"""The import probe refuses cut-off WAV and Ogg files, which FFmpeg decodes without complaint."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.core.errors import MediaError
from desktop_app.pipeline.container_integrity import ogg_incomplete_page, wav_declared_seconds
from desktop_app.pipeline.media_probe import probe_media
from tests.fixtures.media_formats import transcode, truncate

CUT_FORMATS = [".wav", ".ogg", ".opus"]


@pytest.fixture(scope="module")
def intact(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The 30 s two-speaker sample in each format whose truncation FFmpeg hides."""
    folder = tmp_path_factory.mktemp("intact")
    return {
        suffix: transcode(shared_data / "pyannote_sample.wav", folder / f"sample{suffix}") for suffix in CUT_FORMATS
    }


@pytest.mark.parametrize("suffix", CUT_FORMATS)
@pytest.mark.parametrize("keep", [0.5, 0.97])
def test_a_cut_off_copy_is_refused_as_truncated(
    intact: dict[str, Path], tmp_path: Path, suffix: str, keep: float
) -> None:
    cut = truncate(intact[suffix], tmp_path / f"cut{suffix}", keep)
    with pytest.raises(MediaError) as caught:
        probe_media(cut)
    message = str(caught.value)
    assert str(cut) in message and "is truncated" in message, message
    assert f"{30 * keep:.0f}" in message or f"{30 * keep:.1f}" in message, message  # says how much is there


@pytest.mark.parametrize("suffix", CUT_FORMATS)
def test_intact_files_pass_with_their_full_length(intact: dict[str, Path], suffix: str) -> None:
    assert probe_media(intact[suffix]).duration == pytest.approx(30.0, abs=0.05)
    assert ogg_incomplete_page(intact[suffix]) is None


def test_the_wav_header_length_is_read_exactly(intact: dict[str, Path], tmp_path: Path) -> None:
    assert wav_declared_seconds(intact[".wav"]) == pytest.approx(30.0, abs=0.001)
    cut = truncate(intact[".wav"], tmp_path / "cut.wav", 0.5)
    assert wav_declared_seconds(cut) == pytest.approx(30.0, abs=0.001)  # the header still claims it all


def test_a_wav_still_being_recorded_has_no_declared_length_and_is_accepted(
    intact: dict[str, Path], tmp_path: Path
) -> None:
    """Recorders write 0 or 0xFFFFFFFF as the data size until they finish; that is not truncation."""
    data = bytearray(intact[".wav"].read_bytes())
    at = data.index(b"data") + 4
    struct.pack_into("<I", data, at, 0xFFFFFFFF)
    streaming = tmp_path / "streaming.wav"
    streaming.write_bytes(bytes(data))
    assert wav_declared_seconds(streaming) is None
    assert probe_media(streaming).duration == pytest.approx(30.0, abs=0.05)


def test_an_ogg_with_a_tag_appended_after_its_last_page_is_accepted(intact: dict[str, Path], tmp_path: Path) -> None:
    tagged = tmp_path / "tagged.ogg"
    tagged.write_bytes(intact[".ogg"].read_bytes() + b"TAG" + b"\0" * 125)  # an ID3v1 tag some tools add
    assert ogg_incomplete_page(tagged) is None
    assert probe_media(tagged).duration == pytest.approx(30.0, abs=0.05)


def test_import_refuses_truncated_wav_and_ogg_in_one_line(
    intact: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study = tmp_path / "study.verbatim"
    assert run(["new", str(study)]) == 0
    for suffix in (".wav", ".ogg"):
        cut = truncate(intact[suffix], tmp_path / f"interview-cut{suffix}", 0.6)
        capsys.readouterr()
        assert run(["import", str(study), str(cut)]) == 2
        err = capsys.readouterr().err.strip()
        assert err.count("\n") == 0 and str(cut) in err and "truncated" in err, err
    capsys.readouterr()
    assert run(["info", str(study)]) == 0
    assert "interview-cut" not in capsys.readouterr().out
