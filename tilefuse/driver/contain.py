"""Native faults of IREE's in-process passes stay contained: the driver runs the dispatches' stage loops in a
forked child process, so a SIGFPE, SIGSEGV or abort inside IREE kills the child, not tilefuse. The child marks the
stage it is about to run in a file and pickles each dispatch's result (or the exception it raised) into another;
the parent turns a death by signal into a StageError naming the dispatch and the marked stage, which fails like
any stage (the report is written, `--fallback` applies), and a new child goes on from that dispatch.

Forked, not spawned: a child starts from the parent's parsed program and loaded transform libraries. One child runs
all the dispatches of a program in turn (one fork per program unless something crashes): what the first dispatch
warms (dialects loaded into the context, caches) serves the others, as in process. An MLIR context whose thread
pool has started threads must not cross a fork (the child has none of those threads and would wait on them
forever): the driver's context runs single-threaded (TransformSession), which costs nothing for one dispatch.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Callable, TypeVar

from ..errors import StageError

T = TypeVar("T")
Item = TypeVar("Item")
Mark = Callable[[str], None]  # mark(stage): the stage about to run

BEFORE_ANY_STAGE = "input"  # what a death before the item's first mark is charged to: parsing the dispatch


def map_contained(items: list[Item], work: Callable[[Item, Mark, StageError | None], T],
                  on_crash: Callable[[StageError, StageError | None], StageError], name_of: Callable[[Item], str]
                  ) -> list[T]:
    """[work(item, mark, crashed) for item in items], run in forked children; an exception work raises is raised
    here. When a child dies in an item, the items before it are done; `on_crash(error, crashed)` gets the
    StageError of the item (`name_of(item)`) at the stage it last marked and `crashed`, the error of the item's
    previous death (None the first time), and raises, or returns what the next child, which goes on from that
    item, passes as work's `crashed`."""
    results: list[T] = []
    crashed = None
    with tempfile.TemporaryDirectory(prefix="tilefuse-child-") as tmp:
        tmp = Path(tmp)
        while len(results) < len(items):
            start = len(results)
            sys.stdout.flush()
            sys.stderr.flush()  # else what is buffered here is printed twice, once by the child
            pid = os.fork()
            if pid == 0:
                _child(items, start, crashed, work, tmp)
            _, status = os.waitpid(pid, 0)
            for i in range(start, len(items)):
                done = tmp / f"{i}.pickle"
                if not done.is_file():
                    break
                ok, value = pickle.loads(done.read_bytes())
                if not ok:
                    raise value
                results.append(value)
            if len(results) == len(items):
                break
            at = len(results)
            marked = tmp / f"{at}.stage"
            stage = marked.read_text() if marked.is_file() else BEFORE_ANY_STAGE
            if os.WIFSIGNALED(status):
                sig = signal.Signals(os.WTERMSIG(status))
                why = f"IREE crashed with {sig.name} ({signal.strsignal(sig)}) in this stage"
            else:
                why = f"the stage's process exited with status {os.WEXITSTATUS(status)} and no result"
            crashed = on_crash(StageError(stage, why, name_of(items[at])), crashed if at == start else None)
    return results


def _child(items, start: int, crashed, work, tmp: Path) -> None:
    """Runs the items from START, each result pickled as it is done; never returns (os._exit: no atexit
    handlers, no test runner's teardown)."""
    try:
        for i in range(start, len(items)):
            try:
                out = (True, work(items[i], (tmp / f"{i}.stage").write_text, crashed if i == start else None))
            except BaseException as e:  # noqa: BLE001 (every outcome goes back to the parent)
                e.add_note(f"(in tilefuse's per-program child process)\n{''.join(traceback.format_exception(e))}")
                out = (False, e)
            try:
                data = pickle.dumps(out)
            except Exception as e:  # what does not pickle: the exception's (or the pickling's) type and message
                what = e if out[0] else out[1]
                data = pickle.dumps((False, RuntimeError(f"{type(what).__name__}: {what}")))
            (tmp / f"{i}.pickle").write_bytes(data)
            if not out[0]:
                break
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
