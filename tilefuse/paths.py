"""The code-generation paths, each one ordered table of named stages: the project's table of contents.

A stage is a named sequence in a tilefuse/transforms/ library (run by the transform interpreter), or a small
Python pass where the transform dialect cannot say it. Stage names are used on the CLI and in snapshot
file names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Callable

import iree.compiler.ir as ir

from .configure import configure_attention
from .hint import anchor_hinted_matmuls, configure_hint
from .lanes import distribute_to_lanes
from .pad_program import pad_attention_to_tiles
from .share_kv import share_kv_tiles
from .errors import TilefuseError
from .targets import Target


@dataclass
class StageContext:
    """What a Python stage may use besides the module: the target, the transform session (to run
    sequences), user config overrides; a configure stage records the config it chose."""

    target: Target
    session: object
    config_overrides: dict | None = None
    chosen_config: object | None = None
    program_changes: list | None = None  # what a program stage rewrote
    drop_attrs_after: str | None = None  # fault injection: the stage after which untracked attrs are lost


@dataclass(frozen=True)
class Stage:
    """One named step. The contract: `run` takes a module and returns the module it produced (the driver may
    replace it with a re-parsed one before the next stage, e.g. an xDSL rewrite)."""

    name: str
    library: str | None = None  # tilefuse/transforms/<library>.mlir
    sequence: str | dict[str, str] | None = None  # one name, or one per target family
    python: Callable[[ir.Module, StageContext], None] | None = None
    uses: tuple[str, ...] = ()  # libraries whose sequences a Python stage runs itself
    configures: bool = False  # sets the dispatch's configuration (the report reads it after this stage)

    def sequence_for(self, target: Target) -> str | None:
        if isinstance(self.sequence, dict):
            return self.sequence[target.family]
        return self.sequence

    @property
    def libraries(self) -> tuple[str, ...]:
        return ((self.library,) if self.library else ()) + self.uses

    def run(self, module: ir.Module, stage_ctx: StageContext) -> ir.Module:
        if self.python is not None:
            self.python(module, stage_ctx)
        else:
            stage_ctx.session.run(module, self.sequence_for(stage_ctx.target))
        return module


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

    def stage_names(self) -> list[str]:
        return [s.name for s in self.stages]

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
        Stage("lower", "stock", {"rocdl": "stock_lower_rocdl", "nvvm": "stock_lower_nvvm"}),
    ],
)

PAD_TO_TILES = Stage("pad-to-tiles", python=pad_attention_to_tiles)

# S0-S4, the undecomposed op tiled and then decomposed: shared by both tilefuse paths.
TILEFUSE_TENSOR_STAGES = [
    Stage("workgroup-tile", "tilefuse", "tilefuse_workgroup_tile"),
    Stage("subgroup-distribute", "tilefuse", "tilefuse_subgroup_distribute"),
    Stage("reduction-tile", "tilefuse", "tilefuse_reduction_tile"),
    Stage("decompose", "tilefuse", "tilefuse_decompose"),
]

TILEFUSE_LOWER = Stage("lower", "tilefuse", {"rocdl": "tilefuse_lower_rocdl", "nvvm": "tilefuse_lower_nvvm"})


def _tilefuse_path(name: str, share_kv: bool, thread_stages: list[Stage]) -> Path:
    """pad-to-tiles; configure; S1-S4; the path's thread-level stages; lower."""
    configure = Stage("configure", python=partial(configure_attention, share_kv=share_kv), uses=("stock",),
                      configures=True)
    return Path(name, [configure, *TILEFUSE_TENSOR_STAGES, *thread_stages, TILEFUSE_LOWER], pipeline="none",
                program_stages=[PAD_TO_TILES])


LANE_STAGES = [
    Stage("thread-distribute", python=distribute_to_lanes, uses=("tilefuse",)),
    Stage("bufferize", "tilefuse", "tilefuse_resolve_lanes"),
]
TILEFUSE = _tilefuse_path("tilefuse", share_kv=True, thread_stages=[
    *LANE_STAGES,
    Stage("share-kv", python=share_kv_tiles),
])

# The same without K/V sharing: every subgroup reads its K/V fragments from global memory, nothing in workgroup
# memory, no barriers. Fewer registers, 4x the K/V reads: the A/B pair a GPU decides (design/tilefuse-path.md, S7).
TILEFUSE_NOSHARE = _tilefuse_path("tilefuse-noshare", share_kv=False, thread_stages=LANE_STAGES)

# The previous thread distribution: IREE's layout anchoring and vector distribution over one subgroup's
# lanes, after bufferization (design/tilefuse-path.md, "One subgroup is vector distribution's workgroup").
# IREE's promotion inside a subgroup forall races (design/numerics.md), so its config shares nothing.
TILEFUSE_VD = _tilefuse_path("tilefuse-vd", share_kv=False, thread_stages=[
    Stage("thread-distribute", "tilefuse", {"rocdl": "tilefuse_thread_distribute_wave64",
                                            "nvvm": "tilefuse_thread_distribute_wave32"}),
])

# The 2024 design: stock's stages, with configure and anchor-layouts replaced (design/hint-path.md).
HINT = STOCK.replacing("hint", {
    "configure": Stage("configure", python=configure_hint, uses=("stock",), configures=True),
    "anchor-layouts": Stage("anchor-layouts", python=anchor_hinted_matmuls, uses=("stock",)),
})

# Stock's stages on the program tilefuse pads: separates what padding buys (MMA on unaligned sequences, for
# any pipeline) from what the pipeline does with it.
STOCK_PADDED = Path("stock-padded", STOCK.stages, STOCK.pipeline, [PAD_TO_TILES])

PATHS = {p.name: p for p in (STOCK, HINT, TILEFUSE, TILEFUSE_NOSHARE, TILEFUSE_VD, STOCK_PADDED)}


def get_path(name: str) -> Path:
    try:
        return PATHS[name]
    except KeyError:
        raise TilefuseError(f"unknown path '{name}' (known: {', '.join(PATHS)})") from None
