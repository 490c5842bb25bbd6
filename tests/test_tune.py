"""tilefuse tune's parts that need no compile: the space, each path's config form, the spec, the db, the table."""

import json
from dataclasses import replace

import pytest

from tilefuse.codegen.config import TilefuseConfig
from tilefuse.target.targets import get_target
from tilefuse.tools.tune import db, table
from tilefuse.tools.tune.configs import StockForm, TilefuseForm
from tilefuse.tools.tune.space import Space
from tilefuse.tools.tune.stock import StockConfig, tuning_spec

# What the heuristics choose for mha_f16_d64 on gfx942 (report.json's config.tilefuse), and stock's config
TILEFUSE = {"tiling": {"workgroup": [1, 64, 0, 0, 64], "reduction": [0, 0, 0, 64, 0], "subgroup": [0, 16, 0, 0, 0],
                       "promote_operands": [], "causal": None, "causal_period": None,
                       "k2_splits": None, "k2_split_place": None, "causal_window": None, "kernel_heads": None},
            "qk": {"mma_kind": "VMFMA_F32_16x16x32_F16", "col_major": True, "subgroup_counts": [1, 1, 1, 1, 1],
                   "subgroup_mapping": [0, 1, 2, 3], "promote_operands": [1]},
            "pv": {"mma_kind": "MFMA_F32_16x16x16_F16", "col_major": True, "subgroup_counts": [1, 1, 1, 1, 1],
                   "subgroup_mapping": [0, 1, 3, 4], "promote_operands": [1]},
            "shape": {"workgroup_size": [64, 4, 1], "subgroup_size": 64, "min_workgroups_per_sm": None}}
STOCK = {"workgroup": [1, 64, 0, 0, 64], "reduction": [0, 0, 0, 64, 0], "promote_operands": [0, 1, 2],
         "qk": {"mma_kind": "VMFMA_F32_16x16x32_F16", "col_major": True, "subgroup_counts": [1, 4, 1, 1, 1],
                "subgroup_mapping": [0, 1, 2, 3], "promote_operands": [0, 1]},
         "pv": {"mma_kind": "MFMA_F32_16x16x16_F16", "col_major": True, "subgroup_counts": [1, 4, 1, 1, 1],
                "subgroup_mapping": [0, 1, 3, 4], "promote_operands": [1]},
         "workgroup_size": [256, 1, 1], "subgroup_size": 64,
         "configuration": '{iree_codegen.denormal_fp_math_f32 = #iree_codegen.denormal_fp_math<"preserve-sign">}',
         "operand_types": ["tensor<32x2048x64xf16>"] * 3}
SIZES = {"m": 2048, "k1": 64, "k2": 2048, "n": 64}
SMALL = {"m": 128, "k1": 64, "k2": 128, "n": 64}


def _space(form, can_share=True):
    return Space(get_target("gfx942"), "f16", form.point(), form.roles, SMALL, None, can_share)


@pytest.mark.parametrize("form", [TilefuseForm(TilefuseConfig.from_dict(TILEFUSE), SIZES, get_target("gfx942")),
                                  StockForm(StockConfig.from_dict(STOCK), SIZES, get_target("gfx942"))],
                         ids=["tilefuse", "stock"])
def test_the_default_point_gives_back_the_default_config(form):
    point = form.point()
    assert (point.subgroups, point.rows, point.k2_tile, point.n_tile) == (4, 1, 64, 64)
    default = TILEFUSE if isinstance(form, TilefuseForm) else STOCK
    assert form.config(point) == default


def test_neighbours_move_one_knob_and_keep_to_what_divides():
    form = TilefuseForm(TilefuseConfig.from_dict(TILEFUSE), SIZES, get_target("gfx942"))
    space = _space(form)
    # gfx942 f16: every pair that keeps P in registers, the heuristic's first
    assert space.pairs[0] == ("VMFMA_F32_16x16x32_F16", "MFMA_F32_16x16x16_F16", True)
    assert ("VMFMA_F32_32x32x16_F16", "MFMA_F32_32x32x8_F16", True) in space.pairs
    for q in space.neighbours(space.default):
        assert len(q.diff(space.default)) == 1 and space.invalid(q) is None
    # 8 subgroups of 2 row tiles is 256 rows: more than the small version's 128
    big = replace(space.default, subgroups=8, rows=2)
    assert "small version" in space.invalid(big)
    assert "share" in space.invalid(replace(space.default, subgroups=1))
    config = TilefuseConfig.from_dict(form.config(replace(space.default, subgroups=8, share=False)))
    assert config.tiling.workgroup[1] == 128 and config.shape.workgroup_size == (64, 8, 1)
    assert config.qk.promote_operands == () and config.pv.promote_operands == ()


def test_stock_subgroups_are_its_basis_and_workgroup_width():
    form = StockForm(StockConfig.from_dict(STOCK), SIZES, get_target("gfx942"))
    c = StockConfig.from_dict(form.config(replace(form.point(), subgroups=2, k2_tile=32)))
    assert c.qk.subgroup_counts == (1, 2, 1, 1, 1) and c.workgroup == (1, 32, 0, 0, 64)
    assert c.workgroup_size == (128, 1, 1) and c.reduction == (0, 0, 0, 32, 0)
    assert not any(q.share for q in _space(form, can_share=False).neighbours(form.point()))


def test_tuning_spec_matches_the_attention_op_by_its_operand_types():
    import iree.compiler.ir as ir
    with ir.Context():
        spec = str(tuning_spec([StockConfig.from_dict(STOCK)]))
    assert "iree_codegen.tuning_spec_with_default_entrypoint" in spec
    assert "@__kernel_config" in spec and "iree_codegen.tuning_spec_entrypoint" in spec
    assert 'transform.match.operation_name %arg0 ["iree_linalg_ext.online_attention"]' in spec
    assert spec.count("cast_compatible_type") == 3 and "tensor<32x2048x64xf16>" in spec
    assert '"compilation_info"' in spec and '"decomposition_config"' in spec


def _outcome(signature):
    score = {"kind": "estimate", "seconds": 66.8e-6, "machine": "MI300X"}
    return {"problem": "mha", "signature": signature, "input": "mha.mlir", "target": "gfx942", "path": "tilefuse",
            "score_kind": "estimate", "evaluated": 16, "pruned_before_compile": 3,
            "default": {"score": score, "verify": "ok"},
            "best": {"config": TILEFUSE, "score": {**score, "seconds": 33.4e-6}, "verify": "ok"},
            "change": {"subgroups": [4, 8]}}


def test_the_config_db_applies_an_entry_and_says_when_it_has_none(tmp_path):
    from tilefuse.problem import AttentionProblem
    from tilefuse.tools.tune.signature import problem_signature
    src = tmp_path / "mha.mlir"
    src.write_text(AttentionProblem("mha", batch=2, heads=16, m=2048, k2=2048, k1=64).to_mlir())
    signature = problem_signature(src)
    assert signature == "attention f16 B2 H16 M2048 K22048 K164 N64 mask=none layout=4d epilogue=none"
    best = tmp_path / "best.json"
    db.record(best, _outcome(signature))
    assert db.configured(best, src, "gfx942", "tilefuse") == ("tilefuse", TILEFUSE)
    said = []
    assert db.lookup(best, src, "sm_80", "tilefuse", log=said.append) is None
    assert len(said) == 1 and "no entry" in said[0] and "sm_80/tilefuse" in said[0]
    assert json.loads(best.read_text())["entries"][signature]["gfx942/tilefuse"]["change"] == {"subgroups": [4, 8]}


def test_the_table_shows_default_best_change_and_verdict():
    text = table.render([_outcome("s")])
    assert "66.80" in text and "33.40" in text and "2.00x" in text and "subgroups 4->8" in text
    assert "16 (+3 pruned)" in text


@pytest.mark.parametrize("args, words", [
    (["--path", "hint"], ["no tunable config"]),
    (["--path", "tilefuse", "--spec", "s.mlir"], ["--spec", "--path stock"]),
    (["--executor", "local", "--ray-address", "h:6379"], ["--ray-address needs --executor ray"]),
])
def test_tune_refuses_what_it_cannot_do_in_one_line(tmp_path, capsys, args, words):
    from tilefuse.cli import main
    src = tmp_path / "a.mlir"
    src.write_text("module {}\n")  # the arguments are refused before the input is read as a problem
    assert main(["tune", str(src), "-o", str(tmp_path / "best.json"), "--cache-dir", str(tmp_path), *args]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("tilefuse: error:") and all(w in line for w in words), line
