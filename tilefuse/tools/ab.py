"""A/B harness: the same inputs through every path, side by side."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..codegen.paths import Path as CodegenPath
from ..driver.compile import BetweenStages, CompileOptions, compile_file, plain_compile
from ..errors import TilefuseError
from ..problem import AttentionProblem

ISA_COLUMNS = ("vgpr", "vgpr_spills", "lds_bytes", "mma_ops", "instructions", "barriers")
# The estimate (tilefuse/perf/estimate.py; "est_": a model, not a measurement) on the target's machine
# (target/machines.py PRIMARY): the program's dispatches summed (a padded program's copies included), the
# roofline's share of it, and the attention dispatch's bound and machine fill.
ESTIMATE_COLUMNS = ("est_us", "est_roof%", "est_bound", "est_fill")
# The attention dispatches alone, summed (a model has one per layer; a split decode several): how many, the flops
# they issue (causal skipping and padding show here), the bytes they move and their estimate on the machine.
ATTENTION_COLUMNS = ("attn", "attn_Mflop", "attn_KB", "attn_us")


@dataclass
class Case:
    """One input: a built-in problem (rendered to MLIR) or a user's .mlir file."""

    name: str
    mlir: Path
    problem: AttentionProblem | None = None


def suite_cases(problems: list[AttentionProblem], work_dir: Path) -> list[Case]:
    out = []
    for p in problems:
        f = work_dir / p.name / "input.mlir"
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(p.to_mlir())
        out.append(Case(p.name, f, p))
    return out


def file_cases(files: list[str]) -> list[Case]:
    cases = []
    for f in files:
        p = Path(f)
        if not p.is_file():
            raise TilefuseError(f"input file not found: {p}")
        cases.append(Case(p.stem, p))
    return cases


def _log_stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _no_edits(path: str) -> None:
    return None


def _as_given(case: Case, path: str) -> tuple[str, dict | None]:
    return path, None


@dataclass(frozen=True)
class AbOptions:
    """How `run_ab` (and `run_verify`, on its records) runs: the paths, the target and the work directory (one
    directory per case, target and path under it); `plain` adds a plain iree-compile column first; `fallback` and
    `drop_attrs_after` are each compile's (CompileOptions: a path never falls back to itself); `log` takes the
    progress lines (stderr); `edits(path)` gives the between-stages callback for a path
    (tilefuse/tools/rewrite.py), or None; `configured(case, path)` the path to compile_file and config overrides (a
    config database's entry: tilefuse/tools/tune/db.py); `dims` the sizes a program of run-time sizes is estimated
    at (CompileOptions.dims). The CLI builds it from its flags."""

    paths: list[str]
    target: str
    work_dir: Path
    plain: bool = False
    fallback: str | None = None
    drop_attrs_after: str | None = None
    log: Callable[[str], None] = _log_stderr
    edits: Callable[[str], BetweenStages | None] = _no_edits
    configured: Callable[[Case, str], tuple[str | CodegenPath, dict | None]] = _as_given
    dims: dict[str, int] | None = None  # sizes of the entry's dynamic dims to estimate at (CompileOptions.dims)


def run_ab(cases: list[Case], options: AbOptions) -> list[dict]:
    """Compiles every case through every path of OPTIONS; returns one record per (case, path)."""
    target, work_dir, fallback, log = options.target, options.work_dir, options.fallback, options.log
    paths, edits, configured = options.paths, options.edits, options.configured
    columns = (["iree-compile"] if options.plain else []) + paths
    total, done, records = len(cases) * len(columns), 0, []
    for case in cases:
        for path in columns:
            done += 1
            out_dir = work_dir / case.name / target / path
            log(f"[{done}/{total}] {case.name} {path} ...")
            if path == "iree-compile":
                report = plain_compile(case.mlir, target, out_dir / "out.vmfb", out_dir, dims=options.dims)
            else:
                codegen_path, overrides = configured(case, path)
                report = compile_file(case.mlir, CompileOptions(target, codegen_path, out_dir / "out.vmfb", out_dir,
                                                                config_overrides=overrides,
                                                                fallback=fallback if fallback != path else None,
                                                                drop_attrs_after=options.drop_attrs_after,
                                                                between_stages=edits(path), dims=options.dims))
            status = "ok" if report.ok else f"FAILED: {report.error}"
            log(f"[{done}/{total}] {case.name} {path}: {status} ({report.compile_seconds:.1f} s)")
            rep = report.to_dict()
            records.append({"case": case.name, "problem": case.problem.to_dict() if case.problem else None,
                            "report": rep, "estimate": program_estimate(rep)})
    return records


def run_verify(records: list[dict], cases: list[Case], options: AbOptions) -> None:
    """Adds `verify` to each record: the CPU interpretation of every stage on the same path (tilefuse verify) of
    a built-in problem's small version, or of a user's input as it is, summarised as a verdict. OPTIONS are the
    records' (their target, work directory, fallback, edits and log)."""
    from ..checkers.verify import VerifyOptions, verify_file

    target, work_dir, fallback, log = options.target, options.work_dir, options.fallback, options.log
    by_name = {c.name: c for c in cases}
    for r in records:
        case, path = by_name[r["case"]], r["report"]["path"]
        if path == "iree-compile":
            continue
        work = work_dir / r["case"] / target / path / "verify"
        work.mkdir(parents=True, exist_ok=True)
        if case.problem is not None:
            src = work / "input.mlir"
            src.write_text(case.problem.small().to_mlir())
        else:
            src = case.mlir
        log(f"{r['case']} {path}: verifying {'the small version' if case.problem else src} ...")
        try:
            report = verify_file(src, VerifyOptions(target, path, work, fallback=fallback if fallback != path else None,
                                                    between_stages=options.edits(path)))
        except TilefuseError as e:
            r["verify"] = {"status": "ERROR", "error": str(e)}
            continue
        counts = {s: sum(c.status == s for c in report.checks) for s in ("ok", "MISMATCH", "RACE", "unchecked")}
        status = "ok" if report.ok else ("RACE" if counts["RACE"] else "MISMATCH")
        r["verify"] = {"status": status, **counts,
                       "stages": [c.__dict__ for c in report.checks]}


# What a record of `tilefuse ab --device` takes from its kernel's measurement (bench.measure)
MEASURED = ("status", "error", "max_abs_err", "max_rel_err", "median_ms", "tflops", "estimated_ms",
            "measured_over_estimate", "within_band")


def attach_measurements(records: list[dict], result: dict) -> None:
    """Adds `gpu` (numerics, median ms, TFLOP/s, measured / estimate) to each record from the bench run of
    the plan made of these records (bench_plan.write_plan: one kernel per record, in order), and `sdpa_ms`."""
    for r, k in zip(records, result["kernels"], strict=True):
        if k.get("median_ms") is not None or k.get("status") not in (None, "COMPILE-FAILED"):
            r["gpu"] = {key: k[key] for key in MEASURED if key in k}
        r["sdpa_ms"] = result.get("sdpa_ms", {}).get(r["case"])


def attention_isa(report: dict) -> dict | None:
    """The ISA of the report's attention dispatch (the one the comparison is about)."""
    for d in report["dispatches"]:
        if d["has_attention"]:
            return d["isa"]
    return None


def program_estimate(report: dict) -> dict | None:
    """The estimate of a compiled program on its target's machine: seconds over every dispatch with its band, the
    attention dispatches' roofline (useful flops and their bytes at the machine's peaks) as a share of that, and
    the attention dispatch's bound, machine fill and occupancy (what limits it). None when a dispatch has no
    estimate for that machine. A dispatch only the module's initializers run (once, at load) is not a call's."""
    ests = [d.get("estimate") for d in report["dispatches"] if not d.get("runs_at_load")]
    machine = next((e["machine"] for e in ests if e and e.get("machine")), None)
    if not report["ok"] or machine is None or any(not e or e["seconds"].get(machine) is None for e in ests):
        return None
    seconds = sum(e["seconds"][machine] for e in ests)
    band = [sum(e["machines"][machine][k] for e in ests) for k in ("seconds_low", "seconds_high")]
    attention = [d["estimate"] for d in report["dispatches"] if d["has_attention"]]
    roofline = sum(e["machines"][machine]["roofline_seconds"] for e in attention)
    main = attention[0] if attention else ests[0]
    on = main["machines"][machine]
    return {"machine": machine, "seconds": seconds, "seconds_low": band[0], "seconds_high": band[1],
            "roofline_fraction": roofline / seconds if seconds else None,
            "bound": main["bound"], "machine_fill": main["machine_fill"], "occupancy": on.get("occupancy"),
            "occupancy_unit": on.get("occupancy_unit"), "occupancy_limit": on.get("occupancy_limit")}


def run_time_line(report: dict) -> str:
    """What a program of run-time sizes was estimated at (report.run_time_sizes), or why it was not."""
    sizes = report["run_time_sizes"]
    if "missing" in sizes:
        return f"no estimate: sizes known only at run time, none given for {sizes['missing']} ({sizes['option']} " \
               f"sets them)"
    if "at" not in sizes:
        return f"no estimate: {sizes['not_evaluated']}"
    return f"estimated at {sizes['at']}, drawn by {sizes['by']}" + (
        f"; not evaluated: {sizes['not_evaluated']}" if "not_evaluated" in sizes else "")


def attention_cells(report: dict) -> list[str]:
    dispatches = [d for d in report["dispatches"] if d["has_attention"]] if report["ok"] else []
    ests = [d.get("estimate") for d in dispatches]
    if not dispatches or not all(ests):
        return [str(len(dispatches)) if dispatches else "-"] + ["-"] * (len(ATTENTION_COLUMNS) - 1)
    machine = ests[0]["machine"]
    seconds = [e["seconds"].get(machine) for e in ests]
    us = "-" if None in seconds else f"{sum(seconds) * 1e6:.2f}"
    return [str(len(dispatches)), f"{sum(e['flops_issued'] for e in ests) / 1e6:.1f}",
            f"{sum(e['global_bytes'] for e in ests) / 1e3:.0f}", us]


def estimate_cells(report: dict) -> list[str]:
    e = program_estimate(report)
    if e is None:
        return ["-"] * len(ESTIMATE_COLUMNS)
    roof = "-" if e["roofline_fraction"] is None else f"{100 * e['roofline_fraction']:.0f}"
    return [f"{e['seconds'] * 1e6:.1f}", roof, e["bound"], f"{e['machine_fill']:.2f}"]


def lowered_via(report: dict) -> str:
    """Who lowered the attention dispatches: the path itself, a fallback path, or IREE, each once, comma-separated
    when they differ (--fallback lowers a refused attention alone: `path+causal,fallback:stock`); on the path's,
    `+causal` when the program stage causal-mask dropped a proven-causal mask (the tiles skip what it hides), `+pad`
    when a program stage padded the attention (the dispatch is then the padded one, plus copy dispatches around
    it), `+edit` when its IR was rewritten between stages (--rewrite-after)."""
    changes = [c for s in report.get("program_stages", []) for c in s["changes"]]
    padded = ("+causal" if any("causal_offset" in c for c in changes) else "") + \
        ("+pad" if any("padded" in c for c in changes) else "")
    vias = []
    for d in report["dispatches"]:
        if d["has_attention"]:
            edited = "+edit" if d.get("rewrites") else ""
            via = f"fallback:{d['fallback']['to']}" if d.get("fallback") else \
                ("iree" if d["lowered_by"] == "iree" else "path") + padded + edited
            vias += [via] if via not in vias else []
    return ",".join(vias) or "-"


def verdict(record: dict) -> str:
    """The status and the stages that passed / all stages, whatever the status: `ok 6/8`, `MISMATCH 5/8`,
    `RACE 7/8`; `ERROR`, or `-` when not verified."""
    v = record.get("verify")
    if not v:
        return "-"
    if v["status"] == "ERROR":
        return "ERROR"
    total = v["ok"] + v["MISMATCH"] + v["RACE"] + v["unchecked"]
    return f"{v['status']} {v['ok']}/{total}"


def _gpu_cells(record: dict) -> list[str]:
    g = record.get("gpu") or {}
    fmt = lambda v, spec: "-" if v is None else format(v, spec)  # noqa: E731
    return [g.get("status", "-"), fmt(g.get("median_ms"), ".3f"), fmt(g.get("measured_over_estimate"), ".2f"),
            fmt(g.get("tflops"), ".1f"), fmt(record.get("sdpa_ms"), ".3f")]


def verdict_of(records: list[dict], case: str) -> dict:
    """A problem's paths ranked by their estimate (fastest first: [(path, program_estimate)]), how much faster the
    first is than the runner-up (`ratio`), and whether their bands (the calibration's held-out error,
    target/machines.py Fit.error) are apart (`decided`; None with fewer than two estimates)."""
    ranked = sorted(((r["report"]["path"], e) for r in records if r["case"] == case
                     for e in [program_estimate(r["report"])] if e), key=lambda t: t[1]["seconds"])
    if len(ranked) < 2:
        return {"case": case, "ranked": ranked, "ratio": None, "decided": None}
    (_, e1), (_, e2) = ranked[:2]
    return {"case": case, "ranked": ranked, "ratio": e2["seconds"] / e1["seconds"],
            "decided": e1["seconds_high"] < e2["seconds_low"]}


def verdict_line(v: dict) -> str:
    """The path the estimate puts first, by how much, and 'no decision' when its band reaches the runner-up's."""
    if v["decided"] is None:
        return f"{v['case']}: no decision (fewer than two paths with an estimate)"
    (p1, e1), (p2, _) = v["ranked"][:2]
    head = f"{v['case']}: {p1} {e1['seconds'] * 1e6:.1f} us [{e1['seconds_low'] * 1e6:.1f}-" \
           f"{e1['seconds_high'] * 1e6:.1f}], {v['ratio']:.2f}x faster than {p2} by the estimate on {e1['machine']}"
    return head + ("" if v["decided"] else "; bands overlap: no decision")


def verdicts(records: list[dict]) -> str:
    """One verdict line per problem."""
    return "\n".join(verdict_line(verdict_of(records, case)) for case in dict.fromkeys(r["case"] for r in records))


def format_table(records: list[dict]) -> str:
    gpu = any("gpu" in r for r in records)
    verified = any("verify" in r for r in records)
    header = ["problem", "path", "ok", "via", "compile_s", *ISA_COLUMNS, *ATTENTION_COLUMNS, *ESTIMATE_COLUMNS] + (
        ["cpu_numerics"] if verified else []) + (
        ["gpu_numerics", "ms", "ms/est", "TFLOP/s", "sdpa_ms"] if gpu else [])
    rows = [header]
    for r in records:
        rep = r["report"]
        isa = attention_isa(rep) or {}
        rows.append([r["case"], rep["path"], "ok" if rep["ok"] else "FAIL", lowered_via(rep),
                     f"{rep['compile_seconds']:.2f}",
                     *["-" if isa.get(c) is None else str(isa[c]) for c in ISA_COLUMNS], *attention_cells(rep),
                     *estimate_cells(rep)]
                    + ([verdict(r)] if verified else []) + (_gpu_cells(r) if gpu else []))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) if i < 4 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def stage_table(records: list[dict]) -> str:
    """Seconds per stage (rows) and path (columns), summed over the attention dispatches each path lowered itself
    (a fallback's stages are another path's): a stage name is the same work on every path that has it."""
    order: list[str] = []
    seconds: dict[tuple[str, str], float] = {}
    paths = list(dict.fromkeys(r["report"]["path"] for r in records))
    for r in records:
        d = next((d for d in r["report"]["dispatches"] if d["has_attention"]), None)
        if d is None or d.get("fallback") or d["lowered_by"] == "iree":
            continue
        at = 0
        for s in d["stages"]:  # merge each path's order into one: a new stage goes after the one before it
            if s["name"] in order:
                at = order.index(s["name"]) + 1
            else:
                order.insert(at, s["name"])
                at += 1
            key = (s["name"], r["report"]["path"])
            seconds[key] = seconds.get(key, 0.0) + s["seconds"]
    rows = [["stage", *paths]] + [[name, *(f"{seconds[name, p]:.3f}" if (name, p) in seconds else "-" for p in paths)]
                                  for name in order]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
             for row in rows]
    return "\n".join([lines[0], "  ".join("-" * w for w in widths), *lines[1:]])


def fault_diff_table(clean: list[dict], faulty: list[dict]) -> str:
    """Per problem and path: which ISA metrics the injected fault changed (clean -> faulty)."""
    rows = [["problem", "path", "dropped", "ISA change (clean -> with fault)"]]
    for c, f in zip(clean, faulty):
        if (c["case"], c["report"]["path"]) != (f["case"], f["report"]["path"]):
            raise ValueError("clean and faulty runs are not aligned")
        a, b = attention_isa(c["report"]) or {}, attention_isa(f["report"]) or {}
        change = ", ".join(f"{k} {a.get(k)} -> {b.get(k)}" for k in ISA_COLUMNS + ("sgpr",) if a.get(k) != b.get(k))
        fault = next((d.get("fault") for d in f["report"]["dispatches"] if d["has_attention"]), None)
        dropped = ",".join(f"{k}x{v}" for k, v in (fault or {}).get("dropped", {}).items()) or "-"
        if not (c["report"]["ok"] and f["report"]["ok"]):
            change = f"clean {'ok' if c['report']['ok'] else 'FAIL'}, with fault {'ok' if f['report']['ok'] else 'FAIL'}"
        rows.append([c["case"], c["report"]["path"], dropped, change or "none"])
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    return "\n".join("  ".join([*(cell.ljust(w) for cell, w in zip(r[:3], widths)), r[3]]) for r in rows)


def write_json(records: list[dict], target: str, path: Path, **extra) -> None:
    Path(path).write_text(json.dumps({"target": target, "results": records, **extra}, indent=2) + "\n")
