"""Downloading a pinned model from a fake hub on 127.0.0.1: progress, cancel, resume, bad bytes, no room, proxy."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from threading import Event

import pytest

from desktop_app.core.errors import CancelledError, ModelError
from desktop_app.pipeline import model_download
from desktop_app.pipeline.model_download import DownloadPlan, DownloadProgress, download_model
from desktop_app.pipeline.model_registry import ModelRegistry, load_manifest
from tests.conftest import NetworkAccessError
from tests.fixtures.model_hub import PROXY_VARIABLES, FakeHub, ForwardingProxy, fake_files, serve

pytestmark = pytest.mark.loopback


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    for name in (*PROXY_VARIABLES, "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    fake = FakeHub(fake_files())
    yield from (fake for _ in serve(fake))


def plan_for(hub: FakeHub, name: str = "fake") -> DownloadPlan:
    return DownloadPlan.from_manifest(name, hub.manifest_entry(name), hub.url)


def test_download_installs_a_verified_model_with_progress(hub: FakeHub, tmp_path: Path) -> None:
    seen: list[DownloadProgress] = []
    folder = download_model(plan_for(hub), tmp_path, progress=seen.append)
    assert folder == tmp_path / "fake"
    for name, data in hub.files.items():
        assert (folder / name).read_bytes() == data
    assert seen[-1].done_bytes == seen[-1].total_bytes == sum(len(d) for d in hub.files.values())
    assert all(b.done_bytes >= a.done_bytes for a, b in zip(seen, seen[1:], strict=False))
    assert any(p.bytes_per_second > 0 and p.eta_seconds is not None for p in seen)
    assert json.loads((folder / "verbatim-model.json").read_text())["source"].startswith("download: ")
    assert [p.name for p in tmp_path.iterdir()] == ["fake"], "no staging folder or .part file left"


def test_cancel_keeps_nothing_usable_and_the_next_download_resumes(hub: FakeHub, tmp_path: Path) -> None:
    cancel = Event()
    total = sum(len(d) for d in hub.files.values())

    def stop_at_a_third(progress: DownloadProgress) -> None:
        if progress.done_bytes > total / 3:
            cancel.set()

    hub.chunk_delay = 0.0005
    with pytest.raises(CancelledError, match="resumes where it stopped"):
        download_model(plan_for(hub), tmp_path, progress=stop_at_a_third, cancel=cancel)
    assert not (tmp_path / "fake").exists()
    registry = ModelRegistry(tmp_path)
    assert "fake" not in [e.name for e in registry.models()], "a cancelled download must not be listed as a model"
    part = tmp_path / ".download-fake" / "model.bin.part"
    kept = part.stat().st_size
    assert 0 < kept < len(hub.files["model.bin"])

    hub.requests.clear()
    hub.chunk_delay = 0.0
    folder = download_model(plan_for(hub), tmp_path)
    assert (folder / "model.bin").read_bytes() == hub.files["model.bin"]
    ranges = dict(hub.requests)
    assert ranges[f"/{hub.manifest_entry()['download']['repository']}/resolve/" + _rev(hub) + "/model.bin"] == (
        f"bytes={kept}-"
    )


def _rev(hub: FakeHub) -> str:
    return str(hub.manifest_entry()["download"]["revision"])


def test_a_broken_connection_says_so_and_resumes(hub: FakeHub, tmp_path: Path) -> None:
    hub.break_after = 400_000
    with pytest.raises(ModelError, match="stopped early.*resume"):
        download_model(plan_for(hub), tmp_path)
    assert not (tmp_path / "fake").exists()
    folder = download_model(plan_for(hub), tmp_path)
    assert (folder / "model.bin").read_bytes() == hub.files["model.bin"]
    assert any(r and r.startswith("bytes=") for _, r in hub.requests)


def test_redirects_to_the_file_store_are_followed_and_resume_there(hub: FakeHub, tmp_path: Path) -> None:
    """The hub answers a large file with a redirect to its storage; the range must survive the redirect."""
    hub.redirect = True
    hub.break_after = 500_000
    with pytest.raises(ModelError, match="stopped early"):
        download_model(plan_for(hub), tmp_path)
    folder = download_model(plan_for(hub), tmp_path)
    assert (folder / "model.bin").read_bytes() == hub.files["model.bin"]
    cdn = [r for p, r in hub.requests if p.startswith("/cdn/")]
    assert cdn[-1] is not None and cdn[-1].startswith("bytes="), "the resumed request kept its Range on the redirect"


@pytest.mark.slow
def test_a_downloaded_model_transcribes(tmp_path: Path) -> None:
    """The download path ends in a model that loads and transcribes (tiny.en's real files served by the fake hub)."""
    from desktop_app.pipeline.asr_engine import AsrEngine
    from desktop_app.pipeline.asr_options import TranscriptionOptions
    from desktop_app.services.study.sample_study_service import sample_recording

    source = ModelRegistry(tmp_path / "bundled").resolve("tiny.en")
    real = FakeHub({p.name: p.read_bytes() for p in source.iterdir() if p.is_file() and p.suffix != ".py"})
    for _ in serve(real):
        folder = download_model(plan_for(real, "tiny-from-hub"), tmp_path / "models")
    from faster_whisper import decode_audio

    audio = decode_audio(str(sample_recording().audio), sampling_rate=16000)[: 10 * 16000]
    words = AsrEngine(
        folder, TranscriptionOptions(model="tiny-from-hub", language="en", device="cpu")
    ).transcribe_array(audio, 0.0, "en")
    assert len(words) >= 10


def test_a_server_that_ignores_ranges_gets_the_whole_file_again(hub: FakeHub, tmp_path: Path) -> None:
    hub.break_after = 300_000
    with pytest.raises(ModelError):
        download_model(plan_for(hub), tmp_path)
    hub.honour_ranges = False
    folder = download_model(plan_for(hub), tmp_path)
    assert (folder / "model.bin").read_bytes() == hub.files["model.bin"]


def test_a_hash_mismatch_deletes_the_file_and_says_so(hub: FakeHub, tmp_path: Path) -> None:
    tampered = bytearray(hub.files["model.bin"])
    tampered[1000] ^= 0xFF
    hub.served["model.bin"] = bytes(tampered)
    with pytest.raises(ModelError, match=r"model\.bin of model 'fake' .* does not match its pinned sha256.*deleted"):
        download_model(plan_for(hub), tmp_path)
    staging = tmp_path / ".download-fake"
    assert not (staging / "model.bin").exists() and not (staging / "model.bin.part").exists()
    assert not (tmp_path / "fake").exists()
    del hub.served["model.bin"]
    assert (download_model(plan_for(hub), tmp_path) / "model.bin").read_bytes() == hub.files["model.bin"]


def test_no_room_on_disk_is_refused_before_any_request(
    hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    monkeypatch.setattr(model_download, "DISK_MARGIN_BYTES", shutil.disk_usage(tmp_path).free)
    with pytest.raises(ModelError, match="not enough disk space to download: needs .* GB, .* GB free"):
        download_model(plan_for(hub), tmp_path)
    assert hub.requests == []
    assert not (tmp_path / "fake").exists()


def test_a_disk_that_fills_up_while_writing_says_so(hub: FakeHub, tmp_path: Path) -> None:
    """Writing into /dev/full fails as a full disk does (ENOSPC), after the free-space check passed."""
    staging = tmp_path / ".download-fake"
    staging.mkdir()
    (staging / "config.json.part").symlink_to("/dev/full")
    with pytest.raises(ModelError, match="the disk is full; free some space and download again to resume"):
        download_model(plan_for(hub), tmp_path)
    assert not (tmp_path / "fake").exists()


def test_the_system_proxy_is_used(hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    proxy = ForwardingProxy()
    for _ in serve(proxy):
        monkeypatch.setenv("http_proxy", proxy.url)
        folder = download_model(plan_for(hub), tmp_path)
    assert (folder / "model.bin").read_bytes() == hub.files["model.bin"]
    assert sorted(url.rsplit("/", 1)[1] for url in proxy.forwarded) == sorted(hub.files)
    assert all(url.startswith(hub.url) for url in proxy.forwarded)


def test_an_unpinned_model_is_never_downloaded(hub: FakeHub, tmp_path: Path) -> None:
    entry = hub.manifest_entry()
    entry["files"]["tokenizer.json"]["sha256"] = "unpinned"
    with pytest.raises(ModelError, match=r"not pinned \(tokenizer\.json has no sha256\)"):
        download_model(DownloadPlan.from_manifest("fake", entry, hub.url), tmp_path)
    assert hub.requests == []


def test_a_missing_file_on_the_server_is_named(hub: FakeHub, tmp_path: Path) -> None:
    del hub.files["tokenizer.json"]
    entry = FakeHub(fake_files()).manifest_entry()
    with pytest.raises(ModelError, match="tokenizer.json failed: the server answered 404"):
        download_model(DownloadPlan.from_manifest("fake", entry, hub.url), tmp_path)
    assert not (tmp_path / "fake").exists()


def test_every_downloadable_model_in_the_manifest_is_fully_pinned() -> None:
    downloadable = {n: s for n, s in load_manifest().items() if "download" in s}
    assert set(downloadable) >= {"small", "medium", "large-v3", "large-v3-turbo", "distil-large-v3"}
    for name, spec in downloadable.items():
        plan = DownloadPlan.from_manifest(name, spec)
        plan.check_pinned()
        assert {"model.bin", "config.json", "tokenizer.json"} <= {f.name for f in plan.files}
        assert plan.url(plan.files[0]).startswith(f"https://huggingface.co/{plan.repository}/resolve/{plan.revision}/")


def test_loopback_tests_still_cannot_reach_anywhere_else() -> None:
    with pytest.raises(NetworkAccessError):
        socket.create_connection(("10.255.255.1", 80), timeout=0.1)
    with pytest.raises(NetworkAccessError):
        socket.getaddrinfo("huggingface.co", 443)
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
