"""The tilefuse path as one transform library that stock iree-compile runs without tilefuse: the tilefuse-vd
variant, whose stages after configure are all transform-dialect sequences (the tilefuse path's lane stage is a
Python pass; its later `lower` sequence runs in stock iree-opt, tests/lit/tilefuse/lower.mlir)."""

import pytest

from compile_targets import FULL_COMPILE_TARGETS
from tilefuse.driver import compile_file, plain_compile
from tilefuse.suite import get_problem

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
@pytest.mark.parametrize("name", ["mha_f16_d64", "gqa_bf16_d128"])
def test_stock_iree_compile_runs_the_strategy(tmp_path, name, target):
    src = tmp_path / "input.mlir"
    src.write_text(get_problem(name).to_mlir())
    ours = compile_file(src, target, "tilefuse-vd", tmp_path / "tf.vmfb", tmp_path / "tf")
    assert ours.ok, ours.error
    (d,) = ours.dispatches
    strategy = tmp_path / "tf" / d.config["strategy"]
    text = strategy.read_text()
    assert "@__kernel_config" in text and "tilefuse_thread_distribute" in text
    # Plain iree-compile with the library: IREE itself runs the sequences (no tilefuse code involved).
    theirs = plain_compile(src, target, tmp_path / "ic.vmfb", tmp_path / "ic",
                           extra_flags=[f"--iree-codegen-transform-dialect-library={strategy}@__kernel_config"])
    assert theirs.dispatches[0].isa == d.isa
    stock = plain_compile(src, target, tmp_path / "st.vmfb", tmp_path / "st")
    assert stock.dispatches[0].isa != d.isa  # the library really changed what IREE generated


def test_a_path_with_a_python_stage_after_configure_has_no_strategy(tmp_path):
    src = tmp_path / "input.mlir"
    src.write_text(get_problem("mha_f16_d64").to_mlir())
    report = compile_file(src, "gfx942", "tilefuse", tmp_path / "tf.vmfb", tmp_path / "tf")
    assert report.ok, report.error
    assert "strategy" not in report.dispatches[0].config
    assert not (tmp_path / "tf" / "strategies").exists()
