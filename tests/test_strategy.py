"""The tilefuse path as one transform library that stock iree-compile runs without tilefuse: the tilefuse-vd
variant, whose stages after configure are all transform-dialect sequences (the tilefuse path's lane stage is a
Python pass; its later `lower` sequence runs in stock iree-opt, tests/lit/tilefuse/lower.mlir)."""

import pytest

from compile_targets import FULL_COMPILE_TARGETS
from tilefuse.driver.compile import CompileOptions, compile_file, plain_compile
from tilefuse.tools.suite import get_problem

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
@pytest.mark.parametrize("name", ["mha_f16_d64", "gqa_bf16_d128"])
def test_stock_iree_compile_runs_the_strategy(tmp_path, name, target):
    src = tmp_path / "input.mlir"
    src.write_text(get_problem(name).to_mlir())
    ours = compile_file(src, CompileOptions(target, "tilefuse-vd", tmp_path / "tf.vmfb", tmp_path / "tf"))
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
    report = compile_file(src, CompileOptions("gfx942", "tilefuse", tmp_path / "tf.vmfb", tmp_path / "tf"))
    assert report.ok, report.error
    assert "strategy" not in report.dispatches[0].config
    assert not (tmp_path / "tf" / "strategies").exists()


@pytest.fixture(scope="module")
def padded_clip(tmp_path_factory):
    """clip_f16_s77 through tilefuse-vd: pad-to-tiles makes it a program of copy dispatches around the padded
    attention, and the strategy is the attention dispatch's."""
    tmp = tmp_path_factory.mktemp("clip")
    src = tmp / "input.mlir"
    src.write_text(get_problem("clip_f16_s77").to_mlir())
    report = compile_file(src, CompileOptions("gfx942", "tilefuse-vd", tmp / "tf.vmfb", tmp / "tf"))
    assert report.ok, report.error
    return tmp, report


def test_a_strategy_configures_only_its_own_dispatch(padded_clip):
    """Plain iree-compile of the padded program with the strategy: the attention dispatch is tilefuse-vd's, every
    other dispatch is exactly IREE's own (the same ISA as plain iree-compile without the strategy)."""
    tmp, ours = padded_clip
    (d,) = [d for d in ours.dispatches if d.config.get("strategy")]
    strategy = tmp / "tf" / d.config["strategy"]
    program = ours.program  # the padded program, the one the strategy's dispatch comes from
    theirs = plain_compile(program, "gfx942", tmp / "ic.vmfb", tmp / "ic",
                           extra_flags=[f"--iree-codegen-transform-dialect-library={strategy}@__kernel_config"])
    plain = plain_compile(program, "gfx942", tmp / "st.vmfb", tmp / "st")
    assert len(theirs.dispatches) > 1 and [x.name for x in theirs.dispatches] == [x.name for x in plain.dispatches]
    for with_strategy, without in zip(theirs.dispatches, plain.dispatches):
        if with_strategy.name == d.name:
            assert with_strategy.isa == d.isa and without.isa != d.isa
        else:
            assert with_strategy.isa == without.isa, with_strategy.name
            # and IREE's code is really there (the dumps hold the same kernel text, not only the same counts)
            assert (tmp / "ic" / "executables").is_dir()
