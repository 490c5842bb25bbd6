"""`--fallback` on a program the program stages rewrote (tilefuse/driver/fallback.py): a refused dispatch sends only its
own attention back to the program as written, the other attentions keep their rewrites and stay the path's; the
whole program goes to the fallback only when the refused dispatch cannot be traced to the input's attention ops."""

import pickle
from dataclasses import replace
from pathlib import Path

import iree.compiler.ir as ir
import pytest

from model_files import model
from tilefuse.ir import irutil
from tilefuse.codegen.stages.configure import configure_attention
from tilefuse.driver.compile import CompileOptions, compile_file
from tilefuse.errors import StageError, Unsupported
from tilefuse.driver.fallback import RefusedRewrite, Rewrites, Untraceable, place
from tilefuse.codegen.paths import PROGRAM_STAGES, TILEFUSE, Path as CodegenPath, Stage
from tilefuse.codegen.stage import StageInput, StageResult
from tilefuse.problem import AttentionProblem
from tilefuse.target.targets import get_target


def _function(problem: AttentionProblem, name: str, f32: bool = False) -> str:
    text = problem.to_mlir().split("\n", 1)[1].replace("@attention", f"@{name}")  # (without its problem comment)
    return text.replace("f16", "f32") if f32 else text


# Three attention functions, each rewritten by a program stage: a causal mask dropped, an unaligned one padded,
# and an f32 causal one, whose mask causal-mask drops too but which tilefuse's configure refuses on sm_80 (IREE 3.13
# lists no f32 mma.sync; the fallback tests compile for sm_80).
THREE = "\n".join([
    _function(AttentionProblem(heads=2, m=128, k2=128, k1=64, mask="causal"), "causal"),
    _function(AttentionProblem(heads=2, m=100, k2=100, k1=64), "unaligned"),
    _function(AttentionProblem(heads=2, m=128, k2=128, k1=64, mask="causal"), "f32_causal", f32=True),
])


def _staged(src: Path, keep=frozenset()) -> tuple[ir.Module, list]:
    """The program stages on SRC, parsed from its file as the driver does: (the module, each stage's changed_ops)."""
    stage_input = StageInput(get_target("gfx942"), session=None, keep_as_written=keep)
    module = ir.Module.parseFile(str(src), ir.Context())
    changed = []
    with module.context:
        for stage in PROGRAM_STAGES:
            result = stage.run(module, stage_input)
            stage_input = replace(stage_input, plans={**stage_input.plans, **result.plans})
            changed += result.changed_ops
    return module, changed


def _funcs(module) -> dict[str, str]:
    """Each function's text by name (func.func, or util.func after IREE's input conversion)."""
    return {irutil.sym_name(f): str(f) for f in module.body.operations if "sym_name" in f.attributes}


def test_an_attention_kept_as_written_is_the_input_s_and_the_others_are_rewritten(tmp_path):
    src = tmp_path / "three.mlir"
    src.write_text(THREE)
    written = _funcs(ir.Module.parseFile(str(src), ir.Context()))
    module, changed = _staged(src)
    assert {f for _, f in changed} == {"causal", "unaligned", "f32_causal"}
    # each attention the stages leave keeps its input op's location: what the driver traces a dispatch back by
    origins = {o for o, _ in changed}
    assert {str(op.location) for op in irutil.ops_named(module, "iree_linalg_ext.attention")} == origins
    f32_origin = next(o for o, f in changed if f == "f32_causal")
    module, changed = _staged(src, keep=frozenset({f32_origin}))
    rewritten = _funcs(module)
    assert rewritten["f32_causal"] == written["f32_causal"]
    assert all(rewritten[f] != written[f] for f in ("causal", "unaligned"))
    assert {f for _, f in changed} == {"causal", "unaligned"}


def test_a_stage_that_does_not_say_which_op_it_changed_is_untraceable(tmp_path):
    rewrites = Rewrites.of(tmp_path / "05-split-k2.mlir", None, None,
                           [("pad-to-tiles", [{"padded": [128]}], [("loc(\"x.mlir\":3:5)", "main")]),
                            ("a-test-stage", [{"changed": 1}], None)])
    assert rewrites.ops['loc("x.mlir":3:5)'].changes == [{"stage": "pad-to-tiles", "padded": [128]}]
    with pytest.raises(Untraceable, match="'a-test-stage' does not say which attention op it changed"):
        rewrites.carried_by(None)


def test_the_refusal_pickles_and_the_place_reads_relative_to_the_dump(tmp_path):
    error = StageError("configure", "f32 attention", "f32_causal_dispatch_0")
    refused = pickle.loads(pickle.dumps(RefusedRewrite(error, ['loc("/d/program/00-input.mlir":43:10)'])))
    assert str(refused.error) == str(error) and refused.origins == ['loc("/d/program/00-input.mlir":43:10)']
    assert place(refused.origins[0], Path("/d")) == "program/00-input.mlir:43:10"


@pytest.mark.slow
def test_a_refused_function_goes_to_stock_and_the_others_keep_their_rewrites(tmp_path):
    src = tmp_path / "three.mlir"
    src.write_text(THREE)
    report = compile_file(src, CompileOptions("sm_80", "tilefuse", tmp_path / "o.vmfb", tmp_path / "d", fallback="stock"))
    assert report.ok, report.error
    assert report.program_fallback is None
    (reverted,) = report.attention_fallbacks
    assert reverted["function"] == "f32_causal" and reverted["attention"].startswith("program/00-input.mlir:")
    assert "no MMA intrinsic for f32 operands" in reverted["reason"]
    assert [c["stage"] for c in reverted["undone"]] == ["causal-mask"]
    # the other two keep their rewrites in the program IREE compiled, and their attention is the path's, with MMA
    changes = {s.name: s.changes for s in report.program_stages}
    assert len(changes["causal-mask"]) == 1 and len(changes["pad-to-tiles"]) == 1
    attention = {d.name.rsplit("_dispatch", 1)[0]: d for d in report.dispatches if d.has_attention}
    for name in ("causal", "unaligned"):
        d = attention[name]
        assert d.lowered_by == "path" and d.fallback is None and d.isa.mma_ops > 0, name
    # the refused one is stock's, on its function as written: the program IREE compiled has the input's function
    # (its kernel is not plain iree-compile's of the input: IREE shares the causal mask of two functions there,
    # and the program compiled has one causal mask left)
    refused = attention["f32_causal"]
    assert refused.fallback["to"] == "stock" and "no MMA intrinsic for f32 operands" in refused.fallback["reason"]
    assert refused.pipeline == "VectorDistribute"  # stock's, without MMA: sm_80 has no f32 MMA either
    written, compiled = (_funcs(ir.Module.parseFile(str(f), ir.Context()))
                         for f in (tmp_path / "d" / "program" / "00-input.mlir", Path(report.program)))
    assert compiled["f32_causal"] == written["f32_causal"] and compiled["causal"] != written["causal"]


def _refusing_first_attention() -> CodegenPath:
    """The tilefuse path whose configure refuses the first attention dispatch it sees in each lowering of the
    program: the driver lowers a program's dispatches in one forked child, in program order, so each compile of the
    model (the one that refuses layer 0's rewritten attention, then the one with it as written) refuses layer 0's
    and no other."""
    seen = []

    def configure(module, stage_input):
        if not seen and any(irutil.ops_named(module, op) for op in ("iree_linalg_ext.attention",
                                                                       "iree_linalg_ext.online_attention")):
            seen.append(True)
            raise Unsupported("refused by the test")
        return configure_attention(module, stage_input, share_kv=True)
    stock = TILEFUSE.stage("configure")
    return TILEFUSE.replacing("tilefuse-refusing", {"configure": Stage(
        "configure", python=configure, uses=stock.uses, runs=stock.runs, configures=True, reads_config=True)})


@pytest.mark.slow
def test_one_refused_attention_of_a_model_leaves_the_other_layer_on_tilefuse(tmp_path):
    """A 2-layer Llama (GQA through repeat_kv, a causal mask beside the padding mask): layer 0's attention refused
    after unrepeat-kv and causal-mask rewrote it goes to stock as transformers wrote it; layer 1's stays the
    path's, grouped and causal."""
    report = compile_file(model("llama_gqa_prefill"), CompileOptions("gfx942", _refusing_first_attention(), tmp_path / "m.vmfb",
                          tmp_path / "m", fallback="stock"))
    assert report.ok, report.error
    assert report.program_fallback is None
    (reverted,) = report.attention_fallbacks
    assert [c["stage"] for c in reverted["undone"]] == ["unrepeat-kv", "causal-mask"]
    changes = {s.name: s.changes for s in report.program_stages}
    assert len(changes["unrepeat-kv"]) == len(changes["causal-mask"]) == 1  # layer 1's
    layer0, layer1 = [d for d in report.dispatches if d.has_attention]
    assert layer0.fallback["to"] == "stock" and "refused by the test" in layer0.fallback["reason"]
    assert layer1.lowered_by == "path" and layer1.fallback is None and layer1.isa.mma_ops > 0
    assert layer1.config["tilefuse"]["tiling"]["causal"] == 0


def _declaring_nothing(module, stage_input):
    """A program stage that changes the program without saying which attention op (changed_ops)."""
    return StageResult(module, ({"by": "a test stage"},))


@pytest.mark.slow
def test_an_untraceable_refusal_sends_the_whole_program_to_stock(tmp_path):
    src = tmp_path / "three.mlir"
    src.write_text(THREE)
    untraceable = CodegenPath("tilefuse-untraceable", TILEFUSE.stages, TILEFUSE.pipeline,
                              [*TILEFUSE.program_stages, Stage("a-test-stage", python=_declaring_nothing)])
    report = compile_file(src, CompileOptions("sm_80", untraceable, tmp_path / "o.vmfb", tmp_path / "d", fallback="stock"))
    assert report.ok, report.error
    assert report.attention_fallbacks == [] and report.program_stages == [] and report.program == str(src)
    assert "'a-test-stage' does not say which attention op it changed" in report.program_fallback["reason"]
    assert all(d.fallback["to"] == "stock" for d in report.dispatches)
