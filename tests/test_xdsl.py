"""tilefuse.tools.xdsl on real snapshots: every op form of every snapshot tilefuse writes crosses IREE -> xDSL -> IREE unchanged; plain
`xdsl-opt` (entry point `xdsl.universe`) runs the tilefuse path's stages as the `tilefuse-stage` pass. The xDSL 0.74
traps on hand-written IR, and the entry point: test_xdsl_interchange.py.

Time: one module-scoped fixture compiles the suite's small problems, one problem and target per task in two worker
processes, and every test uses it. By default every path is compiled for the first full-compile target (gfx942)
and the tilefuse path for the others (sm_80); every path on every such target takes about twice as long:
TILEFUSE_XDSL_ALL_TARGETS=1. The workers skip IREE's final serialization (the snapshots are written before it, and
ISA is not what this file checks). xDSL parses the distinct snapshots (IREE's generic print; stock and hint share
most) that together hold every op form any snapshot has (`op_forms`: a line with SSA names and integers erased),
about a fifth of the IR; a snapshot outside that cover has each of its lines' forms round-tripped inside it.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import shlex
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest
from xdsl.dialects.builtin import UnregisteredOp

from compile_targets import FULL_COMPILE_TARGETS
from tilefuse.driver import compile as driver
from tilefuse.codegen.paths import PATHS, get_path
from tilefuse.tools.suite import CORE, get_problem
from tilefuse.tools.xdsl import dialects as D
from tilefuse.tools.xdsl import interchange as X
from tilefuse.tools.xdsl.stage_pass import TilefuseStageError, TilefuseStagePass

pytestmark = pytest.mark.slow

ALL_TARGETS = os.environ.get("TILEFUSE_XDSL_ALL_TARGETS") == "1"
FIRST, *OTHERS = FULL_COMPILE_TARGETS
CASES = [(FIRST, p) for p in PATHS] + [(t, p) for t in OTHERS for p in (PATHS if ALL_TARGETS else ["tilefuse"])]
XDSL_OPT = str(Path(sys.executable).with_name("xdsl-opt"))
OPT_FLAGS = ["--allow-unregistered-dialect", "--print-op-generic"]
WORKERS = 2  # the machine this suite is sized for has two cores
STAGE_PROBLEM = "unaligned_f16_s257"  # the (c) problem: pad-to-tiles changes it, every stage runs


def _snapshots(report, dump: Path) -> list[Path]:
    """Every snapshot a compile wrote: program/*.mlir, and per dispatch 00-input plus each stage's."""
    snaps = sorted((dump / "program").glob("*.mlir"))
    for d in report.dispatches:
        snaps.append(dump / "stages" / d.name / "00-input.mlir")
        snaps += [dump / s.snapshot for s in d.stages]
    return snaps


# An op form: one line of IREE's local-scope generic print with SSA names and integers (shapes, indices, offsets)
# erased. Float literals are kept: their printing is where a value-specific round trip would go wrong.
_SSA = re.compile(r"%[\w.$-]+|\^bb\d+")
_INTEGER = re.compile(r"(?<![\w.+-])-?\d+(?![\w.])|(?<=[<x])\d+(?=x)")


def op_forms(local: str) -> set[str]:
    return {_INTEGER.sub("0", _SSA.sub("%", line.strip())) for line in local.splitlines()}


def covering(forms: dict[str, set[str]]) -> list[str]:
    """Snapshots (keys of FORMS, in order) whose op forms together are every snapshot's: greedily, the one that adds
    the most forms next (ties: the first)."""
    left, chosen = set().union(*forms.values()), []
    while left:
        key = max(forms, key=lambda k: len(forms[k] & left))
        chosen.append(key)
        left -= forms[key]
    return chosen


def _compile(root: str, name: str, cases) -> dict:
    """In a worker process: compile problem NAME's small version for CASES into ROOT/<target>/<path>/NAME. Returns
    {"reports": {case: report}, "snapshots": {case: [(snapshot, key or why it is unreadable)]}, "texts": {key:
    (IREE's generic print, its local-scope print)}}, a key naming a distinct snapshot (its local-scope print)."""
    # compile_file's last step (iree-compile of the handed-off executables, about 2/3 of a small compile) runs after
    # every snapshot is written, and ISA is not what this file checks: skip it in this worker process.
    driver._finish = lambda *args, **kwargs: None
    root = Path(root)
    out = {"reports": {}, "snapshots": {}, "texts": {}}
    for case in cases:
        target, path = case
        dump = root / target / path / name
        report = driver.compile_file(root / f"{name}.mlir", driver.CompileOptions(target, path, dump / "o.vmfb", dump))
        out["reports"][case] = report
        rows = out["snapshots"][case] = []
        for snap in _snapshots(report, dump):
            if not snap.is_file():
                rows.append((str(snap), None, "listed in the report but missing"))
                continue
            try:
                module = X.iree_parse(snap.read_text(), str(snap))
            except X.InterchangeError as e:
                rows.append((str(snap), None, str(e)))
                continue
            local = X.iree_print(module, local_scope=True)
            key = hashlib.sha1(local.encode()).hexdigest()
            out["texts"].setdefault(key, (X.iree_print(module, local_scope=False), local, str(snap)))
            rows.append((str(snap), key, ""))
    return out


def _batches(keys: list[str], texts: dict, count: int) -> list[list[str]]:
    """KEYS in COUNT batches of about equal text size (largest first onto the lightest)."""
    batches, sizes = [[] for _ in range(count)], [0] * count
    for key in sorted(keys, key=lambda k: -len(texts[k][0])):
        i = sizes.index(min(sizes))
        batches[i].append(key)
        sizes[i] += len(texts[key][0])
    return [b for b in batches if b]


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    """Every suite problem's small version compiled for every case (one problem and target per task in two worker
    processes), then the distinct snapshots that together hold every snapshot's op forms round-tripped through xDSL
    (its parser is pure Python, about 4 s/MB of generic IR: the cover is about a fifth of all the IR):
    {"reports": {case: {problem: (report, dump dir)}}, "snapshots": {case: [(path, verdict)]}, "classes",
    "distinct", "parsed"}. A snapshot outside the cover has each of its op forms round-tripped in one inside it."""
    root = tmp_path_factory.mktemp("xdsl")
    for problem in CORE:
        (root / f"{problem.name}.mlir").write_text(problem.small().to_mlir())
    # One task per problem and target (the paths of one target share most snapshots), largest first: even finish.
    targets = {target: [c for c in CASES if c[0] == target] for target, _ in CASES}
    tasks = sorted(((p.name, cases) for p in CORE for cases in targets.values()),
                   key=lambda task: (-len(task[1]), -get_problem(task[0]).k1))
    with ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("spawn")) as pool:
        results = list(pool.map(_compile, [str(root)] * len(tasks), *zip(*tasks)))
        texts = {}
        for result in results:
            for key, text in result["texts"].items():
                texts.setdefault(key, text)
        chosen = covering({key: op_forms(local) for key, (_, local, _) in texts.items()})
        batches = _batches(chosen, texts, WORKERS)
        items = [[texts[k] for k in batch] for batch in batches]
        verdicts, classes = {}, set()
        for batch, outcomes in zip(batches, pool.map(X.roundtrip_batch, items)):
            for key, (ok, reason, names) in zip(batch, outcomes):
                verdicts[key] = "" if ok else reason
                classes.update(names)
    out = {"reports": {case: {} for case in CASES}, "snapshots": {case: [] for case in CASES}, "classes": classes,
           "distinct": len(texts), "parsed": len(chosen)}
    for (name, cases), result in zip(tasks, results):
        for case in cases:
            out["reports"][case][name] = (result["reports"][case], root / case[0] / case[1] / name)
            out["snapshots"][case] += [(Path(snap), why or verdicts.get(key, ""))
                                       for snap, key, why in result["snapshots"][case]]
    return out


# --- (a) every snapshot of every path round-trips ----------------------------------------------------------------

TYPED_OPS = [D.AttentionOp, D.OnlineAttentionOp, D.LinalgExtYieldOp, D.ForallOp, D.InParallelOp,
             D.ParallelInsertSliceOp, D.InnerTiledOp, D.SubgroupReduceOp, D.ThreadIdOp, D.LaneIdOp, D.BarrierOp]


def test_every_snapshot_round_trips(compiled):
    """IREE's generic print of each snapshot, parsed by xDSL and printed back, reads back in IREE unchanged."""
    failures, table = [], []
    for (target, path), rows in compiled["snapshots"].items():
        assert rows, f"{target}/{path} wrote no snapshots"
        bad = [f"{snap}: {verdict}" for snap, verdict in rows if verdict]
        failures += bad
        table.append(f"{target:7} {path:17} {len(rows) - len(bad)}/{len(rows)} round-trip")
    print("\n" + "\n".join(table) + f"\n({compiled['parsed']} of {compiled['distinct']} distinct snapshots parsed by "
          f"xDSL hold every snapshot's op forms)")
    assert not failures, f"{len(failures)} snapshots change through xDSL:\n" + "\n".join(failures[:20])
    missing = [op.__name__ for op in TYPED_OPS if op.__name__ not in compiled["classes"]]
    assert not missing, f"no snapshot parsed these as their IRDL classes: {missing}"


def test_registered_ops_are_typed_not_unregistered(compiled):
    """The ops tilefuse's rewrites match parse as their IRDL classes, with their operands and properties named."""
    reports = compiled["reports"][("gfx942", "tilefuse")]
    report, dump = reports["gqa_bf16_d128"]
    (d,) = [d for d in report.dispatches if d.has_attention]
    stage = {s.name: dump / s.snapshot for s in d.stages}
    module = X.parse_snapshot(stage["configure"].read_text())
    (att,) = [op for op in module.walk() if isinstance(op, (D.AttentionOp, D.OnlineAttentionOp))]
    assert isinstance(att, D.OnlineAttentionOp)  # configure converts attention to online_attention
    assert len(att.indexing_maps.data) == 7 and att.mask is None and len(att.results) == 3  # Q K V scale O max sum
    assert "lowering_config" in att.attributes  # discardable attributes kept verbatim
    module = X.parse_snapshot(stage["thread-distribute"].read_text())
    names = {op.name for op in module.walk() if not isinstance(op, UnregisteredOp)}
    assert {"scf.forall", "scf.forall.in_parallel", "tensor.parallel_insert_slice", "iree_codegen.inner_tiled",
            "gpu.subgroup_reduce"} <= names
    reduce = next(op for op in module.walk() if isinstance(op, D.SubgroupReduceOp))
    assert reduce.cluster_size.value.data == 4 and reduce.cluster_stride.value.data == 16
    unregistered = {op.op_name.data for op in module.walk() if isinstance(op, UnregisteredOp)}
    assert not unregistered & {op.name for op in D.ALL_OPS}
    assert "hal.interface.binding.subspan" in unregistered  # everything else: verbatim


# --- (c) plain xdsl-opt with the entry point runs the tilefuse path's stages ---------------------------------------


def _xdsl_opt(args, stdin=None):
    return subprocess.run([XDSL_OPT, *args], input=stdin, capture_output=True, text=True)


def test_xdsl_opt_reproduces_each_tilefuse_stage(compiled, tmp_path):
    """Stage N through `xdsl-opt -p tilefuse-stage{...}` on snapshot N-1 prints the IR run_stage returns (both read
    back by IREE). The first program stage gets the problem itself; one stage is fed through the documented pipe."""
    target, path = "gfx942", "tilefuse"
    reports = compiled["reports"][(target, path)]
    report, dump = reports[STAGE_PROBLEM]
    (d,) = [d for d in report.dispatches if d.has_attention]
    inputs, program = [], get_problem(STAGE_PROBLEM).small().to_mlir()
    for ps in report.program_stages:  # each program stage on what the one before it wrote
        inputs.append((ps.name, program))
        program = (dump / ps.snapshot).read_text()
    previous = dump / "stages" / d.name / "00-input.mlir"
    for s in d.stages:
        inputs.append((s.name, previous.read_text()))
        previous = dump / s.snapshot
    stage_names = [s.name for s in get_path(path).program_stages + get_path(path).stages]
    assert [name for name, _ in inputs] == stage_names

    commands = []  # inputs written here, in this thread (one IREE context); only subprocesses run in the pool
    for i, (stage, text) in enumerate(inputs):
        spec = f"tilefuse-stage{{path={path} target={target} stage={stage}}}"
        if i == 1:  # python -m tilefuse.tools.xdsl.generic S.mlir | xdsl-opt ... (stdin)
            src = tmp_path / f"{stage}.mlir"
            src.write_text(text)
            generic = shlex.join([sys.executable, "-m", "tilefuse.tools.xdsl.generic", str(src)])
            commands.append(f"{generic} | {shlex.join([XDSL_OPT, *OPT_FLAGS, '-p', spec])}")
        else:
            src = tmp_path / f"{stage}.generic.mlir"
            src.write_text(X.iree_generic(text))
            commands.append([XDSL_OPT, str(src), *OPT_FLAGS, "-p", spec])

    def run(command):
        return subprocess.run(command, shell=isinstance(command, str), capture_output=True, text=True)

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        procs = list(pool.map(run, commands))
    runs = [(stage, text, proc) for (stage, text), proc in zip(inputs, procs)]
    for stage, text, proc in runs:
        assert proc.returncode == 0, f"{stage}: {proc.stderr[-2000:]}"
        expected = X.iree_generic(driver.run_stage(text, target, path, stage))
        assert X.iree_generic(proc.stdout, f"xdsl-opt's output of {stage}") == expected, stage


# --- (d) a failing stage is one line ---------------------------------------------------------------------------


def test_stage_error_is_one_line(compiled, tmp_path):
    reports = compiled["reports"][("gfx942", "tilefuse")]
    report, dump = reports["mha_f16_d64"]
    src = tmp_path / "00-input.generic.mlir"
    src.write_text(X.iree_generic((dump / "stages" / report.dispatches[0].name / "00-input.mlir").read_text()))
    proc = _xdsl_opt([str(src), *OPT_FLAGS, "-p", "tilefuse-stage{path=tilefuse target=gfx942 "
                                                  "stage=thread-distribute}"])
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: tilefuse-stage{path=tilefuse target=gfx942 stage=thread-distribute}: "
                               "stage 'thread-distribute' failed: ")
    proc = _xdsl_opt([str(src), *OPT_FLAGS, "-p", "tilefuse-stage{path=nope stage=lower}"])
    assert proc.returncode == 1 and proc.stderr.strip().count("\n") == 0 and "unknown path 'nope'" in proc.stderr
    # In process: an xDSL PassFailedException with the same one-line message.
    module = X.parse_generic(src.read_text())
    with pytest.raises(TilefuseStageError) as info:
        TilefuseStagePass(path="tilefuse", target="gfx942", stage="thread-distribute").apply(X.make_context(), module)
    assert "\n" not in str(info.value) and "stage 'thread-distribute' failed" in str(info.value)


def test_stage_pass_config_option(compiled, tmp_path):
    """`config=FILE.json` reaches the stage as `tilefuse compile --config` does; a bad file is a one-line error."""
    report, dump = compiled["reports"][("gfx942", "tilefuse")]["mha_f16_d64"]
    text = (dump / "stages" / report.dispatches[0].name / "00-input.mlir").read_text()
    overrides = {"tiling": {"reduction": [0, 0, 0, 32, 0]}}
    config = tmp_path / "over.json"
    config.write_text(json.dumps(overrides))
    module = X.parse_snapshot(text)
    TilefuseStagePass(stage="configure", config=str(config)).apply(X.make_context(), module)
    ours = X.iree_generic(X.print_for_iree(module))
    assert ours == X.iree_generic(driver.run_stage(text, "gfx942", "tilefuse", "configure", overrides))
    assert "reduction = [0, 0, 0, 32, 0]" in ours
    with pytest.raises(TilefuseStageError, match=r"^tilefuse-stage\{.*config=.*missing.json\}: config .*missing.json") as info:
        TilefuseStagePass(stage="configure", config=str(tmp_path / "missing.json")).apply(X.make_context(), module)
    assert "\n" not in str(info.value)


def test_generic_cli(compiled, tmp_path):
    reports = compiled["reports"][(FULL_COMPILE_TARGETS[-1], "tilefuse")]
    report, dump = reports["decode_f16_d128"]
    snap = dump / report.dispatches[-1].stages[-1].snapshot
    proc = subprocess.run([sys.executable, "-m", "tilefuse.tools.xdsl.generic", str(snap), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith('"builtin.module"() ({')
    proc = subprocess.run([sys.executable, "-m", "tilefuse.tools.xdsl.generic", str(tmp_path / "missing.mlir")],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.startswith("error: input file not found")
