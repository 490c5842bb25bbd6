"""Best-first local search from the heuristic's config (design/tuning.md, "The search").

The heuristic's point is compiled and verified first. Then, while budget is left, the best-scoring point not yet
expanded has its neighbours (one knob one step; tune/space.py) compiled in parallel; any that beats the current
best is verified on the CPU (its small version, race detector included) before it becomes the best. A point whose
verify fails never wins and is not expanded.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ...codegen.config import TilefuseConfig
from ...ir.intrinsics import Intrinsic
from ...codegen.paths import get_path
from ...target.targets import get_target
from .configs import StockForm, TilefuseForm
from .space import Point, Space
from .stock import StockConfig
from .tasks import COMPILE, VERIFY, Task, run_task


@dataclass
class Candidate:
    point: Point
    config: dict
    result: dict | None = None  # compile_task's
    verify: dict | None = None  # verify_task's

    @property
    def seconds(self) -> float | None:
        return self.result["score"]["seconds"] if self.result and self.result["ok"] else None

    @property
    def may_win(self) -> bool:
        return self.seconds is not None and (self.verify is None or self.verify["status"] == "ok")


@dataclass
class Problem:
    input: Path
    small: Path  # what verify runs: the small version of a built-in or `tilefuse problem` input, else the input
    signature: str
    target: str
    path: str


@dataclass
class Outcome:
    problem: Problem
    default: Candidate
    best: Candidate
    candidates: list[Candidate] = field(default_factory=list)
    pruned: int = 0

    def to_dict(self) -> dict:
        def cand(c: Candidate) -> dict:
            return {"point": asdict(c.point), "config": c.config, "score": (c.result or {}).get("score"),
                    "error": (c.result or {}).get("error"), "isa": (c.result or {}).get("isa"),
                    "verify": None if c.verify is None else c.verify["status"]}
        return {"signature": self.problem.signature, "input": str(self.problem.input), "target": self.problem.target,
                "path": self.problem.path, "score_kind": self.default.result["score"]["kind"],
                "evaluated": len(self.candidates), "pruned_before_compile": self.pruned,
                "default": cand(self.default), "best": cand(self.best),
                "change": {k: list(v) for k, v in self.best.point.diff(self.default.point).items()},
                "candidates": [cand(c) for c in self.candidates]}


class Runner:
    """Tasks through the cache, then the executor; `advance` is called once per compile finished."""

    def __init__(self, executor, cache, advance):
        self.executor, self.cache, self.advance = executor, cache, advance

    def run(self, tasks: list[Task]) -> list[dict]:
        results: dict[int, dict] = {}
        missing = []
        for i, t in enumerate(tasks):
            hit = self.cache.get(t) if self.cache else None
            if hit is not None:
                results[i] = hit
                self.advance(t, hit)
            else:
                missing.append((i, t))
        index = {id(t): i for i, t in missing}
        for t, r in self.executor.map_unordered(run_task, [t for _, t in missing]):
            results[index[id(t)]] = r
            if self.cache:
                self.cache.put(t, r)
            self.advance(t, r)
        return [results[i] for i in range(len(tasks))]


def _work_dir(root: Path, problem: Problem, kind: str, config: dict | None) -> str:
    digest = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:12] if config else "default"
    return str(root / hashlib.sha256(problem.signature.encode()).hexdigest()[:8] / problem.path / kind / digest)


def _form(problem: Problem, config: dict, sizes: dict):
    target = get_target(problem.target)
    if problem.path == "stock":
        return StockForm(StockConfig.from_dict(config), sizes, target)
    return TilefuseForm(TilefuseConfig.from_dict(config), sizes, target)


def _space(problem: Problem, form, small_sizes: dict) -> Space:
    default = form.default
    pv = default.pv.mma_kind
    causal = default.tiling.causal_period if problem.path != "stock" else None
    return Space(get_target(problem.target), Intrinsic.named(pv).element_types[0], form.point(), form.roles,
                 small_sizes, causal, "share-kv" in get_path(problem.path).stage_names())


class Search:
    def __init__(self, problem: Problem, budget: int, runner: Runner, work_root: Path, workers: int,
                 device: str | None = None, repetitions: int = 10):
        self.problem, self.budget, self.runner, self.root = problem, budget, runner, work_root
        self.workers, self.device, self.repetitions = workers, device, repetitions

    def task(self, kind: str, config: dict | None) -> Task:
        p = self.problem
        return Task(kind, p.signature, str(p.input if kind == COMPILE else p.small), p.target, p.path, config,
                    _work_dir(self.root, p, kind, config), self.device if kind == COMPILE else None,
                    self.repetitions)

    def run(self) -> Outcome:
        compiled, verified = self.runner.run([self.task(COMPILE, None), self.task(VERIFY, None)])
        if not compiled["ok"]:
            raise RuntimeError(f"the heuristic's config does not compile: {compiled['error']}")
        if not verified.get("sizes"):
            raise RuntimeError(f"the heuristic's config does not verify: {verified.get('error', verified['status'])}")
        form = _form(self.problem, compiled["config"], compiled["sizes"])
        space = _space(self.problem, form, verified["sizes"])
        default = Candidate(space.default, compiled["config"], compiled, verified)
        seen = {default.point: default}
        expanded: set[Point] = set()
        pruned = 0
        best = default
        while len(seen) < self.budget:
            frontier = sorted((c for c in seen.values() if c.may_win and c.point not in expanded),
                              key=lambda c: c.seconds)
            if not frontier:
                break
            origin = frontier[0]
            expanded.add(origin.point)
            moves = space.moves(origin.point)
            neighbours = [q for q in moves if space.invalid(q) is None]
            pruned += len(moves) - len(neighbours)
            fresh = [q for q in neighbours if q not in seen][:self.budget - len(seen)]
            if not fresh:
                continue
            configs = [form.config(q) for q in fresh]
            for q, cfg, r in zip(fresh, configs, self.runner.run([self.task(COMPILE, c) for c in configs])):
                seen[q] = Candidate(q, cfg, r)
            best = self._verify_winner(seen, best)
        return Outcome(self.problem, default, best, list(seen.values()), pruned)

    def _verify_winner(self, seen: dict, best: Candidate) -> Candidate:
        """The best candidate that beats `best` and verifies (a few verified at once, best first)."""
        while True:
            challengers = sorted((c for c in seen.values() if c.may_win and c.verify is None
                                  and c.seconds < best.seconds), key=lambda c: c.seconds)[:self.workers]
            if not challengers:
                return best
            results = self.runner.run([self.task(VERIFY, c.config) for c in challengers])
            for c, v in zip(challengers, results):
                c.verify = v
            winners = [c for c in challengers if c.verify["status"] == "ok"]
            if winners:
                return min(winners, key=lambda c: c.seconds)

