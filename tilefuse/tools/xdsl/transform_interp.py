"""`tilefuse-transform-interpreter`: xDSL's transform interpreter, with `transform.apply_registered_pass` resolved
among every pass xdsl-opt knows (xDSL's and the plugin universes', `tilefuse-stage` among them) and its `options`
applied. It runs transform scripts over a whole tilefuse path, Python stages included, which IREE's interpreter
cannot (it cannot call tilefuse's Python stages). `path=P` runs such a script generated from tilefuse/codegen/paths.py
when the pass runs (`path_script`: P's dispatch stages in order, one sequence @P_<target> per target), so the stage
list is written once, in paths.py:

    python -m tilefuse.tools.xdsl.generic 00-input.mlir | xdsl-opt --allow-unregistered-dialect --print-op-generic \
        -p 'tilefuse-transform-interpreter{path=tilefuse entry-point=tilefuse_gfx942}'

`python -m tilefuse.tools.xdsl.transform_interp P` prints that script (a start for one's own, run with `library=`).

Why not xDSL's own `transform-interpreter`: in xDSL 0.74 its `apply_registered_pass` looks the pass up in
`xdsl.transforms.get_all_passes()` (xDSL's built-in passes only: transforms/transform_interpreter.py:41), parses
`pass_name` alone and never reads the op's `options` (interpreters/transform.py:174), so a plugin pass is
"Unrecognized" and an option is silently dropped.

How: xDSL's interpreter machinery (`xdsl.interpreters.transform.TransformFunctions`: named_sequence, match,
tile_using_for, yield) with one implementation replaced, apply_registered_pass (MultiverseTransformFunctions).
Each `options` entry becomes a pass argument, as `name{key=value}` on xdsl-opt's command line would: strings,
integers, floats, booleans, arrays of those (a tuple argument), a unit attribute (a flag); the pass is built by its
own `from_spec`, so every check and side effect of a textual pipeline applies (tilefuse-stage's included).
`pass_name` may itself be an xdsl-opt pipeline (`"a,b{x=1}"`, as xDSL's interpreter allows) when there are no
options; with options it must name one pass.

Options: `entry-point` (default `__transform_main`), the named sequence to run with the payload module as its one
argument; `library`, a file holding the script (a path, or a file name in tilefuse's tilefuse/codegen/transforms/;
quoted on xdsl-opt's command line, whose pass-option lexer rejects `/` and `.` in bare values); `path`, a tilefuse path
whose generated script to run instead (not both). Without either the script is the payload's own (`transform.with_named_sequence`): its top-level named sequences are
taken out of the payload while the script runs (a stage sees only the payload) and put back after, at the end.

Failures raise TilefuseTransformError, one line naming the sequence and the pass:
"tilefuse-transform-interpreter{...}: @SEQ: apply_registered_pass \"tilefuse-stage\": tilefuse-stage{...}:
stage 'S' failed: REASON". It is a TilefuseStageError, so xdsl-opt prints it as that line (stage_pass.py's
excepthook), without xDSL's diagnostic dump of the script.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from xdsl.context import Context
from xdsl.dialects import builtin, get_all_dialects, transform
from xdsl.dialects.builtin import (ArrayAttr, FloatAttr, IntegerAttr, IntegerType, ModuleOp, StringAttr,
                                   UnitAttr)
from xdsl.interpreter import Interpreter, PythonValues, impl, register_impls
from xdsl.interpreters.printf import PrintfFunctions
from xdsl.interpreters.transform import OperationHandle, TransformFunctions
from xdsl.ir import Attribute
from xdsl.parser import Parser
from xdsl.passes import ModulePass
from xdsl.utils.arg_spec import ArgSpec, parse_pipeline
from xdsl.utils.exceptions import DiagnosticException, ParseError

from ...codegen import TRANSFORMS_DIR
from ...errors import TilefuseError
from ...codegen.paths import get_path
from ...target.targets import TARGETS
from .stage_pass import InterchangePass, TilefuseStageError


class TilefuseTransformError(TilefuseStageError):
    """A transform script run by `tilefuse-transform-interpreter` failed; the message is one line."""


def _first_line(e: BaseException) -> str:
    lines = [line.strip() for line in str(e).splitlines() if line.strip()]
    return lines[0] if lines else type(e).__name__


def all_passes() -> dict:
    """Every pass xdsl-opt knows: xDSL's and every plugin universe's (entry points `xdsl.universe`)."""
    from xdsl.universe import Universe

    return Universe.get_multiverse().all_passes


def option_values(key: str, value: Attribute) -> tuple:
    """One `options` entry as the values of a pass argument (`ArgSpec` parameters)."""
    if isinstance(value, ArrayAttr):
        return tuple(v for item in value.data for v in option_values(key, item))
    if isinstance(value, UnitAttr):
        return ()
    if isinstance(value, StringAttr):
        return (value.data,)
    if isinstance(value, IntegerAttr):
        if isinstance(value.type, IntegerType) and value.type.width.data == 1:
            return (bool(value.value.data),)
        return (value.value.data,)
    if isinstance(value, FloatAttr):
        return (value.value.data,)
    raise ValueError(f"option '{key}': unsupported value {value} (strings, numbers, booleans, arrays, unit)")


def passes_of(op: transform.ApplyRegisteredPassOp, available: dict) -> list[ModulePass]:
    """The pass(es) OP names, with its options as their arguments; ValueError (one line) when that fails."""
    try:
        specs = list(parse_pipeline(op.pass_name.data))
    except Exception as e:  # ArgSpecParseError: a caret diagram
        raise ValueError(f"malformed pass name: {_first_line(e)}") from None
    options = dict(op.options.data)
    if options:
        if len(specs) != 1:
            raise ValueError("with options, pass_name must name exactly one pass")
        params = dict(specs[0].parameters)
        params.update({key: option_values(key, value) for key, value in options.items()})
        specs = [ArgSpec(specs[0].name, params)]
    unknown = [spec.name for spec in specs if spec.name not in available]
    if unknown:
        raise ValueError(f"unknown pass '{unknown[0]}' (not in xDSL's passes nor any xdsl.universe plugin's)")
    passes = []
    for spec in specs:
        try:
            passes.append(available[spec.name]().from_spec(spec))
        except TilefuseStageError:
            raise
        except Exception as e:  # ValueError: an unknown or ill-typed argument
            raise ValueError(f"{spec}: {_first_line(e)}") from None
    return passes


@register_impls
class MultiverseTransformFunctions(TransformFunctions):
    """xDSL's transform functions; `apply_registered_pass` finds passes in AVAILABLE_PASSES and applies options."""

    @impl(transform.ApplyRegisteredPassOp)
    def run_apply_registered_pass_op(self, interpreter: Interpreter, op: transform.ApplyRegisteredPassOp,
                                     args: PythonValues) -> PythonValues:
        (targets,) = args
        where = f"apply_registered_pass \"{op.pass_name.data}\""
        if not all(isinstance(t, builtin.ModuleOp) for t in targets.ops):
            raise TilefuseTransformError(f"{where}: supports only builtin.module targets")
        try:
            passes = passes_of(op, self.passes)
        except ValueError as e:
            raise TilefuseTransformError(f"{where}: {e}") from None
        for target in targets.ops:
            for p in passes:
                try:
                    p.apply(self.ctx, target)
                except TilefuseStageError as e:  # its message names the pass and the stage already
                    raise TilefuseTransformError(f"{where}: {_first_line(e)}") from None
                except Exception as e:
                    raise TilefuseTransformError(f"{where}: {p}: {_first_line(e)}") from None
        return (targets,)


def library_file(library: str) -> Path:
    """LIBRARY as given, else the file of that name (or stem) in tilefuse's tilefuse/codegen/transforms/."""
    path = Path(library)
    if path.is_file():
        return path
    for candidate in (TRANSFORMS_DIR / library, TRANSFORMS_DIR / f"{library}.mlir"):
        if not path.is_absolute() and candidate.is_file():
            return candidate
    raise TilefuseTransformError(f"transform library {library}: no such file")


def path_script(path: str) -> str:
    """PATH's dispatch stages (paths.py; its program stages run before dispatches exist) as a transform script: for
    each target, @PATH_TARGET applies `tilefuse-stage` with each stage in order to the payload. TilefuseError for an
    unknown path."""
    stages = get_path(path).stage_names()
    sequences = []
    for target in TARGETS:
        symbol = f"{path}_{target}"
        symbol = symbol if re.fullmatch(r"[A-Za-z_][\w$.]*", symbol) else f'"{symbol}"'  # tilefuse-vd: quoted
        lines = [f'  transform.named_sequence @{symbol}(%s0: !transform.any_op {{transform.consumed}}) {{']
        for i, stage in enumerate(stages):
            options = f'{{path = "{path}", target = "{target}", stage = "{stage}"}}'
            lines.append(f'    %s{i + 1} = transform.apply_registered_pass "tilefuse-stage" with options = {options} '
                         f'to %s{i} : (!transform.any_op) -> !transform.any_op')
        sequences.append("\n".join(lines + ["    transform.yield", "  }"]))
    return ("// Generated from tilefuse/codegen/paths.py (tilefuse.tools.xdsl.transform_interp.path_script): the "
            + path + " path's dispatch stages, configure to lower, one sequence per target.\n"
            + "module attributes {transform.with_named_sequence} {\n" + "\n\n".join(sequences) + "\n}\n")


def parse_script(text: str, name: str, ctx: Context) -> ModuleOp:
    """The script module in TEXT (from NAME), read with CTX plus xDSL's transform dialect."""
    lib_ctx = ctx.clone()
    if "transform" not in lib_ctx.registered_dialect_names:
        lib_ctx.register_dialect("transform", get_all_dialects()["transform"])
    try:
        module = Parser(lib_ctx, text, name).parse_module()
        module.verify()
    except (ParseError, DiagnosticException) as e:
        lines = [line.strip() for line in str(e).splitlines() if line.strip()]
        where = f"{lines[0]}: {lines[-1]}" if isinstance(e, ParseError) and len(lines) >= 4 else _first_line(e)
        raise TilefuseTransformError(f"transform library {name}: {where}") from None
    return module


def find_sequence(script: ModuleOp, entry_point: str) -> transform.NamedSequenceOp | None:
    for op in script.walk():
        if isinstance(op, transform.NamedSequenceOp) and op.sym_name.data == entry_point:
            return op
    return None


@dataclass(frozen=True)
class TilefuseTransformInterpreterPass(InterchangePass):
    """Runs named sequence `entry_point` of the script in `library` (or the payload's own) on the module."""

    name = "tilefuse-transform-interpreter"

    entry_point: str = "__transform_main"
    library: str | None = None
    path: str | None = None

    def describe(self) -> str:
        opts = [f"entry-point={self.entry_point}"] + ([f'library="{self.library}"'] if self.library else [])
        opts += [f"path={self.path}"] if self.path else []
        return f"{self.name}{{{' '.join(opts)}}}"

    def _script(self, ctx: Context) -> ModuleOp:
        if self.library is not None and self.path is not None:
            raise TilefuseTransformError("library and path are exclusive: a script file, or a path's generated one")
        if self.path is not None:
            try:
                text = path_script(self.path)
            except TilefuseError as e:
                raise TilefuseTransformError(str(e)) from None
            return parse_script(text, f"path {self.path}'s script", ctx)
        file = library_file(self.library)
        return parse_script(file.read_text(), str(file), ctx)

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        try:
            self._run(ctx, op)
        except TilefuseTransformError as e:
            raise TilefuseTransformError(f"{self.describe()}: {_first_line(e)}") from None

    def _run(self, ctx: Context, op: ModuleOp) -> None:
        embedded: list[transform.NamedSequenceOp] = []
        if self.library is not None or self.path is not None:
            script = self._script(ctx)
        else:  # the payload's own script: out of the payload while it runs
            embedded = [o for o in op.body.block.ops if isinstance(o, transform.NamedSequenceOp)]
            for o in embedded:
                o.detach()
            script = ModuleOp(embedded)
        entry = find_sequence(script, self.entry_point)
        if entry is None:
            where = self.library or (f"path {self.path}'s script" if self.path else "the payload")
            raise TilefuseTransformError(f"no named sequence @{self.entry_point} in {where}")
        interpreter = Interpreter(script)
        interpreter.register_implementations(MultiverseTransformFunctions(ctx, all_passes()))
        interpreter.register_implementations(PrintfFunctions())
        try:
            interpreter.call_op(entry, (OperationHandle(op),))
        except TilefuseTransformError as e:
            raise TilefuseTransformError(f"@{self.entry_point}: {_first_line(e)}") from None
        except Exception as e:  # InterpretationError (an op xDSL cannot interpret, a bad handle), ...
            raise TilefuseTransformError(f"@{self.entry_point}: {_first_line(e)}") from None
        finally:
            for o in embedded:
                script.body.block.detach_op(o)
                op.body.block.add_op(o)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tilefuse.tools.xdsl.transform_interp",
                                     description="Print a tilefuse path's stages as the transform script "
                                                 "tilefuse-transform-interpreter{path=PATH} runs.")
    parser.add_argument("path", help="a tilefuse path (tilefuse/codegen/paths.py)")
    try:
        print(path_script(parser.parse_args(argv).path), end="")
    except TilefuseError as e:
        print(f"tilefuse: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
