"""Tile stage `split-combine` of the tilefuse paths: a dispatch whose K2 splits are the subgroups of one workgroup
(k2_split_place SUBGROUPS: heuristics.split_in_workgroup, split-k2's one dispatch region) combines its splits'
partials in the workgroup. After workgroup-tile, each workgroup holds the split attention over all S splits, its
P/L generic and the combine (a max reduction over S, the denominator and numerator reductions, the division:
split_k2._combine's two passes). This stage

- puts an `iree_gpu.value_barrier` on the partials between the P/L generic and the combine: subgroup-distribute
  (IREE's apply-tiling-level with fuse-consumers) then fuses the P/L generic into the subgroups' forall over S
  but not the combine, which reduces over S (fused, each subgroup would reduce its own split only and write every
  output element: a race). IREE bufferizes the forall's results into workgroup memory (its allocation outside
  any thread-level forall) and lowers the barrier to `gpu.barrier`;
- tiles the division by its `thread` tiles (configure's, `heuristics.COMBINE_VECTOR` columns a thread),
  the combine's reductions fused in as its producers (IREE's apply-tiling-level tiling-level=thread): a
  #gpu.thread forall over every thread of the workgroup, each reading its columns of the S partials from
  workgroup memory.

Other dispatches are left as they are."""

from __future__ import annotations

import iree.compiler.ir as ir
from iree.compiler.dialects import iree_gpu

from ...ir.facts import ONLINE_ATTENTION
from ...ir.irutil import ops_named
from ..in_workgroup_split import combine_ops, placed_on_subgroups
from ..stage import StageInput, StageResult

COMBINE_THREADS_SEQUENCE = "tilefuse_split_combine_threads"


def combine_in_workgroup(module: ir.Module, stage_input: StageInput) -> StageResult:
    with module.context:
        attentions = [op for op in ops_named(module, ONLINE_ATTENTION) if placed_on_subgroups(op)]
        if not attentions:
            return StageResult(module)
        for op in attentions:
            partials, _ = combine_ops(op)
            with ir.InsertionPoint.after(partials), partials.location:
                barrier = iree_gpu.ValueBarrierOp([r.type for r in partials.results], list(partials.results))
            for result, synced in zip(partials.results, barrier.results):
                for use in [u for u in result.uses if u.owner != barrier.operation]:
                    use.owner.operands[use.operand_number] = synced
    stage_input.run_sequence(module, COMBINE_THREADS_SEQUENCE)
    return StageResult(module)
