"""`tilefuse.tools.xdsl.gui`: xdsl-gui on a tilefuse snapshot, driven headless through Textual's `App.run_test`.

Plain sync tests that run `asyncio.run(...)` (no pytest-asyncio). The `gui` extra (textual, pyclip) is installed
in CI; `importorskip` only guards machines without it.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

pytest.importorskip("textual")
pytest.importorskip("pyclip")

from tilefuse.errors import TilefuseError  # noqa: E402
from tilefuse.tools.xdsl import gui  # noqa: E402

pytestmark = pytest.mark.slow

STAGE_PASS = 'tilefuse-stage{stage="decompose"}'


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory) -> Path:
    """The reduction-tile snapshot of a 64x128x64 attention (two K2 steps) through path tilefuse on gfx942."""
    from tilefuse.driver.compile import CompileOptions, compile_file
    from tilefuse.problem import AttentionProblem

    tmp = tmp_path_factory.mktemp("gui")
    source = tmp / "g.mlir"
    source.write_text(AttentionProblem(name="g", batch=1, heads=1, m=64, k2=128, k1=64).to_mlir())
    dump_dir = tmp / "g.dump"
    report = compile_file(source, CompileOptions("gfx942", "tilefuse", tmp / "g.vmfb", dump_dir))
    assert report.ok, report.error
    return dump_dir / [s.snapshot for s in report.dispatches[0].stages if s.name == "reduction-tile"][0]


def _child(node, label: str):
    for child in node.children:
        if str(child.label) == label:
            return child
    raise AssertionError(f"no pass {label!r} under {node.label}: {[str(c.label) for c in node.children][:20]}")


async def _select(app, pilot, label: str) -> None:
    """Clicks (selects) the pass LABEL in the passes tree, as a user does, and waits for the app to settle."""
    app.passes_tree.select_node(_child(app.passes_tree.root, label))
    await pilot.pause()
    await pilot.pause()


def test_gui_stage_then_rewrite(snapshot):
    start = time.perf_counter()
    app = gui.build_app(snapshot.read_text(), "tilefuse", "gfx942", file_path=str(snapshot))

    async def drive():
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            shown = {str(c.label) for c in app.passes_tree.root.children}
            assert {STAGE_PASS, "tilefuse-stage", "tilefuse-row-max-maxnum", "tilefuse-edit-config",
                    "canonicalize"} <= shown
            before = app.output_text_area.text
            assert app.input_text_area.text.lstrip().startswith('"builtin.module"()')  # generic form in
            assert '"iree_linalg_ext.online_attention"' in before and "arith.maximumf" not in before

            await _select(app, pilot, STAGE_PASS)
            assert [str(p.pipeline_pass_spec()) for p in app.pass_pipeline] == [STAGE_PASS]
            decomposed = app.output_text_area.text
            assert "iree_linalg_ext.online_attention" not in decomposed
            assert decomposed.count('"linalg.generic"') > before.count('"linalg.generic"')
            assert '"arith.maximumf"' in decomposed  # the softmax's row max
            assert decomposed.lstrip().startswith('"builtin.module"()')  # generic form out

            # the tree's root is now the last pass; its children are what can follow it
            await _select(app, pilot, "tilefuse-row-max-maxnum")
            assert [p.name for p in app.pass_pipeline] == ["tilefuse-stage", "tilefuse-row-max-maxnum"]
            rewritten = app.output_text_area.text
            assert '"arith.maxnumf"' in rewritten and "arith.maximumf" not in rewritten
            assert "tilefuse-stage" in app.get_query_string() and "tilefuse-row-max-maxnum" in app.get_query_string()

            # op counts name unregistered ops by their own names
            counted = dict(app.input_operation_count_tuple)
            assert "builtin.unregistered" not in counted and counted["iree_linalg_ext.online_attention"] == 1
            return rewritten

    rewritten = asyncio.run(drive())
    # what the output pane shows is what iree-opt reads: IREE parses it
    from tilefuse.tools.xdsl import iree_generic

    assert '"arith.maxnumf"' in iree_generic(rewritten, "the GUI's output")
    assert time.perf_counter() - start < 20


def test_gui_stage_failure_is_one_line(snapshot):
    """A stage that does not apply shows tilefuse's one-line error in the output pane."""
    app = gui.build_app(snapshot.read_text())

    async def drive():
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            await _select(app, pilot, 'tilefuse-stage{stage="thread-distribute"}')
            return app.output_text_area.text

    text = asyncio.run(drive()).strip()
    assert text.startswith('tilefuse-stage{path=tilefuse target=gfx942 stage=thread-distribute}: ') and "\n" not in text


def test_main_errors(tmp_path):
    with pytest.raises(TilefuseError, match="snapshot not found"):
        gui.main(tmp_path / "missing.mlir", "tilefuse", "gfx942")
    bad = tmp_path / "bad.mlir"
    bad.write_text("func.func @f( {\n")
    with pytest.raises(TilefuseError) as e:
        gui.main(bad, "tilefuse", "gfx942")
    assert "\n" not in str(e.value) and "cannot parse" in str(e.value)


def test_unknown_path_or_target(snapshot):
    with pytest.raises(TilefuseError, match="unknown path"):
        gui.build_app(snapshot.read_text(), path="nope")
    with pytest.raises(TilefuseError, match="unknown target"):
        gui.build_app(snapshot.read_text(), target="nope")
