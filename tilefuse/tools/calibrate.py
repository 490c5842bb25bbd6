"""`python -m tilefuse.tools.calibrate`: the estimate beside published measured times (design/performance.md,
"Calibration").

Every point of the calibration set (calibration.py) is compiled on the stock and tilefuse paths for its machine's
target, and where the published kernel is IREE's, on stock with that kernel's own configuration (`stock-tuned`:
the config an IREE tuning spec applies, written beside it as spec.mlir); what the estimate reads of each dispatch (work, launch, ISA, the program's useful share) is kept as an
excerpt, so the model can be re-evaluated and fitted without compiling again. Reports are cached in the work
folder: a point is compiled once.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import itertools
import math
import statistics
from dataclasses import replace

import iree.compiler.ir as ir
import numpy as np

from ..driver.compile import CompileOptions, compile_file
from ..errors import TilefuseError
from ..ir.intrinsics import Intrinsic
from ..problem import AttentionProblem
from ..target.targets import get_target
from ..codegen.transform import TransformSession
from .tune.configs import StockForm
from .tune.space import Point as SpacePoint
from .tune.stock import StockConfig, default_config, stock_path, write_spec
from ..perf.calibration import PATHS, TUNED, Measured, Point, points
from ..perf.estimate import estimate, padding_fraction
from ..perf.launch import Launch
from ..target.machines import Fit
from ..perf.work import AttentionWork, DispatchWork

# The grid the fit searches, per parameter (few parameters, each with a meaning: machines.Fit). A dispatch's launch
# cost is not searched: the set's kernels are too long to measure it (Machine.launch_s cites what does).
GRID = {
    "hbm_efficiency": (0.5, 0.6, 0.7, 0.8, 0.9),
    "mma_efficiency": (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0),
    "valu_ops_per_score": (0.0, 8.0, 16.0, 32.0, 64.0),
}

# Up to this many cases a machine's held-out error is leave-one-out; above, this many folds of cases.
MAX_FOLDS = 20

ISA_FIELDS = ("vgpr", "agpr", "next_free_vgpr", "lds_bytes", "mma_ops", "barriers", "ptxas", "mca")


def excerpt(report: dict) -> dict:
    """What the estimate reads of a compiled program: per dispatch its work, launch, ISA figures and the share
    of its iteration space that is the program's own (the rest is padding)."""
    changes = [c for s in report.get("program_stages", []) for c in s["changes"]]
    out = []
    for d in report["dispatches"]:
        work = d.get("work")
        useful = padding_fraction(changes, _work(work)) if work else 1.0
        out.append({"name": d["name"], "has_attention": d["has_attention"], "work": work, "launch": d.get("launch"),
                    "isa": {k: (d.get("isa") or {}).get(k) for k in ISA_FIELDS}, "useful_fraction": useful})
    return {"ok": report["ok"], "target": report["target"], "dispatches": out}


def _work(raw: dict | None) -> DispatchWork | None:
    if raw is None:
        return None
    att = raw.get("attention")
    return DispatchWork(raw["global_bytes"], AttentionWork(**att) if att else None)


def tuned_config(point: Point, stock_dir: Path) -> dict:
    """Stock's config with the reference kernel's tuning (workgroup rows, K2 step, N tile, subgroups, one MFMA
    for both matmuls, amdgpu-waves-per-eu) in place of the heuristic's, from stock's configured dispatch."""
    report = json.loads((stock_dir / "report.json").read_text())
    d = next(d for d in report["dispatches"] if d["has_attention"])
    snapshot = next(s for s in d["stages"] if s["name"] == "configure")["snapshot"]
    module = TransformSession(["stock"]).parse((stock_dir / snapshot).read_text())
    t = point.tuning
    with module.context:
        default = default_config(module)
        configuration = {a.name: a.attr for a in ir.DictAttr(ir.Attribute.parse(default.configuration or "{}"))}
        configuration["llvm_func_attrs"] = ir.DictAttr.get(
            {"amdgpu-waves-per-eu": ir.StringAttr.get(str(t["waves_per_eu"]))})
        configuration = str(ir.DictAttr.get(configuration))
    form = StockForm(default, {k: d["work"]["attention"][k] for k in ("m", "k1", "k2", "n")}, get_target(point.target))
    rows = t["workgroup_m"] // (t["subgroups"] * Intrinsic.named(t["intrinsic"]).mnk[0])
    chosen = SpacePoint(t["subgroups"], rows, t["k2_tile"], t["n_tile"],
                        (t["intrinsic"], t["intrinsic"], default.qk.col_major), False)
    return {**form.config(chosen), "configuration": configuration}


def compiled(point: Point, variant: str, work_dir: Path, log) -> dict:
    """The report of `point` compiled as `variant` (a path, or TUNED) for its target (cached under work_dir)."""
    out = work_dir / point.name / point.target / variant
    cached = out / "report.json"
    if not cached.is_file():
        out.mkdir(parents=True, exist_ok=True)
        source = out / "input.mlir"
        source.write_text(point.problem().to_mlir())
        log(f"compiling {point.name} as {variant} for {point.target} ...")
        if variant == TUNED:
            config = tuned_config(point, cached.parent.parent / "stock")
            write_spec(out / "spec.mlir", [StockConfig.from_dict(config)])
            compile_file(source, CompileOptions(point.target, stock_path(config), out / "out.vmfb", out))
        else:
            compile_file(source, CompileOptions(point.target, variant, out / "out.vmfb", out,
                                                fallback=None if variant == "stock" else "stock"))
    return json.loads(cached.read_text())


def collect(work_dir: Path, log=lambda msg: print(msg, file=sys.stderr, flush=True)) -> dict:
    """{point: {variant: excerpt}} over the whole set (stock before stock-tuned, which starts from it)."""
    return {p.name: {v: excerpt(compiled(p, v, work_dir, log)) for v in p.variants} for p in points()}


def program_seconds(ex: dict, machine: str, fit: Fit) -> float | None:
    """The estimate of one compiled program (an excerpt) on `machine` under `fit`: its dispatches summed."""
    total = 0.0
    for d in ex["dispatches"]:
        launch = d["launch"] and Launch(**{k: tuple(v) if isinstance(v, list) else v for k, v in d["launch"].items()})
        e = estimate(ex["target"], _work(d["work"]), launch, d["isa"], d["useful_fraction"], {machine: fit})
        seconds = e and e["seconds"].get(machine)
        if seconds is None:
            return None
        total += seconds
    return total


def estimated(point: Point, data: dict, fit: Fit) -> dict[str, float]:
    """{variant: seconds} of a point over the variants it was compiled as, and "best" (the faster path)."""
    out = {v: program_seconds(ex, point.machine, fit) for v, ex in data[point.name].items()}
    out["best"] = min(out[p] for p in PATHS if out.get(p) is not None)
    return out


FITS = [Fit(**dict(zip(GRID, values))) for values in itertools.product(*GRID.values())]


# No path of ours is estimated faster than the fastest published kernel for the shape by more than this: the
# published kernels are hand-tuned for these machines, so a fit that puts ours clear of them is wrong, not good news.
FASTEST_MARGIN = 0.9


def log_errors(pts: list[Point], data: dict) -> dict[str, np.ndarray]:
    """Per point, |log(estimate / reference)| under every fit of the grid (computed once, since a held-out fit
    searches the same grid over fewer points); infinite where the fit breaks FASTEST_MARGIN on a published point."""
    out = {}
    for p in pts:
        errors = []
        for fit in FITS:
            est = estimated(p, data, fit)
            fast = p.reference != "measured" and min(est.values()) < FASTEST_MARGIN * p.fastest.seconds
            errors.append(math.inf if fast else abs(math.log(est[p.path] / p.reference_seconds)))
        out[p.name] = np.array(errors)
    return out


def fit_machine(pts: list[Point], errors: dict[str, np.ndarray]) -> Fit:
    """The grid point that minimises the mean |log(estimate / reference)| over `pts` (the first one on a tie)
    among those that keep every path within FASTEST_MARGIN of the fastest published kernel."""
    total = sum(errors[p.name] for p in pts)
    best = int(np.argmin(total))
    if not math.isfinite(total[best]):
        raise TilefuseError(f"calibration: no fit of the grid keeps every path of {', '.join(p.name for p in pts)} "
                            f"within {FASTEST_MARGIN} of the fastest published kernel")
    return FITS[best]


def folds(pts: list[Point]) -> list[list[Point]]:
    """The held-out sets: each point alone (leave-one-out) up to MAX_FOLDS points, else MAX_FOLDS sets of whole
    cases (a measured case's paths together: one shape is not held out while its other paths are fitted)."""
    cases = list(dict.fromkeys(p.name.split("@")[0] for p in pts))
    if len(cases) <= MAX_FOLDS:
        return [[p for p in pts if p.name.split("@")[0] == c] for c in cases]
    return [[p for p in pts if cases.index(p.name.split("@")[0]) % MAX_FOLDS == i] for i in range(MAX_FOLDS)]


def calibrate(data: dict, pts: tuple[Point, ...] | None = None) -> dict[str, dict]:
    """Per machine: the fit on all its points, each point's held-out estimate (fitted on the others: folds) and
    the held-out error (the worst factor, and the median)."""
    pts = points() if pts is None else pts
    out = {}
    for machine in sorted({p.machine for p in pts}):
        mine = [p for p in pts if p.machine == machine]
        errors = log_errors(mine, data)
        held_out, fit_all = {}, fit_machine(mine, errors)
        for fold in folds(mine):
            others = fit_machine([q for q in mine if q not in fold], errors)
            held_out.update({p.name: estimated(p, data, others)[p.path] for p in fold})
        factors = [max(r, 1 / r) for r in (held_out[p.name] / p.reference_seconds for p in mine)]
        fit = replace(fit_all, error=math.ceil(max(factors) * 100) / 100, points=len(mine))
        out[machine] = {"fit": fit, "held_out": held_out, "median_error": statistics.median(factors),
                        "points": mine}
    return out


def measured_points(bench_result: dict) -> tuple[list[Point], dict]:
    """A bench run's kernels (tilefuse.tools.bench's JSON) as calibration points of its machine: each timed, checked
    kernel of a problem with an estimate is a point named CASE@PATH whose reference is its own measured time,
    matched to its path; with the excerpts of what the estimate read."""
    pts, data = [], {}
    source = {"kind": "measured", "driver": bench_result["driver"], "device": bench_result["device_name"]}
    for k in bench_result["kernels"]:
        if k.get("status") != "ok" or not k.get("excerpt") or not k.get("problem"):
            continue
        p = AttentionProblem.from_dict(k["problem"])
        name = f"{k['case']}@{k['path']}"
        pts.append(Point(name=name, machine=bench_result["machine"], batch=p.batch, heads=p.heads,
                         kv_heads=p.hkv, m=p.m, k2=p.k2, d=p.k1, dtype=p.dtype, causal=p.mask == "causal",
                         layout=p.layout, reference="measured", path=k["path"],
                         measured=(Measured("measured", k["median_ms"] * 1e-3, source),)))
        data[name] = {k["path"]: k["excerpt"]}
    return pts, data


def _us(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1e6:.1f}"


def _iree_ratio(p: Point, est: dict) -> str:
    """Stock with IREE's published configuration over IREE's published time ('*': that time is an outlier)."""
    iree = next((m for m in p.measured if m.kernel == "IREE"), None)
    if iree is None or est.get(TUNED) is None:
        return "-"
    return f"{est[TUNED] / iree.seconds:.2f}" + ("*" if iree.outlier else "")


def table(data: dict, result: dict[str, dict]) -> str:
    """Per machine: every point's reference time, the fitted estimate of each path, the held-out estimate."""
    lines = []
    for machine, r in result.items():
        fit = r["fit"]
        lines.append(f"{machine}: {fit}  held-out error: worst x{fit.error}, median x{r['median_error']:.2f}")
        lines.append(f"  {'point':32} {'reference':>22} {'fastest':>26} {'stock':>9} {'tilefuse':>9} "
                     f"{TUNED:>11} {'held-out':>9} {'ratio':>6} {'tuned/IREE':>10}")
        for p in r["points"]:
            est = estimated(p, data, fit)
            ref, fast = p.reference_seconds, p.fastest
            cells = [format(est[path] * 1e6, "9.1f") if est.get(path) is not None else f"{'-':>9}"
                     for path in PATHS]
            lines.append(f"  {p.name:32} {p.reference + ' ' + format(ref * 1e6, '.1f'):>22} "
                         f"{fast.kernel + ' ' + format(fast.seconds * 1e6, '.1f'):>26} {' '.join(cells)} "
                         f"{_us(est.get(TUNED)):>11} {r['held_out'][p.name] * 1e6:9.1f} "
                         f"{r['held_out'][p.name] / ref:6.2f} {_iree_ratio(p, est):>10}")
    return "\n".join(lines) + ("\n(microseconds; ratio: held-out estimate of the point's path / its reference; "
                               "tuned/IREE: the fitted estimate of stock-tuned / IREE's time; an "
                               "outlier (calibration.json says why) is never a reference; a measured point "
                               "CASE@PATH: its path's estimate in that path's column, '-' in the other)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tilefuse.tools.calibrate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--work-dir", default="calibrate.work", help="where compiled reports are cached")
    ap.add_argument("--excerpts", help="read the excerpts from this JSON instead of compiling (default: compile)")
    ap.add_argument("--write-excerpts", help="write the excerpts of the compiled reports to this JSON")
    ap.add_argument("--measured", action="append", metavar="BENCH.json",
                    help="add the kernels a bench run measured (tilefuse bench --json) as points of its machine "
                         "(repeatable)")
    args = ap.parse_args(argv)
    if args.excerpts:
        data = json.loads(Path(args.excerpts).read_text())
    else:
        data = collect(Path(args.work_dir))
    if args.write_excerpts:
        Path(args.write_excerpts).write_text(json.dumps(data, indent=1) + "\n")
    pts = list(points())
    for f in args.measured or []:
        result = json.loads(Path(f).read_text())
        if not result.get("machine"):
            print(f"tilefuse: error: {f}: no machine (a dry run on the CPU has no estimate to calibrate)",
                  file=sys.stderr)
            return 2
        more, excerpts = measured_points(result)
        pts += more
        data.update(excerpts)
    print(table(data, calibrate(data, tuple(pts))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
