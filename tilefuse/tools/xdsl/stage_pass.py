"""`tilefuse-stage`: one stage of a tilefuse path as an xDSL ModulePass.

    xdsl-opt S.generic.mlir --allow-unregistered-dialect --print-op-generic \
        -p 'tilefuse-stage{path=tilefuse target=gfx942 stage=thread-distribute}'

The pass prints the module for IREE (generic form), runs the stage with `tilefuse.driver.compile.run_stage` (the
function `tilefuse stage` and the compile driver use, so the result is the same IR), parses the result back with the
interchange context and replaces the module's body, attributes and properties in place. Options: `path`
(default tilefuse), `target` (default gfx942), `stage` (required), `config` (a JSON file of config overrides, as
`tilefuse compile --config`).

A failing stage (or a bad option) raises `TilefuseStageError`, an xDSL `PassFailedException` whose message is one
line: "tilefuse-stage{...}: stage 'S' failed: REASON". When the pass is built from a textual pipeline (xdsl-opt's
`-p`), building it also (1) switches xDSL's gpu/arith/scf/tensor/bufferization dialects of that process to the
interchange versions (`interchange.use_interchange_dialects_in_xdsl`; the input is IREE IR that xDSL 0.74's gpu
cannot parse), (2) makes xDSL's parser read affine maps verbatim (`patches.install_verbatim_affine_parsing`) and
(3) installs an excepthook that prints an uncaught `TilefuseStageError` as that one line on
stderr instead of a traceback (xdsl-opt re-raises pass failures; the exit status stays 1).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.utils.exceptions import PassFailedException

from ...errors import TilefuseError
from .interchange import make_context, parse_snapshot, print_for_iree, use_interchange_dialects_in_xdsl
from .patches import install_verbatim_affine_parsing


class TilefuseStageError(PassFailedException):
    """A tilefuse stage run as an xDSL pass failed; the message is one line."""


@dataclass(frozen=True)
class InterchangePass(ModulePass):
    """A tilefuse pass: built from a textual pipeline (xdsl-opt's `-p`), it makes that process read and write IREE
    IR as the interchange does (prepare_textual_pipeline)."""

    @classmethod
    def from_spec(cls, spec):
        prepare_textual_pipeline()
        return super().from_spec(spec)


@dataclass(frozen=True)
class TilefuseStagePass(InterchangePass):
    """Runs stage `stage` of tilefuse path `path` for `target` on the module, in place."""

    name = "tilefuse-stage"

    path: str = "tilefuse"
    target: str = "gfx942"
    stage: str | None = None
    config: str | None = None

    def describe(self) -> str:
        opts = [f"path={self.path}", f"target={self.target}"]
        opts += [f"stage={self.stage}"] if self.stage else []
        opts += [f"config={self.config}"] if self.config else []
        return f"{self.name}{{{' '.join(opts)}}}"

    def _fail(self, message: str) -> TilefuseStageError:
        return TilefuseStageError(f"{self.describe()}: {message}")

    def _overrides(self) -> dict | None:
        if not self.config:
            return None
        try:
            overrides = json.loads(Path(self.config).read_text())
        except OSError as e:
            raise self._fail(f"config {self.config}: {e.strerror or e}") from None
        except json.JSONDecodeError as e:
            raise self._fail(f"config {self.config} is not JSON: {e}") from None
        if not isinstance(overrides, dict):
            raise self._fail(f"config {self.config} must hold a JSON object")
        return overrides

    def run_on_text(self, text: str) -> str:
        """The stage on IR text (any form IREE reads); returns IREE's print of the result."""
        from ...driver import compile as driver  # imports IREE and the stage libraries: only when a stage runs

        if not self.stage:
            raise self._fail("option stage=NAME is required")
        try:
            return driver.run_stage(text, self.target, self.path, self.stage, self._overrides())
        except TilefuseError as e:  # StageError: "stage 'S' failed: REASON"; bad input or options: one line too
            message = str(e).strip().splitlines()
            raise self._fail(message[0] if message else type(e).__name__) from None

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        result = self.run_on_text(print_for_iree(op))
        try:
            new = parse_snapshot(result, make_context(), what=f"the IR after stage '{self.stage}'")
        except TilefuseError as e:
            raise self._fail(str(e)) from None
        replace_module_contents(op, new)


@dataclass(frozen=True)
class TilefuseInterchangePass(InterchangePass):
    """`tilefuse-interchange`: changes nothing; naming it in xdsl-opt's `-p` makes that xdsl-opt read and write IREE
    IR as the interchange does (the switches `tilefuse-stage` makes, below), e.g. to round-trip a snapshot or to
    run xDSL's own passes on one: `xdsl-opt --allow-unregistered-dialect --print-op-generic -p tilefuse-interchange`."""

    name = "tilefuse-interchange"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        pass


def replace_module_contents(op: ModuleOp, new: ModuleOp) -> None:
    """OP takes NEW's body, attributes and properties (OP itself, the object xdsl-opt holds, stays)."""
    for block in list(op.body.blocks):
        op.body.detach_block(block)
    for block in list(new.body.blocks):
        op.body.add_block(new.body.detach_block(block))
    op.attributes.clear()
    op.attributes.update(new.attributes)
    op.properties.clear()
    op.properties.update(new.properties)


_PREPARED = False


def prepare_textual_pipeline() -> None:
    global _PREPARED
    if _PREPARED:
        return
    _PREPARED = True
    use_interchange_dialects_in_xdsl()
    install_verbatim_affine_parsing()
    previous = sys.excepthook

    def one_line_stage_errors(exc_type, exc, tb):
        if isinstance(exc, TilefuseStageError):
            print(f"error: {exc}", file=sys.stderr)
        else:
            previous(exc_type, exc, tb)

    sys.excepthook = one_line_stage_errors
