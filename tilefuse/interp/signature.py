"""What an entry function takes and returns, seen through IREE's ABI wrappers, and inputs drawn for it the way
models make them.

A torch export's `main` takes `!hal.buffer_view`s and hands them (through `util.call`) to `main$async`, whose
`hal.tensor.import`s say the tensor types; results leave through `hal.tensor.export`. An argument that reaches the
mask operand of an attention op is a mask: a padding mask as a tokenizer makes it (every row keeps a prefix of
the keys, at least one), boolean (true = attend) or additive (0 / the type's lowest finite value, as Hugging Face
models add it). Every other float argument is standard normal, exact in its type.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import iree.compiler.ir as ir

from ..errors import NotInterpretable
from ..rounding import round_to
from .program import Program, _symbol
from .values import element_type, shape_of

ATTENTION_OPS = ("iree_linalg_ext.attention", "iree_linalg_ext.online_attention")
MASK_OPERAND = 4  # q, k, v, scale, mask, out
LOWEST = {"f16": -65504.0, "bf16": float(np.finfo(np.float32).min), "f32": float(np.finfo(np.float32).min)}


@dataclass(frozen=True)
class Argument:
    shape: tuple[int, ...]
    elem: str
    is_mask: bool


def _callee_block(program: Program, call: ir.Operation):
    return program.functions[_symbol(call, "callee")].regions[0].blocks[0]


def _tensor_of(program: Program, value: ir.Value) -> ir.Value | None:
    """The tensor an entry argument becomes: itself, its hal.tensor.import, or the callee's."""
    if isinstance(value.type, ir.ShapedType):
        return value
    for use in value.uses:
        user = use.owner.operation  # an OpView's `.name` may be an attribute (hal.tensor.import has one)
        if user.name == "hal.tensor.import":
            return user.results[0]
        if user.name in ("util.call", "func.call"):
            found = _tensor_of(program, _callee_block(program, user).arguments[use.operand_number])
            if found is not None:
                return found
    return None


def _reaches_mask(program: Program, value: ir.Value, seen: set) -> bool:
    """Whether `value` flows (through any ops or calls) into the mask operand of an attention op."""
    for use in value.uses:
        user = use.owner.operation  # an OpView's `.name` may be an attribute (hal.tensor.import has one)
        if user.name in ATTENTION_OPS and len(user.operands) == MASK_OPERAND + 2 and use.operand_number == MASK_OPERAND:
            return True
        if user.name in ("util.call", "func.call"):
            nexts = [_callee_block(program, user).arguments[use.operand_number]]
        else:
            nexts = list(user.results)
        for n in nexts:
            if n not in seen:
                seen.add(n)
                if _reaches_mask(program, n, seen):
                    return True
    return False


def entry_arguments(program: Program, entry: str) -> list[Argument]:
    out = []
    for arg in program.functions[entry].regions[0].blocks[0].arguments:
        tensor = _tensor_of(program, arg)
        if tensor is None:
            if str(arg.type) == "!hal.fence":
                raise NotInterpretable(f"@{entry} is an async entry (takes fences); verify its synchronous wrapper")
            raise NotInterpretable(f"argument of type {arg.type}: not a tensor")
        out.append(Argument(shape_of(tensor.type), element_type(tensor.type), _reaches_mask(program, tensor, set())))
    return out


def result_types(program: Program, entry: str) -> list[str]:
    """Element types of the entry's results (through hal.tensor.export and calls)."""
    return [_result_elem(program, v) for v in _returned(program, entry)]


def _returned(program: Program, name: str) -> list[ir.Value]:
    (ret,) = [op for op in program.functions[name].regions[0].blocks[0].operations
              if op.operation.name in ("util.return", "func.return")]
    return list(ret.operation.operands)


def _result_elem(program: Program, value: ir.Value) -> str:
    if isinstance(value.type, ir.ShapedType):
        return element_type(value.type)
    owner = value.owner.operation
    if owner.name == "hal.tensor.export":
        return element_type(owner.operands[0].type)
    if owner.name in ("util.call", "func.call"):
        return _result_elem(program, _returned(program, _symbol(owner, "callee"))[value.result_number])
    raise NotInterpretable(f"result of type {value.type} made by {owner.name}")


def draw_inputs(arguments: list[Argument], seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    out = []
    for a in arguments:
        if a.is_mask:
            keep = _padding(rng, a.shape)
            out.append(keep if a.elem == "i1" else np.where(keep, 0.0, LOWEST[a.elem]).astype(np.float32))
        elif a.elem in ("f16", "bf16", "f32"):
            out.append(round_to(a.elem, rng.standard_normal(a.shape)))
        elif a.elem == "i1":
            out.append(rng.random(a.shape) < 0.5)
        else:
            out.append(rng.integers(0, 8, a.shape).astype(np.int64))
    return out


def _padding(rng, shape) -> np.ndarray:
    """Keys (the last dimension) 0..n-1 visible, n drawn per row in 1..K."""
    keys = shape[-1]
    lengths = rng.integers(1, keys + 1, shape[:-1] + (1,))
    return np.arange(keys) < lengths
