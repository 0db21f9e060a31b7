"""Where the work goes: an embedded LocalCluster, a running Dask scheduler (TLS), or workers from a job queue.

Confidential recordings travel only as the user allows: a plain ``tcp://`` scheduler anywhere but
this computer is refused unless the user says ``insecure`` (anyone on the network path could
read the audio), ``tls://`` uses the institution's certificates through Dask's security
settings, and every worker is told never to spill data to its disk.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# ClusterError and ClusterSpec are named with the connection by its callers, so it re-exports them
from desktop_app.pipeline.cluster.cluster_spec import ClusterError as ClusterError
from desktop_app.pipeline.cluster.cluster_spec import ClusterSpec as ClusterSpec
from desktop_app.pipeline.cluster.job_queue import job_queue_cluster

LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
CONNECT_TIMEOUT = "30s"


def is_loopback(host: str) -> bool:
    """True for this computer's own addresses (decided without any name lookup)."""
    host = host.strip("[]").lower()
    if host in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def split_address(address: str) -> tuple[str, str]:
    """(protocol, host) of a scheduler address; no protocol means Dask's default, tcp."""
    protocol, _, rest = address.rpartition("://")
    match = re.match(r"^(\[[^\]]+\]|[^:/]+)", rest)
    if not match:
        raise ClusterError(address, "is not a scheduler address (expected tls://host:8786 or tcp://host:8786)")
    return (protocol or "tcp").lower(), match.group(1)


def check_address(spec: ClusterSpec) -> None:
    """Refuse what would send recordings in the clear, saying why and what to do instead."""
    if spec.kind != "scheduler":
        return
    protocol, host = split_address(spec.address)
    if protocol == "tls":
        return
    if protocol not in ("tcp", "inproc"):
        raise ClusterError(
            spec.address, f"protocol {protocol}:// is not supported; use tls:// (or tcp:// on this computer)"
        )
    if protocol == "tcp" and not is_loopback(host) and not spec.insecure:
        raise ClusterError(
            spec.address,
            "is a plain-TCP scheduler on another computer: the recordings would cross the network unencrypted. "
            "Use tls:// with your institution's certificates, or add --insecure if the network is trusted",
        )


def security_for(spec: ClusterSpec) -> Any:
    """Dask ``Security``: the files the user gave, else Dask's own ``distributed.comm.tls`` settings."""
    from distributed.security import Security

    given = {"tls_ca_file": spec.tls_ca_file, "tls_client_cert": spec.tls_cert, "tls_client_key": spec.tls_key}
    for name, path in given.items():
        if path is not None and not Path(path).is_file():
            raise ClusterError(path, f"cannot be read ({name.replace('_', ' ')} for TLS)")
    chosen = {k: str(v) for k, v in given.items() if v is not None}
    security: Any = Security(require_encryption=split_address(spec.address)[0] == "tls", **chosen)  # type: ignore[no-untyped-call]
    if security.require_encryption and not security.tls_ca_file:
        raise ClusterError(
            spec.address,
            "tls:// needs the institution's CA certificate (--tls-ca, with --tls-cert/--tls-key, "
            "or Dask's distributed.comm.tls settings)",
        )
    return security


@contextlib.contextmanager
def connect(spec: ClusterSpec) -> Iterator[Any]:
    """A ``distributed.Client`` for ``spec``, with spilling off on its workers; closed (and any cluster we started) after."""
    check_address(spec)
    from distributed import Client

    from desktop_app.pipeline.cluster.no_spill import NoSpill

    with contextlib.ExitStack() as stack:
        if spec.kind == "local":
            target: Any = stack.enter_context(local_cluster(spec.local_workers()))
            security = None
        elif spec.kind == "jobqueue":
            target = stack.enter_context(job_queue_cluster(spec))
            security = target.security
        else:
            target, security = spec.address, security_for(spec)
        try:
            client = stack.enter_context(Client(target, security=security, timeout=CONNECT_TIMEOUT))  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError) as exc:
            raise ClusterError(spec.address, f"no Dask scheduler answered ({exc})") from exc
        client.register_plugin(NoSpill(), name=NoSpill.name)
        yield client


@contextlib.contextmanager
def local_cluster(workers: int, silence_logs: int = 40, **options: Any) -> Iterator[Any]:
    """Worker processes on this computer, on the loopback interface only, one thread each, no dashboard
    reachable from outside, no spilling to disk; ``options`` go to LocalCluster (e.g. TLS in tests)."""
    import dask
    from distributed import LocalCluster

    with (
        dask.config.set({"distributed.worker.memory.spill": False, "distributed.worker.memory.target": False}),
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",  # its HTTP server on loopback, any free port
            silence_logs=silence_logs,
            **options,
        ) as cluster,
    ):
        yield cluster


def local_cores_per_worker(spec: ClusterSpec) -> int:
    """CTranslate2 threads for each embedded worker: the cores shared out, at least one."""
    from desktop_app.pipeline.asr_options import available_cores

    if spec.kind != "local":
        return 0
    return max(1, available_cores() // spec.local_workers())


def describe(spec: ClusterSpec) -> str:
    """How a run records where it ran."""
    if spec.kind == "local":
        return f"local:{spec.local_workers()}"
    return spec.address if spec.kind == "scheduler" else f"{spec.address} ({spec.jobs} jobs)"


__all__ = ["ClusterError", "ClusterSpec", "check_address", "connect", "describe", "is_loopback", "local_cluster"]
