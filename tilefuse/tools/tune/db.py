"""best.json: tuned configs keyed by problem signature, then by "target/path".

    {"version": 1, "entries": {SIGNATURE: {"TARGET/PATH": {"config": ..., "score": ..., "default_score": ...,
                                                            "verify": "ok", "change": ...}}}}

`tilefuse compile|ab --config-db best.json` applies the entry of the input's signature for its target and path
(a miss says so in one line and compiles with the heuristic's config).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ...errors import TilefuseError
from .signature import problem_signature

VERSION = 1


def load(path: Path) -> dict:
    path = Path(path)
    if not path.is_file():
        return {"version": VERSION, "entries": {}}
    try:
        db = json.loads(path.read_text())
    except json.JSONDecodeError as e:
        raise TilefuseError(f"config db {path}: invalid JSON: {e}") from None
    if not isinstance(db, dict) or db.get("version") != VERSION or not isinstance(db.get("entries"), dict):
        raise TilefuseError(f"config db {path}: not a tilefuse config database (version {VERSION})")
    return db


def record(path: Path, outcome: dict) -> None:
    """Adds or replaces one tuned entry (an Outcome's to_dict), keeping every other."""
    db = load(path)
    key = f"{outcome['target']}/{outcome['path']}"
    db["entries"].setdefault(outcome["signature"], {})[key] = {
        "config": outcome["best"]["config"], "score": outcome["best"]["score"],
        "default_score": outcome["default"]["score"], "verify": outcome["best"]["verify"],
        "change": outcome["change"], "input": outcome["input"]}
    Path(path).write_text(json.dumps(db, indent=2) + "\n")


def lookup(path: Path, input_path, target: str, codegen_path: str, log=lambda m: print(m, file=sys.stderr)):
    """The tuned config for the input on (target, path), or None (and one line saying there is none)."""
    signature = problem_signature(input_path)
    entry = load(path)["entries"].get(signature, {}).get(f"{target}/{codegen_path}")
    if entry is None:
        log(f"tilefuse: config db {path}: no entry for '{signature}' on {target}/{codegen_path}; "
            f"using the heuristic's config")
        return None
    return entry["config"]


def configured(db_path, input_path, target: str, codegen_path: str):
    """(path for compile_file, config overrides) with the db's entry applied: stock's through its own stage."""
    config = lookup(db_path, input_path, target, codegen_path) if db_path else None
    if config is None:
        return codegen_path, None
    if codegen_path == "stock":
        from .stock import stock_path
        return stock_path(config), None
    return codegen_path, config
