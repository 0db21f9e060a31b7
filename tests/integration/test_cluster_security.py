"""Confidentiality on a cluster: TLS with the institution's certificates, and no audio on a worker's disk."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from distributed.diagnostics.plugin import WorkerPlugin

from desktop_app.pipeline.asr_options import TranscriptionOptions
from desktop_app.pipeline.cluster.connection import ClusterError, ClusterSpec, connect
from desktop_app.pipeline.cluster.no_spill import spill_disabled
from desktop_app.services.study import import_service, project_service, security_service
from desktop_app.services.transcription.cluster_transcription_service import transcribe_with_client
from desktop_app.storage.transcripts import transcript_repository
from tests.fixtures.cluster import local_cluster, make_certificates
from tests.fixtures.speech import SpeechFixture

pytestmark = [pytest.mark.slow, pytest.mark.loopback]  # loopback only
TINY = TranscriptionOptions(model="tiny.en", language="en")
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


class WriteAudit(WorkerPlugin):
    """Records, in the worker process, every file Python opens for writing from now on (an audit hook)."""

    name = "write-audit"

    def setup(self, worker: Any) -> None:
        written: list[str] = []
        worker.verbatim_written = written

        def hook(event: str, args: tuple[Any, ...]) -> None:
            if event != "open" or not isinstance(args[0], str | bytes | os.PathLike):
                return
            mode, flags = args[1], args[2]
            if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (mode is None and flags & WRITE_FLAGS):
                written.append(os.fsdecode(args[0]))

        sys.addaudithook(hook)


def _written(dask_worker: Any) -> list[str]:
    return list(dask_worker.verbatim_written)


def test_an_encrypted_study_with_embedded_audio_puts_no_audio_on_worker_disks(
    tmp_path: Path, interview_speech: SpeechFixture
) -> None:
    from distributed import Client

    recording = tmp_path / "interview.wav"
    shutil.copy(interview_speech.wav, recording)
    store = project_service.create_project(tmp_path / "secret.verbatim", passphrase="correct horse")
    (doc,) = [d.id for d in import_service.import_recordings(store, [recording]).imported]
    security_service.embed_document_media(store, doc)
    recording.unlink()  # from here the encrypted study holds the only copy
    with local_cluster(2) as cluster, Client(cluster) as client:
        client.register_plugin(WriteAudit())
        result = transcribe_with_client(store, [doc], TINY, client)
        written = client.run(_written)
        client.submit(Path.write_bytes, tmp_path / "control.bin", b"x").result()  # the audit does see writes
        assert str(tmp_path / "control.bin") in {p for paths in client.run(_written).values() for p in paths}
        assert all(client.run(spill_disabled).values())  # nothing a worker holds can be spilled to its disk
    assert result.failed == {}
    text = " ".join(s.text for s in transcript_repository.load_transcript(store, doc).segments).lower()
    assert "peer support worker" in text and "community mental health" in text, text
    models = os.environ["VERBATIM_MODELS_DIR"]
    elsewhere = [path for paths in written.values() for path in paths if not path.startswith(models)]
    assert elsewhere == [], elsewhere


def test_tls_with_generated_certificates_transcribes_and_tls_without_a_ca_is_refused(
    tmp_path: Path, shared_data: Path
) -> None:
    from distributed.security import Security

    certs = make_certificates(tmp_path)
    node = {"cert": str(certs["cert"]), "key": str(certs["key"])}
    security = Security(
        tls_ca_file=str(certs["ca"]),
        tls_scheduler_cert=node["cert"], tls_scheduler_key=node["key"],
        tls_worker_cert=node["cert"], tls_worker_key=node["key"],
        tls_client_cert=node["cert"], tls_client_key=node["key"],
        require_encryption=True,
    )  # fmt: skip
    store = project_service.create_project(tmp_path / "study.verbatim")
    (doc,) = [d.id for d in import_service.import_recordings(store, [shared_data / "jfk.flac"]).imported]
    with local_cluster(1, protocol="tls://", security=security) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tls://127.0.0.1:")
        with pytest.raises(ClusterError, match="CA certificate"), connect(ClusterSpec(address)):
            pass
        spec = ClusterSpec(address, tls_ca_file=certs["ca"], tls_cert=certs["cert"], tls_key=certs["key"])
        with connect(spec) as client:
            result = transcribe_with_client(store, [doc], TINY, client)
    assert result.failed == {}
    text = " ".join(s.text for s in transcript_repository.load_transcript(store, doc).segments).lower()
    assert "ask not what your country can do for you" in text
