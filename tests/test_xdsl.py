"""tilefuse.xdsl: every snapshot tilefuse writes crosses IREE -> xDSL -> IREE unchanged; the xDSL 0.74 traps stay
fixed; plain `xdsl-opt` (entry point `xdsl.universe`) runs the tilefuse path's stages as the `tilefuse-stage` pass.

Time: one module-scoped fixture compiles the suite's small problems and round-trips their snapshots, one problem per
task in two worker processes; every test uses it. By default every path is compiled for gfx942 and the tilefuse
path for sm_80 (every path on both targets takes about twice as long: TILEFUSE_XDSL_ALL_TARGETS=1). The workers
skip IREE's final serialization (the snapshots are written before it, and ISA is not what this file checks), and
a snapshot identical to one already checked (IREE's generic print; stock and hint share most) is not re-parsed.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import resource
import shlex
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest
from xdsl.context import Context
from xdsl.dialects import get_all_dialects
from xdsl.dialects.builtin import DenseIntOrFPElementsAttr, UnregisteredOp
from xdsl.parser import Parser
from xdsl.utils.exceptions import DiagnosticException, ParseError

from tilefuse import driver
from tilefuse.paths import PATHS, get_path
from tilefuse.suite import SUITE, get_problem
from tilefuse.xdsl import dialects as D
from tilefuse.xdsl import interchange as X
from tilefuse.xdsl import patches
from tilefuse.xdsl.stage_pass import TilefuseStageError, TilefuseStagePass

ALL_TARGETS = os.environ.get("TILEFUSE_XDSL_ALL_TARGETS") == "1"
CASES = [("gfx942", p) for p in PATHS] + (
    [("sm_80", p) for p in PATHS] if ALL_TARGETS else [("sm_80", "tilefuse")])
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


def _compile_and_check(root: str, name: str, cases) -> dict:
    """In a worker process: compile problem NAME's small version for CASES into ROOT/<target>/<path>/NAME and
    round-trip each distinct snapshot (IREE's generic print) through xDSL. Returns
    {"reports": {case: report}, "snapshots": {case: [(snapshot, verdict)]}, "classes": op classes seen}, where a
    verdict is "" or why the snapshot does not round-trip."""
    # compile_file's last step (iree-compile of the handed-off executables, about 2/3 of a small compile) runs after
    # every snapshot is written, and ISA is not what this file checks: skip it in this worker process.
    driver._finish = lambda *args, **kwargs: None
    cpu = _cpu_seconds()
    root = Path(root)
    src = root / f"{name}.mlir"
    ctx = X.make_context()
    verdicts: dict[str, str] = {}
    out = {"reports": {}, "snapshots": {}, "classes": set()}
    for case in cases:
        target, path = case
        dump = root / target / path / name
        report = driver.compile_file(src, target, path, dump / "o.vmfb", dump)
        out["reports"][case] = report
        rows = out["snapshots"][case] = []
        for snap in _snapshots(report, dump):
            if not snap.is_file():
                rows.append((str(snap), "listed in the report but missing"))
                continue
            try:
                module = X.iree_parse(snap.read_text(), str(snap))
            except X.InterchangeError as e:
                rows.append((str(snap), str(e)))
                continue
            local = X.iree_print(module, local_scope=True)
            key = hashlib.sha1(local.encode()).hexdigest()
            if key not in verdicts:
                result = X.roundtrip_generic(X.iree_print(module, local_scope=False), ctx, str(snap), local)
                verdicts[key] = "" if result.ok else result.reason
                if result.module is not None:
                    out["classes"].update(type(op).__name__ for op in result.module.walk())
            rows.append((str(snap), verdicts[key]))
    out["distinct"] = len(verdicts)
    out["cpu"] = (os.getpid(), _cpu_seconds() - cpu)
    return out


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (iree-compile)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    """Every suite problem's small version compiled for every case and its snapshots round-tripped, one problem and
    target per task in two worker processes (xDSL's parser is pure Python, about 4 s/MB of generic IR):
    {"reports": {case: {problem: (report, dump dir)}}, "snapshots": {case: [(path, verdict)]}, "classes", "distinct"}."""
    root = tmp_path_factory.mktemp("xdsl")
    for problem in SUITE:
        (root / f"{problem.name}.mlir").write_text(problem.small().to_mlir())
    # One task per problem and target (the paths of one target share most snapshots), largest first: even finish.
    targets = {target: [c for c in CASES if c[0] == target] for target, _ in CASES}
    tasks = sorted(((p.name, cases) for p in SUITE for cases in targets.values()),
                   key=lambda task: (-len(task[1]), -get_problem(task[0]).k1))
    with ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("spawn")) as pool:
        results = list(pool.map(_compile_and_check, [str(root)] * len(tasks), *zip(*tasks)))
    out = {"reports": {case: {} for case in CASES}, "snapshots": {case: [] for case in CASES}, "classes": set(),
           "distinct": 0, "cpu": {}}
    for (name, cases), result in zip(tasks, results):
        for case in cases:
            out["reports"][case][name] = (result["reports"][case], root / case[0] / case[1] / name)
            out["snapshots"][case] += [(Path(snap), verdict) for snap, verdict in result["snapshots"][case]]
        out["classes"] |= result["classes"]
        out["distinct"] += result["distinct"]
        pid, seconds = result["cpu"]
        out["cpu"][pid] = out["cpu"].get(pid, 0.0) + seconds
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
    cpu = ", ".join(f"{seconds:.0f}" for seconds in compiled["cpu"].values())
    print("\n" + "\n".join(table) + f"\n({compiled['distinct']} distinct snapshots parsed by xDSL; "
          f"CPU seconds per worker: {cpu})")
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


# --- (b) the xDSL 0.74 traps ---------------------------------------------------------------------------------------

HEX = """func.func @f() -> (vector<4xf32>, vector<4xbf16>, vector<2xf16>, f32) {
  %a = arith.constant dense<0xFF800000> : vector<4xf32>
  %b = arith.constant dense<0xFF80> : vector<4xbf16>
  %c = arith.constant dense<[0x7C00, 1.0]> : vector<2xf16>
  %d = arith.constant 0xFF800000 : f32
  return %a, %b, %c, %d : vector<4xf32>, vector<4xbf16>, vector<2xf16>, f32
}"""


def _constants(module):
    return [op.properties["value"] for op in module.walk() if op.name == "arith.constant"]


def test_hex_splat_minus_inf_survives():
    module = X.parse_snapshot(HEX)
    a, b, c, d = _constants(module)
    assert isinstance(a, DenseIntOrFPElementsAttr)
    assert list(a.get_values()) == [float("-inf")] * 4
    assert list(b.get_values()) == [float("-inf")] * 4
    assert list(c.get_values()) == [float("inf"), 1.0]
    assert d.value.data == float("-inf")
    result = X.roundtrip(HEX)
    assert result.ok, result.reason
    assert "dense<0xFF800000> : vector<4xf32>" in X.iree_generic(result.xdsl_text)


def test_hex_splat_is_wrong_without_the_patch():
    """Why patches.py exists: xDSL 0.74 reads the bit pattern as an integer value (4.29e9), silently."""
    element = patches.AttrParser._TensorLiteralElement
    patched = element.to_type
    element.to_type = patched.__wrapped__
    try:
        module = X.parse_generic(X.iree_generic(HEX))
    finally:
        element.to_type = patched
    assert list(_constants(module)[0].get_values()) == [float(0xFF800000)] * 4


GPU = """func.func @f(%x: f32) -> (index, f32) {
  %t = gpu.thread_id y
  %l = gpu.lane_id upper_bound 64
  %r = gpu.subgroup_reduce maximumf %x cluster(size = 4, stride = 16) : (f32) -> f32
  gpu.barrier
  return %t, %r : index, f32
}"""


def test_gpu_round_trips_with_interchange_gpu_not_xdsls():
    """xDSL 0.74's own gpu dialect cannot read what IREE prints (`#gpu.dim<y>`, `maximumf`); the interchange's gpu
    defines the ops tilefuse matches and keeps the attributes verbatim."""
    result = X.roundtrip(GPU)
    assert result.ok, result.reason
    ops = {type(op) for op in result.module.walk()}
    assert {D.ThreadIdOp, D.LaneIdOp, D.SubgroupReduceOp, D.BarrierOp} <= ops
    xdsl_gpu = Context(allow_unregistered=True)
    for name in ("builtin", "func", "gpu"):
        xdsl_gpu.register_dialect(name, get_all_dialects()[name])
    for line in X.iree_generic(GPU).splitlines():
        if '"gpu.thread_id"' in line or '"gpu.subgroup_reduce"' in line:
            with pytest.raises(ParseError):
                Parser(xdsl_gpu, '"builtin.module"() ({\n%x = "test.x"() : () -> f32\n' + line + "\n}) : () -> ()"
                       ).parse_module()


ALLOC = """func.func @f() -> tensor<4x4xf16, #gpu.address_space<workgroup>> {
  %0 = "bufferization.alloc_tensor"() <{memory_space = #gpu.address_space<workgroup>, operandSegmentSizes = array<i32: 0, 0, 0>}> : () -> tensor<4x4xf16, #gpu.address_space<workgroup>>
  return %0 : tensor<4x4xf16, #gpu.address_space<workgroup>>
}"""


def test_bufferization_alloc_tensor_keeps_its_memory_space():
    """bufferization stays unregistered: xDSL 0.74's alloc_tensor declares no memory_space, so its verifier rejects
    IREE's op and its custom syntax drops the attribute."""
    result = X.roundtrip(ALLOC)
    assert result.ok, result.reason
    (alloc,) = [op for op in result.module.walk() if isinstance(op, UnregisteredOp)
                and op.op_name.data == "bufferization.alloc_tensor"]
    assert "memory_space = #gpu.address_space<workgroup>" in X.iree_generic(result.xdsl_text)
    ctx = Context(allow_unregistered=True)
    for name in ("builtin", "func", "bufferization"):
        ctx.register_dialect(name, get_all_dialects()[name])
    module = Parser(ctx, X.iree_generic(ALLOC)).parse_module()
    with pytest.raises(DiagnosticException, match="memory_space"):
        module.verify()
    import io

    from xdsl.printer import Printer

    custom = io.StringIO()
    Printer(stream=custom).print_op(module)
    assert "bufferization.alloc_tensor" in custom.getvalue() and "memory_space" not in custom.getvalue()


AFFINE = """func.func @f(%i: index) -> (index, index) {
  %0 = affine.apply affine_map<(d0) -> (((d0 + 256) * 8) mod 128)>(%i)
  %1 = affine.apply affine_map<(d0)[s0] -> (d0 - s0 * 2 - (d0 + 3) floordiv 4)>(%i)[%i]
  return %0, %1 : index, index
}"""


def test_affine_maps_cross_verbatim():
    """xDSL's own affine parser distributes `(d0 + 256) * 8`, which IREE then folds: the map changes."""
    assert X.roundtrip(AFFINE).ok
    ctx = X.make_context()
    plain = Parser(ctx, X.iree_generic(AFFINE)).parse_module()  # xDSL's parser, not the interchange's
    assert X.iree_generic(X.print_for_iree(plain)) != X.iree_generic(AFFINE)


VECTOR_ARITH = """func.func @f(%c: vector<4xi1>, %a: vector<4xi32>, %b: vector<4xi32>) -> vector<4xi8> {
  %0 = arith.select %c, %a, %b : vector<4xi1>, vector<4xi32>
  %1 = arith.trunci %0 overflow<nsw> : vector<4xi32> to vector<4xi8>
  return %1 : vector<4xi8>
}"""


def test_arith_ops_xdsl_types_too_narrowly_stay_verbatim():
    assert X.roundtrip(VECTOR_ARITH).ok
    ctx = Context(allow_unregistered=True)
    for name in ("builtin", "func", "arith"):
        ctx.register_dialect(name, get_all_dialects()[name])
    with pytest.raises(DiagnosticException):
        Parser(ctx, X.iree_generic(VECTOR_ARITH)).parse_module().verify()


# --- (c) plain xdsl-opt with the entry point runs the tilefuse path's stages ---------------------------------------


def _xdsl_opt(args, stdin=None):
    return subprocess.run([XDSL_OPT, *args], input=stdin, capture_output=True, text=True)


def test_xdsl_opt_finds_the_plugin():
    from xdsl.universe import Universe

    multiverse = Universe.get_multiverse()
    assert {"tilefuse-stage", "tilefuse-interchange"} <= set(multiverse.all_passes)
    assert {"iree_linalg_ext", "iree_codegen"} <= set(multiverse.all_dialects)
    proc = _xdsl_opt(["--help"])
    assert proc.returncode == 0 and "tilefuse-stage" in proc.stdout


def test_xdsl_opt_reproduces_each_tilefuse_stage(compiled, tmp_path):
    """Stage N through `xdsl-opt -p tilefuse-stage{...}` on snapshot N-1 prints the IR run_stage returns (both read
    back by IREE). The program stage gets the problem itself; one stage is fed through the documented pipe."""
    target, path = "gfx942", "tilefuse"
    reports = compiled["reports"][(target, path)]
    report, dump = reports[STAGE_PROBLEM]
    (d,) = [d for d in report.dispatches if d.has_attention]
    program = get_problem(STAGE_PROBLEM).small().to_mlir()
    inputs = [("pad-to-tiles", program)]
    previous = dump / "stages" / d.name / "00-input.mlir"
    for s in d.stages:
        inputs.append((s.name, previous.read_text()))
        previous = dump / s.snapshot
    stage_names = [s.name for s in get_path(path).program_stages + get_path(path).stages]
    assert [name for name, _ in inputs] == stage_names

    commands = []  # inputs written here, in this thread (one IREE context); only subprocesses run in the pool
    for i, (stage, text) in enumerate(inputs):
        spec = f"tilefuse-stage{{path={path} target={target} stage={stage}}}"
        if i == 1:  # python -m tilefuse.xdsl.generic S.mlir | xdsl-opt ... (stdin)
            src = tmp_path / f"{stage}.mlir"
            src.write_text(text)
            generic = shlex.join([sys.executable, "-m", "tilefuse.xdsl.generic", str(src)])
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
    reports = compiled["reports"][("sm_80", "tilefuse")]
    report, dump = reports["decode_f16_d128"]
    snap = dump / report.dispatches[-1].stages[-1].snapshot
    proc = subprocess.run([sys.executable, "-m", "tilefuse.xdsl.generic", str(snap), "--check"], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith('"builtin.module"() ({')
    proc = subprocess.run([sys.executable, "-m", "tilefuse.xdsl.generic", str(tmp_path / "missing.mlir")],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.startswith("error: input file not found")
