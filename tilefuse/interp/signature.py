"""What an entry function takes and returns, seen through IREE's ABI wrappers, and inputs drawn for it the way
models make them.

A torch export's `main` takes `!hal.buffer_view`s and hands them (through `util.call`) to `main$async`, whose
`hal.tensor.import`s say the tensor types; results leave through `hal.tensor.export`. Inputs are drawn as models
get them:
- an integer argument whose values index a tensor (an embedding lookup: `tensor.extract` in a linalg body, or
  `iree_linalg_ext.gather`, reached through casts and reshapes) holds token ids, uniform in [0, the smallest
  extent it indexes), i.e. in the vocabulary;
- an argument that reaches the mask operand of an attention op (through any ops, calls, or values a linalg body
  reads from above it) is a padding mask as a tokenizer makes it: every row keeps a prefix of the keys, at least
  one; boolean or integer 1/0 (1 = attend, as Hugging Face's `attention_mask`), or additive (0 / the type's
  lowest finite value, as Hugging Face models add it);
- every other float argument is standard normal, exact in its type; other integers are uniform in [0, 8).
Dynamic dims (`?` in an argument's type) are numbered in argument order. They all get one size (the dims of a
sequence length that several arguments share must agree): `--dim VALUE`, or else one drawn from the seed;
`--dim INDEX=VALUE` or `--dim argA.D=VALUE` (dim D of argument A) sets one of them apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import iree.compiler.ir as ir

from ..errors import NotInterpretable, TilefuseError
from ..ir.facts import ATTENTION_OPS, FINITE_MAX, FLOAT_TYPES
from ..ir.rounding import round_to
from .program import Program, _symbol
from .values import element_type

MASK_OPERAND = 4  # q, k, v, scale, mask, out


DRAWN_DIM = (16, 129)  # a dynamic dim nobody fixed: drawn from this range (unaligned sizes included)
INTEGER_RANGE = 8  # an integer argument that neither indexes a tensor nor is a mask: [0, 8)


@dataclass(frozen=True)
class Argument:
    shape: tuple[int | None, ...]  # None: a dynamic dim
    elem: str
    is_mask: bool
    index_bound: int | None = None  # the smallest extent its values index (token ids: the vocabulary)


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


def _flows_to(program: Program, use) -> list[ir.Value]:
    """The values a use of a value flows into: the user's results, the callee's argument of a call, and the
    results of the ops around the user (a value a linalg body reads from above it, e.g. the padding mask a
    transformers mask builder looks up with tensor.extract, flows into the op the body belongs to)."""
    user = use.owner.operation  # an OpView's `.name` may be an attribute (hal.tensor.import has one)
    if user.name in ("util.call", "func.call"):
        return [_callee_block(program, user).arguments[use.operand_number]]
    out, op = list(user.results), user.parent
    while op is not None and op.name not in ("util.func", "func.func"):
        out += list(op.results)
        op = op.parent
    return out


def _reaches_mask(program: Program, value: ir.Value, seen: set) -> bool:
    """Whether `value` flows (through any ops or calls) into the mask operand of an attention op."""
    for use in value.uses:
        user = use.owner.operation
        if user.name in ATTENTION_OPS and len(user.operands) == MASK_OPERAND + 2 and use.operand_number == MASK_OPERAND:
            return True
        for n in _flows_to(program, use):
            if n not in seen:
                seen.add(n)
                if _reaches_mask(program, n, seen):
                    return True
    return False


# What carries an index unchanged: casts, and reshapes of the tensor holding it.
_INDEX_CARRIERS = ("arith.index_cast", "arith.index_castui", "arith.extsi", "arith.extui", "arith.trunci",
                   "tensor.expand_shape", "tensor.collapse_shape", "tensor.extract_slice", "tensor.cast",
                   "tensor.reshape", "flow.tensor.reshape")


def _index_bound(program: Program, value: ir.Value, seen: set) -> int | None:
    """The smallest static extent `value`'s elements index (tensor.extract, iree_linalg_ext.gather), following
    them unchanged through calls, casts, reshapes and into linalg.generic bodies; None if they index nothing."""
    bounds = []
    for use in value.uses:
        user, n = use.owner.operation, use.operand_number
        if user.name == "tensor.extract" and n >= 1:
            bounds.append(ir.ShapedType(user.operands[0].type).shape[n - 1])
        elif user.name == "iree_linalg_ext.gather" and n == 1:
            source = ir.ShapedType(user.operands[0].type).shape
            bounds += [source[d] for d in ir.DenseI64ArrayAttr(user.attributes["dimension_map"])]
        if user.name in ("util.call", "func.call"):
            nexts = [_callee_block(program, user).arguments[n]]
        elif user.name == "linalg.generic" and n < _generic_inputs(user):
            nexts = [user.regions[0].blocks[0].arguments[n]]
        elif user.name in _INDEX_CARRIERS and n == 0:
            nexts = list(user.results)
        else:
            nexts = []
        for v in nexts:
            if v not in seen:
                seen.add(v)
                found = _index_bound(program, v, seen)
                if found is not None:
                    bounds.append(found)
    bounds = [b for b in bounds if b >= 0]  # a dynamic extent bounds nothing known
    return min(bounds) if bounds else None


def _generic_inputs(op: ir.Operation) -> int:
    return list(ir.DenseI32ArrayAttr(op.attributes["operandSegmentSizes"]))[0]


def entry_arguments(program: Program, entry: str) -> list[Argument]:
    out = []
    for arg in program.functions[entry].regions[0].blocks[0].arguments:
        tensor = _tensor_of(program, arg)
        if tensor is None:
            if str(arg.type) == "!hal.fence":
                raise NotInterpretable(f"@{entry} is an async entry (takes fences); verify its synchronous wrapper")
            raise NotInterpretable(f"argument of type {arg.type}: not a tensor")
        elem = element_type(tensor.type)
        shape = tuple(None if d < 0 else d for d in ir.ShapedType(tensor.type).shape)
        bound = _index_bound(program, tensor, set()) if elem.startswith("i") and elem != "i1" else None
        out.append(Argument(shape, elem, bound is None and _reaches_mask(program, tensor, set()), bound))
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


def dynamic_dims(arguments: list[Argument]) -> list[str]:
    """The names of the entry's dynamic dims in order (`argA.D`); `--dim` takes a name or its position."""
    return [f"arg{a}.{d}" for a, arg in enumerate(arguments) for d, n in enumerate(arg.shape) if n is None]


ALL_DIMS = "*"  # the key of `--dim VALUE`: the size of every dynamic dim not set by name


def concrete_shapes(arguments: list[Argument], fixed: dict[str, int], seed: int = 0) -> list[tuple[int, ...]]:
    """Every argument's shape with its dynamic dims given a size: `fixed` by name or position (see dynamic_dims),
    the others `fixed[ALL_DIMS]`, or one size drawn from the seed."""
    names = dynamic_dims(arguments)
    unknown = [k for k in fixed if k != ALL_DIMS and k not in names and not (k.isdigit() and int(k) < len(names))]
    if unknown:
        raise TilefuseError(f"--dim {unknown[0]}: the entry's dynamic dims are {describe_dims(arguments) or 'none'}")
    common = fixed.get(ALL_DIMS, int(np.random.default_rng([seed, 1]).integers(*DRAWN_DIM)))
    sizes = iter([fixed.get(n, fixed.get(str(i), common)) for i, n in enumerate(names)])
    return [tuple(next(sizes) if n is None else n for n in a.shape) for a in arguments]


def describe_dims(arguments: list[Argument], shapes: list[tuple[int, ...]] | None = None) -> str:
    """`0 (arg0.1), 1 (arg1.1)`, with `=SIZE` when the shapes are given."""
    sizes = [s[d] for a, s in zip(arguments, shapes) for d, n in enumerate(a.shape) if n is None] if shapes else None
    return ", ".join(f"{i} ({n})" + (f"={sizes[i]}" if sizes else "") for i, n in enumerate(dynamic_dims(arguments)))


def draw_inputs(arguments: list[Argument], seed: int = 0, dims: dict[str, int] | None = None) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    out = []
    for a, shape in zip(arguments, concrete_shapes(arguments, dims or {}, seed)):
        if a.index_bound is not None:
            out.append(rng.integers(0, a.index_bound, shape).astype(np.int64))
        elif a.is_mask:
            keep = _padding(rng, shape)
            out.append(keep if a.elem == "i1" else keep.astype(np.int64) if a.elem.startswith("i")
                       else np.where(keep, 0.0, -FINITE_MAX[a.elem]).astype(np.float32))
        elif a.elem in FLOAT_TYPES:
            out.append(round_to(a.elem, rng.standard_normal(shape)))
        elif a.elem == "i1":
            out.append(rng.random(shape) < 0.5)
        else:
            out.append(rng.integers(0, INTEGER_RANGE, shape).astype(np.int64))
    return out


def _padding(rng, shape) -> np.ndarray:
    """Keys (the last dimension) 0..n-1 visible, n drawn per row in 1..K."""
    keys = shape[-1]
    lengths = rng.integers(1, keys + 1, shape[:-1] + (1,))
    return np.arange(keys) < lengths
