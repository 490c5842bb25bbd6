"""report.json: what one compile did, per dispatch and per stage. Later issues extend it, never break it."""

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .isa import IsaMetrics
from ..perf.launch import Launch
from ..perf.work import DispatchWork


@dataclass
class StageRecord:
    name: str
    seconds: float
    snapshot: str  # path of the IR after this stage, relative to the dump dir


@dataclass
class ProgramStageRecord(StageRecord):
    changes: list = field(default_factory=list)  # what the stage rewrote, one entry per op


@dataclass
class DispatchReport:
    name: str
    has_attention: bool
    exports: list[str] = field(default_factory=list)
    runs_at_load: bool = False  # dispatched only by util.initializers: once per module load, not per call
    # "path": lowered by the path's stages and handed back with no_pipeline; "iree": the dispatch's
    # configured pipeline is not one this path lowers, so IREE's own pipeline compiled it.
    lowered_by: str = "path"
    pipeline: str | None = None  # the IREE pipeline the configure stage chose
    stages: list[StageRecord] = field(default_factory=list)
    config: dict = field(default_factory=dict)
    isa: IsaMetrics | None = None
    # The launch IREE issues (perf/launch.py), what the dispatch computes and moves (perf/work.py) and the
    # estimate built from them and the ISA (perf/estimate.py; an estimate, labelled so).
    launch: Launch | None = None
    work: DispatchWork | None = None
    configured: str | None = None  # the snapshot after the path's configure stage (dump-relative): what work reads
    estimate: dict | None = None
    fallback: dict | None = None  # {"from", "to", "reason"} when --fallback lowered this dispatch
    fault: dict | None = None  # {"drop_untracked_attrs_after": stage, "dropped": {attr: count}} when injected
    # IR replaced between stages: [{after, pipeline, seconds}] for xDSL rewrites, [{after, snapshot}] for resume
    rewrites: list[dict] = field(default_factory=list)
    # What tilefuse planned for the dispatch's attention (tilefuse/codegen/plan.py: sizes, packing, padding, K2 split,
    # config): the one record of its choices; None where the path's configure is not tilefuse's
    plan: dict | None = None


@dataclass
class Report:
    input: str
    target: str
    path: str
    # The program IREE's front end compiled: the input, or the path's program stages' result (dump dir)
    program: str | None = None
    program_stages: list[ProgramStageRecord] = field(default_factory=list)
    ok: bool = False
    error: str | None = None
    failed_stage: str | None = None  # the stage that refused or failed (error says why)
    # [{"function", "attention", "dispatch", "reason", "undone"}]: a dispatch holding what the program stages made
    # of an input attention op (at "attention": program/00-input.mlir:LINE:COL, in "function") was refused, so
    # --fallback left that op as written ("undone": the changes, [{"stage", ...}]) and compiled the program again
    attention_fallbacks: list[dict] = field(default_factory=list)
    # {"from", "to", "reason", "discarded_program_stages"}: a refused dispatch could not be traced to the input's
    # attention ops, so --fallback compiled the input program itself (program_stages is then empty)
    program_fallback: dict | None = None
    dispatches: list[DispatchReport] = field(default_factory=list)
    # Where a dispatch's sizes are known only at run time: {"at": "K2=4096", "by": "problem" | "--dim"}, the
    # sizes its work, grid and estimate are read at (driver/run_time.py); {"missing": dims, "option": "--dim"}
    # where some have no size (no estimate); "not_evaluated": why the sizes could not be followed into a dispatch
    run_time_sizes: dict | None = None
    compile_seconds: float | None = None
    output: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    def write(self, path: Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=2) + "\n")
