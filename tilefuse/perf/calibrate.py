"""`python -m tilefuse.perf.calibrate`: the estimate beside published measured times (design/performance.md,
"Calibration").

Every point of the calibration set (calibration.py) is compiled on the stock and tilefuse paths for its machine's
target; what the estimate reads of each dispatch (work, launch, ISA, the program's useful share) is kept as an
excerpt, so the model can be re-evaluated and fitted without compiling again. Reports are cached in the work
folder: a point is compiled once.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..driver import compile_file
from .calibration import PATHS, Point, points
from .estimate import padding_fraction
from .work import DispatchWork

ISA_FIELDS = ("vgpr", "agpr", "next_free_vgpr", "lds_bytes", "mma_ops", "barriers", "ptxas")


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
    from .work import AttentionWork
    if raw is None:
        return None
    att = raw.get("attention")
    return DispatchWork(raw["global_bytes"], AttentionWork(**att) if att else None)


def compiled(point: Point, path: str, work_dir: Path, log) -> dict:
    """The report of `point` compiled on `path` for its target (cached under work_dir)."""
    out = work_dir / point.name / point.target / path
    cached = out / "report.json"
    if not cached.is_file():
        out.mkdir(parents=True, exist_ok=True)
        source = out / "input.mlir"
        source.write_text(point.problem().to_mlir())
        log(f"compiling {point.name} on {path} for {point.target} ...")
        compile_file(source, point.target, path, out / "out.vmfb", out, fallback=None if path == "stock" else "stock")
    return json.loads(cached.read_text())


def collect(work_dir: Path, log=lambda msg: print(msg, file=sys.stderr, flush=True)) -> dict:
    """{point: {path: excerpt}} over the whole set."""
    return {p.name: {path: excerpt(compiled(p, path, work_dir, log)) for path in PATHS} for p in points()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tilefuse.perf.calibrate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--work-dir", default="calibrate.work", help="where compiled reports are cached")
    ap.add_argument("--excerpts", help="read the excerpts from this JSON instead of compiling (default: compile)")
    ap.add_argument("--write-excerpts", help="write the excerpts of the compiled reports to this JSON")
    args = ap.parse_args(argv)
    if args.excerpts:
        data = json.loads(Path(args.excerpts).read_text())
    else:
        data = collect(Path(args.work_dir))
    if args.write_excerpts:
        Path(args.write_excerpts).write_text(json.dumps(data, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
