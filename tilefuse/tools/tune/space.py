"""The config space a path exposes, as a few discrete knobs around the heuristic's config.

A point says: subgroups per workgroup, MMA tiles of query rows per subgroup, the K2 step, the N tile, the
intrinsic pair (every pair of the target that keeps P in registers), and on the tilefuse path whether K/V go
through workgroup memory. Everything else (batch tiles, subgroup bases, causal fields, nvvm.minctasm) follows
from the point as the heuristic derives it. `invalid` prunes a point before anything compiles: a tile that does
not divide its dimension in the full problem or in the small version `verify` runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace

from ...codegen.heuristics import attention_intrinsic_pairs
from ...ir.intrinsics import Intrinsic
from ...target.targets import Target

SUBGROUPS = (1, 2, 4, 8)
ROWS = (1, 2)
K2_TILES = (16, 32, 64, 128, 256)
MAX_WORKGROUP_SIZE = 1024


@dataclass(frozen=True)
class Point:
    subgroups: int
    rows: int  # MMA tiles of query rows per subgroup
    k2_tile: int
    n_tile: int
    pair: tuple[str, str, bool]  # (QK intrinsic, PV intrinsic, col_major)
    share: bool  # K/V through workgroup memory (the share-kv stage; promote_operands = [1])

    def diff(self, other: "Point") -> dict:
        return {f.name: (getattr(other, f.name), getattr(self, f.name)) for f in fields(self)
                if getattr(self, f.name) != getattr(other, f.name)}


@dataclass(frozen=True)
class Roles:
    """Indices of the attention iteration dims by role, and each role's size."""

    m: int
    k1: int
    k2: int
    n: int
    sizes: dict  # role -> size, as the report's work.attention gives them


class Space:
    """The points around a path's default (tune/configs.py turns a point into each path's config)."""

    def __init__(self, target: Target, element_type: str, default: Point, roles: Roles, small: dict,
                 causal_period: int | None, can_share: bool):
        self.target, self.default, self.roles, self.small = target, default, roles, small
        self.causal_period, self.can_share = causal_period, can_share
        pairs = [(p.qk, p.pv, p.col_major) for p in attention_intrinsic_pairs(target.mma_intrinsics, element_type)]
        self.pairs = list(dict.fromkeys([default.pair, *pairs]))

    def n_tiles(self) -> list[int]:
        n = self.roles.sizes["n"]
        return [t for t in range(8, n + 1, 8) if n % t == 0]

    def invalid(self, p: Point) -> str | None:
        """Why the point cannot compile or verify (None: it may)."""
        qk, pv = Intrinsic.named(p.pair[0]), Intrinsic.named(p.pair[1])
        rows = p.subgroups * p.rows * qk.mnk[0]
        if p.subgroups * self.target.subgroup_size > MAX_WORKGROUP_SIZE:
            return f"{p.subgroups} subgroups exceed {MAX_WORKGROUP_SIZE} threads"
        if p.share and not (self.can_share and p.subgroups > 1):
            return "K/V sharing needs the share-kv stage and more than one subgroup"
        for what, sizes in (("problem", self.roles.sizes), ("small version", self.small)):
            checks = {"m": rows, "k2": p.k2_tile, "n": p.n_tile}
            for role, tile in checks.items():
                if sizes[role] % tile:
                    return f"{role} tile {tile} does not divide {sizes[role]} ({what})"
        if p.n_tile % pv.mnk[1] or p.k2_tile % math.lcm(qk.mnk[1], pv.mnk[2]) or self.roles.sizes["k1"] % qk.mnk[2]:
            return "a tile is not whole MMA tiles of the pair"
        if self.causal_period is not None and self.causal_period % rows:
            return f"a workgroup's {rows} rows cross a query head's {self.causal_period}"
        return None

    def moves(self, p: Point) -> list[Point]:
        """One knob moved one step (the pair: to any other), valid or not."""
        out = []
        for knob, values in (("subgroups", SUBGROUPS), ("rows", ROWS), ("k2_tile", K2_TILES),
                             ("n_tile", self.n_tiles())):
            values = list(values)
            i = values.index(getattr(p, knob)) if getattr(p, knob) in values else None
            if i is None:
                continue
            out += [replace(p, **{knob: values[j]}) for j in (i - 1, i + 1) if 0 <= j < len(values)]
        out += [replace(p, pair=pair) for pair in self.pairs if pair != p.pair]
        if self.can_share:
            out.append(replace(p, share=not p.share))
        return out

    def neighbours(self, p: Point) -> list[Point]:
        return [q for q in self.moves(p) if self.invalid(q) is None]
