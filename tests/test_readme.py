"""Every command block of the README runs here, and every example `tilefuse --help` gives.

Each block runs command by command in a temporary folder (tests/readme_commands.py: `tilefuse` in process, the rest
by bash, the README's relative paths resolving to this checkout), and each command must exit as the README says
(0 unless EXPECT says otherwise) and show what its comment claims where EXPECT names it. What does not run as
written, and why:
- the two install blocks: `.ci/run` is the second (test_ci_runs_the_readme_test_command) and installs as the first
  does; of the first, its command after the install runs, on one problem (SMALL);
- the fast tier's command: it is this test suite;
- the PyTorch export (`python -c "import torch ..."`) runs where torch and iree-turbine are installed; they are not
  test dependencies, so elsewhere attn.mlir is the export tests/fixtures/export_torch.py wrote of the same module
  and shapes (phi3_d96_causal: SDPA, is_causal, q, k, v [1, 2, 128, 96] f16; the README's command writes the same
  text, the fixture's first comment line aside);
- sizes: SMALL maps README text to what runs here (one problem instead of the suite, 2 fuzz cases instead of 200,
  a tuning budget of 2), so the slow tests below take about two minutes in all; each entry must still match the
  README (test_every_readme_block_is_run);
- on a machine with a CUDA device the tour's `tilefuse bench` would measure the whole suite: there it runs one
  problem on one path.
"""

import importlib.util
import json
import re
import shlex
from pathlib import Path

import pytest

from readme_commands import README, ROOT, Shell, block, blocks, commands
from tilefuse.tools import bench
from tilefuse import cli
from tilefuse.codegen.config import check_overrides
from tilefuse.codegen.paths import get_path
from tilefuse.tools import calibrate
from tilefuse.tools.rewrite import RewriteAfter

SMALL = {  # README text -> what runs here
    "tilefuse ab --plain --fallback stock":
        "tilefuse ab --plain --fallback stock --problems mha_f16_d64",
    "tilefuse ab --fallback stock --verify --html ab.html":
        "tilefuse ab --fallback stock --verify --html ab.html --problems mha_f16_d64 --paths stock,tilefuse",
    "tilefuse ab --paths stock,hint,tilefuse --fault-experiment decompose":
        "tilefuse ab --problems mha_f16_d64 --paths stock,hint,tilefuse --fault-experiment decompose",
    "tilefuse ab --target sm_80 --problems mha_f16_d64,decode_f16_d128 --fallback stock":
        "tilefuse ab --target sm_80 --problems mha_f16_d64,decode_f16_d128 --paths stock,tilefuse --fallback stock",
    "tilefuse bench --calibration --suite --fallback stock --compile-only":
        "tilefuse bench --problems iree_e2e_small_f16 --paths stock,tilefuse --fallback stock --compile-only",
    "tilefuse fuzz 200": "tilefuse fuzz 2",
    "--budget 16": "--budget 2",
}
TORCH_EXPORT = 'python -c "import torch, iree.turbine.aot as aot'
TORCH_FIXTURE = "cp tests/fixtures/torch/phi3_d96_causal.mlir attn.mlir"
# Commands whose exit status is not 0 or whose output the README describes: (status, what stdout shows)
EXPECT = {
    "ls gqa.dump/stages/*/": (0, "09-lower.mlir"),
    "tilefuse compile dec.mlir --path tilefuse -o dec.vmfb --dim 16384": (
        0, "estimated at 0 (arg1.2)=16384, 1 (arg2.2)=16384, drawn by --dim"),
    "tilefuse verify c.mlir": (0, "verify: PASS"),
    "tilefuse verify d160.mlir": (0, "IREE llvm-cpu disagrees with the reference: not a tilefuse mismatch"),
    "tilefuse verify fp8.mlir": (0, "verify: PASS"),
    "ls attn.dump/program/": (0, "11-seq-lens-mask.mlir"),
    "tilefuse verify attn.mlir": (0, "verify: PASS"),
    "tilefuse verify p.mlir": (0, "verify: PASS"),
    "tilefuse verify paged.mlir": (0, "verify: PASS"),
    "tilefuse verify lens.mlir": (0, "verify: PASS"),
    "tilefuse verify pages8.mlir": (0, "verify: PASS"),
    "python -m tilefuse.tools.bench plan --device cuda": (0, "skipping the GPU runs"),
}
# Each README block by its first line: the test that runs it, or why none does
BLOCKS = {
    "python3 -m venv .venv && . .venv/bin/activate && pip install -e .": "test_the_fresh_machine_main_job",
    "python3 -m venv .venv && . .venv/bin/activate && pip install -q -e '.[test]'":
        "test_ci_runs_the_readme_test_command",
    'python -m pytest -q -m "not slow"': "not run: it is this test suite",
    "tilefuse problem --help": "test_the_tour_and_the_iree_opt_lines",
    TORCH_EXPORT: "test_compile_your_pytorch_models_attention",
    "tilefuse problem --suite mha_f16_d64 --small -o p.mlir": "test_rewrite_any_stage_by_hand",
    "tilefuse verify tests/fixtures/models/llama_gqa_prefill.mlir": "test_whole_model_verify_lines",
    "iree-opt --transform-preload-library": "test_the_tour_and_the_iree_opt_lines",
    "tilefuse bench --calibration --suite --fallback stock --json":
        "test_the_readme_gpu_bench_command_degrades_to_one_line_without_a_device",
    "tilefuse bench --calibration --suite --fallback stock --compile-only": "test_the_two_halves_of_bench",
    "tilefuse bench --device local-task": "test_the_readme_dry_run_and_refit_commands_run",
    "tilefuse fuzz 200": "test_random_problems",
    "tilefuse problem --suite mha_f16_d64 -o mha.mlir": "test_search_configs",
    "tilefuse ab --target sm_80 --problems decode_f16_d128": "test_launch_registers_and_an_estimate",
}


@pytest.fixture
def shell(tmp_path):
    sh = Shell(tmp_path, dict(SMALL))
    yield sh
    print("\n".join(f"{s:6.1f} s  {c.splitlines()[0][:100]}" for c, s in sh.seconds.items()))  # shown by -s


def test_ci_runs_the_readme_test_command():
    ci = [l for l in (ROOT / ".ci" / "run").read_text().splitlines() if l and not l.startswith(("#", "set ", "cd "))]
    assert len(ci) == 1
    readme = README.read_text()
    assert f"\n{ci[0]}\n" in readme


def test_every_readme_block_is_run():
    """A new block needs a test (or a reason in BLOCKS); every substitution still matches the README."""
    firsts = [b.splitlines()[0] for b in blocks()]
    assert all(sum(f.startswith(k) for f in firsts) == 1 for k in BLOCKS), firsts
    assert all(any(f.startswith(k) for k in BLOCKS) for f in firsts), firsts
    text = README.read_text()
    assert all(old in text for old in SMALL)
    assert commands(block(TORCH_EXPORT))[0].startswith(TORCH_EXPORT)
    fixture = (ROOT / "tests/fixtures/torch/phi3_d96_causal.mlir").read_text()
    assert "q,k,v [1,2,128,96] f16, is_causal=True" in fixture.splitlines()[0]


def _help_texts(capsys) -> str:
    """Every --help of every command, and of the modules the README runs with python -m."""
    from tilefuse.tools import bench as bench_module
    from tilefuse.tools.xdsl import generic

    texts = []
    for main, argv in [(cli.main, [])] + [(cli.main, [c]) for c in cli.build_parser()._subparsers._group_actions[0]
                                         .choices] + [(bench_module.main, []), (calibrate.main, []), (generic.main, [])]:
        with pytest.raises(SystemExit):
            main([*argv, "--help"])
        texts.append(capsys.readouterr().out)
    return re.sub(r"(\w)- (\w)", r"\1-\2", " ".join(" ".join(texts).split()))  # lines wrapped at hyphens


def test_every_help_example_is_real(capsys):
    """The examples --help gives (`e.g. ...`) name what exists: a path, a stage, a config that type-checks, a
    rewrite pipeline xDSL runs (it named tilefuse-hoist-q-scale, which never existed). The config and the rewrite
    also run in the slow tests below: the tour's over.json is the config example, the xDSL section compiles with
    the rewrite example."""
    examples = set(re.findall(r"e\.g\. ((?:\{.*?\}\})|[\w=-]+)", _help_texts(capsys)))
    assert examples == {"stock", "thread-distribute", cli.CONFIG_EXAMPLE, cli.REWRITE_EXAMPLE}, examples
    get_path("stock")
    assert "thread-distribute" in get_path(cli.DEFAULT_PATH).stage_names()
    check_overrides(json.loads(cli.CONFIG_EXAMPLE))
    RewriteAfter.parse(cli.REWRITE_EXAMPLE, get_path(cli.DEFAULT_PATH))
    assert f"echo '{cli.CONFIG_EXAMPLE}' > over.json" in README.read_text()


@pytest.mark.slow
def test_the_tour_and_the_iree_opt_lines(shell):
    """A short tour, then the iree-opt lines of "Rewrite any stage by hand", which read the tour's snapshots."""
    if bench.device_available("cuda")[0]:
        shell.substitutions["tilefuse bench --fallback stock"] = \
            "tilefuse bench --fallback stock --problems iree_e2e_small_f16 --paths stock"
    shell.run_block(block("tilefuse problem --help"), EXPECT)
    shell.run_block(block("iree-opt --transform-preload-library"))
    report = json.loads((shell.cwd / "x.dump" / "report.json").read_text())
    assert report["dispatches"][0]["config"]["tilefuse"]["tiling"]["reduction"] == [0, 0, 0, 32, 0]  # over.json


@pytest.mark.slow
def test_compile_your_pytorch_models_attention(shell):
    export, *rest = commands(block(TORCH_EXPORT))
    has_turbine = importlib.util.find_spec("torch") and importlib.util.find_spec("iree.turbine")
    shell.run(export if has_turbine else TORCH_FIXTURE)
    for command in rest:
        shell.run(command, *next((v for k, v in EXPECT.items() if k in command), (0, None)))


@pytest.mark.slow
def test_rewrite_any_stage_by_hand(shell):
    shell.run_block(block("tilefuse problem --suite mha_f16_d64 --small -o p.mlir"), EXPECT)
    (d,) = json.loads((shell.cwd / "e.dump" / "report.json").read_text())["dispatches"]
    assert d["rewrites"] == [{"after": "decompose", "snapshot": "edited.mlir"}]  # resumed from xdsl-opt's output
    shell.run(f"tilefuse compile p.mlir -o h.vmfb --rewrite-after {shlex.quote(cli.REWRITE_EXAMPLE)}")  # --help's
    (d,) = json.loads((shell.cwd / "h.dump" / "report.json").read_text())["dispatches"]
    assert d["rewrites"][0]["pipeline"] == cli.REWRITE_EXAMPLE.partition("=")[2]


@pytest.mark.slow
def test_the_fresh_machine_main_job(shell):
    install = commands(block("python3 -m venv .venv && . .venv/bin/activate && pip install -e ."))[0]
    shell.run(install.rsplit(" && ", 1)[1])


def test_the_readme_gpu_bench_command_degrades_to_one_line_without_a_device(cli, tmp_path, monkeypatch):
    if bench.device_available("cuda")[0]:
        pytest.skip("needs no device: on a GPU this command measures for up to 10 minutes")
    args = _readme_command("tilefuse bench --calibration --suite --fallback stock --json")
    monkeypatch.chdir(tmp_path)
    proc = cli(*args[1:])
    assert proc.returncode == 0 and len(proc.stdout.strip().splitlines()) == 1, proc.stderr
    assert "skipping the GPU runs" in proc.stdout


@pytest.mark.slow
def test_the_two_halves_of_bench(shell):
    """Compile here; measure there (no device here: one line, exit 0)."""
    if bench.device_available("cuda")[0]:
        pytest.skip("on a GPU the second half measures")
    shell.run_block(block("tilefuse bench --calibration --suite --fallback stock --compile-only"), EXPECT)
    assert len(json.loads((shell.cwd / "plan" / bench.PLAN_FILE).read_text())["kernels"]) == 2


def _readme_command(start: str) -> list[str]:
    """The README line that starts with `start`, as arguments (its comment dropped)."""
    line = next(l for l in README.read_text().splitlines() if l.startswith(start))
    return shlex.split(line.split("  #")[0])


def test_the_readme_dry_run_and_refit_commands_run(cli, tmp_path, monkeypatch):
    from test_bench import _measured_run

    monkeypatch.chdir(tmp_path)
    args = _readme_command("tilefuse bench --device local-task")
    proc = cli(*[str(ROOT / a) if a.startswith("tests/") else a for a in args[1:]])
    assert proc.returncode == 0, proc.stderr
    assert {k["status"] for k in json.loads(Path("dry.json").read_text())["kernels"]} == {"ok"}
    Path("bench.json").write_text(json.dumps(_measured_run()))  # what the GPU command writes on an H100
    refit = _readme_command("python -m tilefuse.tools.calibrate")
    assert calibrate.main([str(ROOT / a) if a.startswith("tests/") else a for a in refit[3:]]) == 0


@pytest.mark.slow
def test_random_problems(shell):
    shell.run_block(block("tilefuse fuzz 200"))
    assert len(json.loads((shell.cwd / "fuzz.json").read_text())["records"]) == 2


@pytest.mark.slow
def test_whole_model_verify_lines(shell):
    """A whole Llama verifies; so does the dynamic one at 77 tokens, its attention on the tilefuse path."""
    shell.run_block(block("tilefuse verify tests/fixtures/models/llama_gqa_prefill.mlir"))
    assert (shell.cwd / "llama.verify" / "verify.json").is_file()  # its work folder, not one beside the fixture


@pytest.mark.slow
def test_search_configs(shell):
    shell.run_block(block("tilefuse problem --suite mha_f16_d64 -o mha.mlir"))
    (entry,) = json.loads((shell.cwd / "best.json").read_text())["entries"].values()
    assert set(entry) == {"gfx942/tilefuse", "gfx942/stock"}  # the first tune's entry, then the second's
    assert (shell.cwd / "s.vmfb").stat().st_size > 0  # compiled with the tuning spec the second wrote


@pytest.mark.slow
def test_launch_registers_and_an_estimate(shell):
    shell.run_block(block("tilefuse ab --target sm_80 --problems decode_f16_d128"))
