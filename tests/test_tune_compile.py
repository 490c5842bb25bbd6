"""tilefuse tune end to end (slow): a small sweep on local Ray whose best --config-db reproduces, and stock's
tuning spec through plain iree-compile."""

import json
from dataclasses import replace

import pytest

from tilefuse.driver.compile import CompileOptions, compile_file, plain_compile
from tilefuse.tools.suite import get_problem
from tilefuse.tools.tune.stock import stock_path, write_spec

from run_cli import tilefuse

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def small_mha(tmp_path_factory):
    src = tmp_path_factory.mktemp("tune") / "mha.mlir"
    src.write_text(get_problem("mha_f16_d64").small().to_mlir())
    return src


@pytest.fixture(scope="module")
def ray_sweep(small_mha):
    pytest.importorskip("ray")
    out = small_mha.parent
    proc = tilefuse("tune", small_mha, "--path", "tilefuse", "--budget", 2, "--executor", "ray", "--workers", 2,
                    "--cache-dir", out / "cache", "--work-dir", out / "work", "-o", out / "best.json",
                    "--json", out / "all.json")
    assert proc.returncode == 0, proc.stderr
    return json.loads((out / "all.json").read_text())["results"][0], out / "best.json"


def test_a_ray_sweep_keeps_a_verified_best_no_worse_than_the_default(ray_sweep):
    outcome, _ = ray_sweep
    assert outcome["evaluated"] == 2 and outcome["score_kind"] == "estimate"
    assert outcome["best"]["verify"] == "ok" and outcome["default"]["verify"] == "ok"
    assert outcome["best"]["score"]["seconds"] <= outcome["default"]["score"]["seconds"]


def test_config_db_reproduces_the_tuned_isa(ray_sweep, small_mha):
    outcome, best = ray_sweep
    out = small_mha.parent / "replay"
    out.mkdir()
    proc = tilefuse("compile", small_mha, "--path", "tilefuse", "--config-db", best, "-o", out / "x.vmfb",
                    "--dump-dir", out)
    assert proc.returncode == 0 and "no entry" not in proc.stderr, proc.stderr
    report = json.loads((out / "report.json").read_text())
    (d,) = [d for d in report["dispatches"] if d["has_attention"]]
    assert d["isa"] == outcome["best"]["isa"]
    assert d["config"]["tilefuse"] == outcome["best"]["config"]


def test_stock_tuning_spec_gives_plain_iree_compile_the_tuned_isa(small_mha, tmp_path):
    default = compile_file(small_mha, CompileOptions("gfx942", "stock", tmp_path / "d.vmfb", tmp_path / "d"))
    (d,) = [d for d in default.dispatches if d.has_attention]
    from tilefuse.codegen.transform import TransformSession
    from tilefuse.tools.tune.stock import default_config
    module = TransformSession(["stock"]).parse((tmp_path / "d" / d.stages[0].snapshot).read_text())
    with module.context:
        tuned = replace(default_config(module), reduction=(0, 0, 0, 32, 0))
    in_process = compile_file(small_mha, CompileOptions("gfx942", stock_path(tuned.to_dict()), tmp_path / "t.vmfb", tmp_path / "t"))
    write_spec(tmp_path / "spec.mlir", [tuned])
    plain = plain_compile(small_mha, "gfx942", tmp_path / "p.vmfb", tmp_path / "p")
    with_spec = plain_compile(small_mha, "gfx942", tmp_path / "s.vmfb", tmp_path / "s",
                              [f"--iree-codegen-tuning-spec-path={tmp_path / 'spec.mlir'}"])
    isa = {name: next(x for x in r.dispatches if x.has_attention).isa.to_dict()
           for name, r in (("tuned", in_process), ("plain", plain), ("spec", with_spec), ("default", default))}
    assert isa["spec"] == isa["tuned"] and isa["spec"] != isa["plain"]
    assert isa["plain"] == isa["default"]  # the stock path is plain iree-compile
