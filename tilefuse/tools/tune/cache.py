"""Candidate results on disk, so a sweep that stops resumes where it was: one JSON file per key."""

from __future__ import annotations

import hashlib
import json
import os
from importlib.metadata import version
from pathlib import Path


def compiler_version() -> str:
    """What a result depends on besides its inputs: IREE's compiler and tilefuse itself."""
    return f"iree-base-compiler {version('iree-base-compiler')}, tilefuse {version('tilefuse')}"


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME")
    return Path(base) / "tilefuse" / "tune" if base else Path.home() / ".cache" / "tilefuse" / "tune"


class ResultCache:
    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.version = compiler_version()

    def key(self, task) -> str:
        fields = {"signature": task.signature, "config": task.config, "target": task.target, "path": task.path,
                  "kind": task.kind, "device": task.device, "compiler": self.version}
        return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()

    def get(self, task) -> dict | None:
        f = self.directory / f"{self.key(task)}.json"
        return json.loads(f.read_text()) if f.is_file() else None

    def put(self, task, result: dict) -> None:
        f = self.directory / f"{self.key(task)}.json"
        tmp = f.with_suffix(".tmp")
        tmp.write_text(json.dumps(result, indent=1))
        tmp.replace(f)  # a sweep killed mid-write leaves no half file under the key
