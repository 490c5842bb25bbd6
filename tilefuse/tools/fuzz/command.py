"""`tilefuse fuzz N --seed S`: the command (tilefuse/cli.py adds its parser)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ...errors import TilefuseError
from ...codegen.paths import PATHS
from ...target.targets import TARGETS
from . import summary
from .case import Case, run_case
from .pool import run_all
from .space import draw_problem


def add_parser(sub) -> None:
    f = sub.add_parser("fuzz", help="random attention problems, each compiled and verified on the CPU")
    f.add_argument("cases", type=int, help="how many problems to draw")
    f.add_argument("--seed", type=int, default=0, help="case i of a seed is the same problem whatever N is")
    f.add_argument("--targets", default="gfx942", help="comma-separated: " + ", ".join(TARGETS))
    f.add_argument("--paths", default="tilefuse", help="comma-separated: " + ", ".join(PATHS))
    f.add_argument("--jobs", type=int, default=1, help="cases at once, each in its own process")
    f.add_argument("--timeout", type=float, default=300, help="seconds per case before it is killed")
    f.add_argument("--work-dir", default="tilefuse-fuzz",
                   help="one folder per case (kept for the cases that are not ok or refused)")
    f.add_argument("--keep", action="store_true", help="keep every case's folder")
    f.add_argument("--json", help="write the cases and the summary here")
    f.set_defaults(fn=cmd_fuzz)


def _names(text: str, known, what: str) -> list[str]:
    names = [n for n in text.split(",") if n]
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        raise TilefuseError(f"unknown {what} '{','.join(unknown)}' (known: {', '.join(known)})")
    return names


def cmd_fuzz(a) -> int:
    targets, paths = _names(a.targets, TARGETS, "target"), _names(a.paths, PATHS, "path")
    if a.cases < 1 or a.jobs < 1 or a.timeout <= 0:
        raise TilefuseError("fuzz: N and --jobs must be at least 1, --timeout positive")
    try:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    except ImportError:
        raise TilefuseError("tilefuse fuzz needs rich (the tune extra): pip install -e '.[tune]'") from None
    work = Path(a.work_dir).resolve()
    cases = [Case(i, draw_problem(a.seed, i, target).to_dict(), target, path, a.seed,
                  str(work / f"case-{i:04d}-{target}-{path}"), a.keep)
             for i in range(a.cases) for target in targets for path in paths]
    records = []
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=Console(stderr=True)) as progress:
        bar = progress.add_task("fuzz", total=len(cases))

        def done(case: Case, result: dict) -> None:
            records.append(summary.record(case, result))
            counts = summary.summarize(records)["verdicts"]
            progress.update(bar, advance=1, description="fuzz: " + " ".join(f"{v} {n}" for v, n in counts.items() if n))
            if a.json:  # after every case: an interrupted run keeps what it found
                _write_json(Path(a.json), a.seed, targets, paths, records)

        try:
            run_all(cases, run_case, a.jobs, a.timeout, done)
            interrupted = False
        except KeyboardInterrupt:  # Ctrl-C: what was found so far is printed, and the run did not finish
            interrupted = True
    result = summary.summarize(records)
    print(summary.format_cases(records))
    print(summary.format_summary(result, records))
    if a.json:
        print(f"wrote {a.json}", file=sys.stderr)
    if interrupted:
        print(f"tilefuse: interrupted after {len(records)} of {len(cases)} cases (exit 130; the table has those)",
              file=sys.stderr)
        return 130
    return 1 if summary.failed(result) else 0


def _write_json(path: Path, seed: int, targets: list[str], paths: list[str], records: list[dict]) -> None:
    path.write_text(json.dumps({"seed": seed, "targets": targets, "paths": paths, **summary.summarize(records),
                                "records": sorted(records, key=lambda r: r["index"])}, indent=2) + "\n")
