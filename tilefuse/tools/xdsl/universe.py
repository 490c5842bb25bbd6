"""The xDSL plugin, pyproject's entry point `[project.entry-points."xdsl.universe"]`
`tilefuse = "tilefuse.tools.xdsl.universe:TILEFUSE_UNIVERSE"`.

xdsl-opt / xdsl-run load it (Universe.get_multiverse) and get:
  dialects  iree_linalg_ext (attention, online_attention, yield), iree_codegen (inner_tiled). Names xDSL itself
            defines (scf, tensor, gpu, arith, bufferization) cannot be registered twice in a multiverse (it raises
            on duplicates); the `tilefuse-stage` pass switches them to the interchange versions when xdsl-opt
            builds it (see stage_pass.py).
  passes    tilefuse-stage{path= target= stage= config=}; tilefuse-interchange (no-op: read/write IREE IR
            faithfully, for round-trips or xDSL's own passes)
Loading this module imports tilefuse.tools.xdsl, which applies the hex-splat parser fix (patches.py).
"""

from xdsl.universe import Universe


def _iree_linalg_ext():
    from .dialects import IREE_LINALG_EXT

    return IREE_LINALG_EXT


def _iree_codegen():
    from .dialects import IREE_CODEGEN

    return IREE_CODEGEN


def _tilefuse_stage():
    from .stage_pass import TilefuseStagePass

    return TilefuseStagePass


def _tilefuse_interchange():
    from .stage_pass import TilefuseInterchangePass

    return TilefuseInterchangePass


def _tilefuse_transform_interpreter():
    from .transform_interp import TilefuseTransformInterpreterPass

    return TilefuseTransformInterpreterPass


def _rewrite(name: str):
    def load():
        from .rewrites import PASSES

        return PASSES[name]
    return load


TILEFUSE_UNIVERSE = Universe(
    all_dialects={"iree_linalg_ext": _iree_linalg_ext, "iree_codegen": _iree_codegen},
    all_passes={"tilefuse-stage": _tilefuse_stage,
                "tilefuse-interchange": _tilefuse_interchange,
                "tilefuse-transform-interpreter": _tilefuse_transform_interpreter,
                **{name: _rewrite(name) for name in ("tilefuse-edit-config", "tilefuse-hoist-invariant",
                                                     "tilefuse-row-max-maxnum")}},
)
