"""What the user names as the place for the work (``--cluster``), and the error a bad one gives.

Both the connection (``connection``) and the job-queue workers (``job_queue``) read a ``ClusterSpec``
and raise ``ClusterError``; they live here, below both, so neither imports the other for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.errors import VerbatimError

JOB_QUEUES = ("slurm", "pbs", "sge")


class ClusterError(VerbatimError):
    """A cluster address that is refused, unreachable, or misconfigured."""


@dataclass(frozen=True)
class ClusterSpec:
    """What the user named: ``local:N``, ``tcp://host:port``, ``tls://host:port``, or ``slurm``/``pbs``/``sge``."""

    address: str
    insecure: bool = False
    jobs: int = 1  # job-queue workers to start
    gpus_per_job: int = 0
    tls_ca_file: Path | None = None
    tls_cert: Path | None = None
    tls_key: Path | None = None
    job_script: Path | None = (
        None  # job queues: where the submitted job script is written for the user to read and adapt
    )

    @property
    def kind(self) -> str:
        if self.address.startswith("local:") or self.address == "local":
            return "local"
        if self.address in JOB_QUEUES:
            return "jobqueue"
        return "scheduler"

    def local_workers(self) -> int:
        count = self.address.partition(":")[2] or "1"
        if not count.isdigit() or int(count) < 1:
            raise ClusterError(self.address, "local:N needs a number of workers, such as local:4")
        return int(count)
