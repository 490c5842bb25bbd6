"""`tilefuse gui SNAPSHOT [--path P --target T]`: xdsl-gui (xDSL's Textual app) on a tilefuse stage snapshot.

    from tilefuse.tools.xdsl.gui import build_app, main
    main("DIR/stages/attention_dispatch_0/07-decompose.mlir", "tilefuse", "gfx942")   # blocks until `q`

xDSL's own `xdsl-gui` (xdsl/interactive/app.py `main`) registers xDSL's dialects and passes only, prints custom
syntax and cannot read IREE's pretty form. `build_app` builds the same app (`TilefuseApp`, an `InputApp`) with:

  input     the snapshot in generic form (`iree_generic`: IREE parses it, prints it generic, aliases inlined)
  dialects  the interchange's (`interchange.dialect_factories`; everything else unregistered, kept verbatim)
  passes    first the stages of the path, pre-filled (`tilefuse-stage{stage="decompose"}`, ...: one click runs
            the stage through IREE, exactly as `tilefuse stage` does), then tilefuse's passes from the xDSL
            universe (`tilefuse-stage` itself: a click opens xdsl-gui's argument screen, path/target pre-filled
            with this snapshot's; the rewrites), then every xDSL pass, sorted by name
  output    generic form (what iree-opt reads), not xdsl-gui's custom syntax
  counts    the op-count table names unregistered ops by their real name (xdsl-gui counts them all as
            `builtin.unregistered`)
  query     "Copy Query" copies a command that reproduces the output outside the GUI:
            `python -m tilefuse.tools.xdsl.generic SNAPSHOT | xdsl-opt ... -p 'tilefuse-interchange,PIPELINE'`

The GUI's modules (`xdsl.interactive.app`, `xdsl.interactive.get_all_available_passes`) read the input pane with
the interchange parser (affine maps verbatim, patches.py) instead of xDSL's: `build_app` rebinds the name `Parser`
(and `count_number_of_operations`) in those two modules only; xDSL's own Parser is untouched. It also rebinds
`get_available_pass_list` there: in xdsl-gui 0.74 a pass that raises ends the app (see that function); here the
output pane shows the error (one line for a stage: `tilefuse-stage{...}: stage 'S' failed: REASON`).

Needs the `gui` extra (`xdsl[gui]`: textual, pyclip). "Copy Output" / "Copy Query" use pyclip, which needs a
clipboard tool (xclip, xsel, wl-copy or pbcopy) on the machine.
"""

from __future__ import annotations

import shlex
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from xdsl.dialects.builtin import ModuleOp, UnregisteredOp
from xdsl.passes import ModulePass

from ...errors import TilefuseError
from .interchange import InterchangeParser, dialect_factories, iree_generic, parse_generic, print_for_iree
from .stage_pass import TilefuseStageError, TilefuseStagePass, replace_module_contents

GUI_EXTRA_HINT = "the GUI needs xDSL's GUI extra: pip install 'xdsl[gui]==0.74.0' (textual, pyclip)"

# --- tilefuse-stage in the GUI -------------------------------------------------------------------------------------


class _KeepInstance:
    """`schedule_space` for pre-filled stage instances: xdsl-gui's "Condense" keeps the passes whose
    `schedule_space` is non-empty (xdsl/interactive/passes.py, `iter_condensed_passes`); ModulePass's default runs
    the pass on a clone, which for a stage means an IREE run per stage on every refresh. A pre-filled stage is
    always kept (as xdsl-gui keeps `mlir-opt`); the bare class offers nothing (it needs `stage=`)."""

    def __get__(self, obj, cls):
        if obj is None:
            return lambda ctx, module_op: ()
        return lambda ctx, module_op: (obj,)


class _Memo:
    """A small first-in-first-out memo (xdsl-gui re-parses the input and re-applies the whole pipeline on every
    refresh, about ten times a click: `compute_available_pass_list` is a Textual compute, re-run whenever any
    reactive of the app changes)."""

    def __init__(self, size: int = 32):
        self.size, self.items = size, {}

    def get(self, key):
        return self.items.get(key)

    def put(self, key, value):
        if key not in self.items and len(self.items) >= self.size:
            self.items.pop(next(iter(self.items)))
        self.items[key] = value
        return value


_STAGE_RESULTS = _Memo()  # (generic IR before, path, target, stage) -> module after, or the one-line error
_PARSED = _Memo(8)  # input text -> module (never handed out: clones are)


class _GuiStagePass(TilefuseStagePass):
    """`tilefuse-stage` as the GUI runs it: the module after a stage is remembered by the IR before it (one IREE
    run and one parse per stage and input, not per refresh; not with `config=`: that file may change), and its
    spec is the plain `tilefuse-stage` spec (the GUI's defaults for path/target are not xdsl-opt's)."""

    schedule_space = _KeepInstance()

    def __post_init__(self) -> None:
        # xdsl-gui's argument screen pre-fills an option whose default is None as `none` (xdsl/passes.py,
        # get_pass_option_infos: str(default).lower()), which parses as the string "none".
        for name in ("stage", "config"):
            if getattr(self, name) in ("none", ""):
                object.__setattr__(self, name, None)

    @classmethod
    def from_spec(cls, spec):
        # TilefuseStagePass.from_spec also switches xDSL's own dialects process-wide, for xdsl-opt; the GUI's
        # context already uses the interchange dialects.
        return super(TilefuseStagePass, cls).from_spec(spec)

    def as_stage_pass(self) -> TilefuseStagePass:
        return TilefuseStagePass(path=self.path, target=self.target, stage=self.stage, config=self.config)

    def spec(self, *, include_default: bool = False):
        return self.as_stage_pass().spec(include_default=include_default)

    def pipeline_pass_spec(self, *, include_default: bool = False):
        return self.spec(include_default=include_default)

    def apply(self, ctx, op: ModuleOp) -> None:
        if self.config is not None:
            return super().apply(ctx, op)
        key = (print_for_iree(op), self.path, self.target, self.stage)
        after = _STAGE_RESULTS.get(key)
        if after is None:
            try:
                super().apply(ctx, op)
            except TilefuseStageError as e:
                _STAGE_RESULTS.put(key, str(e))
                raise
            _STAGE_RESULTS.put(key, op.clone())
        elif isinstance(after, str):
            raise TilefuseStageError(after)
        else:
            replace_module_contents(op, after.clone())


def stage_pass_class(path: str, target: str) -> type[_GuiStagePass]:
    """`tilefuse-stage` with this snapshot's path and target as defaults (what the argument screen pre-fills)."""
    default_path, default_target = path, target  # (a class body does not see the function's names it assigns)

    @dataclass(frozen=True)
    class GuiStagePass(_GuiStagePass):
        path: str = default_path
        target: str = default_target
        stage: str | None = None
        config: str | None = None

    GuiStagePass.__qualname__ = GuiStagePass.__name__ = "TilefuseStagePass"
    return GuiStagePass


def gui_passes(path: str = "tilefuse", target: str = "gfx942") -> tuple[tuple[str, Any], ...]:
    """The GUI's pass list, (label, pass class or pre-filled instance): the stages of PATH pre-filled for TARGET,
    tilefuse's passes (the xDSL universe's, `tilefuse-stage` with PATH/TARGET defaults), xDSL's passes."""
    from xdsl.transforms import get_all_passes

    from ...codegen.paths import get_path
    from ...target.targets import get_target
    from .universe import TILEFUSE_UNIVERSE

    codegen = get_path(path)  # TilefuseError for an unknown path or target, before the GUI starts
    get_target(target)
    stage_cls = stage_pass_class(path, target)
    stages = tuple((str(p.pipeline_pass_spec()), p) for p in (stage_cls(stage=s.name) for s in codegen.stages))
    tilefuse = tuple((name, stage_cls if name == "tilefuse-stage" else factory())
                     for name, factory in TILEFUSE_UNIVERSE.all_passes.items())
    xdsl = tuple((name, factory()) for name, factory in sorted(get_all_passes().items())
                 if name not in TILEFUSE_UNIVERSE.all_passes)
    return stages + tilefuse + xdsl


# --- the app -------------------------------------------------------------------------------------------------------


def _op_name(op) -> str:
    return op.op_name.data if isinstance(op, UnregisteredOp) else op.name


def count_number_of_operations(module: ModuleOp) -> dict[str, int]:
    """xdsl-gui's op count (pass_metrics.py), with unregistered ops under their own names."""
    return Counter(_op_name(op) for op in module.walk())


class GuiParser(InterchangeParser):
    """The interchange parser (affine maps verbatim) for xdsl-gui's input pane; a text parsed once is handed out
    as clones of the module it gave (parsing takes ~0.15 s on a small dispatch, cloning ~0.01 s)."""

    def __init__(self, ctx, input, name: str = "<unknown>"):
        super().__init__(ctx, input, name)
        self._text = input

    def parse_module(self, allow_implicit_module: bool = True) -> ModuleOp:
        key = (self._text, allow_implicit_module)
        module = _PARSED.get(key)
        if module is None:
            module = _PARSED.put(key, super().parse_module(allow_implicit_module))
        return module.clone()


_XDSL_GET_AVAILABLE_PASS_LIST = None


def get_available_pass_list(*args, **kwargs):
    """xdsl-gui's list of the passes that can follow the pipeline (get_all_available_passes.py), or none when the
    pipeline fails. xdsl-gui 0.74 applies the pipeline there without catching (line 27), and calls it (through
    `compute_available_pass_list`, app.py:484 `update_root_of_passes_tree`) before `update_current_module` puts
    the error in the output pane: a failing pass, e.g. a stage that does not apply, ends the app."""
    try:
        return _XDSL_GET_AVAILABLE_PASS_LIST(*args, **kwargs)
    except Exception:
        return ()


def _adapt_xdsl_gui() -> None:
    """Rebinds names in xdsl-gui's modules (only those): its input parser, its op count, its pass-list helper."""
    global _XDSL_GET_AVAILABLE_PASS_LIST
    import xdsl.interactive.app as app_module
    import xdsl.interactive.get_all_available_passes as available_module

    app_module.Parser = GuiParser
    available_module.Parser = GuiParser
    app_module.count_number_of_operations = count_number_of_operations
    if _XDSL_GET_AVAILABLE_PASS_LIST is None:
        _XDSL_GET_AVAILABLE_PASS_LIST = available_module.get_available_pass_list
    app_module.get_available_pass_list = get_available_pass_list


@lru_cache(maxsize=1)
def _app_class():
    try:
        import xdsl.interactive.app as app_module
        from xdsl.interactive.app import InputApp
    except ImportError as e:
        raise TilefuseError(f"{GUI_EXTRA_HINT} ({e})") from None

    class TilefuseApp(InputApp):
        """xdsl-gui on a tilefuse snapshot: generic form in and out (see the module docstring)."""

        TITLE = "tilefuse gui"
        # Textual resolves a relative CSS_PATH against the file of the class that sets it: keep xdsl-gui's layout
        CSS_PATH = str(Path(app_module.__file__).with_name(InputApp.CSS_PATH))

        def __init__(self, all_dialects, all_passes, file_path=None, input_text=None, pass_pipeline=(),
                     snapshot_name: str = ""):
            self.snapshot_name = snapshot_name
            super().__init__(all_dialects, all_passes, file_path, input_text, pass_pipeline)

        def on_mount(self) -> None:
            # InputApp.on_mount (called after this one, Textual dispatches up the MRO) sets the pane titles
            self.call_after_refresh(self._set_titles)

        def _set_titles(self) -> None:
            name = f" of {self.snapshot_name}" if self.snapshot_name else ""
            self.query_one("#input_container").border_title = f"Input: generic IR{name}"
            self.query_one("#output_container").border_title = "Output: generic IR (iree-opt reads it)"

        def output_text(self) -> str:
            """What the output pane shows: the module in generic form, or the error."""
            match self.current_module:
                case None:
                    return "No input"
                case ModuleOp() as module:
                    return print_for_iree(module)
                case error:
                    return f"{error}\n"

        def watch_current_module(self) -> None:
            # InputApp.watch_current_module prints custom syntax (xdsl/interactive/app.py, Printer(output_stream))
            self.output_text_area.load_text(self.output_text())
            self.update_operation_count_diff_tuple()

        def pipeline_text(self) -> str:
            return ",".join(str(p.pipeline_pass_spec()) for p in self.pass_pipeline)

        def get_query_string(self) -> str:
            source = shlex.quote(self.current_file_path) if self.current_file_path else "SNAPSHOT"
            pipeline = ",".join(filter(None, ["tilefuse-interchange", self.pipeline_text()]))
            return (f"python -m tilefuse.tools.xdsl.generic {source} | xdsl-opt --allow-unregistered-dialect "
                    f"--print-op-generic -p {shlex.quote(pipeline)}")

    return TilefuseApp


def build_app(snapshot_text: str, path: str = "tilefuse", target: str = "gfx942", file_path: str | None = None,
              pass_pipeline: tuple[ModulePass, ...] = ()):
    """The Textual app on SNAPSHOT_TEXT (IREE's pretty or generic form), with the stages of PATH for TARGET.
    Raises TilefuseError (one line) when IREE or xDSL cannot read the snapshot, or the path/target is unknown."""
    app_cls = _app_class()
    what = file_path or "the snapshot"
    generic = iree_generic(snapshot_text, what)
    parse_generic(generic, what=what)  # xDSL must read it too (host-level modules do not): say so now
    passes = gui_passes(path, target)
    _adapt_xdsl_gui()
    return app_cls(tuple(dialect_factories().items()), passes, file_path, generic, tuple(pass_pipeline),
                   snapshot_name=Path(file_path).name if file_path else "")


def main(snapshot_path, path: str = "tilefuse", target: str = "gfx942") -> int:
    """Runs the GUI on the snapshot at SNAPSHOT_PATH until the user quits (`q`); 0. TilefuseError (one line) for
    a missing or unreadable snapshot."""
    snapshot = Path(snapshot_path)
    if not snapshot.is_file():
        raise TilefuseError(f"snapshot not found: {snapshot}")
    try:
        text = snapshot.read_text()
    except (OSError, UnicodeDecodeError) as e:
        raise TilefuseError(f"cannot read snapshot {snapshot}: {e}") from None
    build_app(text, path, target, file_path=str(snapshot)).run()
    return 0
