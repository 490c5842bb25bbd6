"""The stock path is IREE's own VectorDistribute lowering, cut into stages: same ISA as plain iree-compile."""

import pytest

from compile_targets import FULL_COMPILE_TARGETS
from tilefuse.driver.compile import CompileOptions, compile_file, plain_compile
from tilefuse.codegen.paths import STOCK, Path
from tilefuse.tools.suite import CORE

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
@pytest.mark.parametrize("problem", CORE, ids=lambda p: p.name)
def test_stock_isa_identical_to_plain_iree_compile(problem, target, tmp_path):
    src = tmp_path / "input.mlir"
    src.write_text(problem.to_mlir())
    stock = compile_file(src, CompileOptions(target, "stock", tmp_path / "stock.vmfb", tmp_path / "stock"))
    plain = plain_compile(src, target, tmp_path / "plain.vmfb", tmp_path / "plain")
    assert stock.ok, stock.error
    assert [d.name for d in stock.dispatches] == [d.name for d in plain.dispatches]
    for ours, theirs in zip(stock.dispatches, plain.dispatches):
        assert ours.isa == theirs.isa, ours.name
    (att,) = [d for d in stock.dispatches if d.has_attention]
    # The attention dispatch really went through our stages and the hand-off, not IREE's pipeline.
    assert att.lowered_by == "path" and att.pipeline == "VectorDistribute"
    assert [s.name for s in att.stages] == STOCK.stage_names()
    handoff = (tmp_path / "stock" / "handoff" / f"{att.name}.mlir").read_text()
    assert "#iree_codegen.no_pipeline" in handoff
    if problem.k2 % 64 == 0 and problem.m % 64 == 0:
        assert att.isa.mma_ops > 0


def test_handoff_is_what_iree_serializes(tmp_path):
    """Negative control: IREE serializes the handed-off IR, so the identity above is not vacuous."""
    src = tmp_path / "input.mlir"
    src.write_text(CORE[0].to_mlir())
    skipping = Path("stock-without-reduction-tile", [s for s in STOCK.stages if s.name != "reduction-tile"],
                    STOCK.pipeline)
    report = compile_file(src, CompileOptions("gfx942", skipping, tmp_path / "x.vmfb", tmp_path / "x"))
    # Without K2 tiling the whole 2048-key K and V tiles are promoted: IREE rejects exactly our IR.
    assert not report.ok
    assert report.error.startswith("stage 'hand-off' failed")
    assert "bytes of shared memory; exceeded the limit of 65536" in report.error


@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
def test_stock_is_plain_iree_compile_on_a_dynamic_k2(target, tmp_path):
    """K/V of run-time length: IREE's config leaves private accumulators (the run-time K2 loop's carried values),
    which the in-process bufferize stage (the registered pass) allocates with memref.alloc and iree-compile's own
    allocation function puts on the stack. The hand-off puts them on the stack too: the same ISA."""
    from tilefuse.problem import AttentionProblem

    text = AttentionProblem(heads=1, m=1, k2=64, k1=16).to_mlir().split("\n", 1)[1].replace("1x1x64x16", "1x1x?x16")
    assert text.count("tensor<1x1x?x16xf16>") >= 4
    src = tmp_path / "dynamic.mlir"
    src.write_text(text)
    stock = compile_file(src, CompileOptions(target, "stock", tmp_path / "s.vmfb", tmp_path / "s"))
    plain = plain_compile(src, target, tmp_path / "p.vmfb", tmp_path / "p")
    assert stock.ok, stock.error
    assert [d.isa for d in stock.dispatches] == [d.isa for d in plain.dispatches]
    (att,) = [d for d in stock.dispatches if d.has_attention]
    assert att.lowered_by == "path"
    handoff = (tmp_path / "s" / "handoff" / f"{att.name}.mlir").read_text()
    assert "memref.alloca" in handoff and "address_space<private>>" in handoff


@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
def test_going_on_from_the_printed_sources_is_iree_compile_byte_for_byte(target, tmp_path):
    """The driver's final compile starts from the front end's printed executable sources (driver.TO_SOURCES); with
    their locations printed that is the vmfb a plain `iree-compile IN` writes."""
    from tilefuse.driver.compile import SOURCES, TO_SOURCES, front_end
    from tilefuse.target.iree_tools import iree_compile
    from tilefuse.tools.suite import get_problem
    from tilefuse.target.targets import get_target
    flags = get_target(target).flags
    src = tmp_path / "input.mlir"
    src.write_text(get_problem("gqa_bf16_d128").small().to_mlir())
    front_end(src, [*flags, *TO_SOURCES], tmp_path / SOURCES)
    iree_compile([tmp_path / SOURCES, *flags, "--compile-from=executable-sources", "-o", tmp_path / "two.vmfb"], "two")
    iree_compile([src, *flags, "-o", tmp_path / "one.vmfb"], "one")
    assert (tmp_path / "two.vmfb").read_bytes() == (tmp_path / "one.vmfb").read_bytes()
