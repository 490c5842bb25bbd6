"""Lane-mapped scf.foralls (`#iree_gpu.lane_id`) run in lockstep: each lane is a Python thread, and the lanes
meet at every cross-lane op (gpu.subgroup_reduce, lane-distributed iree_codegen.inner_tiled), which sees all
lanes' operands at once — the semantics such a forall has once it is resolved onto lane ids. The cross-lane
math is the SIMT interpreter's (tilefuse/simt/lanes.py), applied to the lanes stacked on axis 0.
"""

from __future__ import annotations

import threading
from collections import ChainMap

import numpy as np

from .values import Unsupported

LANE = "lane"  # env key: (lane group, this lane's index)
TIMEOUT_S = 600


class _LaneGroup:
    def __init__(self, lanes: int):
        self.lanes = lanes
        self.operands: list = [None] * lanes
        self.ops: list = [None] * lanes
        self.barrier = threading.Barrier(lanes, action=self._combine, timeout=TIMEOUT_S)

    def _combine(self) -> None:
        first = self.ops[0]
        if any(op != first for op in self.ops):
            raise Unsupported("lanes of a lane forall reached different cross-lane ops")
        stacked = [np.stack([np.asarray(per_lane[i]) for per_lane in self.operands])
                   for i in range(len(self.operands[0]))]
        self.results = self.fn(stacked, self.lanes)

    def exchange(self, lane: int, op, operands: list, fn):
        self.operands[lane], self.ops[lane], self.fn = operands, op, fn
        self.barrier.wait()
        result = self.results[lane]
        self.barrier.wait()  # every lane has its result before the next exchange overwrites them
        return result


def lane_collective(env, op, fn):
    """The value a cross-lane op gives this lane: fn(operands stacked over lanes, lanes)[lane]."""
    if LANE not in env:
        raise Unsupported(f"{op.name} outside a lane-mapped scf.forall")
    group, lane = env[LANE]
    return group.exchange(lane, op, [env[v] for v in op.operands], fn)


def lanes_in_lockstep(interp, block, env, lane_ids: list[int], shared: list) -> list:
    """Runs a lane forall's body once per lane, all lanes at once; returns each lane's inserts."""
    if lane_ids != list(range(len(lane_ids))):
        raise Unsupported(f"a lane forall over {lane_ids[:3]}... instead of 0..lanes-1")
    group = _LaneGroup(len(lane_ids))
    inserts: list = [None] * len(lane_ids)
    errors: list = []

    def run(lane: int) -> None:
        try:
            inserts[lane] = interp._iteration(block, ChainMap({LANE: (group, lane)}, env), (lane,), shared)
        except BaseException as e:  # noqa: BLE001 - re-raised below, after every lane stopped
            errors.append(e)
            group.barrier.abort()

    threads = [threading.Thread(target=run, args=(lane,)) for lane in lane_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    causes = [e for e in errors if not isinstance(e, threading.BrokenBarrierError)]
    if causes:
        raise causes[0]
    if errors:
        raise Unsupported("lanes of a lane forall did not all reach the same cross-lane op")
    return inserts


def subgroup_reduce(op, x, threads, subgroup_size):
    from ..simt.lanes import subgroup_reduce as reduce_lanes  # simt imports this package: bind at call time
    return reduce_lanes(op, x, threads, subgroup_size)


def inner_tiled(kind, maps, a, b, c, threads, subgroup_size, elem):
    from ..simt.lanes import inner_tiled as mma_lanes
    return mma_lanes(kind, maps, a, b, c, threads, subgroup_size, elem)
