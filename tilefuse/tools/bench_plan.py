"""GPU mode, the compiling half: a bench's cases compiled into a plan folder that tilefuse.tools.bench runs
(design/performance.md, "Measuring on a GPU").

The cases are built-in problems, the calibration set's shapes (perf/calibration.json, each compiled for the
target whatever machine it was published on) and input files. For a GPU target each is compiled on every path
(ab.run_ab: the same compiles, reports and estimates as `tilefuse ab`); for a CPU driver (`--device local-task`,
the harness's dry run) once by a plain iree-compile for llvm-cpu, since the paths generate GPU code. The plan
holds per kernel its module, the estimate (seconds with its band) and what the estimate read (calibrate.excerpt),
so the measured times can refit the model; an input file's arguments, the interpreted program's outputs and their
error bounds (verify's reference) are stored beside it, since the measuring machine may have no compiler.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

import iree.compiler.ir as ir
import numpy as np

from .ab import Case, program_estimate, suite_cases
from .bench import PLAN_FILE, not_a_plan
from ..driver.compile import convert_input
from ..errors import TilefuseError
from ..target.iree_tools import iree_compile
from .calibrate import excerpt
from ..perf.calibration import points
from ..target.machines import PRIMARY
from ..target.targets import get_target
from ..checkers.verify import CPU_FLAGS, program_reference

CPU_PATH = "llvm-cpu"


def calibration_cases(work_dir: Path, small: bool = False) -> list[Case]:
    """The calibration set's shapes as cases (named as its points)."""
    return suite_cases([p.problem().small() if small else p.problem() for p in points()], work_dir)


def cpu_records(cases: list[Case], work_dir: Path,
                log=lambda msg: print(msg, file=sys.stderr, flush=True)) -> list[dict]:
    """One plain llvm-cpu compile per case, as records shaped like ab.run_ab's (no dispatches: no estimate)."""
    records = []
    for i, case in enumerate(cases, 1):
        out = work_dir / case.name / CPU_PATH / "out.vmfb"
        out.parent.mkdir(parents=True, exist_ok=True)
        log(f"[{i}/{len(cases)}] {case.name} {CPU_PATH} ...")
        start, error = time.perf_counter(), None
        try:
            iree_compile([case.mlir, *CPU_FLAGS, "-o", out], what=str(case.mlir))
        except TilefuseError as e:
            error = str(e)
        report = {"path": CPU_PATH, "target": CPU_PATH, "ok": error is None, "error": error, "output": str(out),
                  "compile_seconds": round(time.perf_counter() - start, 3), "dispatches": []}
        records.append({"case": case.name, "problem": case.problem.to_dict() if case.problem else None,
                        "report": report})
    return records


def write_plan(records: list[dict], cases: list[Case], plan_dir: Path, target: str, work_dir: Path) -> Path:
    """The plan folder: plan.json, the modules (kernels/), an input file's call and reference (io/)."""
    why = not_a_plan(plan_dir)
    if why:
        raise TilefuseError(f"--plan-dir {why}")
    if plan_dir.exists():
        shutil.rmtree(plan_dir)
    (plan_dir / "kernels").mkdir(parents=True)
    by_name = {c.name: c for c in cases}
    calibration = {p.name for p in points()}
    kernels, ios = [], {}
    for r in records:
        case, rep = by_name[r["case"]], r["report"]
        k = {"case": case.name, "path": rep["path"], "problem": r["problem"],
             "flops": case.problem.flops() if case.problem else None,
             "calibration_point": case.name if case.name in calibration else None,
             "vmfb": None, "compile_error": None if rep["ok"] else rep["error"], "io": None,
             "estimate": program_estimate(rep) if rep["ok"] and rep["dispatches"] else None}
        if rep["ok"]:
            k["vmfb"] = f"kernels/{case.name}.{rep['path']}.vmfb"
            shutil.copyfile(rep["output"], plan_dir / k["vmfb"])
        if k["estimate"] is not None:
            k["excerpt"] = excerpt(rep)
        if case.problem is None:
            if case.name not in ios:
                ios[case.name] = file_io(case, target, work_dir / case.name / "reference", plan_dir)
            k["io"] = ios[case.name]
        kernels.append(k)
    machine = PRIMARY.get(target) if any(k["estimate"] for k in kernels) else None
    (plan_dir / PLAN_FILE).write_text(json.dumps({"target": target, "machine": machine, "kernels": kernels},
                                                 indent=1) + "\n")
    return plan_dir


def file_io(case: Case, target: str, work_dir: Path, plan_dir: Path) -> str:
    """An input file's arguments (drawn as verify draws them, seed 0), the interpreted program's outputs and
    their error bounds, as io/<case>.npz; the plan's relative path to it. A program the interpreter cannot run
    has no reference: that is an error, not a kernel left unchecked."""
    work_dir.mkdir(parents=True, exist_ok=True)
    converted = convert_input(case.mlir, get_target(target), work_dir / "program.mlir")
    ref = program_reference(converted, None, 0, None, ir.Context())
    meta = {"function": ref.entry, "arg_elems": [a.elem for a in ref.arguments], "result_elems": ref.result_elems}
    arrays = {"meta": np.array(json.dumps(meta))}
    arrays.update({f"arg{i}": x for i, x in enumerate(ref.inputs)})
    arrays.update({f"ref{i}": np.asarray(o, np.float64) for i, o in enumerate(ref.outputs)})
    arrays.update({f"atol{i}": np.asarray(b.atol, np.float64) for i, b in enumerate(ref.bounds)})
    rel = f"io/{case.name}.npz"
    (plan_dir / "io").mkdir(exist_ok=True)
    np.savez_compressed(plan_dir / rel, **arrays)
    return rel
