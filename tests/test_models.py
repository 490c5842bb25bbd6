"""Whole transformers models as users export them (tests/fixtures/models): every static one compiles on the stock
and tilefuse paths, and stock is still IREE's own code on them."""

import pytest

from compile_targets import across_targets
from model_files import STATIC, model
from tilefuse.driver.compile import CompileOptions, compile_file, plain_compile

pytestmark = pytest.mark.slow


def test_stock_is_plain_iree_compile_on_a_model_with_inlined_weights(tmp_path):
    """A dispatch that reads an inlined weight (a dense_resource blob) keeps the blob through the stages and the
    hand-off: the executable was once re-parsed from its own printout, which drops the blobs, and IREE then failed
    with "resource does not exist"."""
    src = model("llama_gqa_prefill")
    stock = compile_file(src, CompileOptions("gfx942", "stock", tmp_path / "s.vmfb", tmp_path / "s"))
    plain = plain_compile(src, "gfx942", tmp_path / "p.vmfb", tmp_path / "p")
    assert stock.ok, stock.error
    assert [d.isa for d in stock.dispatches] == [d.isa for d in plain.dispatches]
    assert sum(d.lowered_by == "path" for d in stock.dispatches) >= 2
    # The rotary tables the model computes from its weights: dispatched by util.initializers only (IREE names
    # such dispatches after their initializer), so run once at load and left out of a call's estimate
    at_load = [d.name for d in stock.dispatches if d.runs_at_load]
    assert at_load and all(n.startswith("_initializer_") for n in at_load)
    assert not any(d.runs_at_load for d in stock.dispatches if d.has_attention)


@pytest.mark.parametrize("name,path,target", across_targets(STATIC, ["stock", "tilefuse"]))
def test_every_static_model_compiles(name, path, target, tmp_path):
    report = compile_file(model(name), CompileOptions(target, path, tmp_path / "m.vmfb", tmp_path / "m", fallback="stock"))
    assert report.ok, report.error
    attention = [d for d in report.dispatches if d.has_attention]
    assert attention, "the model's attention formed no dispatch"
