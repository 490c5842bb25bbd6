"""Native faults stay contained (tilefuse/driver/contain.py): a dispatch's stages run in a forked child, so a crash
inside IREE's passes (SIGFPE, SIGSEGV, abort) fails that dispatch's stage like any other stage: one line naming the
dispatch and the stage, exit 1, the report written, and `--fallback` lowers the dispatch another way. The crashes
here are injected by a stage that kills its own process, so the tests do not depend on an IREE bug; the last one
is the IREE bug itself (stock's configure on run-time head dims, which the tilefuse path refuses by name)."""

import faulthandler
import json
import os
import pickle
import signal
import sys
from pathlib import Path

import pytest

from tilefuse.codegen import paths
from tilefuse.driver.contain import map_contained
from tilefuse.driver.compile import CompileOptions, compile_file
from tilefuse.errors import ConfigError, StageError, TilefuseError, Unsupported
from tilefuse.codegen.paths import Stage
from tilefuse.tools.suite import get_problem


DYNAMIC_ATTENTION = Path(__file__).parent / "fixtures" / "programs" / "dynamic_attention.mlir"


def _die(sig: signal.Signals) -> None:
    faulthandler.disable()  # (pytest's would print this child's stack to the terminal)
    os.abort() if sig == signal.SIGABRT else os.kill(os.getpid(), sig)


CRASHES = {s.name: (lambda s=s: _die(s)) for s in (signal.SIGFPE, signal.SIGSEGV, signal.SIGABRT)}


def _crashing(name: str, stage: str = "decompose", path: paths.Path = paths.TILEFUSE) -> paths.Path:
    """PATH with STAGE replaced by one that dies of signal NAME, as IREE's passes may."""
    def crash(module, stage_input):
        CRASHES[name]()
    return path.replacing(path.name, {stage: Stage(stage, python=crash)})


@pytest.fixture
def problem(tmp_path):
    src = tmp_path / "p.mlir"
    src.write_text(get_problem("mha_f16_d64").small().to_mlir())
    return src


def _run(work, on_crash=None, items=("d",)):
    """map_contained over ITEMS (dispatch names); a crash is raised unless ON_CRASH says otherwise."""
    def reraise(error, crashed):
        raise error
    return map_contained(list(items), work, on_crash or reraise, lambda item: item)


def test_values_and_exceptions_come_back_from_the_child():
    pids = _run(lambda item, mark, crashed: os.getpid(), items=("a", "b", "c"))
    assert len(set(pids)) == 1 and pids[0] != os.getpid()  # one child for all items
    for error in (StageError("configure", "no", "d", "tiling.reduction"), ConfigError("tiling.workgroup", "bad"),
                  TilefuseError("bad input"), Unsupported("f32 operands"), ValueError("a bug")):
        def fail(item, mark, crashed, error=error):
            raise error
        with pytest.raises(type(error)) as raised:
            _run(fail)
        assert str(raised.value) == str(error) and getattr(raised.value, "field", None) == getattr(error, "field", None)
        assert "per-program child process" in "".join(raised.value.__notes__)  # where it was raised


def test_errors_pickle_by_their_arguments():
    e = pickle.loads(pickle.dumps(StageError("lower", "bad", "attention_dispatch_0", "tiling.reduction")))
    assert (e.stage, e.dispatch, e.field, str(e)) == ("lower", "attention_dispatch_0", "tiling.reduction",
                                                       "stage 'lower' failed: attention_dispatch_0: bad")


@pytest.mark.parametrize("name", CRASHES)
def test_a_crash_is_the_stage_it_happened_in(name):
    def work(item, mark, crashed):
        mark("configure")
        mark("vectorize")
        CRASHES[name]()
    with pytest.raises(StageError) as raised:
        _run(work, items=["attention_dispatch_0"])
    e = raised.value
    assert (e.stage, e.dispatch, e.field) == ("vectorize", "attention_dispatch_0", None)
    assert f"IREE crashed with {name}" in str(e)


def test_after_a_crash_a_new_child_goes_on_from_the_crashed_item():
    """b crashes once: a, then b again (told why), then c; the crash handler sees each death."""
    deaths = []

    def work(item, mark, crashed):
        if item == "b" and crashed is None:
            mark("decompose")
            CRASHES["SIGSEGV"]()
        return item, crashed.stage if crashed else None, os.getpid()

    def on_crash(error, crashed):
        deaths.append((error.dispatch, error.stage, crashed))
        return error
    out = _run(work, on_crash, items=("a", "b", "c"))
    assert [o[:2] for o in out] == [("a", None), ("b", "decompose"), ("c", None)]
    assert out[0][2] != out[1][2] == out[2][2] and deaths == [("b", "decompose", None)]


def test_a_crashing_stage_fails_the_compile_with_a_report(tmp_path, problem):
    report = compile_file(problem, CompileOptions("gfx942", _crashing("SIGFPE"), tmp_path / "o.vmfb", tmp_path / "d"))
    assert not report.ok and report.failed_stage == "decompose"
    written = json.loads((tmp_path / "d" / "report.json").read_text())
    assert written["ok"] is False and written["failed_stage"] == "decompose"
    assert "attention_dispatch_0: IREE crashed with SIGFPE" in written["error"]
    # the stages before it left their snapshots, as a failing stage's dispatch does
    snaps = sorted(p.name for p in (tmp_path / "d" / "stages" / "attention_dispatch_0").iterdir())
    assert snaps[-1] == "11-page-step.mlir"


def test_the_cli_prints_one_line_and_exits_1(tmp_path, problem, cli, monkeypatch):
    monkeypatch.setitem(paths.PATHS, "tilefuse", _crashing("SIGABRT", stage="vectorize"))
    proc = cli("compile", problem, "--path", "tilefuse", "-o", tmp_path / "o.vmfb", "--dump-dir", tmp_path / "d")
    assert proc.returncode == 1
    (line,) = [l for l in proc.stderr.splitlines() if l.startswith("tilefuse:")]
    assert "stage 'vectorize' failed: attention_dispatch_0: IREE crashed with SIGABRT" in line


def test_a_fallback_crashing_after_a_refusal_is_the_fallbacks_crash(tmp_path, problem, monkeypatch):
    """The path refuses the dispatch (an exception, in the child), then the fallback crashes: the error says the
    fallback crashed after a refusal, at once (not retried as if the path had crashed, nor charged to it)."""
    def refuse(module, stage_input):
        raise Unsupported("run-time head dims")
    refusing = paths.TILEFUSE.replacing("tilefuse", {"configure": Stage("configure", python=refuse, configures=True)})
    monkeypatch.setitem(paths.PATHS, "stock", _crashing("SIGFPE", "decompose", paths.STOCK))
    report = compile_file(problem, CompileOptions("gfx942", refusing, tmp_path / "o.vmfb", tmp_path / "d",
                                                  fallback="stock"))
    assert not report.ok and report.failed_stage == "decompose"
    assert report.error == ("stage 'decompose' failed: attention_dispatch_0: IREE crashed with SIGFPE (Floating point "
                            "exception) in this stage (the stock fallback, after the tilefuse path's 'configure': "
                            "run-time head dims)")


@pytest.mark.slow
def test_fallback_lowers_the_crashed_dispatch(tmp_path, problem):
    report = compile_file(problem, CompileOptions("gfx942", _crashing("SIGSEGV"), tmp_path / "o.vmfb", tmp_path / "d",
                                                  fallback="stock"))
    assert report.ok, report.error
    (d,) = report.dispatches
    assert d.fallback["to"] == "stock" and "IREE crashed with SIGSEGV" in d.fallback["reason"]
    assert d.isa.mma_ops > 0 and (tmp_path / "o.vmfb").stat().st_size > 0


@pytest.mark.slow
def test_a_crash_in_a_rewritten_attention_puts_it_back_before_the_fallback(tmp_path):
    """causal-mask moved the causal mask into the op's region, which stock would not apply: the crashed dispatch's
    attention is put back as written (its mask an operand again), and the fallback lowers that."""
    src = tmp_path / "c.mlir"
    src.write_text(get_problem("causal_f16_d128").small().to_mlir())
    report = compile_file(src, CompileOptions("gfx942", _crashing("SIGSEGV"), tmp_path / "o.vmfb", tmp_path / "d", fallback="stock"))
    assert report.ok, report.error
    (reverted,) = report.attention_fallbacks
    assert "IREE crashed with SIGSEGV" in reverted["reason"] and [c["stage"] for c in reverted["undone"]] == ["causal-mask"]
    (d,) = [d for d in report.dispatches if d.has_attention]
    assert d.fallback["to"] == "stock" and "IREE crashed with SIGSEGV" in d.fallback["reason"] and d.isa.mma_ops > 0


@pytest.fixture
def quiet_crashes():
    """No Python stack printed by the children IREE kills (pytest enables faulthandler, and children inherit it)."""
    faulthandler.disable()
    yield
    faulthandler.enable(file=sys.__stderr__)


@pytest.mark.slow
@pytest.mark.parametrize("path,target", [("stock", "gfx942"), ("tilefuse", "sm_80")])
def test_iree_crashing_on_a_dynamic_attention_is_contained(tmp_path, cli, path, target, quiet_crashes):
    """IREE's configure divides by a run-time head dim (SIGFPE, in setAttentionReductionConfig): stock crashes,
    and so does stock as the fallback of the tilefuse path where it refuses the dispatch (sm_80: no f32 MMA; on
    gfx942 the tilefuse path lowers it: tests/test_dynamic_f32.py); either way one line, and the report is
    written."""
    proc = cli("compile", DYNAMIC_ATTENTION, "--path", path, "--fallback", "stock", "--target", target,
               "-o", tmp_path / "o.vmfb", "--dump-dir", tmp_path / "d")
    assert proc.returncode == 1
    (line,) = [l for l in proc.stderr.splitlines() if l.startswith("tilefuse:")]
    assert "stage 'configure' failed: dynamic_attention_dispatch_0: IREE crashed with SIGFPE" in line
    assert line.endswith({"stock": "(the stock fallback, after the stock path's 'configure': IREE crashed with "
                                   "SIGFPE (Floating point exception) in this stage)",
                          "tilefuse": "(the stock fallback, after the tilefuse path's 'configure': the target has "
                                      "no MMA intrinsic for f32 operands with f32 accumulation)"}[path])
    written = json.loads((tmp_path / "d" / "report.json").read_text())
    assert written["ok"] is False and written["failed_stage"] == "configure"
