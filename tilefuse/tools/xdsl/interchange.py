"""IREE <-> xDSL interchange of tilefuse snapshots, in MLIR's generic form.

    snapshot (IREE pretty form)
      -- iree_generic: IREE parses it, prints generic form (aliases inlined with local_scope) -->
    generic text -- parse_generic: xDSL parses it (make_context()) --> xdsl ModuleOp
      -- print_for_iree: xDSL prints generic form --> text iree-opt reads

`roundtrip(text)` checks the chain: IREE re-parses what xDSL printed, and IREE's generic print of it must equal
IREE's generic print of the generic text xDSL read (equality is judged by IREE's own parser and printer).

Only generic form is exchanged: xDSL cannot parse IREE's custom op syntax, and xDSL's custom syntax for some
registered ops drops what IREE needs (`bufferization.alloc_tensor`'s `memory_space`, for one).
"""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass
from functools import lru_cache

from xdsl.context import Context
from xdsl.dialects import get_all_dialects
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Dialect
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.utils.exceptions import DiagnosticException, ParseError

from ...errors import TilefuseError
from ...ir.irutil import error_line, fork_safe_context
from . import dialects as tf_dialects
from . import patches

patches.apply()

# xDSL's own dialects that round-trip what IREE prints (checked over every snapshot by tests/test_xdsl.py).
# Deliberately absent: gpu (replaced by tf_dialects.GPU_INTERCHANGE), bufferization (xDSL 0.74's
# alloc_tensor declares no `memory_space`: verification fails, and its custom syntax drops it), llvm.
XDSL_DIALECTS = ("builtin", "func", "arith", "math", "scf", "tensor", "linalg", "vector", "memref", "affine", "cf",
                 "ub")

# arith ops whose xDSL 0.74 definitions reject what MLIR allows (scalar-only operands where MLIR takes vectors and
# tensors, e.g. `arith.select` with a vector<64xi1> condition, `arith.trunci` on vector<16xi32>, `arith.cmpi`
# whose result is vector<16xi1> (the causal tiles' index mask); no `overflowFlags` on trunci): kept unregistered,
# i.e. verbatim, so valid IREE IR verifies.
ARITH_VERBATIM = frozenset({"arith.select", "arith.index_cast", "arith.index_castui", "arith.fptosi", "arith.fptoui",
                            "arith.sitofp", "arith.uitofp", "arith.trunci", "arith.extsi", "arith.extui",
                            "arith.cmpi", "arith.cmpf"})


class InterchangeParser(Parser):
    """xDSL's parser, with affine maps and sets built as written (patches.VerbatimAffineParser)."""

    def parse_affine_map(self):
        return patches.VerbatimAffineParser(self._parser_state).parse_affine_map()

    def parse_affine_set(self):
        return patches.VerbatimAffineParser(self._parser_state).parse_affine_set()


class InterchangeError(TilefuseError):
    """IR that does not cross between IREE and xDSL, described in one line."""


def _extended(dialect: Dialect, ops=(), without=frozenset()) -> Dialect:
    """DIALECT with OPS added and the ops named in WITHOUT left out (so they parse as unregistered, verbatim)."""
    kept = [op for op in dialect.operations if op.name not in without]
    return Dialect(dialect.name, [*kept, *ops], list(dialect.attributes), list(dialect._interfaces))


# Where xDSL's dialect factories (`xdsl.dialects.get_all_dialects`) read the dialects the interchange replaces.
_XDSL_DIALECT_OBJECTS = {
    "arith": ("xdsl.dialects.arith", "Arith"),
    "scf": ("xdsl.dialects.scf", "Scf"),
    "tensor": ("xdsl.dialects.tensor", "Tensor"),
    "gpu": ("xdsl.dialects.gpu", "GPU"),
    "bufferization": ("xdsl.dialects.bufferization", "Bufferization"),
}


@lru_cache(maxsize=1)
def replaced_dialects() -> dict[str, Dialect]:
    """The interchange's versions of xDSL dialects (built once, from xDSL's own): arith without ARITH_VERBATIM,
    scf + forall/in_parallel, tensor + parallel_insert_slice, gpu = GPU_INTERCHANGE, bufferization empty (all its
    ops verbatim)."""
    import importlib

    xdsl = {name: getattr(importlib.import_module(module), attr)
            for name, (module, attr) in _XDSL_DIALECT_OBJECTS.items()}
    return {
        "arith": _extended(xdsl["arith"], without=ARITH_VERBATIM),
        "scf": _extended(xdsl["scf"], tf_dialects.SCF_OPS),
        "tensor": _extended(xdsl["tensor"], tf_dialects.TENSOR_OPS),
        "gpu": tf_dialects.GPU_INTERCHANGE,
        "bufferization": Dialect("bufferization", [], []),
    }


def dialect_factories() -> dict[str, object]:
    """name -> factory of every dialect the interchange context registers (lazily loaded, as xdsl-opt does)."""
    xdsl_all = get_all_dialects()
    factories = {name: xdsl_all[name] for name in XDSL_DIALECTS}
    for name in ("arith", "scf", "tensor", "gpu"):
        factories[name] = lambda name=name: replaced_dialects()[name]
    factories["iree_linalg_ext"] = lambda: tf_dialects.IREE_LINALG_EXT
    factories["iree_codegen"] = lambda: tf_dialects.IREE_CODEGEN
    return factories  # bufferization, llvm, hal, util, iree_gpu, ...: unregistered


def make_context() -> Context:
    """A fresh xDSL context that reads every tilefuse snapshot (in generic form): the dialects above, everything
    else unregistered and kept verbatim."""
    ctx = Context(allow_unregistered=True)
    for name, factory in dialect_factories().items():
        ctx.register_dialect(name, factory)
    return ctx


def use_interchange_dialects_in_xdsl() -> list[str]:
    """Makes xDSL's own factories for arith, scf, tensor, gpu and bufferization return the interchange versions, for
    a context (xdsl-opt's) that registered xDSL's dialects but has not loaded them yet. Process-wide and
    irreversible: called only when a `tilefuse-stage` or `tilefuse-interchange` pass is built from a textual pipeline
    (`xdsl-opt -p`, `PassPipeline.parse_spec`), whose input is IREE IR that xDSL's gpu cannot parse and its
    arith/bufferization reject. Returns the names switched."""
    import importlib

    switched = []
    for name, dialect in replaced_dialects().items():
        module, attr = _XDSL_DIALECT_OBJECTS[name]
        mod = importlib.import_module(module)
        if getattr(mod, attr) is not dialect:
            setattr(mod, attr, dialect)
            switched.append(name)
    return switched


# --- IREE side ---------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _iree_context():
    return fork_safe_context()  # shared by the parent and the driver's children (rewrites between stages)


def iree_parse(text: str, what: str = "the IR"):
    """TEXT as an `iree.compiler.ir.Module` (one shared IREE context); InterchangeError when IREE rejects it."""
    import iree.compiler.ir as ir

    try:
        return ir.Module.parse(text, _iree_context())
    except ir.MLIRError as e:
        raise InterchangeError(f"IREE cannot parse {what}: {error_line(e)}") from None


def iree_print(module, local_scope: bool = True) -> str:
    """IREE's generic print of an `iree.compiler.ir` module."""
    return module.operation.get_asm(print_generic_op_form=True, use_local_scope=local_scope)


def iree_generic(text: str, what: str = "the IR", local_scope: bool = True) -> str:
    """IREE parses TEXT (any form IREE reads) and prints it in generic form; with `local_scope` (the default, the
    form compared and shown to users) attribute aliases are inlined, without it they are printed once at the top
    (xDSL reads both; aliases parse about 20% faster)."""
    return iree_print(iree_parse(text, what), local_scope)


to_generic = iree_generic


# --- xDSL side ---------------------------------------------------------------------------------------------------


def parse_generic(text: str, ctx: Context | None = None, what: str = "<generic>", verify: bool = True) -> ModuleOp:
    """xDSL parses generic-form IR (as `to_generic` prints it); `verify` checks every registered op against its
    definition (an undeclared property IREE printed fails here, not silently later)."""
    ctx = ctx or make_context()
    try:
        module = InterchangeParser(ctx, text, what).parse_module()
        if verify:
            module.verify()
    except ParseError as e:
        raise InterchangeError(f"xDSL cannot parse {what}: {_first_line(e)}") from None
    except DiagnosticException as e:
        raise InterchangeError(f"xDSL rejects {what}: {_first_line(e)}") from None
    return module


def parse_snapshot(text: str, ctx: Context | None = None, what: str = "the snapshot",
                   verify: bool = True) -> ModuleOp:
    """A tilefuse snapshot (IREE's pretty or generic form) as an xDSL module."""
    return parse_generic(iree_generic(text, what, local_scope=False), ctx, what, verify)


def print_generic(op) -> str:
    """xDSL's generic print of OP (what iree-opt reads)."""
    out = io.StringIO()
    Printer(stream=out, print_generic_format=True).print_op(op)
    out.write("\n")
    return out.getvalue()


def print_for_iree(module: ModuleOp) -> str:
    """The module as text for iree-opt / IREE's parser: xDSL's generic form, properties as `<{...}>`."""
    return print_generic(module)


def _first_line(e: Exception) -> str:
    """The message of a parse/verify error: xDSL's ParseError is a caret diagram; keep position and message."""
    lines = [line for line in str(e).splitlines() if line.strip()]
    if not lines:
        return type(e).__name__
    if isinstance(e, ParseError) and len(lines) >= 4:
        return f"{lines[0].strip()}: {lines[-1].strip()}"  # "file:line:col: message"
    return lines[0].strip()


# --- the round-trip check ----------------------------------------------------------------------------------------


@dataclass
class RoundTrip:
    ok: bool
    reason: str = ""  # the first differing line, or the error, when not ok
    generic: str = ""  # IREE's generic print of the input
    xdsl_text: str = ""  # what xDSL printed
    module: ModuleOp | None = None  # the xDSL module, when it parsed

    def __bool__(self) -> bool:
        return self.ok


def roundtrip(text: str, ctx: Context | None = None, what: str = "the snapshot") -> RoundTrip:
    """IREE -> generic -> xDSL parse -> xDSL generic print -> IREE: equal when IREE prints both the same."""
    try:
        module = iree_parse(text, what)
    except InterchangeError as e:
        return RoundTrip(False, str(e))
    return roundtrip_generic(iree_print(module, local_scope=False), ctx, what, expected=iree_print(module, local_scope=True))


def roundtrip_generic(generic: str, ctx: Context | None = None, what: str = "the snapshot",
                      expected: str | None = None) -> RoundTrip:
    """`roundtrip` from IREE's generic print GENERIC; EXPECTED is IREE's local-scope generic print of the same module
    (computed from GENERIC when not given)."""
    try:
        module = parse_generic(generic, ctx, what)
        xdsl_text = print_for_iree(module)
        again = iree_generic(xdsl_text, f"xDSL's print of {what}")
        if expected is None:
            expected = iree_generic(generic, what)
        if again != expected:
            # IREE's first print is not always a fixpoint of IREE's own parse-print (it re-associates some affine
            # sums), so compare like with like: IREE's prints of texts IREE re-read.
            reference = iree_generic(expected, what)
            if again != reference:
                return RoundTrip(False, first_difference(reference, again), generic, xdsl_text, module)
    except InterchangeError as e:
        return RoundTrip(False, str(e), generic)
    return RoundTrip(True, generic=generic, xdsl_text=xdsl_text, module=module)


def first_difference(expected: str, actual: str) -> str:
    for line in difflib.unified_diff(expected.splitlines(), actual.splitlines(), "iree", "via-xdsl", n=0,
                                     lineterm=""):
        if line[:1] in "+-" and line[:3] not in ("+++", "---"):
            return line.strip()[:300]
    return "texts differ"


def roundtrip_batch(items: list[tuple[str, str, str]]) -> list[tuple[bool, str, list[str]]]:
    """`roundtrip_generic` over (generic text, expected, name) triples in one fresh context: (ok, reason, the names
    of the op classes the module used). Top-level and picklable, for a process pool."""
    ctx = make_context()
    results = []
    for generic, expected, what in items:
        result = roundtrip_generic(generic, ctx, what, expected)
        classes = sorted({type(op).__name__ for op in result.module.walk()}) if result.module is not None else []
        results.append((result.ok, result.reason, classes))
    return results
