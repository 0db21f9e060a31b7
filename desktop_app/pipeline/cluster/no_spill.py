"""Workers that never write task data (audio) to their disks: Dask's spilling switched off on each one."""

from __future__ import annotations

import contextlib
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin


class NoSpill(WorkerPlugin):
    """Worker plugin: keep every piece of data in memory, never in the worker's spill directory.

    Dask workers spill task data to local disk under memory pressure; audio must never land on a
    worker's disk, so spilling is switched off on every worker, including ones that join later.
    """

    name = "verbatim-no-spill"

    def setup(self, worker: Any) -> None:
        memory = worker.memory_manager
        memory.memory_target_fraction = False
        memory.memory_spill_fraction = False
        with contextlib.suppress(AttributeError):
            worker.data.n = float("inf")  # a SpillBuffer's own threshold


def spill_disabled(dask_worker: Any) -> bool:
    """True when ``dask_worker`` can no longer write task data to disk (``client.run`` target)."""
    memory = dask_worker.memory_manager
    return memory.memory_spill_fraction is False and getattr(dask_worker.data, "n", float("inf")) == float("inf")
