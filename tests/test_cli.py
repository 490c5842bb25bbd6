"""The command line as a user meets it, without compiles: errors are one line and exit 2, `problem` renders what
it is asked, `stage` runs one stage. Compiles and their reports: test_cli_compile.py.

One test runs `python -m tilefuse` in a fresh interpreter; the others call the same `cli.main` in this process (the
`cli` fixture, conftest.py)."""

from pathlib import Path

from run_cli import assert_one_line_error, tilefuse

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
    assert_one_line_error(cli("stage", "nope", inputs / "07-decompose.mlir"), "no stage 'nope'", "thread-distribute")
    # a stage run on a snapshot it does not follow says what is missing (a stage failure: exit 1)
    assert_one_line_error(cli("stage", "thread-distribute", inputs / "00-input.mlir"),
                          "stage 'thread-distribute' failed", "subgroup-distribute first", status=1)
    assert_one_line_error(cli("stage", "share-kv", inputs / "07-decompose.mlir"),
                          "stage 'share-kv' failed", "after bufferize", status=1)


def test_stage_prints_the_ir_after_it(cli):
    inputs = LIT_INPUTS
    proc = cli("stage", "thread-distribute", inputs / "07-decompose.mlir", "--target", "gfx942")
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
    from tilefuse.verify import StageCheck, VerifyReport, verdict_line

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
    ones it has."""
    src = tmp_path / "a.mlir"
    src.write_text("func.func @main(%x: tensor<?x4xf32>) -> tensor<?x4xf32> { return %x : tensor<?x4xf32> }")
    for bad in ("seq=3", "0=0", "arg0.1", "0=x", "=3", "0"):
        assert_one_line_error(cli("verify", src, "--dim", bad), f"--dim {bad}: expected [NAME=]VALUE")
    proc = cli("verify", src, "--dim", "arg1.0=5", "--no-cross-check")  # after the progress lines
    assert proc.returncode == 2 and proc.stderr.strip().splitlines()[-1] == \
        "tilefuse: error: --dim arg1.0: the entry's dynamic dims are 0 (arg0.0)"
