"""The whole tilefuse path (configure to lower, Python stages included) as one transform script, generated from
tilefuse/codegen/paths.py (`path_script`) and run by `tilefuse-transform-interpreter{path=tilefuse}`
(tilefuse/tools/xdsl/transform_interp.py) in process and through the real `xdsl-opt`, gives the IR `tilefuse compile`
wrote as the dispatch's last snapshot (both read back by IREE's parser). Also pins why xDSL 0.74's own `transform-interpreter` cannot: it sees built-in passes only and
drops options.

The xdsl-opt half needs `tilefuse-transform-interpreter` in an `xdsl.universe` entry point. Until
tilefuse/tools/xdsl/universe.py lists it, the test gives that xdsl-opt a stand-in entry point (a dist-info directory on
PYTHONPATH naming a one-pass universe): the same discovery path, no change to the installed package.

Time: about 20 s (two small compiles, gfx942 and sm_80; three runs of the eleven stages; one xdsl-opt process); the
tests that need the compiles are marked slow, the script's shape and the option handling are not.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from xdsl.context import Context
from xdsl.dialects import get_all_dialects, transform
from xdsl.dialects.builtin import ModuleOp
from xdsl.parser import Parser
from xdsl.passes import ModulePass
from xdsl.transforms.transform_interpreter import TransformInterpreterPass

from compile_targets import FULL_COMPILE_TARGETS
from tilefuse.driver import compile as driver
from tilefuse.codegen.paths import PATHS, get_path
from tilefuse.problem import AttentionProblem
from tilefuse.target.targets import TARGETS
from tilefuse.tools.xdsl import interchange as X
from tilefuse.tools.xdsl.stage_pass import TilefuseStageError
from tilefuse.tools.xdsl.transform_interp import (
    TilefuseTransformError,
    TilefuseTransformInterpreterPass,
    main,
    passes_of,
    path_script,
)

XDSL_OPT = str(Path(sys.executable).with_name("xdsl-opt"))
OPT_FLAGS = ["--allow-unregistered-dialect", "--print-op-generic"]
PASS = "tilefuse-transform-interpreter"


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    """target -> the attention dispatch's snapshot directory of a small problem compiled on the tilefuse path."""
    root = tmp_path_factory.mktemp("xdsl_transform")
    src = root / "t.mlir"
    src.write_text(AttentionProblem(name="t", batch=1, heads=1, m=64, k2=128, k1=64).to_mlir())
    out = {}
    for target in FULL_COMPILE_TARGETS:
        dump = root / target
        report = driver.compile_file(src, driver.CompileOptions(target, "tilefuse", dump / "t.vmfb", dump))
        assert report.ok, report.error
        (d,) = [d for d in report.dispatches if d.has_attention]
        assert [s.name for s in d.stages] == get_path("tilefuse").stage_names()
        out[target] = dump / "stages" / d.name
    return out


def _last(snaps: Path) -> Path:
    (last,) = sorted(snaps.glob("*-lower.mlir"))
    return last


def _parse(text: str, ctx: Context | None = None) -> ModuleOp:
    ctx = ctx or X.make_context()
    if "transform" not in ctx.registered_dialect_names:
        ctx.register_dialect("transform", get_all_dialects()["transform"])
    return Parser(ctx, text).parse_module()


@pytest.mark.parametrize("path", PATHS)
def test_script_is_the_path(path):
    """One sequence per target, each naming the path's stages in order with path/target/stage options."""
    text = path_script(path)
    script = _parse(text)
    seqs = {op.sym_name.data: op for op in script.walk() if isinstance(op, transform.NamedSequenceOp)}
    assert set(seqs) == {f"{path}_{target}" for target in TARGETS}
    X.iree_parse(text, "the script")  # upstream syntax: IREE's parser reads it too
    for name, seq in seqs.items():
        ops = [op for op in seq.walk() if isinstance(op, transform.ApplyRegisteredPassOp)]
        assert {op.pass_name.data for op in ops} == {"tilefuse-stage"}
        opts = [{k: v.data for k, v in op.options.data.items()} for op in ops]
        assert [o["stage"] for o in opts] == get_path(path).stage_names()
        assert all(o["path"] == path and o["target"] == name.removeprefix(f"{path}_") for o in opts)


def test_script_printed_and_path_errors(capsys, tmp_path):
    """`python -m tilefuse.tools.xdsl.transform_interp P` prints the script the pass runs (a copy runs as `library=`); a
    bad path is one line."""
    assert main(["tilefuse"]) == 0 and capsys.readouterr().out == path_script("tilefuse")
    (tmp_path / "s.mlir").write_text(path_script("tilefuse"))
    ctx = X.make_context()
    from_file = TilefuseTransformInterpreterPass(library=str(tmp_path / "s.mlir"))._script(ctx)
    assert str(from_file) == str(TilefuseTransformInterpreterPass(path="tilefuse")._script(ctx))
    assert main(["nope"]) == 2 and "tilefuse: error: unknown path 'nope'" in capsys.readouterr().err
    module = _parse(_embedded("canonicalize"))
    with pytest.raises(TilefuseTransformError, match="unknown path 'nope'"):
        TilefuseTransformInterpreterPass(path="nope").apply(X.make_context(), module)
    with pytest.raises(TilefuseTransformError, match=r"no named sequence @__transform_main in path tilefuse's"):
        TilefuseTransformInterpreterPass(path="tilefuse").apply(X.make_context(), module)
    with pytest.raises(TilefuseTransformError, match="library and path are exclusive"):
        TilefuseTransformInterpreterPass(path="tilefuse", library="stock").apply(X.make_context(), module)


@pytest.mark.slow
@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
def test_script_in_process_gives_compiles_ir(compiled, target):
    snaps = compiled[target]
    ctx = X.make_context()
    module = X.parse_snapshot((snaps / "00-input.mlir").read_text(), ctx)
    TilefuseTransformInterpreterPass(entry_point=f"tilefuse_{target}", path="tilefuse").apply(ctx, module)
    assert X.iree_generic(X.print_for_iree(module)) == X.iree_generic(_last(snaps).read_text())


def _xdsl_opt_env(tmp_path: Path) -> dict:
    """xdsl-opt's environment: as is when a universe lists the pass, else with a stand-in entry point for it."""
    from xdsl.universe import Universe

    env = dict(os.environ)
    if PASS in Universe.get_multiverse().all_passes:
        return env
    shim = tmp_path / "shim"
    info = shim / "tilefuse_transform_shim-0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: tilefuse-transform-shim\nVersion: 0\n")
    (info / "entry_points.txt").write_text("[xdsl.universe]\ntilefuse-transform-shim = tilefuse_transform_shim:U\n")
    (shim / "tilefuse_transform_shim.py").write_text(
        "from xdsl.universe import Universe\n\n"
        "def _interp():\n"
        "    from tilefuse.tools.xdsl.transform_interp import TilefuseTransformInterpreterPass\n"
        "    return TilefuseTransformInterpreterPass\n\n"
        f"U = Universe(all_passes={{{PASS!r}: _interp}})\n")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(shim), env.get("PYTHONPATH")) if p)
    return env


@pytest.mark.slow
def test_script_through_xdsl_opt(compiled, tmp_path):
    snaps = compiled["gfx942"]
    env = _xdsl_opt_env(tmp_path)
    help_text = subprocess.run([XDSL_OPT, "--help"], capture_output=True, text=True, env=env).stdout
    help_text = "".join(help_text.split())  # argparse wraps the pass list at hyphens
    assert "tilefuse-stage" in help_text and PASS in help_text
    src = tmp_path / "00-input.generic.mlir"
    src.write_text(X.iree_generic((snaps / "00-input.mlir").read_text()))
    spec = f"{PASS}{{path=tilefuse entry-point=tilefuse_gfx942}}"
    proc = subprocess.run([XDSL_OPT, str(src), *OPT_FLAGS, "-p", spec], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert X.iree_generic(proc.stdout, "xdsl-opt's output") == X.iree_generic(_last(snaps).read_text())
    # A failure is one line, no traceback, no dump of the script.
    bad = f"{PASS}{{path=tilefuse entry-point=nope}}"
    proc = subprocess.run([XDSL_OPT, str(src), *OPT_FLAGS, "-p", bad], capture_output=True, text=True, env=env)
    assert proc.returncode == 1 and proc.stderr.strip().count("\n") == 0, proc.stderr[-3000:]
    assert "no named sequence @nope" in proc.stderr


EMBEDDED = """
builtin.module attributes {{transform.with_named_sequence}} {{
  func.func @f() {{
    func.return
  }}
  transform.named_sequence @__transform_main(%root: !transform.any_op {{transform.consumed}}) {{
    %0 = transform.apply_registered_pass "{name}" {options}to %root : (!transform.any_op) -> !transform.any_op
    transform.yield
  }}
}}
"""


def _embedded(name: str, options: str = "") -> str:
    return EMBEDDED.format(name=name, options=f"with options = {options} " if options else "")


def test_xdsls_own_interpreter_sees_builtin_passes_only_and_drops_options():
    """Why the project has its own interpreter pass (xDSL 0.74, interpreters/transform.py:174)."""
    module = _parse(_embedded("tilefuse-stage", '{stage = "configure"}'))
    with pytest.raises(Exception, match=r"Unrecognized passes: \['tilefuse-stage'\]"):
        TransformInterpreterPass().apply(X.make_context(), module)
    module = _parse(_embedded("canonicalize", "{no_such_option = 1}"))
    TransformInterpreterPass().apply(X.make_context(), module)  # the option is silently ignored
    with pytest.raises(TilefuseTransformError, match="no_such_option"):
        TilefuseTransformInterpreterPass().apply(X.make_context(), _parse(_embedded("canonicalize",
                                                                                    "{no_such_option = 1}")))


@pytest.mark.slow
def test_embedded_script_runs_on_the_payload_alone(compiled):
    """The payload's own script: the stage sees the payload without the script; the script is back after."""
    snaps = compiled["gfx942"]
    seq = ('transform.named_sequence @__transform_main(%root: !transform.any_op {transform.consumed}) {\n'
           '  %0 = transform.apply_registered_pass "tilefuse-stage" with options = {target = "gfx942", stage = '
           '"configure"} to %root : (!transform.any_op) -> !transform.any_op\n  transform.yield\n}\n')
    ctx = X.make_context()
    module = X.parse_snapshot((snaps / "00-input.mlir").read_text(), ctx)
    module.body.block.add_op(_parse(seq, ctx).body.block.first_op.clone())
    TilefuseTransformInterpreterPass().apply(ctx, module)
    (script,) = [op for op in module.body.block.ops if isinstance(op, transform.NamedSequenceOp)]
    assert script is module.body.block.last_op
    module.body.block.detach_op(script)
    assert X.iree_generic(X.print_for_iree(module)) == X.iree_generic((snaps / "01-configure.mlir").read_text())


@dataclass(frozen=True)
class _TypedPass(ModulePass):
    name = "t-typed"
    n: int = 0
    ratio: float = 0.0
    flag: bool = False
    xs: tuple[int, ...] = ()
    s: str | None = None

    def apply(self, ctx, op):
        pass


def test_options_become_pass_arguments():
    script = _parse(_embedded("t-typed{n=3}", '{ratio = 0.5 : f64, flag = true, xs = [1, 2], s = "a b"}'))
    (op,) = [o for o in script.walk() if isinstance(o, transform.ApplyRegisteredPassOp)]
    (p,) = passes_of(op, {"t-typed": lambda: _TypedPass})
    assert p == _TypedPass(n=3, ratio=0.5, flag=True, xs=(1, 2), s="a b")
    with pytest.raises(ValueError, match="unknown pass 't-typed'"):
        passes_of(op, {})


@pytest.mark.slow
def test_failing_stage_is_one_line_naming_sequence_and_stage(compiled):
    """thread-distribute on the un-configured input fails: one line with the sequence, the pass and the stage."""
    snaps = compiled["gfx942"]
    ctx = X.make_context()
    module = X.parse_snapshot((snaps / "00-input.mlir").read_text(), ctx)
    module.body.block.add_op(_parse(_embedded("tilefuse-stage", '{stage = "thread-distribute"}'), ctx)
                             .body.block.last_op.clone())
    with pytest.raises(TilefuseTransformError) as info:
        TilefuseTransformInterpreterPass().apply(ctx, module)
    message = str(info.value)
    assert isinstance(info.value, TilefuseStageError) and "\n" not in message
    assert message.startswith(f"{PASS}{{entry-point=__transform_main}}: @__transform_main: "
                              'apply_registered_pass "tilefuse-stage": tilefuse-stage{path=tilefuse target=gfx942 '
                              "stage=thread-distribute}: stage 'thread-distribute' failed: "), message
