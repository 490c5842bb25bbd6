"""Runs each case in its own spawned process, at most `jobs` at once, so a crash (a segfault in IREE's bindings, an
interpreter blowing up) or a hang stays one case's verdict. Spawned, not forked: the parent may hold an MLIR
context. A fresh process per case also starts each from the same state, so a case reruns alone as it ran here."""

from __future__ import annotations

import multiprocessing
import time
import traceback
from multiprocessing.connection import wait
from typing import Callable


def run_all(tasks: list, fn: Callable[[object], dict], jobs: int, timeout: float,
            on_result: Callable[[object, dict], None]) -> None:
    """`fn(task)` in a worker process per task; `on_result(task, result)` as each finishes, where a worker that died
    gives {"verdict": "crash"} and one past `timeout` seconds is killed and gives {"verdict": "timeout"}."""
    ctx = multiprocessing.get_context("spawn")
    pending, running = list(tasks), {}  # the result pipe's receiving end -> (process, task, start)
    try:
        while pending or running:
            while pending and len(running) < jobs:
                task = pending.pop(0)
                receive, send = ctx.Pipe(duplex=False)
                process = ctx.Process(target=_child, args=(fn, task, send), daemon=True)
                process.start()
                send.close()  # the child holds the only sending end: its death is EOF here
                running[receive] = (process, task, time.monotonic())
            first_deadline = min(start for _, _, start in running.values()) + timeout
            for receive in wait(list(running), timeout=max(0.0, first_deadline - time.monotonic())):
                process, task, start = running.pop(receive)
                try:
                    result = receive.recv()
                except EOFError:
                    process.join()
                    result = {"verdict": "crash", "stage": None,
                              "reason": f"the worker process died (exit code {process.exitcode})"}
                process.join()
                on_result(task, {**result, "seconds": round(time.monotonic() - start, 2)})
            now = time.monotonic()
            for receive, (process, task, start) in list(running.items()):
                if now - start >= timeout:
                    del running[receive]
                    process.kill()
                    process.join()
                    on_result(task, {"verdict": "timeout", "stage": None, "reason": f"over {timeout:g} s",
                                     "seconds": round(now - start, 2)})
    finally:
        for process, _, _ in running.values():
            process.kill()


def _child(fn, task, send) -> None:
    try:
        result = fn(task)
    except Exception as e:  # noqa: BLE001 - any exception is this case's crash, reported with where it was raised
        where = traceback.extract_tb(e.__traceback__)[-1]
        result = {"verdict": "crash", "stage": None,
                  "reason": f"{type(e).__name__}: {e} ({where.filename}:{where.lineno})".replace("\n", " ")}
    send.send(result)
    send.close()
