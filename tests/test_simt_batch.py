"""The SIMT machine runs a batch of workgroups at once: each workgroup's copy of workgroup memory is its own for
the race detector and barriers, a workgroup touching global memory another one wrote sends the forall back to
one workgroup at a time, and a multi-workgroup kernel checks without that fallback (and still races)."""

import numpy as np
import pytest

from tilefuse.problem import AttentionProblem
from tilefuse.checkers.simt import Race, SimtInterpreter
from tilefuse.checkers.simt.memory import Buffer, MemRef, WorkgroupTraffic, access, check_race
from tilefuse.checkers.verify import VerifyOptions, verify_file

THREADS = 4  # per workgroup; two workgroups in the batch
ALL = np.ones(2 * THREADS, bool)


def _touch(memref, index, writing):
    acc = access("op", memref, [np.asarray(index, np.int64)], (), [], ALL, [], None)
    check_race("op", acc, writing)
    return acc


def test_races_are_per_workgroup_copy():
    shared = MemRef.whole(Buffer.fresh("lds", (8,), "f32", "workgroup", 2 * THREADS, 2))
    own = np.tile(np.arange(THREADS), 2)
    _touch(shared, own, writing=True)  # the same addresses in both workgroups: their own copies
    shared.buffer.new_epoch(np.array([True, False]))  # a barrier only the first workgroup reached
    first_reads_a_neighbour = own.copy()
    first_reads_a_neighbour[1] = 0
    _touch(shared, first_reads_a_neighbour, writing=False)
    second_reads_a_neighbour = own.copy()
    second_reads_a_neighbour[THREADS + 2] = 0
    with pytest.raises(Race, match=r"lds\[0\]: thread 0 and thread 2 .*first writes, then the second reads"):
        _touch(shared, second_reads_a_neighbour, writing=False)


@pytest.mark.parametrize("reads, writes, crossed", [
    (None, [0, 1, 2, 3, 4, 5, 6, 7], False),
    ([0, 0, 0, 0, 4, 4, 4, 4], [0, 1, 2, 3, 4, 5, 6, 7], False),
    ([0, 0, 0, 0, 0, 0, 0, 0], [0, 1, 2, 3, 4, 5, 6, 7], True),
    (None, [0, 1, 2, 3, 0, 1, 2, 3], True),
], ids=["disjoint-writes", "reads-of-own-writes", "read-of-another-workgroups-write", "both-write"])
def test_global_traffic_between_workgroups(reads, writes, crossed):
    out = MemRef.whole(Buffer("out", np.zeros(8, np.float32), (8,), "f32", "global"))
    traffic, workgroup = WorkgroupTraffic(8), np.arange(2 * THREADS) // THREADS
    for index, writing in ((reads, False), (writes, True)):
        if index is not None:
            traffic.record(access("op", out, [np.array(index)], (), [], ALL, [], None), workgroup, writing)
    assert traffic.crossed() == crossed


@pytest.mark.slow
@pytest.mark.parametrize("barriers", [True, False], ids=["share-kv", "share-kv-without-barriers"])
def test_batched_workgroups_check_and_race(tmp_path, monkeypatch, barriers):
    """Eight workgroups: the clean kernel passes without falling back to one workgroup at a time; without its
    barriers, the race inside a workgroup is caught in the batch."""
    import tilefuse.ir.irbuild as irbuild

    if barriers:
        def one_by_one(*args):
            raise AssertionError("fell back to one workgroup at a time")
        monkeypatch.setattr(SimtInterpreter, "_one_workgroup_at_a_time", one_by_one)
    else:
        monkeypatch.setattr(irbuild, "barrier", lambda: None)
    raised, run_batch = [], SimtInterpreter._run_batch

    def recording(*args):
        try:
            return run_batch(*args)
        except Exception as e:
            raised.append(e)
            raise
    monkeypatch.setattr(SimtInterpreter, "_run_batch", recording)
    src = tmp_path / "p.mlir"
    src.write_text(AttentionProblem(name="batch", batch=1, heads=2, m=256, k2=128, k1=64).to_mlir())
    report = verify_file(src, VerifyOptions("gfx942", "tilefuse", tmp_path / "w", cross_check=False))
    statuses = {c.stage: c.status for c in report.checks}
    want = "ok" if barriers else "RACE"
    assert statuses["share-kv"] == statuses["lower"] == want, statuses
    assert [type(e) for e in raised] == ([] if barriers else [Race, Race])
