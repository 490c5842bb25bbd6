"""A point of the space in each path's own config form, and back: the tilefuse paths' TilefuseConfig (applied
through configure's overrides), stock's StockConfig (applied by tune/stock.py)."""

from __future__ import annotations

from dataclasses import replace

from ...codegen.config import MatmulConfig, TilefuseConfig
from ...codegen.heuristics import min_workgroups_per_sm
from ...ir.intrinsics import Intrinsic
from ...target.targets import Target
from .space import Point, Roles
from .stock import StockConfig


def _set(values: tuple, index: int, value: int) -> tuple:
    return tuple(value if d == index else v for d, v in enumerate(values))


def _roles(workgroup, reduction, qk: MatmulConfig, pv: MatmulConfig, m: int, sizes: dict) -> Roles:
    """QK's subgroup basis maps every dim but N, PV's every dim but K1; the reduction tile is on K2."""
    rank = len(reduction)
    n = next(d for d in range(rank) if d not in qk.subgroup_mapping)
    k1 = next(d for d in range(rank) if d not in pv.subgroup_mapping)
    k2 = next(d for d in range(rank) if reduction[d])
    return Roles(m, k1, k2, n, {r: sizes[r] for r in ("m", "k1", "k2", "n")})


def _matmuls(qk: MatmulConfig, pv: MatmulConfig, p: Point) -> tuple[MatmulConfig, MatmulConfig]:
    qk_kind, pv_kind, col_major = p.pair
    return replace(qk, mma_kind=qk_kind, col_major=col_major), replace(pv, mma_kind=pv_kind, col_major=col_major)


class TilefuseForm:
    """The tilefuse paths: each subgroup owns `rows` MMA tiles of query rows (tiling.subgroup), the workgroup is
    [subgroup size, subgroups, 1], K/V sharing is promote_operands = [1] on both matmuls."""

    def __init__(self, default: TilefuseConfig, sizes: dict, target: Target):
        self.default, self.target = default, target
        t = default.tiling
        self.roles = _roles(t.workgroup, t.reduction, default.qk, default.pv,
                            next(d for d, s in enumerate(t.subgroup) if s), sizes)

    def point(self) -> Point:
        c, r = self.default, self.roles
        mma_m = c.qk.mnk()[0]
        return Point(c.shape.workgroup_size[1], c.tiling.subgroup[r.m] // mma_m, c.tiling.reduction[r.k2],
                     c.tiling.workgroup[r.n], (c.qk.mma_kind, c.pv.mma_kind, c.qk.col_major),
                     bool(c.qk.promote_operands))

    def config(self, p: Point) -> dict:
        c, r = self.default, self.roles
        mma_m = Intrinsic.named(p.pair[0]).mnk[0]
        t = c.tiling
        tiling = replace(t, workgroup=_set(_set(t.workgroup, r.m, p.subgroups * p.rows * mma_m), r.n, p.n_tile),
                         reduction=_set(t.reduction, r.k2, p.k2_tile), subgroup=_set(t.subgroup, r.m, p.rows * mma_m))
        qk, pv = (replace(m, promote_operands=(1,) if p.share else ()) for m in _matmuls(c.qk, c.pv, p))
        shape = replace(c.shape, workgroup_size=(self.target.subgroup_size, p.subgroups, 1),
                        min_workgroups_per_sm=min_workgroups_per_sm(self.target, p.subgroups))
        return TilefuseConfig(tiling, qk, pv, shape).to_dict()


class StockForm:
    """Stock's VectorDistribute config: the subgroups are a basis count on M of both matmuls, the workgroup is
    [subgroups x subgroup size, 1, 1]; stock decides promotion itself (kept as the heuristic chose it)."""

    def __init__(self, default: StockConfig, sizes: dict, target: Target):
        self.default, self.target = default, target
        m = next(d for d, n in enumerate(default.qk.subgroup_counts) if n > 1) if max(default.qk.subgroup_counts) > 1 \
            else next(d for d, w in enumerate(default.workgroup) if w > 1 and default.reduction[d] == 0)
        self.roles = _roles(default.workgroup, default.reduction, default.qk, default.pv, m, sizes)

    def point(self) -> Point:
        c, r = self.default, self.roles
        subgroups = c.qk.subgroup_counts[r.m]
        return Point(subgroups, c.workgroup[r.m] // (subgroups * c.qk.mnk()[0]), c.reduction[r.k2],
                     c.workgroup[r.n], (c.qk.mma_kind, c.pv.mma_kind, c.qk.col_major), False)

    def config(self, p: Point) -> dict:
        c, r = self.default, self.roles
        mma_m = Intrinsic.named(p.pair[0]).mnk[0]
        qk, pv = (replace(m, subgroup_counts=_set(m.subgroup_counts, r.m, p.subgroups)) for m in _matmuls(c.qk, c.pv, p))
        return replace(c, workgroup=_set(_set(c.workgroup, r.m, p.subgroups * p.rows * mma_m), r.n, p.n_tile),
                       reduction=_set(c.reduction, r.k2, p.k2_tile), qk=qk, pv=pv,
                       workgroup_size=(p.subgroups * self.target.subgroup_size, 1, 1)).to_dict()
