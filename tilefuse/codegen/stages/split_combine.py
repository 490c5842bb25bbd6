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

from ...errors import TilefuseError
from ...ir.facts import ONLINE_ATTENTION
from ...ir.irutil import iterator_types, ops_named
from ..config import K2_SPLIT_PLACE, SUBGROUPS
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


def placed_on_subgroups(op) -> bool:
    """The attention's config puts its splits on the subgroups of one workgroup."""
    config = op.attributes["lowering_config"] if "lowering_config" in op.attributes else None
    if config is None or not iree_gpu.LoweringConfigAttr.isinstance(config):
        return False
    entries = iree_gpu.LoweringConfigAttr(config).attributes
    return K2_SPLIT_PLACE in entries and ir.StringAttr(entries[K2_SPLIT_PLACE]).value == SUBGROUPS


def combine_ops(attention) -> tuple[ir.Operation, ir.Operation]:
    """(the P/L generic, the division) of split-k2's in-workgroup form around `attention`: the attention's one
    consumer, and the elementwise generic among the consumers of the reductions that read the P/L generic."""
    partials = _one(_users(attention), "the attention's partials")
    consumers = [c for r in _users(partials) for c in _users(r)]
    division = _one([c for c in consumers if c.name == "linalg.generic" and set(iterator_types(c)) == {"parallel"}],
                    "the combine's division")
    return partials, division


def _users(op) -> list[ir.Operation]:
    """The ops using `op`'s results, each once, looking through a value_barrier on them (this stage's)."""
    found: list[ir.Operation] = []
    for use in [u for r in op.results for u in r.uses]:
        user = use.owner.operation
        for u in _users(user) if user.name == "iree_gpu.value_barrier" else [user]:
            if all(u != f for f in found):
                found.append(u)
    return found


def _one(ops: list, what: str) -> ir.Operation:
    if len(ops) != 1 or ops[0].name != "linalg.generic":
        raise TilefuseError(f"split-combine: {what} is not one linalg.generic ({sorted(o.name for o in ops)}): "
                            f"not split-k2's in-workgroup form")
    return ops[0]
