"""Workers started as batch jobs on SLURM, PBS or SGE through dask-jobqueue (the optional ``[cluster]`` extra).

The scheduler runs inside this process; each job starts one worker that connects back over TLS
with certificates made for this run only (``Security.temporary``), so recordings cross the
cluster's network encrypted even where nobody set up certificates. Queue, account, walltime,
cores and memory come from Dask's own ``jobqueue`` settings (``~/.config/dask/jobqueue.yaml``),
which is where a cluster's administrators document them; the job script this run submits is
written to a file so the user can read it and move what they need into those settings.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from desktop_app.pipeline.cluster.cluster_spec import ClusterError, ClusterSpec

DEFAULT_CORES = 8
DEFAULT_MEMORY = "16GB"
GPU_DIRECTIVES = {
    "slurm": "--gres=gpu:{n}",
    "pbs": "-l ngpus={n}",
    "sge": "-l gpu={n}",
}


def _cluster_class(kind: str) -> Any:
    try:
        import dask_jobqueue
    except ImportError as exc:
        raise ClusterError(
            kind, "needs the cluster extra: pip install 'verbatim-qda[cluster]' (dask-jobqueue)"
        ) from exc
    return getattr(dask_jobqueue, {"slurm": "SLURMCluster", "pbs": "PBSCluster", "sge": "SGECluster"}[kind])


def job_options(spec: ClusterSpec) -> dict[str, Any]:
    """Keyword arguments for the job-queue cluster: one worker per job, GPUs asked for, defaults where Dask has none."""
    import dask

    kind = spec.address
    options: dict[str, Any] = {"processes": 1, "job_name": "verbatim"}
    # no dashboard on every interface (dask-jobqueue's default, ':8787'): only the scheduler's own address
    scheduler_options = dict(dask.config.get(f"jobqueue.{kind}.scheduler-options", None) or {})
    options["scheduler_options"] = {**scheduler_options, "dashboard_address": None}
    if not dask.config.get(f"jobqueue.{kind}.cores", None):
        options["cores"] = DEFAULT_CORES
    if not dask.config.get(f"jobqueue.{kind}.memory", None):
        options["memory"] = DEFAULT_MEMORY
    if not dask.config.get(f"jobqueue.{kind}.shared-temp-directory", None):
        # this run's TLS certificates for the workers (deleted at the end): beside the job script, which the
        # user puts on storage the compute nodes see (the home folder, usually)
        options["shared_temp_directory"] = str(script_path(spec).resolve().parent)
    if spec.gpus_per_job > 0:
        configured = list(dask.config.get(f"jobqueue.{kind}.job-extra-directives", None) or [])
        options["job_extra_directives"] = [*configured, GPU_DIRECTIVES[kind].format(n=spec.gpus_per_job)]
    return options


def script_path(spec: ClusterSpec) -> Path:
    return spec.job_script or Path(f"verbatim-{spec.address}-job.sh")


@contextlib.contextmanager
def job_queue_cluster(spec: ClusterSpec, **extra: Any) -> Iterator[Any]:
    """A job-queue cluster with ``spec.jobs`` workers asked for; its job script written to ``script_path``."""
    from distributed.security import Security

    cls = _cluster_class(spec.address)
    try:
        cluster = cls(
            security=Security.temporary(),  # type: ignore[no-untyped-call]
            protocol="tls://",
            **job_options(spec),
            **extra,
        )
    except ValueError as exc:  # dask-jobqueue names the setting it is missing
        raise ClusterError(spec.address, f"cannot start job-queue workers: {exc}") from exc
    try:
        with cluster:
            path = script_path(spec)
            path.write_text(cluster.job_script(), encoding="utf-8")
            cluster.scale(jobs=spec.jobs)
            yield cluster
    finally:
        _delete_certificates(cluster)


def _delete_certificates(cluster: Any) -> None:
    """The run's worker certificates and key, which dask-jobqueue keeps until the cluster object is collected."""
    for name, handle in list(vars(cluster).items()):
        if name.startswith("_job_") and hasattr(handle, "close"):
            handle.close()  # a NamedTemporaryFile: closing deletes it
