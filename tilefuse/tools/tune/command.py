"""`tilefuse tune`: the command (tilefuse/cli.py adds its parser)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ...errors import TilefuseError
from ...codegen.paths import PATHS
from ...problem import AttentionProblem
from ...target.targets import TARGETS
from . import db, table
from .cache import ResultCache, default_cache_dir
from .executors import make_executor
from .search import Problem, Runner, Search
from .signature import problem_signature
from .tasks import COMPILE

TUNABLE_PATHS = ("stock", "tilefuse", "tilefuse-noshare")


def add_parser(sub) -> None:
    t = sub.add_parser("tune", help="search the config space of a path for each input (design/tuning.md)")
    t.add_argument("inputs", nargs="+", help=".mlir files (`tilefuse problem` files verify their small version)")
    t.add_argument("--path", default="tilefuse", help=", ".join(TUNABLE_PATHS))
    t.add_argument("--target", default="gfx942", help=", ".join(TARGETS))
    t.add_argument("--budget", type=int, default=16, help="candidates compiled per input, the default's included")
    t.add_argument("--executor", default="local", help="local (a process pool) or ray")
    t.add_argument("--workers", type=int, default=2, help="candidates compiled at once")
    t.add_argument("--ray-address", help="join this Ray cluster (default: start an embedded local Ray)")
    t.add_argument("--device", help="score by measured time on this IREE driver (cuda, hip), not the estimate")
    t.add_argument("--repetitions", type=int, default=10, help="timed repetitions per kernel (--device)")
    t.add_argument("--cache-dir", help="results by (problem, config, target, path, compiler) "
                                       "(default: ~/.cache/tilefuse/tune)")
    t.add_argument("--work-dir", default="tilefuse-tune", help="candidates' compiles and verifies")
    t.add_argument("--spec", help="stock path: also write an IREE tuning spec of the best configs here")
    t.add_argument("-o", "--output", required=True, help="the config database to write (merged into if it exists)")
    t.add_argument("--json", help="also write every candidate of every input here")
    t.set_defaults(fn=cmd_tune)


def _check(a) -> None:
    if a.path not in TUNABLE_PATHS:
        raise TilefuseError(f"tune: path '{a.path}' has no tunable config (tunable: {', '.join(TUNABLE_PATHS)})"
                            if a.path in PATHS else f"unknown path '{a.path}' (known: {', '.join(PATHS)})")
    if a.target not in TARGETS:
        raise TilefuseError(f"unknown target '{a.target}' (known: {', '.join(TARGETS)})")
    if a.budget < 1 or a.workers < 1:
        raise TilefuseError("--budget and --workers must be at least 1")
    if a.spec and a.path != "stock":
        raise TilefuseError("--spec writes an IREE tuning spec of stock's config: it needs --path stock")
    for f in a.inputs:
        if not Path(f).is_file():
            raise TilefuseError(f"input file not found: {f}")
    if a.device:
        from ..bench import device_available
        ok, why = device_available(a.device)
        if not ok:
            raise TilefuseError(f"--device {a.device}: {why}")


def _problem(input_path: Path, a, work: Path) -> Problem:
    """The input and what verify runs: a problem file's small version, any other input as it is."""
    problem = AttentionProblem.from_mlir_header(input_path.read_text())
    small = input_path
    if problem is not None:
        small = work / "small" / f"{input_path.stem}.mlir"
        small.parent.mkdir(parents=True, exist_ok=True)
        small.write_text(problem.small().to_mlir())
    return Problem(input_path.resolve(), small.resolve(), problem_signature(input_path), a.target, a.path)


def cmd_tune(a) -> int:
    _check(a)
    try:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    except ImportError:
        raise TilefuseError("tilefuse tune needs the tune extra: pip install -e '.[tune]'") from None

    work = Path(a.work_dir).resolve()
    cache = ResultCache(Path(a.cache_dir) if a.cache_dir else default_cache_dir())
    executor = make_executor(a.executor, a.workers, a.ray_address)
    outcomes, stock_configs = [], []
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    try:
        with Progress(*columns, console=_stderr_console()) as progress:
            for f in a.inputs:
                problem = _problem(Path(f), a, work)
                bar = progress.add_task(f"{Path(f).stem}: heuristic", total=a.budget)

                def advance(task, result, bar=bar, name=Path(f).stem):
                    if task.kind != COMPILE:
                        return
                    note = f"{result['score']['seconds'] * 1e6:.1f} µs" if result.get("ok") else "failed"
                    progress.update(bar, advance=1, description=f"{name}: last {note}")

                outcome = Search(problem, a.budget, Runner(executor, cache, advance), work, a.workers,
                                 a.device, a.repetitions).run()
                progress.update(bar, total=len(outcome.candidates), completed=len(outcome.candidates))
                o = {"problem": Path(f).stem, **outcome.to_dict()}
                outcomes.append(o)
                db.record(Path(a.output), o)
                if a.path == "stock":
                    from .stock import StockConfig
                    stock_configs.append(StockConfig.from_dict(o["best"]["config"]))
    except RuntimeError as e:
        raise TilefuseError(f"tune: {e}") from None
    finally:
        executor.close()
    (table.print_table if sys.stdout.isatty() else lambda o: print(table.render(o)))(outcomes)
    print(f"score: {_score_note(outcomes)}; wrote {a.output}", file=sys.stderr)
    if a.spec:
        from .stock import write_spec
        write_spec(Path(a.spec), stock_configs)
        print(f"wrote {a.spec} (iree-compile ... --iree-codegen-tuning-spec-path={a.spec})", file=sys.stderr)
    if a.json:
        Path(a.json).write_text(json.dumps({"results": outcomes}, indent=2) + "\n")
    return 0


def _score_note(outcomes: list[dict]) -> str:
    kinds = {o["score_kind"] for o in outcomes}
    if kinds == {"gpu"}:
        return "measured GPU time (median of repetitions, tilefuse bench)"
    from ...perf.estimate import LABEL
    return LABEL


def _stderr_console():
    from rich.console import Console
    return Console(stderr=True)
