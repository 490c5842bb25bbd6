"""`--fallback` on a program the program stages rewrote: which of the input's attention ops a refused dispatch
holds, so that the driver undoes the program stages' rewrites of those ops alone and compiles the program again.

A rewrite served the path's own dispatch stages (a causal mask dropped from the operands is applied by the
tiles, a padded K2 doubles the fallback's MMA work), so a dispatch holding what a rewrite made never goes to the
fallback path as it is. Every op a program stage's rewrite creates carries the location of the input attention
op it rewrites (tilefuse/codegen/program_stage.py). IREE's front end compiles the last snapshot, so a dispatch's ops
name snapshot lines and columns (inlined: `callsite("…/05-split-k2.mlir":35:10 at "…":9:3)`); the snapshot parsed
again beside the module it was printed from (the same ops in the same order) turns each place into the input op
it came from. Then, for a dispatch the path refuses:
- it holds ops of rewritten attentions: those attentions are left as written and the program compiled again
  (the other attentions keep their rewrites; the dispatch of one left as written is then the user's own, which the
  path may lower itself or which falls back alone);
- it holds none: it falls back alone, as in a program the stages left unchanged;
- an attention op of it names no attention op of the snapshot (or a stage did not say which op it changed): it
  cannot be traced, and the whole input program goes to the fallback path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import iree.compiler.ir as ir

from ..errors import StageError
from ..ir.facts import ATTENTION_OPS
from ..ir.irutil import walk

# A file location, "file":line:col, read from the printed location: IREE 3.13's Python bindings have no accessors
# for a location's parts (upstream MLIR's Location.is_a_file/filename/start_line came later), and a callsite or
# fused location prints every file location it holds in this form.
_PLACE = re.compile(r'"((?:[^"\\]|\\.)*)":(\d+):(\d+)')


class Untraceable(Exception):
    """A refused dispatch whose ops cannot be traced to the input's attention ops."""


class RefusedRewrite(Exception):
    """The path refused a dispatch holding ops of the rewritten input attention ops ORIGINS (their locations);
    raised in the driver's child process, so it pickles by its arguments."""

    def __init__(self, error: StageError, origins: list[str]):
        super().__init__(error, origins)
        self.error, self.origins = error, origins


@dataclass
class Rewritten:
    function: str
    changes: list = field(default_factory=list)  # [{"stage", **change}], in stage order


@dataclass
class Rewrites:
    """The program the program stages wrote to SNAPSHOT (MODULE: it in memory, with its locations) and what they
    rewrote, per input attention op (its location)."""

    snapshot: Path
    module: ir.Module
    session: object
    ops: dict[str, Rewritten]
    untraceable: str | None = None  # why the changes cannot be told apart per op
    _places: dict | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, snapshot: Path, module: ir.Module, session, stages: list[tuple[str, list, list | None]]
           ) -> "Rewrites":
        """From each stage's (name, changes, changed_ops: beside each change, (the op's location, its function))."""
        ops, untraceable = {}, None
        for stage, changes, changed_ops in stages:
            if changes and len(changed_ops or []) != len(changes):
                untraceable = f"the program stage '{stage}' does not say which attention op it changed"
                continue
            for change, (origin, function) in zip(changes, changed_ops or []):
                ops.setdefault(origin, Rewritten(function)).changes.append({"stage": stage, **change})
        return cls(snapshot, module, session, ops, untraceable)

    def carried_by(self, exe: ir.Operation) -> list[str]:
        """The rewritten input attention ops (locations) that ops of EXE come from; raises Untraceable."""
        if self.untraceable:
            raise Untraceable(self.untraceable)
        places = self._snapshot_places()
        found = set()
        for op in walk(exe):
            sources = [places[p] for p in _places_in(op.location, str(self.snapshot)) if p in places]
            if op.name in ATTENTION_OPS and not any(name in ATTENTION_OPS for name, _ in sources):
                raise Untraceable(f"its {op.name} names no attention op of {self.snapshot.name} ({op.location})")
            found |= {origin for _, origin in sources if origin in self.ops}
        return sorted(found)

    def _snapshot_places(self) -> dict[tuple[int, int], tuple[str, str]]:
        """(line, col) of each op in the snapshot -> (its name, its location in MODULE); built once, when a
        dispatch is first refused."""
        if self._places is None:
            reparsed = self.session.parse_file(self.snapshot)
            ours, theirs = list(walk(self.module.operation)), list(walk(reparsed.operation))
            if [o.name for o in ours] != [o.name for o in theirs]:
                raise Untraceable(f"{self.snapshot.name} parses to other ops than the program printed to it")
            self._places = {p: (o.name, str(mine.location)) for mine, o in zip(ours, theirs)
                            for p in _places_in(o.location, str(self.snapshot))}
        return self._places

    def reverted(self, refused: RefusedRewrite, dump_dir: Path) -> list[dict]:
        """The report's record of each attention op REFUSED leaves as written: its function, where it is in the
        input (the dump's program/00-input.mlir), the dispatch refused and why, the program-stage changes undone."""
        return [{"function": self.ops[o].function, "attention": place(o, dump_dir), "dispatch": refused.error.dispatch,
                 "reason": str(refused.error), "undone": self.ops[o].changes} for o in refused.origins]


def _places_in(loc: ir.Location, file: str) -> list[tuple[int, int]]:
    """The (line, col) of every place in FILE a location names (a callsite's callee and caller, a fused one's
    parts)."""
    return [(int(line), int(col)) for f, line, col in _PLACE.findall(str(loc)) if f == file]


def place(origin: str, dump_dir: Path) -> str:
    """`loc("DUMP/program/00-input.mlir":35:10)` as `program/00-input.mlir:35:10`."""
    (f, line, col), = _PLACE.findall(origin)
    prefix = f"{Path(dump_dir)}/"
    return f"{f.removeprefix(prefix)}:{line}:{col}"
