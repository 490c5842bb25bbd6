"""The code-generation paths, each one ordered table of named stages: the project's table of contents.

A stage is a named sequence in a tilefuse/codegen/transforms/ library (run by the transform interpreter), or a small
Python pass where the transform dialect cannot say it. Stage names are used on the CLI and in snapshot
file names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache, partial
from typing import Callable

import iree.compiler.ir as ir

from .stages.causal_mask import drop_causal_masks
from .stages.causal_bound import bound_causal_loops
from .stages.causal_peel import peel_causal_loops
from .stages.configure import configure_attention
from .stages.encode_fp8 import encode_fp8
from .hint import anchor_hinted_matmuls, configure_hint
from .stages.k2_tail import pad_k2_tail
from .stages.m_tail import pad_m_tail
from .stages.thread_distribute import distribute_to_lanes
from .stages.pack_query_groups import pack_query_groups
from .stages.pad_to_tiles import pad_attention_to_tiles
from .stages.share_kv import share_kv_tiles
from .stages.page_kv import page_kv
from .stages.paged_form import paged_form
from .stages.page_step import merge_page_steps
from .stages.split_k2 import split_k2
from .stages.split_combine import COMBINE_THREADS_SEQUENCE, combine_in_workgroup
from .stages.seq_lens import mark_seq_lens
from .stages.seq_lens_bound import bound_seq_lens_loops
from .stages.seq_lens_mask import compute_mask_in_dispatch
from .stages.fold_online import fold_online
from .stages.unrepeat_kv import unrepeat_kv
from .stages.widen_kv import widen_kv
from ..errors import TilefuseError
from .stage import StageInput, StageResult
from ..target.targets import NVVM, ROCDL, Backend, Target
from .transform import bind_params, library_path


@dataclass(frozen=True)
class Stage:
    """One named step. The contract: `run` takes a module and returns a StageResult (the driver may replace the
    module with a re-parsed one before the next stage, e.g. an xDSL rewrite). Every transform sequence a stage
    runs is declared (`sequence`, or `runs` for a Python stage) and found in its libraries when a Path is built."""

    name: str
    library: str | None = None  # tilefuse/codegen/transforms/<library>.mlir
    sequence: str | dict[Backend, str] | None = None  # one name, or one per backend
    python: Callable[[ir.Module, StageInput], StageResult] | None = None
    uses: tuple[str, ...] = ()  # libraries the sequence includes from, or whose sequences a Python stage runs
    runs: tuple[str, ...] = ()  # the sequences a Python stage runs (StageInput.run_sequence)
    configures: bool = False  # sets the dispatch's configuration (the report reads it after this stage)
    reads_config: bool = False  # applies the user's config overrides (--config); IREE's configure stages do not
    # The sequence's arguments after the root, from the target (attributes, built in the current context)
    params: Callable[[Target], tuple[ir.Attribute, ...]] | None = None

    def sequence_for(self, target: Target) -> str | None:
        if isinstance(self.sequence, dict):
            return self.sequence[target.backend]
        return self.sequence

    def entry_for(self, target: Target) -> str | None:
        """The sequence the interpreter enters: the stage's, or for a parametrised one the entry of its binding."""
        return f"{self.sequence_for(target)}_{target.name}" if self.params else self.sequence_for(target)

    def binding(self, target: Target) -> ir.Module | None:
        """A parametrised stage's `bind_params` library for the target (in the current context), else None."""
        if self.params is None:
            return None
        return bind_params(self.sequence_for(target), self.params(target), self.entry_for(target))

    @property
    def libraries(self) -> tuple[str, ...]:
        return ((self.library,) if self.library else ()) + self.uses

    @property
    def sequences(self) -> tuple[str, ...]:
        """Every sequence the stage runs: its own (one per backend) and a Python stage's `runs`."""
        own = self.sequence.values() if isinstance(self.sequence, dict) else [self.sequence] if self.sequence else []
        return (*own, *self.runs)

    def run(self, module: ir.Module, stage_input: StageInput) -> StageResult:
        if self.python is not None:
            return self.python(module, replace(stage_input, sequences=self.runs))
        with module.context:
            stage_input.session.run(module, self.entry_for(stage_input.target), self.binding(stage_input.target))
        return StageResult(module)


def check_sequences(stage: Stage) -> None:
    """Raises TilefuseError for a sequence the stage runs that none of its libraries defines (at import, when the
    path tables are built, rather than when a compile reaches the stage)."""
    defined = {name for lib in stage.libraries for name in library_sequences(lib)}
    missing = [s for s in stage.sequences if s not in defined]
    if missing:
        raise TilefuseError(f"stage '{stage.name}' runs the sequence '{missing[0]}', which its libraries "
                            f"({', '.join(stage.libraries) or 'none'}) do not define")


@cache
def library_sequences(library: str) -> frozenset[str]:
    """The named sequences a transform library defines (read from its text: no MLIR context at import)."""
    return frozenset(re.findall(r"transform\.named_sequence\s+@([\w.$-]+)", library_path(library).read_text()))


@dataclass(frozen=True)
class Path:
    name: str
    stages: list[Stage]
    # The pipeline a dispatch has after this path's configure stage when the path lowers it itself
    # ("none" is #iree_codegen.no_pipeline); other dispatches are left to IREE's own pipeline, and the
    # report says so per dispatch.
    pipeline: str
    # Stages on the whole input program, before IREE forms dispatches (Python passes on the func)
    program_stages: list[Stage] = field(default_factory=list)

    def __post_init__(self):
        for stage in self.program_stages + self.stages:
            check_sequences(stage)

    def stage_names(self) -> list[str]:
        return [s.name for s in self.stages]

    @property
    def m_tail(self) -> bool:
        """The path pads query rows in the kernel (it has the m-tail stage): its plans leave a decode's rows so."""
        return "m-tail" in self.stage_names()

    @property
    def reads_config(self) -> bool:
        return any(s.reads_config for s in self.stages)

    def stage(self, name: str) -> Stage:
        return next(s for s in self.stages if s.name == name)

    @property
    def libraries(self) -> list[str]:
        """The transform libraries the stages need, in order of first use."""
        return list(dict.fromkeys(lib for s in self.program_stages + self.stages for lib in s.libraries))

    def replacing(self, name: str, stages: dict[str, Stage]) -> "Path":
        """Another path with the same stage order, some stages replaced (by name)."""
        unknown = set(stages) - set(self.stage_names())
        if unknown:
            raise ValueError(f"path {self.name} has no stages {sorted(unknown)}")
        return Path(name, [stages.get(s.name, s) for s in self.stages], self.pipeline, self.program_stages)


STOCK = Path(
    name="stock",
    pipeline="VectorDistribute",
    stages=[
        Stage("configure", "stock", "stock_configure", configures=True),
        Stage("workgroup-tile", "stock", "stock_workgroup_tile"),
        Stage("reduction-tile", "stock", "stock_reduction_tile"),
        Stage("decompose", "stock", "stock_decompose"),
        Stage("anchor-layouts", "stock", "stock_anchor_layouts"),
        Stage("vectorize", "stock", "stock_vectorize"),
        Stage("bufferize", "stock", "stock_bufferize"),
        Stage("vector-distribute", "stock", "stock_vector_distribute"),
        Stage("lower", "stock", {ROCDL: "stock_lower_rocdl", NVVM: "stock_lower_nvvm"}),
    ],
)

PAD_TO_TILES = Stage("pad-to-tiles", python=pad_attention_to_tiles)
# A proven-causal mask leaves the program; the tiles skip what it hides (stages/causal_bound.py, causal_peel.py).
CAUSAL_MASK = Stage("causal-mask", python=drop_causal_masks)
CAUSAL_STAGES = [Stage("causal-bound", python=bound_causal_loops), Stage("causal-peel", python=peel_causal_loops)]
# A run-time K2: the last K2 tile padded in the kernel to the static tile, the keys past the end masked
# (tilefuse/k2_tail.py); before the causal stages, which bound and split the loop it leaves.
K2_TAIL = Stage("k2-tail", python=pad_k2_tail)
# Splits on the subgroups of one workgroup: their partials combined in workgroup memory after a barrier, by every
# thread of the workgroup (stages/split_combine.py); after workgroup-tile, before subgroup-distribute fuses the
# partials into the subgroups' forall.
SPLIT_COMBINE = Stage("split-combine", python=combine_in_workgroup, uses=("tilefuse", "stock"),
                      runs=(COMBINE_THREADS_SEQUENCE,))
# A run-time M: each subgroup's last tile of query rows padded in the kernel, only its real rows stored
# (stages/m_tail.py), as are a decode's few rows and head dims that are not whole tiles (run-time, or static ones the
# plan leaves unpadded: `kernel_heads`); before reduction-tile, so the K2 loop carries static accumulators.
M_TAIL = Stage("m-tail", python=pad_m_tail)
# GQA packing: a group's query heads become the rows of one tile before they are padded (design/tilefuse-path.md,
# "Decode").
PACK_QUERY_GROUPS = Stage("pack-query-groups", python=pack_query_groups)
# Flash-decoding: a decode's keys split across workgroups, the partials combined after (design/tilefuse-path.md,
# "Decode"); on the padded program, whose query rows fill one tile.
SPLIT_K2 = Stage("split-k2", python=split_k2)
# GQA through repeated K/V: K/V that are KV heads repeated to every query head (transformers' repeat_kv) are read
# once per KV head, the query heads grouped (design/tilefuse-path.md, "GQA through repeated K/V"); first, so that
# causal-mask, pack-query-groups and pad-to-tiles see the grouped attention.
UNREPEAT_KV = Stage("unrepeat-kv", python=unrepeat_kv)
# An fp8 KV cache under a 16-bit query: K/V extended to the query's type in the attention's dispatch
# (tilefuse/codegen/stages/widen_kv.py); last, so that the stages before read and pad the cache as the program holds it.
WIDEN_KV = Stage("widen-kv", python=widen_kv)
# A hand-written online_attention that only normalizes its result is the attention it computes
# (tilefuse/codegen/stages/fold_online.py); first, so that every stage after it takes it as an attention.
FOLD_ONLINE = Stage("fold-online", python=fold_online)
# A paged K/V read through the attention's maps, its keys (pages, page), so IREE fuses the gathers into the
# attention's dispatch and its K2 loop steps a page at a time (tilefuse/codegen/stages/page_kv.py); after split-k2,
# which splits the pages, and after the stages that plan and pad the attention with one K2 dim.
PAGE_KV = Stage("page-kv", python=page_kv)
# A paged attention whose mask is its sequences' lengths (a seq_lens operand) is marked, and its K2 loop ends after
# the sequence's last live page (stages/seq_lens.py, seq_lens_bound.py); marked before pack-query-groups, the mask
# still the generic that builds it; bounded after k2-tail, on the loop reduction-tile made.
SEQ_LENS = Stage("seq-lens", python=mark_seq_lens)
# torch's paged decode (a generic gather, heads merged into the batch, an arange compared with seq_lens) made the
# form seq-lens, split-k2 and page-kv take (stages/paged_form.py); after unrepeat-kv, which groups its query heads.
PAGED_FORM = Stage("paged-form", python=paged_form)
SEQ_LENS_BOUND = Stage("seq-lens-bound", python=bound_seq_lens_loops)
# A paged attention whose K2 step reads several pages gets one key dim in the step, its K/V the pages gathered
# through the table (stages/page_step.py); after the tile stages, which read the (pages, page) loop, before decompose.
PAGE_STEP = Stage("page-step", python=merge_page_steps)
# Its mask computed in the attention's dispatch, no dispatch of its own (stages/seq_lens_mask.py); last, on the mask
# as the stages before reshaped it.
SEQ_LENS_MASK = Stage("seq-lens-mask", python=compute_mask_in_dispatch)
PROGRAM_STAGES = [FOLD_ONLINE, UNREPEAT_KV, CAUSAL_MASK, PAGED_FORM, SEQ_LENS, PACK_QUERY_GROUPS, PAD_TO_TILES,
                  SPLIT_K2, PAGE_KV,
                  WIDEN_KV, SEQ_LENS_MASK]

# S0-S4, the undecomposed op tiled and then decomposed: shared by both tilefuse paths. A stage that is stock's
# names stock's sequence; tilefuse.mlir's sequences say how they differ from stock's.
TILEFUSE_TENSOR_STAGES = [
    STOCK.stage("workgroup-tile"),
    Stage("subgroup-distribute", "tilefuse", "tilefuse_subgroup_distribute", uses=("stock",)),
    Stage("reduction-tile", "tilefuse", "tilefuse_reduction_tile", uses=("stock",)),
    STOCK.stage("decompose"),
]
# Vectorize (stock's after the cleanup stock's anchor-layouts ends with), bufferize (stock's), then the lane and
# subgroup foralls onto ids: the same on both tilefuse paths, before the lane stage's (tilefuse) or after it (vd).
VECTORIZE = Stage("vectorize", "tilefuse", "tilefuse_vectorize", uses=("stock",))
MAP_TO_IDS = Stage("map-to-ids", "tilefuse", "tilefuse_map_to_ids", uses=("stock",))


def _tilefuse_path(name: str, share_kv: bool, thread_stages: list[Stage], skip_causal_tiles: bool = True,
                   program_stages: list[Stage] = PROGRAM_STAGES, relabel_keys: bool = True) -> Path:
    """The program stages (PROGRAM_STAGES); configure; S1-S4 (with split-combine after workgroup-tile, m-tail before
    reduction-tile, and k2-tail,
    seq-lens-bound, causal-bound, causal-peel and page-step after it: the Python tile stages); the path's
    thread-level stages; stock's lower. Without the tile stages configure refuses a run-time K2 (nothing would pad
    its last tile); without the tilefuse lane stage (`relabel_keys`) it refuses a pair whose PV reads P's keys
    relabeled."""
    configure = Stage("configure", python=partial(configure_attention, share_kv=share_kv,
                                                  tail_stages=skip_causal_tiles, relabel_keys=relabel_keys),
                      uses=("stock",), runs=("stock_prepare_dispatch", "stock_select_lowering_strategy"),
                      configures=True, reads_config=True)
    tensor_stages = list(TILEFUSE_TENSOR_STAGES)
    if skip_causal_tiles:
        tensor_stages[1:1] = [SPLIT_COMBINE]
        tensor_stages[3:3] = [M_TAIL]
        tensor_stages[5:5] = [K2_TAIL, SEQ_LENS_BOUND, *CAUSAL_STAGES, PAGE_STEP]
    return Path(name, [configure, *tensor_stages, *thread_stages, STOCK.stage("lower")], pipeline="none",
                program_stages=program_stages)


# A rounding to fp8 IREE does not lower on the target (P for an fp8 PV matmul on NVIDIA) as integer ops on its bits
# (tilefuse/codegen/stages/encode_fp8.py); before the lane stage, which leaves elementwise bodies as they are.
ENCODE_FP8 = Stage("encode-fp8", python=encode_fp8)
LANE_STAGES = [
    ENCODE_FP8,
    Stage("thread-distribute", python=distribute_to_lanes, uses=("tilefuse", "stock"), runs=("tilefuse_cleanup",)),
    VECTORIZE,
    STOCK.stage("bufferize"),
    MAP_TO_IDS,
]
TILEFUSE = _tilefuse_path("tilefuse", share_kv=True, thread_stages=[
    *LANE_STAGES,
    Stage("share-kv", python=share_kv_tiles),
])

# The same without K/V sharing: every subgroup reads its K/V fragments from global memory, nothing in workgroup
# memory, no barriers. Fewer registers, 4x the K/V reads: the A/B pair a GPU decides (design/tilefuse-path.md, S7).
TILEFUSE_NOSHARE = _tilefuse_path("tilefuse-noshare", share_kv=False, thread_stages=LANE_STAGES)


def one_subgroup_workgroup(target: Target) -> tuple[ir.Attribute, ir.Attribute]:
    """tilefuse_thread_distribute's %lanes and %block: a workgroup of one subgroup, [subgroup size, 1, 1], as the
    workgroup_size vector distribution reads (i64 array) and as gpu.known_block_size (array<i32>)."""
    lanes = [target.subgroup_size, 1, 1]
    i64 = ir.IntegerType.get_signless(64)
    return ir.ArrayAttr.get([ir.IntegerAttr.get(i64, n) for n in lanes]), ir.DenseI32ArrayAttr.get(lanes)


# The previous thread distribution: IREE's layout anchoring and vector distribution over one subgroup's
# lanes, after bufferization (design/tilefuse-path.md, "One subgroup is vector distribution's workgroup").
# IREE's promotion inside a subgroup forall races (design/numerics.md), so its config shares nothing. Every
# stage after configure is a transform sequence, so the path is also a strategy for stock iree-compile: the
# Python causal-tile stages stay off it (a causal mask is applied, from indices, on every tile). No split-k2: IREE's
# vectorization cannot size the split dispatch's partial max/sum fills ("tile size analysis did not determine a valid
# tile size"), so a decode stays one unsplit dispatch there. No seq-lens-mask: without seq-lens-bound nothing
# on this path reads the lengths, and its vector distribution has not met a mask computed in the dispatch. No
# paged-form: the form it makes of torch's paged decode is `problem --paged --seq-lens`'s, whose one unsplit
# dispatch on this path IREE 3.13's final compile crashes on (as on the problem file); unrewritten, it compiles.
TILEFUSE_VD = _tilefuse_path("tilefuse-vd", share_kv=False, skip_causal_tiles=False, relabel_keys=False,
                             program_stages=[s for s in PROGRAM_STAGES if s not in (SPLIT_K2, SEQ_LENS_MASK,
                                                                                     PAGED_FORM)],
                             thread_stages=[
    STOCK.stage("anchor-layouts"),
    STOCK.stage("vectorize"),
    STOCK.stage("bufferize"),
    Stage("thread-distribute", "tilefuse", "tilefuse_thread_distribute", params=one_subgroup_workgroup),
    MAP_TO_IDS,
])

# The 2024 design: stock's stages, with configure and anchor-layouts replaced (design/hint-path.md).
HINT = STOCK.replacing("hint", {
    "configure": Stage("configure", python=configure_hint, uses=("stock",), runs=("stock_configure",),
                       configures=True),
    "anchor-layouts": Stage("anchor-layouts", python=anchor_hinted_matmuls, uses=("stock",),
                            runs=("stock_anchor_layouts",)),
})

# Stock's stages on the program tilefuse pads: separates what padding buys (MMA on unaligned sequences, for
# any pipeline) from what the pipeline does with it.
STOCK_PADDED = Path("stock-padded", STOCK.stages, STOCK.pipeline, [UNREPEAT_KV, PACK_QUERY_GROUPS, PAD_TO_TILES])

PATHS = {p.name: p for p in (STOCK, HINT, TILEFUSE, TILEFUSE_NOSHARE, TILEFUSE_VD, STOCK_PADDED)}


def get_path(name: str) -> Path:
    try:
        return PATHS[name]
    except KeyError:
        raise TilefuseError(f"unknown path '{name}' (known: {', '.join(PATHS)})") from None
