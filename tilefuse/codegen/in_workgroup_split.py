"""split-k2's splits on the subgroups of one workgroup (k2_split_place SUBGROUPS): the ops of its in-workgroup
combine as configure and the split-combine stage find them (codegen/stages/split_k2.py writes them, one dispatch
region; codegen/stages/split_combine.py tiles them)."""

from __future__ import annotations

import iree.compiler.ir as ir
from iree.compiler.dialects import iree_gpu

from ..errors import TilefuseError
from ..ir.irutil import iterator_types
from .config import K2_SPLIT_PLACE, SUBGROUPS


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
