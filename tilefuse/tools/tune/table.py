"""The report: the best against the heuristic's default, per problem (rich when a terminal shows it)."""

from __future__ import annotations

COLUMNS = ("problem", "target/path", "score", "default µs", "best µs", "gain", "change", "verify", "evaluated")


def _change(outcome: dict) -> str:
    return ", ".join(f"{k} {_short(a)}->{_short(b)}" for k, (a, b) in outcome["change"].items()) or "none (default)"


def _short(v) -> str:
    if isinstance(v, list):  # the intrinsic pair: QK/PV
        return "/".join(str(x) for x in v[:2]) + (" col" if v[2] else "")
    return str(v)


def rows(outcomes: list[dict]) -> list[list[str]]:
    out = []
    for o in outcomes:
        d, b = o["default"]["score"]["seconds"], o["best"]["score"]["seconds"]
        out.append([o["problem"], f"{o['target']}/{o['path']}", o["score_kind"], f"{d * 1e6:.2f}", f"{b * 1e6:.2f}",
                    f"{d / b:.2f}x", _change(o), o["best"]["verify"] or "-",
                    f"{o['evaluated']} (+{o['pruned_before_compile']} pruned)"])
    return out


def render(outcomes: list[dict]) -> str:
    table = [list(COLUMNS), *rows(outcomes)]
    widths = [max(len(r[i]) for r in table) for i in range(len(COLUMNS))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def print_table(outcomes: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="tilefuse tune: best against the heuristic's default")
    for c in COLUMNS:
        table.add_column(c, justify="right" if "µs" in c or c == "gain" else "left")
    for r in rows(outcomes):
        table.add_row(*r)
    Console().print(table)
