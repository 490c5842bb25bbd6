"""How a dispatch function's bindings meet the flow-level host's tensors.

At flow level a dispatch takes tensors; the executable IREE builds from it (stream level) may pack several of
them into one buffer binding at byte offsets. The subspans still appear one per tensor, in the dispatch's
operand order and then its untied results (where some have sizes known only at run time: the static ones in that
order, then the others: the program interpreter numbers its slots so), so the interpreters give each subspan its
own array by that ordinal ("slot") and ignore binding numbers and offsets; the array's size is checked against the
subspan.
"""

from __future__ import annotations

import numpy as np

import iree.compiler.ir as ir

from ..errors import NotInterpretable
from ..ir import irutil


def binding_slots(func: ir.Operation) -> dict[ir.Value, int]:
    subspans = [op for op in irutil.walk(func) if op.name == "hal.interface.binding.subspan"]
    return {op.results[0]: i for i, op in enumerate(subspans)}


def slot_data(op, slots: dict[ir.Value, int], bindings: dict[int, np.ndarray], shape) -> np.ndarray:
    slot = slots[op.results[0]]
    if slot not in bindings:
        raise NotInterpretable(
            f"subspan #{slot} (binding {ir.IntegerAttr(op.attributes['binding']).value}) has no data")
    data = bindings[slot]
    if data.size != int(np.prod(shape)):
        raise NotInterpretable(f"subspan #{slot}: {data.size} elements for {op.results[0].type}")
    return data


def feeds_binding_offsets_only(value: ir.Value) -> bool:
    """Push constants that only place a binding inside a packed buffer are never read here (see above)."""
    for use in value.uses:
        user = use.owner
        if user.name in _CARRIERS:
            if not all(feeds_binding_offsets_only(r) for r in user.results):
                return False
        elif user.name == "util.assume.int":  # one result per operand: follow this one's
            if not feeds_binding_offsets_only(user.results[use.operand_number]):
                return False
        elif user.name != "hal.interface.binding.subspan" or use.operand_number != 0:
            return False
    return True


# Ops an offset passes through on its way to a subspan: casts, and the two i32 words of a 64-bit offset joined
# (extui, shli by 32, ori: a dispatch of run-time sizes packs its buffers at offsets computed from them).
_CARRIERS = ("arith.index_castui", "arith.index_cast", "arith.extui", "arith.shli", "arith.ori")


def offset_only_constant(op) -> np.int64:
    if not feeds_binding_offsets_only(op.results[0]):
        raise NotInterpretable("a push constant used as data (the flow-level host program passes none)")
    return np.int64(0)
