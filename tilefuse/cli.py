"""The `tilefuse` command line."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .tools import ab, bench, bench_plan, html_report
from . import cli_checks
from .checkers import verify
from .driver.compile import CompileOptions, compile_file, run_stage
from .errors import StageFailed, TilefuseError
from .codegen.paths import PATHS, get_path
from .tools.rewrite import resume_file, rewrites_for
from .problem import DTYPES, EPILOGUES, FP8_DTYPES, GQA_LAYOUTS, LAYOUTS, MASKS, AttentionProblem
from .tools.suite import SUITE, get_problem
from .target.targets import TARGETS
from .tools.fuzz import command as fuzz_command
from .tools.tune import command as tune_command
from .tools.tune.db import configured as with_config_db


# The size options of `problem`: attention O = softmax(scale * Q K^T + mask) V, per batch and head
SIZE_HELP = {
    "batch": "B, the batch",
    "heads": "H, query heads",
    "kv-heads": "KV heads (GQA: a divisor of --heads; default: --heads, i.e. MHA)",
    "m": "M, queries per head (the sequence length of Q; 1: decode)",
    "k2": "K2, keys per head (the sequence length of K and V)",
    "k1": "K1, the head dim of Q and K",
    "n": "N, the head dim of V and the output (default: --k1)",
}


def _problem_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--suite", metavar="NAME", help="start from a built-in problem (see --list); the other options "
                                                    "override its fields (default: none, the defaults below)")
    p.add_argument("--list", action="store_true", help="list the built-in problems and exit")
    p.add_argument("--name", help="the problem's name in its header (default: the suite entry's, or attention)")
    defaults = AttentionProblem()
    for flag, what in SIZE_HELP.items():
        default = getattr(defaults, flag.replace("-", "_"))
        p.add_argument(f"--{flag}", type=int, metavar="N",
                       help=f"{what}" + (f" (default: {default})" if default is not None else ""))
    for flag, choices in (("dtype", DTYPES), ("mask", MASKS), ("layout", LAYOUTS), ("epilogue", EPILOGUES)):
        p.add_argument(f"--{flag}", choices=choices,
                       help=f"{'/'.join(choices)} (default: {getattr(defaults, flag)})")
    p.add_argument("--scale", type=float, help="the softmax scale (default: 1/sqrt(k1))")
    p.add_argument("--kv-dtype", choices=FP8_DTYPES,
                   help=f"{'/'.join(FP8_DTYPES)}: K and V in fp8 under a 16-bit --dtype (an fp8 KV cache; default: --dtype)")
    p.add_argument("--v-dtype", choices=FP8_DTYPES,
                   help="V's fp8 format where it is not K's (--dtype or --kv-dtype): E4M3 K with E5M2 V or the other "
                        "way round, both FNUZ or both OCP (default: K's)")
    p.add_argument("--k-scale", type=float, help="fp8 K's dequantization scale, folded into the softmax scale")
    p.add_argument("--v-scale", type=float, help="fp8 V's dequantization scale, multiplied into the result")
    p.add_argument("--gqa-layout", choices=GQA_LAYOUTS,
                   help=f"{'/'.join(GQA_LAYOUTS)}: how K/V heads are shared with --kv-heads (default: {defaults.gqa_layout})")
    p.add_argument("--dynamic", metavar="DIMS", help="sequence lengths known only at run time, `?` in the IR: "
                   "k2 (a decode against a KV cache of run-time length), m,k2 (a prompt of run-time length) or m (a "
                   "prompt of run-time length against static keys); a --mask is of those lengths; "
                   "--m and --k2 are then the sizes verify runs it at (default: none)")
    p.add_argument("--paged", type=int, metavar="PAGE_SIZE",
                   help="a paged KV cache: K/V are page pools of PAGE_SIZE keys a page, read through a page table "
                        "argument of shuffled page ids (PAGE_SIZE divides --k2; with --dynamic k2 the page table is "
                        "of run-time length: --k2 / PAGE_SIZE pages at verify; default: one K and one V tensor)")
    p.add_argument("--seq-lens", nargs="?", const="drawn", metavar="L0,L1,...",
                   help="with --paged: a seq_lens argument (batch) i32, each sequence's length in keys, from which the "
                        "program builds the mask (key j of row b seen where j < seq_lens[b]); the lengths verify "
                        "runs, one per batch row (default, with no value: drawn with the inputs, 1 to --k2)")
    p.add_argument("--small", action="store_true", help="the small version (for numerics), see AttentionProblem.small")
    p.add_argument("-o", "--output", help="write the MLIR here (default: stdout)")


def cmd_problem(a) -> int:
    if a.list:
        for p in SUITE:
            print(f"{p.name:24s} {p.describe()}")
        return 0
    base = get_problem(a.suite) if a.suite else AttentionProblem()
    changes = {k: v for k, v in {
        "name": a.name, "batch": a.batch, "heads": a.heads, "kv_heads": a.kv_heads, "m": a.m, "k2": a.k2,
        "k1": a.k1, "n": a.n, "dtype": a.dtype, "mask": a.mask, "scale": a.scale, "layout": a.layout,
        "epilogue": a.epilogue, "gqa_layout": a.gqa_layout, "kv_dtype": a.kv_dtype, "v_dtype": a.v_dtype,
        "k_scale": a.k_scale, "v_scale": a.v_scale, "dynamic": a.dynamic, "paged": a.paged,
        "seq_lens": a.seq_lens}.items() if v is not None}
    problem = base.with_(**changes)
    if a.small:
        problem = problem.small()
    text = problem.to_mlir()
    if a.output:
        Path(a.output).write_text(text)
    else:
        sys.stdout.write(text)
    return 0


def cmd_compile(a) -> int:
    dump = Path(a.dump_dir)
    path, tuned = with_config_db(a.config_db, a.input, a.target, a.path)
    overrides = {**(tuned or {}), **(a.config_overrides or {})} or None
    report = compile_file(a.input, CompileOptions(a.target, path, a.output, dump, progress=_progress,
                                                  fallback=a.fallback, config_overrides=overrides,
                                                  drop_attrs_after=a.drop_untracked_attrs_after,
                                                  between_stages=rewrites_for(a.rewrite_after, get_path(a.path)),
                                                  dims=a.dims))
    return _print_compile(report, dump)


def cmd_resume(a) -> int:
    dump = Path(a.dump_dir)
    report = resume_file(a.snapshot, a.after, a.target, a.path, a.output, dump, program=a.input,
                         progress=_progress, fallback=a.fallback, config_overrides=a.config_overrides)
    return _print_compile(report, dump)


def cmd_gui(a) -> int:
    try:
        from .tools.xdsl import gui
    except ImportError as e:  # textual is the `gui` extra
        raise TilefuseError(f"the GUI needs the gui extra: pip install -e '.[gui]' ({e})") from None
    return gui.main(a.snapshot, a.path, a.target)


def _progress(msg: str) -> None:
    print(f"  {msg}", file=sys.stderr, flush=True)


def _print_compile(report, dump: Path) -> int:
    if not report.ok:
        print(f"tilefuse: {report.error}", file=sys.stderr)
        print(f"report: {dump / 'report.json'}", file=sys.stderr)
        return 1
    for d in report.dispatches:
        isa = ", ".join(f"{k}={v}" for k, v in d.isa.to_dict().items() if v is not None) if d.isa else "-"
        by = "IREE" if d.lowered_by == "iree" else f"path {d.fallback['to'] if d.fallback else report.path}"
        note = f" [fallback: {d.fallback['reason']}]" if d.fallback else ""
        note += "".join(f" [edited after {r['after']}: {r.get('pipeline') or r.get('snapshot') or 'several edits'}]"
                        for r in d.rewrites)
        print(f"{d.name}: lowered by {by} ({d.pipeline}); {isa}{note}")
    if report.run_time_sizes:
        print(ab.run_time_line(report.to_dict()))
    print(f"wrote {report.output} and {dump / 'report.json'} in {report.compile_seconds:.2f} s")
    return 0


def cmd_stage(a) -> int:
    if a.input == "-":
        try:
            text = sys.stdin.buffer.read().decode("utf-8")
        except UnicodeDecodeError:
            raise TilefuseError("input '-': stdin is not text (a binary file?); give MLIR text") from None
        if not text.strip():
            raise TilefuseError("input '-': stdin is empty; give a snapshot's MLIR")
    else:
        text = Path(a.input).read_text()
    out = run_stage(text, a.target, a.path, a.stage, a.config_overrides)
    if a.output:
        Path(a.output).write_text(out)
    else:
        sys.stdout.write(out)
    return 0


def cmd_verify(a) -> int:
    work = Path(a.work_dir)
    report = verify.verify_file(a.input, verify.VerifyOptions(
        a.target, a.path, work, seed=a.seed, fallback=a.fallback, function=a.function, cross_check=a.cross_check,
        progress=_progress, dims=a.dims, config_overrides=a.config_overrides,
        between_stages=rewrites_for(a.rewrite_after, get_path(a.path))))
    print(verify.format_checks(report))
    print(verify.verdict_line(report))
    (work / "verify.json").write_text(json.dumps(report.to_dict(), indent=2) + "\n")
    return 0 if report.ok else 1


CONFIG_DB_HELP = "a config database (tilefuse tune -o): apply the entry of the input's problem, target and path"
# The examples --help gives: tests/test_readme.py runs each
CONFIG_EXAMPLE = '{"tiling": {"reduction": [0,0,0,32,0]}}'
REWRITE_EXAMPLE = "decompose=tilefuse-hoist-invariant"
CONFIG_HELP = (f"a JSON file of overrides of the tilefuse config (tilefuse paths only), e.g. {CONFIG_EXAMPLE}; "
               "report.json's config.tilefuse shows the fields")


def cmd_ab(a) -> int:
    work = Path(a.work_dir)
    paths = a.paths
    if a.device:
        ok, why = bench.device_available(a.device)
        if not ok:
            print(f"tilefuse: {why}: skipping the GPU runs (compile-only A/B: tilefuse ab without --device)")
            return 0
    specs = a.rewrite_after or []
    for p in paths:  # each spec is STAGE=PIPELINE with a pipeline xDSL knows
        rewrites_for(specs, PATHS[p], only_its_stages=True)
    if a.inputs:
        cases = ab.file_cases(a.inputs)
    else:
        cases = ab.suite_cases([get_problem(n) for n in a.problems] if a.problems else SUITE, work)

    def edits(path: str):
        return rewrites_for(specs, PATHS[path], only_its_stages=True)

    options = ab.AbOptions(paths, a.target, work, plain=a.plain, fallback=a.fallback, dims=a.dims,
                           drop_attrs_after=a.drop_untracked_attrs_after, edits=edits,
                           configured=lambda case, path: with_config_db(a.config_db, case.mlir, a.target, path))
    records = ab.run_ab(cases, options)
    if a.verify:
        ab.run_verify(records, cases, options)
    if a.device:
        plan = bench_plan.write_plan(records, cases, work / "plan", a.target, work)
        ab.attach_measurements(records, bench.run_plan(plan, a.device, a.repetitions))
    print(ab.verdicts(records) + "\n")
    print(ab.format_table(records))
    sizes = [f"{r['case']} {r['report']['path']}: {ab.run_time_line(r['report'])}" for r in records
             if r["report"].get("run_time_sizes")]
    if sizes:
        print("\n".join(sizes))
    if a.verify:
        print("cpu_numerics: stages passed / stages of tilefuse verify on the same path, "
              + ("on each input file as it is" if a.inputs else "on each built-in problem's small version"))
    if a.stages:
        print("\nseconds per stage, summed over the attention dispatches each path lowered itself")
        print(ab.stage_table(records))
    extra = {}
    if a.fault_experiment:
        print(f"\nfault experiment: the same runs with --drop-untracked-attrs-after {a.fault_experiment}",
              file=sys.stderr)
        # the clean runs' inputs and paths alone: no baseline, rewrite or config database beside the fault
        faulty = ab.run_ab(cases, ab.AbOptions(paths, a.target, work / "fault", fallback=a.fallback,
                                               drop_attrs_after=a.fault_experiment))
        print(f"\nFault: drop untracked attributes after '{a.fault_experiment}'")
        print(ab.fault_diff_table(records, faulty))
        extra["fault_experiment"] = {"stage": a.fault_experiment, "results": faulty}
        records_ok = all(r["report"]["ok"] for r in faulty)
    else:
        records_ok = True
    if a.json:
        ab.write_json(records, a.target, Path(a.json), **extra)
        print(f"wrote {a.json}", file=sys.stderr)
    if a.html:
        html_report.write_html(records, a.target, Path(a.html))
        print(f"wrote {a.html}", file=sys.stderr)
    if a.plot:
        html_report.write_plot(records, a.target, Path(a.plot))
        print(f"wrote {a.plot}", file=sys.stderr)
    return 0 if records_ok and all(r["report"]["ok"] for r in records) else 1


def cmd_bench(a) -> int:
    work = Path(a.work_dir)
    if not a.compile_only:
        ok, why = bench.device_available(a.device)
        if not ok:
            print(f"tilefuse: {why}: skipping the GPU runs (tilefuse bench --compile-only prepares them anywhere)")
            return 0
    names = a.problems or ([] if a.calibration or a.inputs else [p.name for p in SUITE])
    problems = list(dict.fromkeys([*names, *([p.name for p in SUITE] if a.suite else [])]))
    problems = [get_problem(n).small() if a.small else get_problem(n) for n in problems]
    cases = ab.suite_cases(problems, work) + (bench_plan.calibration_cases(work, a.small) if a.calibration else []) \
        + ab.file_cases(a.inputs)
    if a.device in bench.CPU_DRIVERS:
        print(f"tilefuse: {a.device}: the harness's dry run on the CPU: each case compiled once for llvm-cpu (the "
              f"paths make GPU code); CPU times, no estimate", file=sys.stderr)
        records = bench_plan.cpu_records(cases, work)
    else:
        records = ab.run_ab(cases, ab.AbOptions(a.paths, a.target, work, fallback=a.fallback))
    plan = bench_plan.write_plan(records, cases, Path(a.plan_dir or work / "plan"), a.target, work)
    compiled = all(r["report"]["ok"] for r in records)
    if a.compile_only:
        print(f"wrote {plan} ({len(records)} kernels); run it where the device is: "
              f"python -m tilefuse.tools.bench {plan} --device {a.device} --json bench.json")
        return 0 if compiled else 1
    result = bench.run_plan(plan, a.device, a.repetitions, a.budget_s, a.kernel_timeout_s,
                            Path(a.json) if a.json else None)
    print(bench.format_summary(result))
    if a.json:
        print(f"wrote {a.json}", file=sys.stderr)
    return 0 if compiled and not bench.failed(result) else 1


def _bench_args(b: argparse.ArgumentParser) -> None:
    b.add_argument("inputs", nargs="*", help=".mlir files (each interpreted once on the CPU for its reference)")
    b.add_argument("--problems", help="comma-separated built-in problem names (default, with no --calibration "
                                      "or inputs: the whole suite)")
    b.add_argument("--suite", action="store_true", help="the whole built-in suite (beside --calibration)")
    b.add_argument("--calibration", action="store_true",
                   help="the calibration set's shapes (tilefuse/perf/calibration.json), compiled for --target")
    b.add_argument("--small", action="store_true", help="each problem's small version (a dry run's sizes)")
    b.add_argument("--paths", help=f"comma-separated paths (default: {','.join(PATHS)})")
    b.add_argument("--target", default="sm_80", help=", ".join(TARGETS))
    b.add_argument("--device", default="cuda", help="the IREE driver: cuda (NVIDIA targets), hip (AMD), or "
                                                    "local-task: the dry run on the CPU (llvm-cpu)")
    b.add_argument("--fallback", help="lower dispatches a path cannot handle with this path (e.g. stock)")
    b.add_argument("--repetitions", type=int, default=5, help="timed repetitions per kernel")
    bench.add_run_args(b)
    b.add_argument("--work-dir", default="tilefuse-bench", help="where inputs, snapshots and reports go")
    b.add_argument("--plan-dir", help="the plan folder: modules, estimates, references (default: WORK_DIR/plan)")
    b.add_argument("--compile-only", action="store_true",
                   help="write the plan and stop (no device needed): python -m tilefuse.tools.bench PLAN_DIR runs it")
    b.add_argument("--json", help="write the measured times beside the estimates here")
    b.set_defaults(fn=cmd_bench)


def _ab_args(b: argparse.ArgumentParser, target: str, device: str | None) -> None:
    b.add_argument("inputs", nargs="*", help=".mlir files (default: the built-in suite)")
    b.add_argument("--problems", help="comma-separated built-in problem names (default: all; tilefuse problem --list)")
    b.add_argument("--paths", help=f"comma-separated paths (default: {','.join(PATHS)})")
    b.add_argument("--target", default=target, help=", ".join(TARGETS))
    b.add_argument("--plain", action="store_true", help="add a plain iree-compile baseline row per problem")
    b.add_argument("--stages", action="store_true", help="also print seconds per stage, the paths side by side")
    b.add_argument("--json", help="write all reports to this file")
    b.add_argument("--html", help="write a self-contained HTML page (table and charts)")
    b.add_argument("--plot", help="write the charts as a PNG (needs matplotlib: pip install -e '.[plot]')")
    b.add_argument("--verify", action="store_true",
                   help="also run tilefuse verify per path (a built-in problem's small version, an input file as it is)")
    b.add_argument("--device", default=device, help="also run each .vmfb on this IREE driver (hip for AMD targets, "
                                                    "cuda for NVIDIA ones); without such a device: one line, exit 0")
    b.add_argument("--repetitions", type=int, default=10, help="timed repetitions per kernel (--device)")
    b.add_argument("--work-dir", default="tilefuse-ab", help="where inputs, snapshots and reports go")
    b.add_argument("--fallback", help="lower dispatches a path cannot handle with this path (e.g. stock)")
    b.add_argument("--drop-untracked-attrs-after", metavar="STAGE",
                   help="fault injection on every path that has STAGE (all have decompose)")
    b.add_argument("--config-db", help=CONFIG_DB_HELP)
    b.add_argument("--fault-experiment", metavar="STAGE",
                   help="run everything again with --drop-untracked-attrs-after STAGE and print what changed")
    _rewrite_arg(b)
    b.set_defaults(fn=cmd_ab)


DIM_NAMES = ("NAME=VALUE for one, NAME its position among the dynamic dims in argument order (0, 1, ...) or argA.D "
             "(dim D of argument A)")


def _estimate_dim_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dim", action="append", metavar="[NAME=]VALUE",
                   help="sizes of the entry's dynamic dims to estimate at (repeatable; verify's --dim): VALUE alone "
                        f"for all of them; {DIM_NAMES} (default: a `tilefuse problem` file's own sizes; without "
                        "sizes a dispatch of run-time sizes has no estimate)")


def _rewrite_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--rewrite-after", action="append", metavar="STAGE=PIPELINE",
                   help="apply an xdsl-opt pass pipeline to each dispatch's IR after STAGE (repeatable), "
                        f"e.g. {REWRITE_EXAMPLE}")


def _target_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--target", default="gfx942", help=", ".join(TARGETS))


DEFAULT_PATH = "tilefuse"  # the project's path: every command that takes --path starts from it


def _path_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--path", default=DEFAULT_PATH, help=", ".join(PATHS))


class _Formatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows an option's default where it has one (0 included) that the help does not already state; a switch
    (--small, --no-cross-check) has none to show: its help says what giving it does."""

    def _get_help_string(self, action):
        if action.default is None or action.default is argparse.SUPPRESS or action.nargs == 0 \
                or "(default" in (action.help or "") or "default:" in (action.help or ""):
            return action.help
        return super()._get_help_string(action)


class _Parser(argparse.ArgumentParser):
    """argparse with the defaults shown, whose usage errors are one line like tilefuse's own (exit 2)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tilefuse", description=__doc__ + " Exit status: 0 when everything asked for was done, "
                     "1 when a stage failed, 2 for an error in the input (one line naming the argument).")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("problem", help="render an attention problem as IREE input MLIR",
                       description="Renders O = softmax(scale * Q K^T + mask) V as a func.func around "
                                   "iree_linalg_ext.attention; Q is [B, H, M, K1], K [B, KV, K2, K1], V [B, KV, K2, N] "
                                   "(4d layout; 3d: [B*H, S, D]). The first line records the problem as JSON.")
    _problem_args(p)
    p.set_defaults(fn=cmd_problem)

    c = sub.add_parser("compile", help="compile one input through one path, with per-stage snapshots")
    c.add_argument("input", help="any input IREE takes (torch, linalg, a `tilefuse problem` file)")
    _target_arg(c)
    _path_arg(c)
    c.add_argument("-o", "--output", required=True, help="the .vmfb to write")
    c.add_argument("--dump-dir", help="snapshots and report.json (default: OUTPUT with .dump)")
    c.add_argument("--fallback", help="lower dispatches the path cannot handle with this path (e.g. stock)")
    c.add_argument("--drop-untracked-attrs-after", metavar="STAGE",
                   help="fault injection: drop every discardable attribute but lowering_config after STAGE")
    c.add_argument("--config", metavar="FILE.json", help=CONFIG_HELP)
    c.add_argument("--config-db", metavar="FILE.json", help=CONFIG_DB_HELP)
    _rewrite_arg(c)
    _estimate_dim_arg(c)
    c.set_defaults(fn=cmd_compile)

    r = sub.add_parser("resume", help="continue a path after STAGE from an edited snapshot to a .vmfb")
    r.add_argument("snapshot", help="a stage snapshot (DIR/stages/<dispatch>/NN-<stage>.mlir), edited")
    r.add_argument("--after", required=True, help="the stage the snapshot is the output of")
    _target_arg(r)
    _path_arg(r)
    r.add_argument("-o", "--output", required=True, help="the .vmfb to write")
    r.add_argument("--dump-dir", help="snapshots and report.json (default: OUTPUT with .dump)")
    r.add_argument("--input", help="the program (default: the input in the report.json above SNAPSHOT)")
    r.add_argument("--fallback", help="lower other dispatches the path cannot handle with this path")
    r.add_argument("--config", metavar="FILE.json", help=CONFIG_HELP)
    r.set_defaults(fn=cmd_resume)

    g = sub.add_parser("gui", help="open a snapshot in xdsl-gui with tilefuse's stages and rewrites (extra: gui)",
                       description="Opens a stage snapshot in xDSL's interactive GUI (xdsl-gui), with tilefuse's "
                                   "stage pass and rewrites among its passes: apply a path's next stage or a "
                                   "rewrite and see the IR after it (design/xdsl.md). Needs the gui extra: "
                                   "pip install -e '.[gui]'.")
    g.add_argument("snapshot", help="a stage snapshot")
    _path_arg(g)
    _target_arg(g)
    g.set_defaults(fn=cmd_gui)

    s = sub.add_parser("stage", help="run one stage of a path on a snapshot and print the IR after it")
    s.add_argument("stage", help="a stage name of the path, e.g. thread-distribute")
    s.add_argument("input", help="a snapshot (the IR before the stage), or - for stdin")
    _target_arg(s)
    _path_arg(s)
    s.add_argument("-o", "--output", help="write the IR here (default: stdout)")
    s.add_argument("--config", metavar="FILE.json", help=CONFIG_HELP + " (the configure stage reads it)")
    s.set_defaults(fn=cmd_stage)

    v = sub.add_parser("verify", help="interpret every stage snapshot against the input program's own result")
    v.add_argument("input", help="any input IREE takes (torch, linalg, a `tilefuse problem` file; a full-size "
                                 "problem interprets for minutes: tilefuse problem --small)")
    v.add_argument("--function", help="the entry to check (default: the one public function nothing calls)")
    v.add_argument("--no-cross-check", dest="cross_check", action="store_false",
                   help="do not run the input through IREE's llvm-cpu on the same inputs (without this switch it "
                        "runs, a check of the reference that shares no code with the interpreter)")
    _target_arg(v)
    _path_arg(v)
    v.add_argument("--seed", type=int, default=0, help="the seed of the random inputs")
    v.add_argument("--dim", action="append", metavar="[NAME=]VALUE",
                   help=f"sizes of the entry's dynamic dims (repeatable): VALUE alone for all of them (default: one "
                        f"size drawn from the seed; a tilefuse problem file's own sizes, which --dim overrides); "
                        f"{DIM_NAMES}")
    v.add_argument("--fallback", help="lower dispatches the path cannot handle with this path (e.g. stock)")
    v.add_argument("--work-dir", help="compile output, snapshots and verify.json (default: INPUT with .PATH.verify)")
    v.add_argument("--config", metavar="FILE.json", help=CONFIG_HELP)
    _rewrite_arg(v)
    v.set_defaults(fn=cmd_verify)

    b = sub.add_parser("ab", help="compile the built-in suite (or inputs) through every path, side by side")
    _ab_args(b, target="gfx942", device=None)
    _estimate_dim_arg(b)
    g = sub.add_parser("bench", help="GPU mode: compile on every path, run, check and time each kernel beside "
                                     "its estimate (skips cleanly without the device)",
                       description="Compiles each case (built-in problems, the calibration set's shapes, input "
                                   "files) on every path for --target, then runs each module once on --device, "
                                   "checks it against the reference and times it, beside its estimate (README, "
                                   "\"Measuring on a GPU\"). Without the device: one line, exit 0. "
                                   "--compile-only writes the plan for a machine that has one; --device "
                                   "local-task is the dry run on the CPU.")
    _bench_args(g)
    tune_command.add_parser(sub)
    fuzz_command.add_parser(sub)
    for choice in sub._choices_actions:  # `tilefuse CMD --help` opens with what CMD does, as `tilefuse --help` says
        command = sub.choices[choice.dest]
        command.description = command.description or choice.help[0].upper() + choice.help[1:] + "."
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tilefuse")
    except PackageNotFoundError:  # a source tree on PYTHONPATH, not installed
        return "(not installed)"


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        cli_checks.check(args)
        return args.fn(args)
    except StageFailed as e:
        print(f"tilefuse: error: {e}", file=sys.stderr)
        return 2 if e.field else 1  # a stage failed; because of a --config field: the input's
    except TilefuseError as e:
        print(f"tilefuse: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:  # a file tilefuse reads or writes (disk full, permissions): the machine's, not a bug
        print(f"tilefuse: error: {e.filename or ''}: {e.strerror or e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tilefuse: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # a bug: one line for the user; TILEFUSE_TRACEBACK=1 shows where
        if os.environ.get("TILEFUSE_TRACEBACK"):
            raise
        print(f"tilefuse: internal error: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''} "
              f"(a bug in tilefuse; TILEFUSE_TRACEBACK=1 shows the traceback)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
