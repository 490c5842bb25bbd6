"""Runs named sequences of tilefuse/codegen/transforms/ libraries on in-memory modules, as iree-opt would."""

import tempfile
from pathlib import Path
from typing import Sequence

import iree.compiler.ir as ir
import iree.compiler.passmanager as pm
from iree.compiler.dialects import _transform_ops_gen, transform

from . import TRANSFORMS_DIR
from ..ir.irutil import fork_safe_context
from ..errors import TilefuseError


def library_path(library: str) -> Path:
    path = TRANSFORMS_DIR / f"{library}.mlir"
    if not path.is_file():
        raise TilefuseError(f"transform library {path} not found (tilefuse runs from its source tree: pip install -e)")
    return path


def bind_params(sequence: str, params: Sequence[ir.Attribute], entry: str) -> ir.Module:
    """A library whose one entry, @entry(%root), runs @sequence(%root, *params): how a parametrised sequence gets
    its parameters, from tilefuse and from iree-opt (preload this library after the one defining @sequence,
    which is only declared here). Built in the current context."""
    with ir.Location.unknown():
        library = ir.Module.create()
        library.operation.attributes["transform.with_named_sequence"] = ir.UnitAttr.get()
        readonly = ir.DictAttr.get({"transform.readonly": ir.UnitAttr.get()})
        root, param = transform.AnyOpType.get(), transform.AnyParamType.get()
        arg_types = [root] + [param] * len(params)
        with ir.InsertionPoint(library.body):
            # The generated builder: a named sequence without a body is a declaration.
            _transform_ops_gen.NamedSequenceOp(sequence, ir.TypeAttr.get(ir.FunctionType.get(arg_types, [])),
                                               sym_visibility="private",
                                               arg_attrs=ir.ArrayAttr.get([readonly] * len(arg_types)))
            wrapper = transform.NamedSequenceOp(entry, [root], [], arg_attrs=[{"transform.readonly": ir.UnitAttr.get()}])
        with ir.InsertionPoint(wrapper.body):
            values = [transform.ParamConstantOp(param, p).result for p in params]
            transform.IncludeOp([], sequence, transform.FailurePropagationMode.Propagate,
                                [wrapper.bodyTarget, *values])
            transform.YieldOp()
        library.operation.verify()
    return library


class TransformSession:
    """One MLIR context with transform libraries preloaded once (a second preload would redefine symbols).

    `run(module, seq)` is `iree-opt --transform-preload-library=... --transform-interpreter=entry-point=seq`;
    `run(module, entry, binding)` preloads the `bind_params` library `binding` first (once per entry).
    """

    def __init__(self, libraries: list[str]):
        self.context = fork_safe_context()  # the driver's child processes use it (contain.py)
        self._preload([library_path(lib) for lib in libraries])
        self._bound: set[str] = set()

    def _preload(self, paths: list[Path]) -> None:
        empty = ir.Module.create(loc=ir.Location.unknown(self.context))
        pm.PassManager.parse(
            f"builtin.module(transform-preload-library{{transform-library-paths={','.join(map(str, paths))}}})",
            context=self.context,
        ).run(empty.operation)

    def parse(self, text: str) -> ir.Module:
        return ir.Module.parse(text, self.context)

    def parse_file(self, path: Path) -> ir.Module:
        """Parsed from its file: each op's location is the file, its line and column (text parses to "-")."""
        return ir.Module.parseFile(str(path), self.context)

    def run(self, module: ir.Module, sequence: str, binding: ir.Module | None = None) -> None:
        if binding is not None and sequence not in self._bound:
            with tempfile.TemporaryDirectory() as tmp:  # the preload pass reads libraries from files only
                path = Path(tmp) / f"{sequence}.mlir"
                path.write_text(str(binding))
                self._preload([path])
            self._bound.add(sequence)
        pm.PassManager.parse(
            f"builtin.module(transform-interpreter{{entry-point={sequence}}})", context=self.context
        ).run(module.operation)
