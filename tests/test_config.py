"""tilefuse's config dataclasses and the IREE attributes they stand for (tilefuse/codegen/config.py): each attribute
reads back as the dataclass that wrote it, IREE's own accessors see the values, and bad configs are named."""

import re

import iree.compiler.ir as ir
import pytest
from iree.compiler.dialects import iree_codegen, iree_gpu

from tilefuse.codegen.config import (
    AttentionTiling,
    MatmulConfig,
    TilefuseConfig,
    WorkgroupShape,
    decomposition_config,
    matmuls_of,
    overridden,
)
from tilefuse.errors import ConfigError, TilefuseError

TILING = AttentionTiling(workgroup=(1, 1, 64, 0, 0, 64), reduction=(0, 0, 0, 0, 64, 0), subgroup=(0, 0, 16, 0, 0, 0))
QK = MatmulConfig("VMFMA_F32_16x16x32_F16", True, (1,) * 6, (0, 1, 2, 3, 4), promote_operands=(1,))
PV = MatmulConfig("MFMA_F32_16x16x16_F16", True, (1,) * 6, (0, 1, 2, 4, 5), promote_operands=(1,))
SHAPE = WorkgroupShape((64, 4, 1), 64)
CONFIG = TilefuseConfig(TILING, QK, PV, SHAPE)


@pytest.fixture(autouse=True)
def context():
    with ir.Context() as ctx:
        yield ctx


@pytest.mark.parametrize("matmul", [QK, PV, MatmulConfig("NV_MMA_SYNC_F32_16x8x16_BF16", False, (1, 1, 1), (0, 2)),
                                    MatmulConfig("MFMA_F32_16x16x16_BF16", True, (2, 1, 1), (0, 1))],
                         ids=["virtual", "promoted", "row-major", "unpromoted"])
def test_matmul_config_round_trips_through_its_lowering_config(matmul):
    attr = matmul.lowering_config()
    assert MatmulConfig.from_lowering_config(attr) == matmul
    # IREE reads the same schedule from the attribute
    config = iree_gpu.LoweringConfigAttr(attr)
    assert list(map(list, config.subgroup_basis)) == [list(matmul.subgroup_counts), list(matmul.subgroup_mapping)]
    assert config.mma_kind == matmul.mma_attr()
    assert ("promote_operands" in config.attributes) == bool(matmul.promote_operands)


def test_mnk_is_the_intrinsics_shape():
    assert QK.mnk() == (16, 16, 32) and PV.mnk() == (16, 16, 16)
    assert MatmulConfig("NV_MMA_SYNC_F32_16x8x16_F16").mnk() == (16, 8, 16)


def test_attention_tiling_round_trips_and_iree_reads_its_tile_sizes():
    for tiling in (TILING, AttentionTiling((1, 32, 0, 0, 32), (0, 0, 0, 32, 0), (0, 16, 0, 0, 0), (0, 1))):
        attr = tiling.lowering_config()
        assert AttentionTiling.from_lowering_config(attr) == tiling
        config = iree_gpu.LoweringConfigAttr(attr)
        assert list(config.workgroup_tile_sizes) == list(tiling.workgroup)
        assert list(config.reduction_tile_sizes) == list(tiling.reduction)


def test_workgroup_shape_is_a_translation_info_without_a_pipeline_schedule():
    attr = SHAPE.translation_info(None)
    info = iree_codegen.TranslationInfoAttr(attr)
    assert list(info.workgroup_size) == [64, 4, 1] and info.subgroup_size == 64
    assert "no_pipeline" in str(attr) and "mma_schedule" not in str(attr)
    assert WorkgroupShape.from_translation_info(attr) == SHAPE


def test_whole_config_round_trips_through_the_three_attributes():
    decomposition = CONFIG.decomposition_config()
    assert matmuls_of(decomposition) == (QK, PV)
    assert decomposition == decomposition_config(QK, PV)
    # decomposition copies each entry's lowering_config onto its matmul
    for key, matmul in (("qk_attrs", QK), ("pv_attrs", PV)):
        assert ir.DictAttr(ir.DictAttr(decomposition)[key])["lowering_config"] == matmul.lowering_config()
    back = TilefuseConfig.from_attributes(TILING.lowering_config(), decomposition, SHAPE.translation_info(None))
    assert back == CONFIG


def test_dict_form_is_plain_json_and_reads_back():
    d = CONFIG.to_dict()
    assert d["tiling"]["reduction"] == [0, 0, 0, 0, 64, 0] and d["qk"]["mma_kind"] == QK.mma_kind
    assert all(not isinstance(v, tuple) for part in d.values() for v in part.values())
    assert TilefuseConfig.from_dict(d) == CONFIG


def test_overrides_replace_only_the_fields_named():
    merged = CONFIG.merged({"tiling": {"reduction": [0, 0, 0, 0, 32, 0]}, "qk": {"promote_operands": []}})
    assert merged.tiling == AttentionTiling(TILING.workgroup, (0, 0, 0, 0, 32, 0), TILING.subgroup)
    assert merged.qk.promote_operands == () and merged.qk.mma_kind == QK.mma_kind
    assert (merged.pv, merged.shape) == (PV, SHAPE)


@pytest.mark.parametrize("bad,message", [
    (lambda: CONFIG.merged({"vectorize": {}}), "config vectorize: unknown section"),
    (lambda: CONFIG.merged({"tiling": {"thread": [1]}}), "config tiling.thread: no such AttentionTiling field"),
    (lambda: CONFIG.merged({"tiling": {"reduction": "abc"}}), "tiling.reduction: expected a list of integers"),
    (lambda: CONFIG.merged({"shape": {"subgroup_size": 32.5}}), "shape.subgroup_size: expected an integer, got 32.5"),
    (lambda: CONFIG.merged({"shape": {"workgroup_size": [64, 1]}}), "shape.workgroup_size: expected 3 entries"),
    (lambda: CONFIG.merged({"tiling": {"workgroup": [1, -64]}}), "tiling.workgroup: must be non-negative"),
    (lambda: CONFIG.merged({"qk": {"mma_kind": "MFMA_NOPE"}}), "qk.mma_kind: unknown MMA intrinsic"),
    (lambda: TilefuseConfig.from_dict({"tiling": {}}), "exactly the keys"),
    (lambda: MatmulConfig("MFMA_F32_99x99x99_F16").mma_attr(), "unknown MMA intrinsic 'MFMA_F32_99x99x99_F16'"),
])
def test_bad_configs_are_named(bad, message):
    with pytest.raises(TilefuseError, match=message):
        bad()


@pytest.mark.parametrize("overrides,message", [
    ({"tiling": {"reduction": [0, 0, 0, 0, 48, 0]}}, "tiling.reduction: entry 4 (48) does not divide K2 (128)"),
    ({"tiling": {"reduction": [0, 0, 0, 0, 256, 0]}}, "tiling.reduction: entry 4 (256) is larger than K2 (128)"),
    ({"tiling": {"reduction": [0, 0, 0, 32, 0]}}, "tiling.reduction: has 5 entries; this attention op has 6"),
    ({"tiling": {"reduction": [0, 0, 8, 0, 0, 0]}}, "tiling.reduction: entry 2 (8) tiles dim 2, not K2"),
    ({"tiling": {"subgroup": [0, 0, 48, 0, 0, 0]}}, "tiling.subgroup: entry 2 (48) does not divide dim 2 (64)"),
    ({"qk": {"subgroup_mapping": [0, 1, 2, 3, 9]}}, "qk.subgroup_mapping: dim 9 is not one of the op's 6 dims"),
    ({"shape": {"workgroup_size": [96, 1, 1]}}, "shape.workgroup_size: [96, 1, 1]: a workgroup is whole subgroups"),
])
def test_overrides_that_do_not_fit_the_op_name_the_field(overrides, message):
    """What configure checks once it knows the dispatch's attention op (sizes per iteration dim, K2 = dim 4)."""
    merged = CONFIG.merged(overrides)
    with pytest.raises(ConfigError, match=re.escape(message)):
        merged.check_fits((2, 8, 128, 64, 128, 64), (4,), overridden(overrides))
    CONFIG.check_fits((2, 8, 128, 64, 128, 64), (4,), set())  # the fields not given are not the user's
