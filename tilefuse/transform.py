"""Runs named sequences of tilefuse/transforms/ libraries on in-memory modules, as iree-opt would."""

from pathlib import Path

import iree.compiler.ir as ir
import iree.compiler.passmanager as pm

from . import TRANSFORMS_DIR
from .errors import TilefuseError


def library_path(library: str) -> Path:
    path = TRANSFORMS_DIR / f"{library}.mlir"
    if not path.is_file():
        raise TilefuseError(f"transform library {path} not found (tilefuse runs from its source tree: pip install -e)")
    return path


class TransformSession:
    """One MLIR context with transform libraries preloaded once (a second preload would redefine symbols).

    `run(module, seq)` is `iree-opt --transform-preload-library=... --transform-interpreter=entry-point=seq`.
    """

    def __init__(self, libraries: list[str]):
        self.context = ir.Context()
        paths = ",".join(str(library_path(lib)) for lib in libraries)
        empty = ir.Module.create(loc=ir.Location.unknown(self.context))
        pm.PassManager.parse(
            f"builtin.module(transform-preload-library{{transform-library-paths={paths}}})", context=self.context
        ).run(empty.operation)

    def parse(self, text: str) -> ir.Module:
        return ir.Module.parse(text, self.context)

    def run(self, module: ir.Module, sequence: str) -> None:
        pm.PassManager.parse(
            f"builtin.module(transform-interpreter{{entry-point={sequence}}})", context=self.context
        ).run(module.operation)
