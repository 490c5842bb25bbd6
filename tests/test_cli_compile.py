"""The command line's compiles: reports are complete (stages, snapshots, config, ISA), ab's table and JSON, verify on
any input."""

import json

import pytest

from tilefuse.perf import ptxas

from tilefuse.codegen.paths import STOCK

pytestmark = pytest.mark.slow


def test_input_without_attention_compiles_and_says_so(tmp_path, cli):
    src = tmp_path / "add.mlir"
    src.write_text(
        "func.func @add(%a: tensor<1024xf32>, %b: tensor<1024xf32>) -> tensor<1024xf32> {\n"
        "  %e = tensor.empty() : tensor<1024xf32>\n"
        "  %r = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>, affine_map<(i) -> (i)>],"
        " iterator_types = [\"parallel\"]} ins(%a, %b : tensor<1024xf32>, tensor<1024xf32>) outs(%e : tensor<1024xf32>) {\n"
        "  ^bb0(%x: f32, %y: f32, %o: f32):\n    %s = arith.addf %x, %y : f32\n    linalg.yield %s : f32\n"
        "  } -> tensor<1024xf32>\n"
        "  return %r : tensor<1024xf32>\n}\n")
    proc = cli("compile", src, "-o", tmp_path / "o.vmfb", "--dump-dir", tmp_path / "d")
    assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "d" / "report.json").read_text())
    assert report["ok"] and (tmp_path / "o.vmfb").stat().st_size > 0
    (d,) = report["dispatches"]
    assert d["has_attention"] is False
    assert d["lowered_by"] == "iree" and d["pipeline"] != "VectorDistribute"
    assert d["isa"]["instructions"] > 0


def test_compile_writes_report_and_snapshots(tmp_path, cli):
    src = tmp_path / "p.mlir"
    assert cli("problem", "--suite", "mha_f16_d64", "-o", src).returncode == 0
    proc = cli("compile", src, "--target", "gfx942", "--path", "stock", "-o", tmp_path / "o.vmfb",
                    "--dump-dir", tmp_path / "d")
    assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "d" / "report.json").read_text())
    assert set(report) >= {"input", "target", "path", "ok", "error", "dispatches", "compile_seconds"}
    (d,) = report["dispatches"]
    assert set(d) >= {"name", "has_attention", "stages", "config", "isa"}
    assert set(d["isa"]) >= {"vgpr", "agpr", "sgpr", "vgpr_spills", "sgpr_spills", "lds_bytes", "mma_ops",
                             "instructions", "barriers"}
    assert d["isa"]["ptxas"] is None and all(d["isa"][k] is not None for k in ("vgpr", "agpr", "mma_ops"))
    assert [s["name"] for s in d["stages"]] == STOCK.stage_names()
    for i, s in enumerate(d["stages"], start=1):
        snap = tmp_path / "d" / s["snapshot"]
        assert snap.name == f"{i:02d}-{s['name']}.mlir" and snap.parent.name == d["name"]
        assert "hal.executable" in snap.read_text() and s["seconds"] >= 0
    assert "online_attention" in d["config"]["root_op"] and "mma_kind" in d["config"]["decomposition_config"]


def test_cuda_registers_are_ptxas_or_null_with_the_reason(tmp_path, cli):
    """PTX has only virtual registers: register figures come from ptxas (the cuda-tools extra) or are null, and
    the report says why (tests/test_perf_compile.py checks the ptxas figures themselves)."""
    src = tmp_path / "p.mlir"
    cli("problem", "--suite", "mha_f16_d64", "-o", src)
    proc = cli("compile", src, "--target", "sm_80", "--path", "stock", "-o", tmp_path / "o.vmfb", "--dump-dir", tmp_path / "d")
    assert proc.returncode == 0, proc.stderr
    isa = json.loads((tmp_path / "d" / "report.json").read_text())["dispatches"][0]["isa"]
    if ptxas.binary() is None:
        assert isa["vgpr"] is None and isa["vgpr_spills"] is None and isa["note"] == ptxas.unavailable()
    else:
        assert isa["vgpr"] == isa["ptxas"]["sm_80"]["registers"] and isa["note"] is None
    assert isa["mma_ops"] > 0 and isa["lds_bytes"] > 0 and isa["barriers"] > 0


def test_ab_table_and_json(tmp_path, cli):
    proc = cli("ab", "--problems", "mha_f16_d64,clip_f16_s77", "--plain", "--paths", "stock",
                    "--work-dir", tmp_path / "w",
                    "--json", tmp_path / "ab.json")
    assert proc.returncode == 0, proc.stderr
    assert "[4/4]" in proc.stderr  # progress
    verdicts, table = proc.stdout.strip().split("\n\n")  # a verdict line per problem, then the table
    assert [v.split(":")[0] for v in verdicts.splitlines()] == ["mha_f16_d64", "clip_f16_s77"]
    header, rule, *rows = table.splitlines()
    assert header.split()[:5] == ["problem", "path", "ok", "via", "compile_s"]
    assert [r.split()[:4] for r in rows] == [
        ["mha_f16_d64", "iree-compile", "ok", "iree"], ["mha_f16_d64", "stock", "ok", "path"],
        ["clip_f16_s77", "iree-compile", "ok", "iree"], ["clip_f16_s77", "stock", "ok", "path"]]
    data = json.loads((tmp_path / "ab.json").read_text())
    assert data["target"] == "gfx942" and len(data["results"]) == 4
    assert data["results"][0]["problem"]["name"] == "mha_f16_d64"


def test_a_failure_after_the_stages_is_in_the_report(tmp_path, monkeypatch):
    """report.json never says ok: false without saying why (an unreadable ISA dump once left error null)."""
    import tilefuse.driver.compile as driver
    from tilefuse.errors import TilefuseError
    from tilefuse.problem import AttentionProblem

    def unreadable(*args):
        raise TilefuseError("no metadata for kernel 'k' in the .rocmasm")

    monkeypatch.setattr(driver, "read_metrics", unreadable)
    src = tmp_path / "p.mlir"
    src.write_text(AttentionProblem(heads=1, m=64, k2=64, k1=64).to_mlir())
    report = driver.compile_file(src, driver.CompileOptions("gfx942", "stock", tmp_path / "o.vmfb", tmp_path / "d"))
    saved = json.loads((tmp_path / "d" / "report.json").read_text())
    assert not report.ok and saved["ok"] is False
    assert saved["error"] == "stage 'read-isa' failed: no metadata for kernel 'k' in the .rocmasm"


def test_verify_any_input_without_a_header(tmp_path, cli):
    """verify needs no `tilefuse problem` header: the input program itself is the reference."""
    from tilefuse.problem import AttentionProblem

    text = AttentionProblem(heads=2, m=64, k2=128, k1=64, mask="boolean").to_mlir()
    src = tmp_path / "mine.mlir"
    src.write_text("\n".join(l for l in text.splitlines() if not l.startswith("//")) + "\n")
    proc = cli("verify", src, "--path", "tilefuse", "--work-dir", tmp_path / "w")
    assert proc.returncode == 0, proc.stderr[-2000:]
    checks = json.loads((tmp_path / "w" / "verify.json").read_text())["checks"]
    assert [c["stage"] for c in checks][:2] == ["llvm-cpu", "input"] and checks[-1]["stage"] == "lower"
    assert all(c["status"] == "ok" for c in checks)
