"""MMA intrinsics as IREE describes them: names of `#iree_gpu.mma_layout` / `virtual_mma_layout` attributes,
their shapes and element types, and the pair of intrinsics attention uses on a target.

The attention pair built from them is tilefuse/codegen/heuristics.py's (attention_intrinsics).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import iree.compiler.ir as ir
from iree.compiler.dialects import iree_gpu

from .irutil import fork_safe_context
from ..errors import Unsupported

# Facts about intrinsics do not depend on any module: they are computed in a context of their own, so the
# heuristics that use them run without one (without threads: the driver's children use it, contain.py).
CONTEXT = fork_safe_context()


def attr(name: str, col_major: bool = False) -> ir.Attribute:
    """The `#iree_gpu.(virtual_)mma_layout` of an intrinsic name, in the current context."""
    if hasattr(iree_gpu.MMAIntrinsic, name):
        return iree_gpu.MMAAttr.get(getattr(iree_gpu.MMAIntrinsic, name), col_major)
    if hasattr(iree_gpu.VirtualMMAIntrinsic, name):
        return iree_gpu.VirtualMMAAttr.get(getattr(iree_gpu.VirtualMMAIntrinsic, name), col_major)
    raise Unsupported(f"unknown MMA intrinsic '{name}'")


@cache
def _names_by_attr(context: ir.Context) -> dict[ir.Attribute, tuple[str, bool]]:
    with context:
        return {attr(i.name, cm): (i.name, cm)
                for enum in (iree_gpu.MMAIntrinsic, iree_gpu.VirtualMMAIntrinsic) for i in enum for cm in (False, True)}


def name_of(kind: ir.Attribute) -> tuple[str, bool]:
    """(intrinsic name, col_major) of an mma_kind attribute. IREE 3.13's Python MMAAttr exposes col_major and
    shapes but not the intrinsic, so the name is found by building every intrinsic's attribute and comparing."""
    try:
        return _names_by_attr(kind.context)[kind]
    except KeyError:
        raise Unsupported(f"{kind} is not an iree_gpu MMA intrinsic") from None


@dataclass(frozen=True)
class Intrinsic:
    name: str
    mnk: tuple[int, int, int]
    element_types: tuple[str, str, str]  # A, B, C
    virtual: bool
    blocks: bool  # several independent blocks per instruction (MFMA's "xB" forms: operand layouts of rank 3)

    @classmethod
    @cache
    def named(cls, name: str) -> "Intrinsic":
        with CONTEXT:
            a = attr(name)
            typed = iree_gpu.MMAAttr(a) if iree_gpu.MMAAttr.isinstance(a) else iree_gpu.VirtualMMAAttr(a)
            virtual = not iree_gpu.MMAAttr.isinstance(a)
            enum_attr = (iree_gpu.VirtualMMAIntrinsicAttr.get(getattr(iree_gpu.VirtualMMAIntrinsic, name)) if virtual
                         else iree_gpu.MMAIntrinsicAttr.get(getattr(iree_gpu.MMAIntrinsic, name)))
            lhs = iree_gpu.get_single_subgroup_layout(enum_attr, 0)
            return cls(name, tuple(typed.mnk_shape), tuple(str(t) for t in typed.abc_element_types), virtual,
                       len(lhs.outer) != 2)

    def virtual_variants(self) -> list["Intrinsic"]:
        if self.virtual:
            return []
        with CONTEXT:
            real = iree_gpu.MMAAttr(attr(self.name))
            return [Intrinsic.named(v.name) for v in real.get_virtual_intrinsics()]
