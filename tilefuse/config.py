"""tilefuse's configuration as data: typed dataclasses that map one-to-one onto IREE attributes.

    AttentionTiling      -> online_attention's  #iree_gpu.lowering_config<{workgroup, reduction, subgroup, ...}>
                            (k2_splits: the split-k2 program stage's split, a batch dim of the dispatch)
    MatmulConfig         -> decomposition_config's qk_attrs / pv_attrs {lowering_config = #iree_gpu.lowering_config<{mma_kind, subgroup_basis, ...}>}
    WorkgroupShape       -> #iree_codegen.translation_info<pipeline = #iree_codegen.no_pipeline workgroup_size, subgroup_size>

Attributes are built with the iree_gpu / iree_codegen Python APIs; only the generic builtin pieces (integer
arrays, dictionaries) use the builtin attribute constructors.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

import iree.compiler.ir as ir
from iree.compiler.dialects import iree_codegen, iree_gpu

from . import intrinsics
from .errors import TilefuseError, Unsupported


def _ints(values) -> ir.ArrayAttr:
    i64 = ir.IntegerType.get_signless(64)
    return ir.ArrayAttr.get([ir.IntegerAttr.get(i64, int(v)) for v in values])


def _lowering_config(entries: dict, promote_operands: tuple[int, ...]) -> ir.Attribute:
    """#iree_gpu.lowering_config<{entries}>, plus operand promotion (through workgroup memory) if any."""
    if promote_operands:
        derived = ir.Attribute.parse("#iree_gpu.derived_thread_config")
        entries = {**entries, "promote_operands": _ints(promote_operands),
                   "promotion_types": ir.ArrayAttr.get([derived] * len(promote_operands))}
    return iree_gpu.LoweringConfigAttr.get(ir.DictAttr.get(entries))


def _int_list(attr: ir.Attribute) -> tuple[int, ...]:
    return tuple(ir.IntegerAttr(a).value for a in ir.ArrayAttr(attr))


def _promoted(config: iree_gpu.LoweringConfigAttr) -> tuple[int, ...]:
    entries = config.attributes
    return _int_list(entries["promote_operands"]) if "promote_operands" in entries else ()


def mma_name(attr: ir.Attribute) -> tuple[str, bool]:
    """(intrinsic name, col_major) of an #iree_gpu.mma_layout / virtual_mma_layout attribute."""
    return intrinsics.name_of(attr)


@dataclass(frozen=True)
class MatmulConfig:
    """One decomposed matmul's schedule: which MMA intrinsic, and how its dims map to subgroups."""

    mma_kind: str  # an iree_gpu.MMAIntrinsic or VirtualMMAIntrinsic name
    col_major: bool = False
    # subgroup_basis = [counts per attention iteration dim, the matmul's dims as indices into them]
    subgroup_counts: tuple[int, ...] = ()
    subgroup_mapping: tuple[int, ...] = ()
    promote_operands: tuple[int, ...] = ()

    def mma_attr(self) -> ir.Attribute:
        try:
            return intrinsics.attr(self.mma_kind, self.col_major)
        except Unsupported as e:
            raise TilefuseError(str(e)) from None

    def mnk(self) -> tuple[int, int, int]:
        return intrinsics.Intrinsic.named(self.mma_kind).mnk

    @classmethod
    def from_lowering_config(cls, attr: ir.Attribute) -> "MatmulConfig":
        """The inverse of lowering_config (a qk_attrs / pv_attrs entry of decomposition_config)."""
        config = iree_gpu.LoweringConfigAttr(attr)
        kind, col_major = mma_name(config.mma_kind)
        counts, mapping = config.subgroup_basis
        return cls(kind, col_major, tuple(counts), tuple(mapping), _promoted(config))

    def lowering_config(self) -> ir.Attribute:
        return _lowering_config({
            "mma_kind": self.mma_attr(),
            "subgroup_basis": ir.ArrayAttr.get([_ints(self.subgroup_counts), _ints(self.subgroup_mapping)]),
        }, self.promote_operands)


@dataclass(frozen=True)
class AttentionTiling:
    """Tile sizes per attention iteration dim (b..., m, k1, k2, n), 0 = not tiled at that level."""

    workgroup: tuple[int, ...]
    reduction: tuple[int, ...]
    subgroup: tuple[int, ...]
    promote_operands: tuple[int, ...] = ()
    # Causal attention: query row i sees key j exactly when j <= i + causal (proven from the mask by
    # tilefuse/causal.py), so a workgroup's K2 loop ends at its last row's diagonal (causal-bound) and only the
    # tiles that cross the diagonal compute the mask (causal-peel). None: the mask, if any, is a general one.
    causal: int | None = None
    # With query heads packed into the rows (GQA), the rows of one head: row i is row i mod causal_period of its
    # head (the workgroup tile divides it, so a workgroup's rows are of one head). None: rows are one head's.
    causal_period: int | None = None
    # flash-decoding: K2 split in this many parts, each a workgroup's (the dispatch's batch dim that Q does not
    # index, tiled by 1), combined by the program after the dispatch. The split-k2 program stage makes the split
    # before dispatches form, so an override of it takes effect there; the entry records it on the dispatch.
    k2_splits: int | None = None

    @classmethod
    def from_lowering_config(cls, attr: ir.Attribute) -> "AttentionTiling":
        """The inverse of lowering_config (the online_attention op's)."""
        config = iree_gpu.LoweringConfigAttr(attr)
        entries = config.attributes
        causal, period, splits = (ir.IntegerAttr(entries[k]).value if k in entries else None
                                  for k in (CAUSAL_OFFSET, CAUSAL_PERIOD, K2_SPLITS))
        return cls(tuple(config.workgroup_tile_sizes), tuple(config.reduction_tile_sizes),
                   _int_list(entries["subgroup"]), _promoted(config), causal, period, splits)

    def lowering_config(self) -> ir.Attribute:
        entries = {"workgroup": _ints(self.workgroup), "reduction": _ints(self.reduction),
                   "subgroup": _ints(self.subgroup)}
        for key, value in ((CAUSAL_OFFSET, self.causal), (CAUSAL_PERIOD, self.causal_period),
                           (K2_SPLITS, self.k2_splits)):
            if value is not None:
                entries[key] = ir.IntegerAttr.get(ir.IntegerType.get_signless(64), value)
        return _lowering_config(entries, self.promote_operands)


# The lowering_config entries of AttentionTiling.causal, causal_period (perf/work.py reads them too) and k2_splits
CAUSAL_OFFSET, CAUSAL_PERIOD, K2_SPLITS = "causal_offset", "causal_period", "k2_splits"


@dataclass(frozen=True)
class WorkgroupShape:
    """Only what translation_info carries on this path: no pipeline schedule, no MMA schedule."""

    workgroup_size: tuple[int, int, int]
    subgroup_size: int
    # NVIDIA: the workgroups one SM must hold at once, PTX `.minnctapersm` (CUDA's __launch_bounds__ minimum
    # blocks), carried by the function attribute `nvvm.minctasm`; None: ptxas chooses (heuristics.py,
    # "min_workgroups_per_sm").
    min_workgroups_per_sm: int | None = None

    @classmethod
    def from_translation_info(cls, attr: ir.Attribute, min_workgroups_per_sm: ir.Attribute | None = None
                              ) -> "WorkgroupShape":
        info = iree_codegen.TranslationInfoAttr(attr)
        return cls(tuple(info.workgroup_size), info.subgroup_size,
                   None if min_workgroups_per_sm is None else ir.IntegerAttr(min_workgroups_per_sm).value)

    def min_workgroups_attr(self) -> ir.Attribute | None:
        """The value of the function's `nvvm.minctasm` (None: the function has none)."""
        if self.min_workgroups_per_sm is None:
            return None
        return ir.IntegerAttr.get(ir.IntegerType.get_signless(32), self.min_workgroups_per_sm)

    def translation_info(self, configuration: ir.Attribute | None) -> ir.Attribute:
        return iree_codegen.TranslationInfoAttr.get(
            iree_codegen.NoPipelineAttr.get(), None, list(self.workgroup_size), self.subgroup_size, configuration)


def decomposition_config(qk: MatmulConfig, pv: MatmulConfig) -> ir.Attribute:
    """online_attention's decomposition_config: each matmul's lowering_config, which decomposition copies onto it."""
    return ir.DictAttr.get({"qk_attrs": ir.DictAttr.get({"lowering_config": qk.lowering_config()}),
                            "pv_attrs": ir.DictAttr.get({"lowering_config": pv.lowering_config()})})


def matmuls_of(decomposition_config: ir.Attribute) -> tuple[MatmulConfig, MatmulConfig]:
    """(qk, pv) of a decomposition_config (the inverse of TilefuseConfig.decomposition_config)."""
    matmuls = ir.DictAttr(decomposition_config)
    return tuple(MatmulConfig.from_lowering_config(ir.DictAttr(matmuls[f"{m}_attrs"])["lowering_config"])
                 for m in ("qk", "pv"))


@dataclass(frozen=True)
class TilefuseConfig:
    tiling: AttentionTiling
    qk: MatmulConfig
    pv: MatmulConfig
    shape: WorkgroupShape

    @classmethod
    def from_attributes(cls, lowering_config: ir.Attribute, decomposition_config: ir.Attribute,
                        translation_info: ir.Attribute, min_workgroups_per_sm: ir.Attribute | None = None
                        ) -> "TilefuseConfig":
        """The config an online_attention op and its function carry (the inverse of configure.apply_config)."""
        return cls(AttentionTiling.from_lowering_config(lowering_config), *matmuls_of(decomposition_config),
                   WorkgroupShape.from_translation_info(translation_info, min_workgroups_per_sm))

    def decomposition_config(self) -> ir.Attribute:
        return decomposition_config(self.qk, self.pv)

    def to_dict(self) -> dict:
        """Plain JSON types (lists, not tuples), as report.json and --config files hold it."""
        return {part: {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(getattr(self, part)).items()}
                for part in ("tiling", "qk", "pv", "shape")}

    @classmethod
    def from_dict(cls, d: dict) -> "TilefuseConfig":
        parts = {"tiling": AttentionTiling, "qk": MatmulConfig, "pv": MatmulConfig, "shape": WorkgroupShape}
        if set(d) != set(parts):
            raise TilefuseError(f"a tilefuse config has exactly the keys {sorted(parts)}, got {sorted(d)}")
        return cls(**{k: _typed(parts[k], v) for k, v in d.items()})

    def merged(self, overrides: dict) -> "TilefuseConfig":
        """This config with some fields replaced, e.g. {"tiling": {"reduction": [0, 0, 0, 32, 0]}}."""
        changes = {}
        for key, sub in overrides.items():
            if key not in ("tiling", "qk", "pv", "shape") or not isinstance(sub, dict):
                raise TilefuseError(f"config override: unknown section '{key}' (tiling, qk, pv, shape)")
            current = getattr(self, key)
            changes[key] = _typed(type(current), {**asdict(current), **sub})
        return replace(self, **changes)


def _typed(cls, values: dict):
    names = {f.name for f in fields(cls)}
    unknown = set(values) - names
    if unknown:
        raise TilefuseError(f"config: unknown {cls.__name__} fields: {', '.join(sorted(unknown))}")
    out = {}
    for f in fields(cls):
        if f.name not in values:
            continue
        v = values[f.name]
        out[f.name] = tuple(v) if isinstance(v, list) else v
    try:
        return cls(**out)
    except TypeError as e:
        raise TilefuseError(f"config: {cls.__name__}: {e}") from None
