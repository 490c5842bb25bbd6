"""Where candidates run: a local process pool (the default) or Ray tasks (one machine or a cluster)."""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Callable, Iterator

from ...errors import TilefuseError


class LocalExecutor:
    """A process pool: each candidate compiles in its own process (MLIR contexts and IREE's compiler are not
    shared between threads here). Spawned, not forked: the parent holds an MLIR context."""

    name = "local"

    def __init__(self, workers: int):
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))

    def map_unordered(self, fn: Callable, tasks: list) -> Iterator[tuple[object, dict]]:
        futures = {self.pool.submit(fn, t): t for t in tasks}
        for f in as_completed(futures):
            yield futures[f], f.result()

    def close(self) -> None:
        self.pool.shutdown()


class RayExecutor:
    """Each candidate is a Ray task. No address: an embedded local Ray with `workers` CPUs; an address: join that
    cluster (`ray start --head` on one node, `ray start --address=HEAD:6379` on the others), whose nodes need the
    same tilefuse and IREE installed."""

    name = "ray"

    def __init__(self, workers: int, address: str | None):
        try:
            import ray
        except ImportError:
            raise TilefuseError("--executor ray needs Ray: pip install -e '.[tune]'") from None
        self.ray = ray
        start = time.perf_counter()
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
        self.init_seconds = round(time.perf_counter() - start, 2)
        self._remote = {}

    def map_unordered(self, fn: Callable, tasks: list) -> Iterator[tuple[object, dict]]:
        remote = self._remote.setdefault(fn, self.ray.remote(num_cpus=1)(fn))
        pending = {remote.remote(t): t for t in tasks}
        while pending:
            done, _ = self.ray.wait(list(pending), num_returns=1)
            for ref in done:
                yield pending.pop(ref), self.ray.get(ref)

    def close(self) -> None:
        self.ray.shutdown()


def make_executor(kind: str, workers: int, address: str | None):
    if kind == "local":
        if address:
            raise TilefuseError("--ray-address needs --executor ray")
        return LocalExecutor(workers)
    if kind == "ray":
        return RayExecutor(workers, address)
    raise TilefuseError(f"unknown executor '{kind}' (local, ray)")
