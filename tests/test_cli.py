"""The command line as a user meets it, without compiles: errors are one line and exit 2, `problem` renders what
it is asked, `stage` runs one stage. Compiles and their reports: test_cli_compile.py.

One test runs `python -m tilefuse` in a fresh interpreter; the others call the same `cli.main` in this process (the
`cli` fixture, conftest.py)."""

import json
from pathlib import Path

from run_cli import assert_one_line_error, tilefuse
from tilefuse.problem import AttentionProblem

LIT_INPUTS = Path(__file__).parent / "lit" / "tilefuse" / "Inputs"


def test_missing_file(tmp_path):
    """`python -m tilefuse`: the installed entry point, its exit status and stderr."""
    assert_one_line_error(tilefuse("compile", tmp_path / "nope.mlir", "-o", tmp_path / "o.vmfb"), "nope.mlir",
                          "not found")


def test_unknown_target(tmp_path, cli):
    src = tmp_path / "a.mlir"
    src.write_text("func.func @f() { return }")
    assert_one_line_error(cli("compile", src, "--target", "gfx9000", "-o", tmp_path / "o.vmfb"), "gfx9000")


def test_unknown_path(tmp_path, cli):
    src = tmp_path / "a.mlir"
    src.write_text("func.func @f() { return }")
    assert_one_line_error(cli("compile", src, "--path", "magic", "-o", tmp_path / "o.vmfb"), "magic")


def test_malformed_mlir(tmp_path, cli):
    src = tmp_path / "broken.mlir"
    src.write_text("func.func @f( {\n")
    assert_one_line_error(cli("compile", src, "-o", tmp_path / "o.vmfb"), "broken.mlir", "error:")


def test_problem_cli_overrides_suite_entry(tmp_path, cli):
    proc = cli("problem", "--suite", "gqa_bf16_d128", "--m", "77", "--mask", "causal")
    assert proc.returncode == 0, proc.stderr
    assert "tensor<1x32x77x128xbf16>" in proc.stdout and "arith.cmpi sle" in proc.stdout
    assert_one_line_error(cli("problem", "--heads", "6", "--kv-heads", "4"), "multiple")
    listing = cli("problem", "--list").stdout
    assert "decode_f16_d128" in listing


def test_stage_errors_are_one_line(tmp_path, cli):
    inputs = LIT_INPUTS
    assert_one_line_error(cli("stage", "thread-distribute", tmp_path / "nope.mlir"), "not found")
    bad = tmp_path / "bad.mlir"
    bad.write_text("func.func @f( {\n")
    assert_one_line_error(cli("stage", "thread-distribute", bad), "does not parse")
    assert_one_line_error(cli("stage", "nope", inputs / "before-thread-distribute.mlir"), "no stage 'nope'", "thread-distribute")
    # a stage run on a snapshot it does not follow says what is missing (a stage failure: exit 1)
    assert_one_line_error(cli("stage", "thread-distribute", inputs / "before-configure.mlir"),
                          "stage 'thread-distribute' failed", "subgroup-distribute first", status=1)
    assert_one_line_error(cli("stage", "share-kv", inputs / "before-thread-distribute.mlir"),
                          "stage 'share-kv' failed", "after bufferize", status=1)


def test_stage_prints_the_ir_after_it(cli):
    inputs = LIT_INPUTS
    proc = cli("stage", "thread-distribute", inputs / "before-thread-distribute.mlir", "--target", "gfx942")
    assert proc.returncode == 0, proc.stderr
    assert "#iree_gpu.lane_id<0>" in proc.stdout and "gpu.subgroup_reduce" in proc.stdout


def test_resume_errors(tmp_path, cli):
    loose = tmp_path / "loose.mlir"
    loose.write_text("module {}")
    assert_one_line_error(cli("resume", loose, "--after", "decompose", "-o", tmp_path / "x.vmfb"),
                          "expected one hal.executable")
    assert_one_line_error(cli("resume", loose, "--after", "vector-distribute", "-o", tmp_path / "x.vmfb"),
                          "has no stage 'vector-distribute'")


def test_verify_ends_with_a_verdict_line():
    """PASS or FAIL with the counts; when nothing is wrong but the final code never ran (every stage unchecked,
    e.g. dynamic shapes), the reason."""
    from tilefuse.checkers.verify import StageCheck, VerifyReport, verdict_line

    def report(*statuses):
        return VerifyReport("in.mlir", "gfx942", "stock",
                            [StageCheck("d", s, status) for s, status in zip(("decompose", "bufferize", "lower"), statuses)])

    assert verdict_line(report("ok", "unchecked", "ok")) == "verify: PASS (2 ok, 1 unchecked)"
    assert verdict_line(report("ok", "ok", "MISMATCH")) == "verify: FAIL (2 ok, 1 MISMATCH)"
    assert verdict_line(report("unchecked", "unchecked", "unchecked")) == \
        "verify: FAIL (3 unchecked): the final stage (lower) was not run"
    assert verdict_line(VerifyReport("in.mlir", "gfx942", "stock")) == \
        "verify: FAIL (nothing checked): the final stage (lower) was not run"


def test_verify_dim_errors(tmp_path, cli):
    """--dim [NAME=]VALUE: a malformed one is refused before any work; a dim the entry does not have names the
    ones it has (the dynamic-length Llama: its ids and mask are (1, ?))."""
    src = tmp_path / "a.mlir"
    src.write_text("func.func @main(%x: tensor<?x4xf32>) -> tensor<?x4xf32> { return %x : tensor<?x4xf32> }")
    for bad in ("seq=3", "0=0", "arg0.1", "0=x", "=3", "0"):
        assert_one_line_error(cli("verify", src, "--dim", bad), f"--dim {bad}: expected [NAME=]VALUE")
    llama = Path(__file__).parent / "fixtures" / "models" / "llama_dynamic.mlir"
    proc = cli("verify", llama, "--dim", "arg2.0=5", "--no-cross-check")  # after the progress lines
    assert proc.returncode == 2 and proc.stderr.strip().splitlines()[-1] == \
        "tilefuse: error: --dim arg2.0: the entry's dynamic dims are 0 (arg0.1), 1 (arg1.1)"
    problem = tmp_path / "p.mlir"  # its M and K2 from --dim: one length given two sizes is refused
    problem.write_text(AttentionProblem(heads=2, m=17, k2=64, dynamic="m,k2", mask="additive").to_mlir())
    proc = cli("verify", problem, "--dim", "5", "--dim", "1=40")  # after verify's note on a full-size problem
    assert proc.returncode == 2 and proc.stderr.strip().splitlines()[-1] == \
        "tilefuse: error: --dim: K2 is 40 in k and 5 in v: one length of the problem, the same in each"


def _commands():
    import argparse

    from tilefuse.cli import build_parser

    (sub,) = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return sub.choices


def test_every_command_has_a_description_and_shows_every_default(cli):
    """`tilefuse CMD --help` opens with what CMD does and shows each option's default (0 included: --seed); a switch
    says what giving it does, not a default that reads backwards (--no-cross-check was "(default: True)")."""
    for name, parser in _commands().items():
        assert parser.description, f"tilefuse {name} --help has no description"
        text = "".join(cli(name, "--help").stdout.split())  # argparse wraps lines at spaces and hyphens
        for action in parser._actions:
            if action.default is None or action.nargs == 0 or action.dest == "help":
                continue
            flag = action.option_strings[-1] if action.option_strings else action.dest
            shown = "".join(f"(default: {action.default})".split())
            assert shown in text or "default:" in (action.help or ""), (name, flag)
    assert "(default: True)" not in cli("verify", "--help").stdout
    assert "(default: 16)" in " ".join(cli("tune", "--help").stdout.split())
    assert "(default: 0)" in " ".join(cli("fuzz", "--help").stdout.split())


def test_every_command_that_takes_a_path_starts_from_tilefuse():
    """compile and verify defaulted to stock, the others to tilefuse: one default now, the project's path."""
    defaults = {name: {a.dest: a.default for a in parser._actions}.get("path")
                for name, parser in _commands().items()}
    assert {n: d for n, d in defaults.items() if d is not None} == \
        {n: "tilefuse" for n in ("compile", "resume", "gui", "stage", "verify", "tune")}
    assert {a.dest: a.default for a in _commands()["fuzz"]._actions}["paths"] == "tilefuse"


def test_verify_on_a_program_without_attention_says_there_is_nothing_to_verify(tmp_path, cli):
    """Not a FAIL ("the final stage was not run"): an input error, one line, exit 2 (README, "Compile your PyTorch
    model's attention")."""
    src = tmp_path / "add.mlir"
    src.write_text("func.func @add(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {\n"
                   "  %r = arith.addf %a, %b : tensor<4xf32>\n  return %r : tensor<4xf32>\n}\n")
    assert_one_line_error(cli("verify", src), "add.mlir", "no attention op", "nothing to verify")


def test_fuzz_interrupted_says_so_and_exits_130(tmp_path, cli, monkeypatch):
    """Ctrl-C during the cases: the table of those that finished, one line, exit 130 (it was 0)."""
    def one_case_then_ctrl_c(cases, fn, jobs, timeout, done):
        done(cases[0], {"verdict": "ok", "stage": None, "reason": None, "seconds": 1.0})
        raise KeyboardInterrupt

    monkeypatch.setattr("tilefuse.tools.fuzz.command.run_all", one_case_then_ctrl_c)
    proc = cli("fuzz", "3", "--work-dir", tmp_path / "w", "--json", tmp_path / "f.json")
    assert proc.returncode == 130, proc.stderr
    assert "tilefuse: interrupted after 1 of 3 cases" in proc.stderr and "Traceback" not in proc.stderr
    assert len(json.loads((tmp_path / "f.json").read_text())["records"]) == 1
