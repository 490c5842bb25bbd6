"""Edits between two stages of a path, given to the driver as its `between_stages` callback:

    --rewrite-after STAGE=PIPELINE   an xdsl-opt pass pipeline on every dispatch's IR after STAGE
    tilefuse resume SNAPSHOT         an edited snapshot replaces one dispatch's IR after STAGE

Each edit is recorded in the dispatch report's `rewrites`, and the snapshot after STAGE is the edited IR, so
`verify` checks what the edit produced (a wrong rewrite is a MISMATCH there and at every later stage).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path as _Path

from ..errors import TilefuseError
from ..codegen.paths import Path as CodegenPath


@dataclass(frozen=True)
class RewriteAfter:
    after: str  # a stage of the path
    pipeline: str  # an xdsl-opt pass pipeline

    @classmethod
    def parse(cls, spec: str, path: CodegenPath) -> "RewriteAfter":
        stage, eq, pipeline = spec.partition("=")
        if not eq or not stage or not pipeline:
            raise TilefuseError(f"--rewrite-after '{spec}': expected STAGE=PIPELINE")
        if stage not in path.stage_names():
            raise TilefuseError(f"--rewrite-after: path '{path.name}' has no stage '{stage}' "
                                f"(stages: {', '.join(path.stage_names())})")
        from .xdsl.pipeline import parse_pipeline

        parse_pipeline(pipeline)  # an unknown pass is an input error, before anything compiles
        return cls(stage, pipeline)


def xdsl_rewrites(rewrites: list[RewriteAfter]):
    def between_stages(dispatch: str, stage: str, text: str):
        mine = [r for r in rewrites if r.after == stage]
        if not mine:
            return None
        from .xdsl.pipeline import apply_pipeline

        start = time.perf_counter()
        for r in mine:
            text = apply_pipeline(text, r.pipeline, f"{dispatch} after '{stage}'")
        return text, {"after": stage, "pipeline": ",".join(r.pipeline for r in mine),
                      "seconds": round(time.perf_counter() - start, 4)}
    return between_stages


def rewrites_for(specs: list[str] | None, path: CodegenPath, only_its_stages: bool = False):
    """--rewrite-after STAGE=PIPELINE specs as the driver's between-stages callback for PATH (None without any);
    `only_its_stages` skips specs naming a stage PATH lacks (ab: each path takes the rewrites of its stages, as
    the fault injection does) instead of refusing them."""
    specs = [s for s in specs or [] if not only_its_stages or s.partition("=")[0] in path.stage_names()]
    return xdsl_rewrites([RewriteAfter.parse(s, path) for s in specs]) if specs else None


def resume_from(dispatch: str, after: str, snapshot: str, text: str):
    """Replaces DISPATCH's IR after stage AFTER with TEXT (the edited SNAPSHOT)."""
    def between_stages(name: str, stage: str, _ir: str):
        if name == dispatch and stage == after:
            return text, {"after": after, "snapshot": snapshot}
        return None
    return between_stages


def resume_file(snapshot, after: str, target: str, path: str, output, dump_dir, program=None, **compile_args):
    """Continues PATH after stage AFTER from an edited SNAPSHOT (one dispatch's hal.executable) to a .vmfb and a
    report: the program (PROGRAM, or the input recorded in the report.json of the dump dir SNAPSHOT lies in) is
    compiled again, and that dispatch's IR after AFTER is the snapshot's."""
    import iree.compiler.ir as ir

    from ..ir import irutil
    from ..driver.compile import CompileOptions, compile_file
    from ..codegen.paths import get_path

    snapshot = _Path(snapshot)
    if not snapshot.is_file():
        raise TilefuseError(f"snapshot not found: {snapshot}")
    codegen = get_path(path)
    if after not in codegen.stage_names():
        raise TilefuseError(f"--after: path '{codegen.name}' has no stage '{after}' "
                            f"(stages: {', '.join(codegen.stage_names())})")
    text = snapshot.read_text()
    try:
        executables = irutil.ops_named(ir.Module.parse(text, ir.Context()), "hal.executable")
    except ir.MLIRError as e:
        raise TilefuseError(f"{snapshot} does not parse: {irutil.error_line(e)}") from None
    if len(executables) != 1:
        raise TilefuseError(f"{snapshot}: expected one hal.executable (a stage snapshot), found {len(executables)}")
    dispatch = irutil.sym_name(executables[0])
    program = _Path(program) if program else _recorded_input(snapshot)
    report = compile_file(program, CompileOptions(target, codegen, output, dump_dir,
                                                  between_stages=resume_from(dispatch, after, str(snapshot), text), **compile_args))
    if report.ok and not any(d.rewrites for d in report.dispatches if d.name == dispatch):
        report.ok, report.error = False, f"dispatch {dispatch} of {program} never reached stage '{after}'"
        report.write(_Path(dump_dir) / "report.json")
    return report


def _recorded_input(snapshot):
    for parent in snapshot.resolve().parents:
        recorded = parent / "report.json"
        if recorded.is_file():
            import json

            return _Path(json.loads(recorded.read_text())["input"])
    raise TilefuseError(f"{snapshot} is not inside a compile's dump dir (no report.json above it): "
                        f"name the program with --input")
