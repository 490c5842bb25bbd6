"""What a fuzz run found: one record per case (with the command that reruns it), the verdict counts, the share the
path lowered itself with MMA, the refusal reasons grouped; as text and as JSON."""

from __future__ import annotations

import re
import textwrap
from collections import Counter

from ...problem import AttentionProblem
from .case import FAILING, VERDICTS, Case

_DISPATCH = re.compile(r"\b\w+_dispatch_\d+: ")
_STAGE = re.compile(r"^stage '[^']*' failed: ")


def record(case: Case, result: dict) -> dict:
    return {"index": case.index, "target": case.target, "path": case.path, "problem": case.problem,
            "command": case.command(), "verdict": result["verdict"], "stage": result.get("stage"),
            "reason": result.get("reason"), "lowered_by_path_with_mma": bool(result.get("lowered_by_path_with_mma")),
            "seconds": result.get("seconds")}


def refusal_reason(r: dict) -> str:
    """The reason without the dispatch's name (which differs between programs), so equal refusals group."""
    return _DISPATCH.sub("", _STAGE.sub("", r["reason"] or ""))


def summarize(records: list[dict]) -> dict:
    verdicts = Counter(r["verdict"] for r in records)
    lowered = sum(r["lowered_by_path_with_mma"] for r in records)
    refusals = Counter((r["stage"], refusal_reason(r)) for r in records if r["verdict"] == "refused")
    return {
        "cases": len(records),
        "verdicts": {v: verdicts.get(v, 0) for v in VERDICTS},
        "lowered_by_path_with_mma": {"count": lowered, "share": lowered / len(records) if records else 0.0},
        "refusals": [{"stage": stage, "reason": reason, "count": n} for (stage, reason), n in refusals.most_common()],
    }


def failed(summary: dict) -> bool:
    return any(summary["verdicts"][v] for v in FAILING)


def format_cases(records: list[dict]) -> str:
    rows = [["#", "target", "path", "problem", "verdict", "mma", "s", "stage", "reason"]]
    for r in sorted(records, key=lambda r: (r["index"], r["target"], r["path"])):
        rows.append([str(r["index"]), r["target"], r["path"], AttentionProblem.from_dict(r["problem"]).describe(), r["verdict"],
                     "path" if r["lowered_by_path_with_mma"] else "-",
                     "-" if r["seconds"] is None else f"{r['seconds']:.0f}", r["stage"] or "",
                     textwrap.shorten(refusal_reason(r), 110, placeholder="...")])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows)


def format_summary(summary: dict, records: list[dict]) -> str:
    lines = ["verdicts: " + ", ".join(f"{v} {n}" for v, n in summary["verdicts"].items()),
             f"lowered by the path itself with MMA: {summary['lowered_by_path_with_mma']['count']} of "
             f"{summary['cases']} ({100 * summary['lowered_by_path_with_mma']['share']:.0f} %)"]
    if summary["refusals"]:
        lines.append("refusals:")
        lines += [f"  {r['count']:4d}  {r['stage']}: {r['reason']}" for r in summary["refusals"]]
    bad = [r for r in records if r["verdict"] in FAILING]
    if bad:
        lines.append("rerun a failing case:")
        lines += [f"  #{r['index']} {r['verdict']}: {r['command']}" for r in bad]
    return "\n".join(lines)
