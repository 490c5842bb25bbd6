"""tilefuse's configuration as data: typed dataclasses that map one-to-one onto IREE attributes.

    AttentionTiling      -> online_attention's  #iree_gpu.lowering_config<{workgroup, reduction, subgroup, ...}>
                            (k2_splits: the split-k2 program stage's split, a batch dim of the dispatch)
    MatmulConfig         -> decomposition_config's qk_attrs / pv_attrs {lowering_config = #iree_gpu.lowering_config<{mma_kind, subgroup_basis, ...}>}
    WorkgroupShape       -> #iree_codegen.translation_info<pipeline = #iree_codegen.no_pipeline workgroup_size, subgroup_size>

Attributes are built with the iree_gpu / iree_codegen Python APIs; only the generic builtin pieces (integer
arrays, dictionaries) use the builtin attribute constructors.
"""

from __future__ import annotations

import json
import math
import types
from dataclasses import asdict, dataclass, fields, replace
from typing import Union, get_args, get_origin, get_type_hints

import iree.compiler.ir as ir
from iree.compiler.dialects import iree_codegen, iree_gpu

from ..ir import intrinsics
from ..errors import ConfigError, TilefuseError, Unsupported


def int_array(values) -> ir.ArrayAttr:
    i64 = ir.IntegerType.get_signless(64)
    return ir.ArrayAttr.get([ir.IntegerAttr.get(i64, int(v)) for v in values])


def lowering_config_attr(entries: dict, promote_operands: tuple[int, ...]) -> ir.Attribute:
    """#iree_gpu.lowering_config<{entries}>, plus operand promotion (through workgroup memory) if any."""
    if promote_operands:
        derived = ir.Attribute.parse("#iree_gpu.derived_thread_config")
        entries = {**entries, "promote_operands": int_array(promote_operands),
                   "promotion_types": ir.ArrayAttr.get([derived] * len(promote_operands))}
    return iree_gpu.LoweringConfigAttr.get(ir.DictAttr.get(entries))


def int_list(attr: ir.Attribute) -> tuple[int, ...]:
    return tuple(ir.IntegerAttr(a).value for a in ir.ArrayAttr(attr))


def promoted_operands(config: iree_gpu.LoweringConfigAttr) -> tuple[int, ...]:
    entries = config.attributes
    return int_list(entries["promote_operands"]) if "promote_operands" in entries else ()


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
        kind, col_major = intrinsics.name_of(config.mma_kind)
        counts, mapping = config.subgroup_basis
        return cls(kind, col_major, tuple(counts), tuple(mapping), promoted_operands(config))

    def lowering_config(self) -> ir.Attribute:
        return lowering_config_attr({
            "mma_kind": self.mma_attr(),
            "subgroup_basis": ir.ArrayAttr.get([int_array(self.subgroup_counts), int_array(self.subgroup_mapping)]),
        }, self.promote_operands)


@dataclass(frozen=True)
class AttentionTiling:
    """Tile sizes per attention iteration dim (b..., m, k1, k2, n), 0 = not tiled at that level."""

    workgroup: tuple[int, ...]
    reduction: tuple[int, ...]
    subgroup: tuple[int, ...]
    promote_operands: tuple[int, ...] = ()
    # Causal attention: query row i sees key j exactly when j <= i + causal (proven from the mask by
    # tilefuse/ir/causal.py), so a workgroup's K2 loop ends at its last row's diagonal (causal-bound) and only the
    # tiles that cross the diagonal compute the mask (causal-peel). None: the mask, if any, is a general one.
    causal: int | None = None
    # With query heads packed into the rows (GQA), the rows of one head: row i is row i mod causal_period of its
    # head (the workgroup tile divides it, so a workgroup's rows are of one head). None: rows are one head's.
    causal_period: int | None = None
    # flash-decoding: K2 split in this many parts, each a workgroup's (the dispatch's batch dim that Q does not
    # index, tiled by 1), combined by the program after the dispatch. The split-k2 program stage makes the split
    # before dispatches form, so an override of it takes effect there; the entry records it on the dispatch.
    k2_splits: int | None = None
    # Where the split goes (heuristics.k2_split_place): None, each split a workgroup's, combined by a dispatch of
    # its own; "subgroups": the S splits the subgroups of one workgroup (the split dim's workgroup tile S, its
    # subgroup tile 1), their partials combined in workgroup memory by the same dispatch (split-k2 forms it).
    k2_split_place: str | None = None
    # A sliding-window band (with `causal`): row i sees only keys j > i + causal - causal_window, so a
    # workgroup's K2 loop also starts at the tile holding its first row's first key (causal-bound) and the tiles
    # that cross the band's lower edge compute the mask too (causal-peel). None: no lower edge.
    causal_window: int | None = None
    # Static head dims (K1, N) that are not whole tiles (d=72), tiled at these sizes: the m-tail stage pads the
    # subgroup's Q/K (K1) and V (N) tiles to them with zeros and stores the real columns (plan.py's
    # `kernel_heads`). None: the head dims are whole tiles.
    kernel_heads: tuple[int, int] | None = None

    @classmethod
    def from_lowering_config(cls, attr: ir.Attribute) -> "AttentionTiling":
        """The inverse of lowering_config (the online_attention op's)."""
        config = iree_gpu.LoweringConfigAttr(attr)
        entries = config.attributes
        causal, period, splits, window = (ir.IntegerAttr(entries[k]).value if k in entries else None
                                          for k in (CAUSAL_OFFSET, CAUSAL_PERIOD, K2_SPLITS, CAUSAL_WINDOW))
        place = ir.StringAttr(entries[K2_SPLIT_PLACE]).value if K2_SPLIT_PLACE in entries else None
        heads = tuple(int_list(entries[KERNEL_HEADS])) if KERNEL_HEADS in entries else None
        return cls(tuple(config.workgroup_tile_sizes), tuple(config.reduction_tile_sizes),
                   int_list(entries["subgroup"]), promoted_operands(config), causal, period, splits, place, window,
                   heads)

    def lowering_config(self) -> ir.Attribute:
        entries = {"workgroup": int_array(self.workgroup), "reduction": int_array(self.reduction),
                   "subgroup": int_array(self.subgroup)}
        for key, value in ((CAUSAL_OFFSET, self.causal), (CAUSAL_PERIOD, self.causal_period),
                           (K2_SPLITS, self.k2_splits), (CAUSAL_WINDOW, self.causal_window)):
            if value is not None:
                entries[key] = ir.IntegerAttr.get(ir.IntegerType.get_signless(64), value)
        if self.k2_split_place is not None:
            entries[K2_SPLIT_PLACE] = ir.StringAttr.get(self.k2_split_place)
        if self.kernel_heads is not None:
            entries[KERNEL_HEADS] = int_array(self.kernel_heads)
        return lowering_config_attr(entries, self.promote_operands)


# The lowering_config entries of AttentionTiling.causal, causal_period, causal_window (perf/work.py reads them
# too) and k2_splits
CAUSAL_OFFSET, CAUSAL_PERIOD, K2_SPLITS, CAUSAL_WINDOW = "causal_offset", "causal_period", "k2_splits", "causal_window"
K2_SPLIT_PLACE = "k2_split_place"
# heuristics.k2_split_place's choice that puts the splits on the subgroups of one workgroup
SUBGROUPS = "subgroups"
SPLIT_PLACES = ("workgroups", SUBGROUPS)
KERNEL_HEADS = "kernel_heads"  # AttentionTiling.kernel_heads


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
        if set(d) != set(SECTIONS):
            raise TilefuseError(f"a tilefuse config has exactly the keys {sorted(SECTIONS)}, got {sorted(d)}")
        return cls(**{k: typed_section(k, v) for k, v in d.items()})

    def merged(self, overrides: dict) -> "TilefuseConfig":
        """This config with some fields replaced, e.g. {"tiling": {"reduction": [0, 0, 0, 32, 0]}}."""
        check_overrides(overrides)
        return replace(self, **{key: typed_section(key, {**asdict(getattr(self, key)), **sub})
                                for key, sub in overrides.items()})

    def check_fits(self, sizes: tuple[int, ...], k2_dims: tuple[int, ...], given: set[str]) -> None:
        """Raises ConfigError naming the first of the `given` fields ("tiling.reduction", ...) that cannot work on
        an attention op of these iteration-dim sizes: the wrong number of entries, a tile that does not divide its
        dim (or a K2 tile larger than K2), a subgroup tile that does not divide the workgroup tile, a workgroup
        that is not whole subgroups. IREE's and the later stages' own errors would not name the field."""
        rank = len(sizes)
        ranked = {f"tiling.{k}": getattr(self.tiling, k) for k in ("workgroup", "reduction", "subgroup")}
        ranked.update({f"{m}.subgroup_counts": getattr(self, m).subgroup_counts for m in ("qk", "pv")})
        for name, values in ranked.items():
            if name in given and len(values) != rank:
                raise ConfigError(name, f"has {len(values)} entries; this attention op has {rank} iteration dims "
                                        f"(report.json of a compile without --config shows config.tilefuse)")
        for m in ("qk", "pv"):
            bad = [d for d in getattr(self, m).subgroup_mapping if d >= rank]
            if f"{m}.subgroup_mapping" in given and bad:
                raise ConfigError(f"{m}.subgroup_mapping", f"dim {bad[0]} is not one of the op's {rank} dims")
        tiles = self.tiling
        for level, within in (("workgroup", sizes), ("reduction", sizes),
                              ("subgroup", [w or s for w, s in zip(tiles.workgroup, sizes)])):
            if f"tiling.{level}" not in given:
                continue
            for d, (tile, size) in enumerate(zip(getattr(tiles, level), within)):
                what = "K2" if d in k2_dims else f"dim {d}"
                if tile and size % tile:
                    relation = "is larger than" if tile > size else "does not divide"
                    raise ConfigError(f"tiling.{level}", f"entry {d} ({tile}) {relation} {what} ({size})")
                if level == "reduction" and tile and d not in k2_dims:
                    raise ConfigError("tiling.reduction", f"entry {d} ({tile}) tiles {what}, not K2 (0 there)")
        threads, sub = math.prod(self.shape.workgroup_size), self.shape.subgroup_size
        if given & {"shape.workgroup_size", "shape.subgroup_size"} and (threads % sub or threads > MAX_THREADS):
            raise ConfigError("shape.workgroup_size", f"{list(self.shape.workgroup_size)}: a workgroup is whole "
                                                      f"subgroups of {sub} threads, at most {MAX_THREADS}")


SECTIONS = {"tiling": AttentionTiling, "qk": MatmulConfig, "pv": MatmulConfig, "shape": WorkgroupShape}
MAX_THREADS = 1024  # threads per workgroup on every target (AMD and NVIDIA)
# The least value of a field's integers: tile sizes and dim indices may be 0 (0: not tiled at that level);
# counts and sizes are positive; `causal` is an offset, any integer.
_LEAST = {"workgroup_size": 1, "subgroup_size": 1, "subgroup_counts": 1, "min_workgroups_per_sm": 1,
          "causal_period": 1, "causal_window": 1, "kernel_heads": 1, "causal": None}
_MOST = 2**31 - 1


def check_overrides(overrides) -> None:
    """Checks a --config object without a config to merge it into (the CLI, before any work): known sections and
    fields, each value of its field's type (integers, not 32.5 or "abc"; three workgroup_size entries), integers
    in range, MMA intrinsics that exist. Raises ConfigError naming the field."""
    if not isinstance(overrides, dict):
        raise ConfigError("file", "expected a JSON object of sections (tiling, qk, pv, shape)")
    for key, sub in overrides.items():
        if key not in SECTIONS or not isinstance(sub, dict):
            raise ConfigError(key, "unknown section (tiling, qk, pv, shape: each an object of fields)")
        _check_fields(key, sub)


def overridden(overrides: dict | None) -> set[str]:
    """The fields a --config object sets, as "section.field"."""
    return {f"{k}.{f}" for k, sub in (overrides or {}).items() for f in sub}


def _check_fields(section: str, values: dict) -> dict:
    """The values as the dataclass holds them (lists as tuples), each checked against its field's type."""
    cls = SECTIONS[section]
    hints = get_type_hints(cls)
    unknown = set(values) - set(hints)
    if unknown:
        raise ConfigError(f"{section}.{sorted(unknown)[0]}",
                          f"no such {cls.__name__} field (fields: {', '.join(f.name for f in fields(cls))})")
    return {name: _field_value(f"{section}.{name}", hints[name], v) for name, v in values.items()}


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _field_value(field: str, hint, value):
    name = field.split(".")[1]
    if get_origin(hint) in (Union, types.UnionType):
        if value is None and type(None) in get_args(hint):
            return None
        (hint,) = [a for a in get_args(hint) if a is not type(None)]
    shown = json.dumps(value) if isinstance(value, (int, float, str, list, tuple, dict, type(None))) else repr(value)
    if get_origin(hint) is tuple:
        args = get_args(hint)
        if not isinstance(value, (list, tuple)) or not all(_is_int(v) for v in value):
            raise ConfigError(field, f"expected a list of integers, got {shown}")
        if args[-1] is not Ellipsis and len(value) != len(args):
            raise ConfigError(field, f"expected {len(args)} entries, got {len(value)}: {shown}")
        ints = value = tuple(value)
    elif hint is bool or hint is str:
        if not isinstance(value, hint):
            raise ConfigError(field, f"expected {'true or false' if hint is bool else 'a string'}, got {shown}")
        ints = ()
        if name == "k2_split_place" and value not in SPLIT_PLACES:
            raise ConfigError(field, f"expected one of {', '.join(SPLIT_PLACES)}, got {shown}")
        if name == "mma_kind":
            try:
                intrinsics.Intrinsic.named(value)
            except Unsupported as e:
                raise ConfigError(field, str(e)) from None
    else:
        if not _is_int(value):
            raise ConfigError(field, f"expected an integer, got {shown}")
        ints = (value,)
    least = _LEAST.get(name, 0)
    if least is not None and any(v < least for v in ints):
        raise ConfigError(field, f"must be {'positive' if least else 'non-negative'}, got {shown}")
    if any(abs(v) > _MOST for v in ints):  # IREE's attributes hold them as 32- or 64-bit integers
        raise ConfigError(field, f"must be at most {_MOST}, got {shown}")
    return value


def typed_section(section: str, values: dict):
    """The dataclass of config section SECTION from its JSON fields, each checked."""
    try:
        return SECTIONS[section](**_check_fields(section, values))
    except TypeError as e:  # a field missing from a whole config (from_dict)
        raise ConfigError(section, str(e)) from None
