"""The compile driver: IREE front end, the path's stages in process with snapshots, hand-off, ISA.

    the path's program stages on the input             (in process, snapshot + time after each)
    iree-compile --compile-to=executable-sources      (IREE: flow, streams, HAL interfaces)
    for each executable: the path's stages, in order  (in process, snapshot + time after each)
    translation_info pipeline := no_pipeline          (the hand-off)
    iree-compile --compile-from=executable-sources --iree-hal-substitute-executable-configuration=...
                                                      (IREE: ROCDL/NVVM, serialize)

With --fallback, a refused dispatch holding what the program stages made of an input attention has that attention
left as written and the first three steps run again (tilefuse/driver/fallback.py).
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Callable

import iree.compiler.ir as ir

from ..ir import irutil
from ..codegen.stages.configure import config_of
from .contain import Mark, map_contained
from ..errors import StageError, TilefuseError, Unsupported
from .fallback import RefusedRewrite, Rewrites, Untraceable
from .faults import drop_untracked_attrs
from ..ir.facts import ATTENTION_OPS
from ..target.iree_tools import iree_compile
from .isa import read_metrics
from ..perf.estimate import estimate, padding_fraction
from ..perf.launch import read_exports
from ..perf.work import DispatchWork, attention_work, dispatch_work, global_bytes
from ..codegen.paths import Path as CodegenPath
from ..codegen.paths import get_path
from .report import DispatchReport, ProgramStageRecord, Report, StageRecord
from .run_time import at_run_time, needs_sizes
from ..target.targets import Target, get_target
from ..codegen.stage import StageInput, StageResult
from ..codegen.strategy import write_strategy
from ..codegen.transform import TransformSession


# IREE's front end up to the executables, printed with their locations: the final iree-compile goes on from this
# print instead of redoing the front end (a third of a small compile), and the module it serializes is byte for
# byte the one `iree-compile PROGRAM` writes (the locations are what a print without debug info would change).
SOURCES = "sources.mlir"
TO_SOURCES = ["--compile-to=executable-sources", "--mlir-print-debuginfo"]

# (dispatch, stage, IR after the stage) -> None, or (the IR to go on with, a record of what was done)
BetweenStages = Callable[[str, str, str], "tuple[str, dict] | None"]


def no_progress(msg: str) -> None:
    """The default `progress` of the options objects: nothing printed."""


@dataclass(frozen=True)
class CompileOptions:
    """How `compile_file` compiles: the target and path (a name or a Path), the output and the dump directory;
    `progress` lines, the `fallback` path for a dispatch the path cannot handle (an attention the program stages
    rewrote is first put back as written: `_compile_program`), the user's `config_overrides` (--config),
    `drop_attrs_after=STAGE` (the loss of untracked attributes injected right after that stage: faults.py), and
    `between_stages(dispatch, stage, ir_text)`, called after every stage of the path on every dispatch it lowers:
    None, or (the IR to go on with, what it did), which the dispatch report lists under `rewrites`
    (tilefuse/tools/rewrite.py: xDSL pipelines, resuming from an edited snapshot); `dims`, the sizes of the
    entry's dynamic dims the estimate is read at (driver/run_time.py). The CLI builds it from its flags."""

    target: str
    path: str | CodegenPath
    output: Path | str
    dump_dir: Path | str
    progress: Callable[[str], None] = no_progress
    fallback: str | None = None
    config_overrides: dict | None = None
    drop_attrs_after: str | None = None
    between_stages: BetweenStages | None = None
    dims: dict[str, int] | None = None  # sizes of the entry's dynamic dims to estimate at (--dim; run_time.py)


def compile_file(input_path, options: CompileOptions) -> Report:
    """Compiles INPUT as OPTIONS say. Raises TilefuseError for bad input; a failing stage gives a report with
    ok=False and the error (the report is written either way)."""
    start = time.perf_counter()
    input_path = Path(input_path)
    target = get_target(options.target)
    path = get_path(options.path) if isinstance(options.path, str) else options.path
    fallback_path = get_path(options.fallback) if options.fallback else None
    if options.drop_attrs_after is not None and options.drop_attrs_after not in path.stage_names():
        raise TilefuseError(f"--drop-untracked-attrs-after: path '{path.name}' has no stage "
                            f"'{options.drop_attrs_after}' (stages: {', '.join(path.stage_names())})")
    if not input_path.is_file():
        raise TilefuseError(f"input file not found: {input_path}")
    dump_dir = Path(options.dump_dir)
    _clear_codegen_dumps(dump_dir)
    dump_dir.mkdir(parents=True, exist_ok=True)
    report = Report(input=str(input_path), target=target.name, path=path.name, program=str(input_path))
    try:
        libraries = path.libraries + [lib for lib in (fallback_path.libraries if fallback_path else [])
                                      if lib not in path.libraries]
        session = TransformSession(libraries)
        lower = dict(target=target, session=session, config_overrides=options.config_overrides, dump_dir=dump_dir,
                     progress=options.progress, drop_attrs_after=options.drop_attrs_after,
                     between_stages=options.between_stages)
        report.dispatches, substitutions = _compile_program(input_path, path, fallback_path,
                                                            StageInput(target, session, options.config_overrides,
                                                                       m_tail=path.m_tail),
                                                            report, lower)
        _finish(dump_dir / SOURCES, target, ["--compile-from=executable-sources", *substitutions],
                Path(options.output), dump_dir, report, options.dims)
        report.ok = True
        report.output = str(options.output)
    except StageError as e:
        report.error, report.failed_stage = str(e), e.stage
        if e.field is not None:  # caused by the user's config: an input error, raised like the others
            raise
    except TilefuseError as e:
        report.error = str(e)  # bad input: the caller reports it too, the report must still say why
        raise
    finally:
        report.compile_seconds = round(time.perf_counter() - start, 3)
        report.write(dump_dir / "report.json")
    return report


def _compile_program(input_path: Path, path: CodegenPath, fallback_path: CodegenPath | None,
                     stage_input: StageInput, report: Report, lower: dict) -> tuple[list[DispatchReport], list[str]]:
    """The path's program stages, then the program's dispatches through PATH: the dispatch reports and the hand-off
    flags. With a fallback, a refused dispatch holding ops of attentions the program stages rewrote has those
    attentions left as written and the program staged and compiled again (each round leaves at least one more
    input attention as written, so it ends); one it cannot trace to the input's attention ops sends the input
    program, as the user wrote it, through the fallback (tilefuse/driver/fallback.py)."""
    dump_dir, progress = lower["dump_dir"], lower["progress"]
    while True:
        program, rewrites = _run_program_stages(input_path, path, stage_input, dump_dir, report, progress)
        try:
            return _lower_program(program, path, fallback_path, rewrites, **lower)
        except RefusedRewrite as refused:
            reverted = rewrites.reverted(refused, dump_dir)
            report.attention_fallbacks += reverted
            stage_input = replace(stage_input, keep_as_written=stage_input.keep_as_written | set(refused.origins))
            progress(f"{refused.error}; its program-stage rewrites of the attention at "
                     f"{', '.join(r['attention'] for r in reverted)} undone, compiling again")
        except StageError as e:
            if fallback_path is None or rewrites is None or e.field is not None:  # a bad config field is the user's
                raise
            progress(f"{e}; falling back to the {fallback_path.name} path on the input program")
            report.program_fallback = {"from": path.name, "to": fallback_path.name, "reason": str(e),
                                       "discarded_program_stages": [asdict(s) for s in report.program_stages]}
            report.program_stages, report.program = [], str(input_path)
            dispatches, substitutions = _lower_program(input_path, fallback_path, None, None, **lower)
            for d in dispatches:
                d.fallback = {"from": path.name, "to": fallback_path.name, "reason": str(e)}
            return dispatches, substitutions


def _lower_program(program: Path, path: CodegenPath, fallback_path: CodegenPath | None, rewrites: Rewrites | None,
                   *, target: Target, session: TransformSession, config_overrides, dump_dir: Path, progress,
                   drop_attrs_after, between_stages) -> tuple[list[DispatchReport], list[str]]:
    """IREE's front end on PROGRAM, then every executable through PATH (a dispatch PATH refuses through
    `fallback_path` when given, unless it holds ops of an attention the program stages rewrote (REWRITES):
    RefusedRewrite names those): the dispatch reports and the hand-off flags."""
    _clear_codegen_dumps(dump_dir)
    sources = dump_dir / SOURCES
    front_end(program, [*target.flags, *TO_SOURCES], sources)
    top = session.parse(sources.read_text())
    for p in (path, fallback_path):
        if p is not None and any(s.python or s.params for s in p.stages):
            target.facts  # (an iree-compile probe, cached per process: here, not in each child of contain.py)

    def lower(exe, mark: Mark, crashed: StageError | None) -> tuple[DispatchReport, Path | None]:
        """PATH on one executable, or, when it fails (or crashed the previous child: `crashed`), the fallback."""
        error = crashed
        if error is None:
            try:
                return _lower_executable(StageInput(target, session, config_overrides), exe, path, dump_dir, progress,
                                         between_stages, mark, drop_attrs_after)
            except StageError as e:
                if fallback_path is None or e.field is not None:  # a bad config field is the user's to fix
                    raise
                error = e
        if rewrites is not None:
            try:
                carried = rewrites.carried_by(exe)
            except Untraceable as why:
                raise StageError(error.stage, f"{error.message} (and the dispatch cannot be traced to the input's "
                                 f"attention ops: {why})", error.dispatch) from error
            if carried:
                raise RefusedRewrite(error, carried)
        progress(f"{irutil.sym_name(exe)}: {error}; falling back to the {fallback_path.name} path")
        drop = drop_attrs_after if drop_attrs_after in fallback_path.stage_names() else None
        # after a refusal (not a crash), the fallback's marks carry it: if the fallback crashes, it died with the child
        fallback_mark = mark if crashed is not None else lambda stage: mark("\n".join((stage, error.stage,
                                                                                      error.message)))
        try:
            d, handoff = _lower_executable(StageInput(target, session), exe, fallback_path, dump_dir, progress,
                                           mark=fallback_mark, drop_attrs_after=drop)
        except StageError as again:
            raise _after(again, error, path, fallback_path) from again
        d.fallback = {"from": path.name, "to": fallback_path.name, "reason": str(error)}
        return d, handoff

    def on_crash(error: StageError, crashed: StageError | None) -> StageError:
        if "\n" in error.stage:  # the fallback crashed after the path refused the dispatch: not retried
            stage, refused_in, refusal = error.stage.split("\n", 2)
            raise _after(StageError(stage, error.message, error.dispatch), StageError(refused_in, refusal), path,
                         fallback_path)
        if crashed is not None:  # the fallback crashed too
            raise _after(error, crashed, path, fallback_path)
        if fallback_path is None:
            raise error
        return error

    dispatches, substitutions = [], []
    at_load = irutil.dispatched_at_load_only(top)
    in_sources = {}
    for d, handoff in map_contained(irutil.ops_named(top, "hal.executable"), lower, on_crash, irutil.sym_name):
        d.runs_at_load = d.name in at_load
        dispatches.append(d)
        if handoff is not None and (d.plan or {}).get("run_time_heads"):
            in_sources[d.name] = handoff
        elif handoff is not None:
            substitutions.append(f"--iree-hal-substitute-executable-configuration={d.name}={handoff}")
    if in_sources:
        _hand_off_in_sources(sources, in_sources, session)
    return dispatches, substitutions


def _hand_off_in_sources(sources: Path, handoffs: dict[str, Path], session: TransformSession) -> None:
    """The executables HANDOFFS names replaced in the sources by their hand-offs. IREE configures the sources
    before it substitutes a configured executable, and its configuration of an attention with run-time head dims
    divides by zero (SIGFPE; design/tilefuse-path.md, "f32 attention and run-time head dims"); a hand-off's
    function has its translation_info, which IREE's configuration keeps as it is."""
    top = session.parse(sources.read_text())
    for exe in irutil.ops_named(top, "hal.executable"):
        name = irutil.sym_name(exe)
        if name in handoffs:
            handoff = session.parse(handoffs[name].read_text())  # (held: its ops live in it)
            (new,) = [e for e in irutil.ops_named(handoff, "hal.executable") if irutil.sym_name(e) == name]
            new.operation.clone(ir.InsertionPoint(exe))
            exe.operation.erase()
    sources.write_text(str(top))


def _clear_codegen_dumps(dump_dir: Path) -> None:
    """What lowering a program writes (a fallback's compile of the input must not leave the refused one's)."""
    for sub in ("stages", "handoff", "executables", "strategies"):
        shutil.rmtree(dump_dir / sub, ignore_errors=True)


def _run_program_stages(input_path: Path, path: CodegenPath, stage_input: StageInput, dump_dir: Path,
                        report: Report, progress) -> tuple[Path, Rewrites | None]:
    """The path's program stages on the input after IREE's input conversion (torch, StableHLO, TOSA: there
    attention is `iree_linalg_ext.attention`), leaving the attention ops in `stage_input.keep_as_written` alone;
    returns the program for IREE's front end and what the stages rewrote (the input itself and None when no stage
    changed anything, so a program the stages leave alone compiles exactly as given)."""
    shutil.rmtree(dump_dir / "program", ignore_errors=True)
    report.program_stages, report.program = [], str(input_path)
    if not path.program_stages:
        return input_path, None
    snap_dir = dump_dir / "program"
    snap_dir.mkdir()
    converted = convert_input(input_path, stage_input.target, snap_dir / "00-input.mlir")
    # From its file: an op's location is its line and column, which names an attention op through the stages
    module = _parse(stage_input.session, converted, f"{converted} (IREE's input conversion of {input_path})")
    staged, plans = [], {}  # the plans of the program's attention ops, handed from stage to stage
    for i, stage in enumerate(path.program_stages, start=1):
        progress(f"program: {stage.name}")
        t0 = time.perf_counter()
        result = _apply_stage(stage, module, replace(stage_input, plans=plans), "program")
        module, plans = result.module, {**plans, **result.plans}
        snapshot = snap_dir / f"{i:02d}-{stage.name}.mlir"
        snapshot.write_text(str(module))
        report.program_stages.append(ProgramStageRecord(stage.name, round(time.perf_counter() - t0, 4),
                                                        str(snapshot.relative_to(dump_dir)), list(result.changes)))
        staged.append((stage.name, list(result.changes), list(result.changed_ops)))
    if not any(changes for _, changes, _ in staged):
        return input_path, None
    report.program = str(snapshot)
    return snapshot, Rewrites.of(snapshot, module, stage_input.session, staged)


def run_stage(snapshot_text: str, target_name: str, path_name: str, stage_name: str,
              config_overrides: dict | None = None) -> str:
    """One stage of a path on a snapshot (the IR a previous stage left; for a program stage, the input program):
    the IR after it. The same function the driver calls, so a lit test of a Python stage tests what `compile`
    runs."""
    path, target = get_path(path_name), get_target(target_name)
    stages = path.program_stages + path.stages
    stage = next((s for s in stages if s.name == stage_name), None)
    if stage is None:
        raise TilefuseError(f"path {path.name} has no stage '{stage_name}' "
                            f"(stages: {', '.join(s.name for s in stages)})")
    session = TransformSession(path.libraries)
    if stage in path.program_stages:
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "input.mlir").write_text(snapshot_text)
            snapshot_text = convert_input(Path(tmp) / "input.mlir", target, Path(tmp) / "converted.mlir").read_text()
    module = _parse(session, snapshot_text, "the snapshot")
    return str(_apply_stage(stage, module, StageInput(target, session, config_overrides, m_tail=path.m_tail)).module)


def convert_input(input_path: Path, target: Target, output: Path) -> Path:
    """IREE's input conversion of a program (torch, StableHLO, TOSA or linalg): what the program stages see."""
    output.parent.mkdir(parents=True, exist_ok=True)
    front_end(input_path, [*target.flags, "--compile-to=input"], output)
    return output


_FRONT_END: dict[tuple, str] = {}


def front_end(program: Path, flags: list[str], output: Path) -> None:
    """iree-compile PROGRAM FLAGS -o OUTPUT for a phase before codegen. Its result depends only on the program's
    text, its path (the printed locations name it: the per-attention fallback traces dispatches back through them)
    and the flags, so a process that compiles one input through several paths (ab, the tests) runs it once."""
    key = (str(Path(program).resolve()), hashlib.sha256(Path(program).read_bytes()).hexdigest(), tuple(flags))
    if key not in _FRONT_END:
        iree_compile([program, *flags, "-o", output], what=str(program))
        _FRONT_END[key] = Path(output).read_text()
    else:
        Path(output).write_text(_FRONT_END[key])


def _parse(session, text: str | Path, what: str) -> ir.Module:
    """TEXT, or the file it names."""
    try:
        return session.parse_file(text) if isinstance(text, Path) else session.parse(text)
    except ir.MLIRError as e:
        raise TilefuseError(f"{what} does not parse: {irutil.error_line(e)}") from None


def _apply_stage(stage, module: ir.Module, stage_input: StageInput, dispatch: str | None = None) -> StageResult:
    """Runs one stage (Python pass or sequence) and returns what it did; a pass's diagnostics or a
    Python stage refusing the input become a StageError naming the stage, the dispatch (or "program") and the
    config field that caused it, if one did."""
    try:
        return stage.run(module, stage_input)
    except (ir.MLIRError, TilefuseError, Unsupported) as e:  # Unsupported: the path declines (--fallback)
        raise StageError(stage.name, irutil.error_line(e), dispatch, getattr(e, "field", None)) from e


def _after(again: StageError, error: StageError, path: CodegenPath, fallback_path: CodegenPath) -> StageError:
    """The fallback's failure AGAIN, saying what it fell back from."""
    return StageError(again.stage, f"{again.message} (the {fallback_path.name} fallback, after the {path.name} "
                      f"path's '{error.stage}': {error.message})", again.dispatch)


def _lower_executable(stage_input: StageInput, exe: ir.Operation, path: CodegenPath, dump_dir: Path,
                      progress, between_stages=None, mark: Mark = lambda stage: None,
                      drop_attrs_after: str | None = None) -> tuple[DispatchReport, Path | None]:
    """The path's stages on one executable, a snapshot after each; `mark(stage)` before each (contain.py);
    `drop_attrs_after`: the stage after which untracked attributes are lost (fault injection, faults.py)."""
    target = stage_input.target
    module = irutil.standalone(exe)
    d = _describe(exe)
    name = d.name
    snap_dir = dump_dir / "stages" / name
    shutil.rmtree(snap_dir, ignore_errors=True)  # a fallback rewrites the failed path's snapshots
    snap_dir.mkdir(parents=True)
    (snap_dir / "00-input.mlir").write_text(str(module))
    moved = global_bytes(module)
    for i, stage in enumerate(path.stages, start=1):
        progress(f"{name}: {stage.name}")
        mark(stage.name)
        t0 = time.perf_counter()
        result = _apply_stage(stage, module, stage_input, name)
        module = result.module
        seconds = round(time.perf_counter() - t0, 4)
        if stage.name == drop_attrs_after:
            d.fault = {"drop_untracked_attrs_after": stage.name, "dropped": drop_untracked_attrs(module)}
        mark(f"edit after {stage.name}")
        try:
            edited = between_stages(name, stage.name, str(module)) if between_stages else None
            if edited is not None:
                text, record = edited
                module = _parse(stage_input.session, text, "the edited IR")
                d.rewrites.append(record)
        except TilefuseError as e:  # the edit failed, or IREE rejects what it produced
            raise StageError(f"edit after {stage.name}", str(e), name) from e
        snapshot = snap_dir / f"{i:02d}-{stage.name}.mlir"
        snapshot.write_text(str(module))
        d.stages.append(StageRecord(stage.name, seconds, str(snapshot.relative_to(dump_dir))))
        if stage.configures:
            d.config = _config_of(module)
            d.work = DispatchWork(moved, attention_work(module))
            d.configured = d.stages[-1].snapshot
            if result.config is not None:
                config = result.config
                if d.rewrites and d.rewrites[-1]["after"] == stage.name:  # edited: the config is what the IR carries
                    config = config_of(module)
                d.config["tilefuse"] = config.to_dict()
                d.plan = replace(result.plan, config=config).to_dict()
                # A strategy replays the path inside stock iree-compile: only a path whose later stages are
                # all transform-dialect sequences has one (tilefuse-vd; tilefuse's lane stage is Python).
                if all(s.python is None for s in path.stages[i:]):
                    strategy = dump_dir / "strategies" / f"{name}.mlir"
                    write_strategy(strategy, config, module, target, path.stages[i:])
                    d.config["strategy"] = str(strategy.relative_to(dump_dir))
            d.pipeline = d.config.get("pipeline")
            if d.pipeline != path.pipeline:
                d.lowered_by = "iree"
                return d, None
    mark("hand-off")
    _stack_private_allocations(module, name)
    for func in irutil.funcs(module):
        if irutil.translation_info(func) is not None:
            irutil.set_no_pipeline(func)
    handoff = dump_dir / "handoff" / f"{name}.mlir"
    handoff.parent.mkdir(exist_ok=True)
    handoff.write_text(str(module))  # the executable with the resources it uses (a model's inlined constants)
    return d, handoff


def _stack_private_allocations(module: ir.Module, dispatch: str) -> None:
    """Private memory on the stack, as iree-compile's own GPU pipeline allocates it: the in-process bufferize
    stage runs IREE's registered bufferization pass, whose default allocation function gives private buffers a
    `memref.alloc` (and a `memref.dealloc`), where iree-compile's pipeline passes an allocation function
    (LLVMGPU/Passes.cpp, `gpuRequireMemSpaceAllocationFn`) that gives them a `memref.alloca`. IREE's GPU
    lowering has no heap (a malloc call fails in LLVM), so each statically shaped private alloc becomes the
    alloca iree-compile would have made and its dealloc goes. Static attention shapes leave none; IREE's
    dynamic-shape configs do (the loop-carried accumulators of a run-time K2 loop). A dynamically sized one
    iree-compile would have bounded (hoist-statically-bound-allocations runs on allocas only): refused."""
    from iree.compiler.dialects import memref
    with module.context:
        private = ir.Attribute.parse("#gpu.address_space<private>")
    allocs = [op for op in irutil.ops_named(module, "memref.alloc")
              if ir.MemRefType(op.results[0].type).memory_space == private]
    if any(not ir.MemRefType(op.results[0].type).has_static_shape for op in allocs):
        raise StageError("hand-off", "a dynamically sized memref.alloc of private memory, which IREE's GPU "
                         "lowering cannot lower (iree-compile's pipeline bounds such a buffer on the stack)",
                         dispatch)
    for op in allocs:
        value = op.results[0]
        for use in list(value.uses):
            if use.owner.name == "memref.dealloc":
                use.owner.erase()
        with module.context, op.location, ir.InsertionPoint(op):
            alloca = memref.AllocaOp(value.type, [], [], alignment=op.attributes["alignment"]
                                     if "alignment" in op.attributes else None)
        value.replace_all_uses_with(alloca.result)
        op.erase()


def _describe(exe: ir.Operation) -> DispatchReport:
    return DispatchReport(
        name=irutil.sym_name(exe),
        # online_attention: a split dispatch of flash-decoding (split-k2 makes it in the program)
        has_attention=any(irutil.ops_named(exe, op) for op in ATTENTION_OPS),
        exports=[irutil.sym_name(e) for e in irutil.ops_named(exe, "hal.executable.export")],
    )


def _config_of(module: ir.Module) -> dict:
    """The configuration the configure stage chose: translation info and the root op's configs."""
    cfg = {}
    for func in irutil.funcs(module):
        ti = irutil.translation_info(func)
        if ti is not None:
            cfg["pipeline"] = irutil.pipeline_name(func)
            cfg["translation_info"] = str(ti)
    for op in irutil.walk(module.operation):
        if op.name in ATTENTION_OPS or (not cfg.get("root_op") and "lowering_config" in op.attributes):
            cfg["root_op"] = op.name
            for key in ("lowering_config", "decomposition_config"):
                if key in op.attributes:
                    cfg[key] = str(op.attributes[key])
            if op.name in ATTENTION_OPS:
                break
    return cfg


def _finish(input_path: Path, target: Target, extra_flags: list[str], output: Path, dump_dir: Path,
            report: Report, dims: dict[str, int] | None) -> None:
    """IREE lowers the handed-off executables to ISA and serializes (from INPUT_PATH with EXTRA_FLAGS: the
    program's sources, or a plain compile's program); then read the ISA metrics, and estimate each dispatch (at
    DIMS, or a problem file's sizes, where its sizes are run-time ones: run_time.py)."""
    exe_dir = dump_dir / "executables"
    # The exports after IREE's lowering carry the launch (the resolved workgroup count, workgroup and subgroup
    # size) and, on CUDA, the workgroup memory size.
    ir_dump = exe_dir / "propagate-dispatch-config.mlir"
    exe_dir.mkdir(parents=True, exist_ok=True)
    args = [input_path, *target.flags, *extra_flags, f"--iree-hal-dump-executable-files-to={exe_dir}",
            "--mlir-print-ir-after=iree-codegen-propagate-dispatch-config", "-o", output]
    try:
        iree_compile(args, what=f"{input_path} (after hand-off)", stderr_to=ir_dump)
    except TilefuseError as e:
        raise StageError("hand-off", str(e)) from e
    exports = read_exports(ir_dump.read_text())
    lds = ({name: facts.workgroup_memory for name, facts in exports.items()}
           if target.backend.workgroup_memory_on_export else {})
    padded = [c for s in report.program_stages for c in s.changes]
    for d in report.dispatches:
        try:
            d.isa = read_metrics(exe_dir, d.name, target.backend, d.exports, lds)
        except TilefuseError as e:
            raise StageError("read-isa", str(e)) from e
        d.launch = exports[d.exports[0]].launch if d.exports and d.exports[0] in exports else None
        if d.work is None:  # IREE configured it (plain iree-compile): its dump of the configured executable
            d.work = _work_from_dump(exe_dir / f"configured_module_{d.name}.mlir")
    if any(needs_sizes(d) for d in report.dispatches):
        flow = dump_dir / "flow.mlir"
        front_end(Path(report.program), [*target.flags, "--compile-to=flow"], flow)
        report.run_time_sizes, at = at_run_time(Path(report.input), flow, dump_dir / SOURCES, dump_dir,
                                                report.dispatches, exports, dims)
        for d in report.dispatches:
            if d.name in at:
                d.work, d.launch = at[d.name].work, at[d.name].launch
    for d in report.dispatches:
        d.estimate = estimate(target.name, d.work, d.launch, d.isa.to_dict(), padding_fraction(padded, d.work))


def _work_from_dump(configured: Path) -> DispatchWork | None:
    if not configured.is_file():
        return None
    with ir.Context():
        module = ir.Module.parse(configured.read_text())
        return dispatch_work(module, module)



def plain_compile(input_path, target_name: str, output, dump_dir, extra_flags: list[str] = (),
                  dims: dict[str, int] | None = None) -> Report:
    """The baseline: one plain `iree-compile` of INPUT, ISA read the same way (path "iree-compile"); DIMS as
    CompileOptions.dims."""
    target = get_target(target_name)
    dump_dir = Path(dump_dir)
    shutil.rmtree(dump_dir / "executables", ignore_errors=True)
    dump_dir.mkdir(parents=True, exist_ok=True)
    report = Report(input=str(input_path), target=target.name, path="iree-compile", program=str(input_path))
    sources = dump_dir / SOURCES
    front_end(Path(input_path), [*target.flags, *TO_SOURCES], sources)
    top = ir.Module.parse(sources.read_text(), ir.Context())
    at_load = irutil.dispatched_at_load_only(top)
    for exe in irutil.ops_named(top, "hal.executable"):
        d = _describe(exe)
        d.lowered_by, d.runs_at_load = "iree", d.name in at_load
        report.dispatches.append(d)
    t0 = time.perf_counter()
    _finish(Path(input_path), target, list(extra_flags), Path(output), dump_dir, report, dims)
    report.ok, report.output = True, str(output)
    # Only the final iree-compile counts as the baseline's compile time; the front-end run above
    # exists to name the dispatches.
    report.compile_seconds = round(time.perf_counter() - t0, 3)
    return report
