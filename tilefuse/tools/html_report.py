"""A self-contained HTML page for an A/B run: the table, and one bar chart per metric (inline SVG, no scripts)."""

from __future__ import annotations

import html
import math
from pathlib import Path

from .ab import (
    ATTENTION_COLUMNS,
    ESTIMATE_COLUMNS,
    ISA_COLUMNS,
    attention_cells,
    attention_isa,
    estimate_cells,
    lowered_via,
    program_estimate,
    run_time_line,
    verdict,
    verdict_line,
    verdict_of,
)

PATH_COLORS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948"]
CHART_METRICS = ("vgpr", "lds_bytes", "mma_ops", "instructions", "tflops")


def _metric(record: dict, name: str):
    if name == "tflops":
        return (record.get("gpu") or {}).get("tflops")
    return (attention_isa(record["report"]) or {}).get(name)


def _bar_chart(records: list[dict], metric: str, paths: list[str]) -> str:
    cases = list(dict.fromkeys(r["case"] for r in records))
    values = {(r["case"], r["report"]["path"]): _metric(r, metric) for r in records}
    present = [v for v in values.values() if v is not None]
    if not present:
        return ""
    top = max(present) or 1
    bar, gap, height, left = 14, 10, 180, 50
    group = bar * len(paths) + gap
    width = left + group * len(cases) + 100  # room for the last rotated label
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 110}" role="img" '
           f'aria-label="{metric} per problem and path">',
           f'<text x="{left}" y="14" font-size="13" font-weight="bold">{html.escape(metric)}</text>',
           f'<line x1="{left}" y1="{height + 20}" x2="{width - 10}" y2="{height + 20}" stroke="#888"/>',
           f'<text x="{left - 4}" y="28" font-size="10" text-anchor="end">{top:g}</text>',
           f'<text x="{left - 4}" y="{height + 20}" font-size="10" text-anchor="end">0</text>']
    for ci, case in enumerate(cases):
        x0 = left + ci * group
        for pi, path in enumerate(paths):
            v = values.get((case, path))
            x = x0 + pi * bar
            if v is None:
                out.append(f'<text x="{x + bar / 2}" y="{height + 16}" font-size="9" text-anchor="middle">-</text>')
                continue
            h = height * v / top
            out.append(f'<rect x="{x}" y="{height + 20 - h:.1f}" width="{bar - 2}" height="{h:.1f}" '
                       f'fill="{PATH_COLORS[pi % len(PATH_COLORS)]}"><title>{html.escape(case)} / {path}: {v:g}</title></rect>')
        out.append(f'<text transform="translate({x0 + group / 2 - gap / 2},{height + 28}) rotate(40)" '
                   f'font-size="10">{html.escape(case)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _band(e: dict, lo: float, hi: float, width: int = 220) -> str:
    """The estimate's band on the problem's log time axis (lo..hi): a bar from seconds_low to seconds_high, a
    tick at the estimate."""
    x = lambda s: 4 + (width - 8) * (math.log(s / lo) / math.log(hi / lo) if hi > lo else 0.5)  # noqa: E731
    a, b, c = x(e["seconds_low"]), x(e["seconds_high"]), x(e["seconds"])
    return (f'<svg width="{width}" height="14" role="img" aria-label="band"><line x1="4" y1="7" x2="{width - 4}" '
            f'y2="7" stroke="#ddd"/><rect x="{a:.1f}" y="3" width="{b - a:.1f}" height="8" fill="#9bb7d4"/>'
            f'<rect x="{c - 1:.1f}" y="0" width="3" height="14" fill="#1f3b5c"/></svg>')


def _versus(e: dict, first: dict) -> str:
    """How much slower than the first path, and whether the bands say so ("bands apart") or not."""
    apart = first["seconds_high"] < e["seconds_low"]
    return f"&times;{e['seconds'] / first['seconds']:.2f}" + \
        ('<br><span class="apart">bands apart</span>' if apart else '<br><span class="overlap">bands overlap</span>')


def _verdict_group(records: list[dict], case: str) -> str:
    """One problem: its verdict as the heading, then every path with an estimate, fastest first (highlighted
    when the bands decide), with its band, the bound and the occupancy that explain it, and a measured time."""
    v = verdict_of(records, case)
    measured = {r["report"]["path"]: (r.get("gpu") or {}).get("median_ms") for r in records if r["case"] == case}
    failed = [r["report"]["path"] for r in records if r["case"] == case and program_estimate(r["report"]) is None]
    cls = "decided" if v["decided"] else "open"
    out = [f'<tbody class="{cls}"><tr class="verdict"><th colspan="8">{html.escape(verdict_line(v))}</th></tr>']
    if v["ranked"]:
        lo = min(e["seconds_low"] for _, e in v["ranked"])
        hi = max(e["seconds_high"] for _, e in v["ranked"])
        first = v["ranked"][0][1]
        for i, (path, e) in enumerate(v["ranked"]):
            occ = "-" if e.get("occupancy") is None else \
                f"{e['occupancy']:g} {e.get('occupancy_unit') or ''} ({e.get('occupancy_limit') or '-'})"
            ms = measured.get(path)
            row_cls = ' class="best"' if i == 0 and v["decided"] else (' class="first"' if i == 0 else "")
            cells = [html.escape(path), f"{e['seconds'] * 1e6:.1f}",
                     f"{e['seconds_low'] * 1e6:.1f} &ndash; {e['seconds_high'] * 1e6:.1f}",
                     _band(e, lo, hi), _versus(e, first) if i else "&times;1.00",
                     f"{html.escape(e['bound'] or '-')}, fill {e['machine_fill']:.2f}", html.escape(occ),
                     "-" if ms is None else f"{ms:.3f}"]
            out.append(f"<tr{row_cls}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    if failed:
        out.append(f'<tr><td colspan="8" class="note">no estimate: {html.escape(", ".join(failed))}</td></tr>')
    sizes = [f"{r['report']['path']}: {run_time_line(r['report'])}" for r in records
             if r["case"] == case and r["report"].get("run_time_sizes")]  # a program of run-time sizes
    if sizes:
        out.append(f'<tr><td colspan="8" class="note">{html.escape("; ".join(sizes))}</td></tr>')
    out.append("</tbody>")
    return "\n".join(out)


def verdict_table(records: list[dict]) -> str:
    """The summary the page opens with: per problem its verdict and its paths ranked by the estimate."""
    head = ["path", "estimate &micro;s", "band &micro;s", "band (log scale, per problem)", "vs best",
            "bound", "occupancy (limited by)", "measured ms"]
    groups = [_verdict_group(records, case) for case in dict.fromkeys(r["case"] for r in records)]
    return (f'<table class="verdicts"><thead><tr>{"".join(f"<th>{h}</th>" for h in head)}</tr></thead>\n'
            + "\n".join(groups) + "\n</table>")


def _numerics(record: dict) -> str:
    parts = []
    if record.get("verify"):
        parts.append(f"cpu: {verdict(record)}")
    if (record.get("gpu") or {}).get("status"):
        parts.append(f"gpu: {record['gpu']['status']}")
    return "; ".join(parts) or "not checked"


def render(records: list[dict], target: str, title: str = "tilefuse A/B") -> str:
    paths = list(dict.fromkeys(r["report"]["path"] for r in records))
    head = ["problem", "path", "ok", "via", "compile s", *ISA_COLUMNS, *ATTENTION_COLUMNS, *ESTIMATE_COLUMNS,
            "numerics", "time ms",
            "TFLOP/s"]
    rows = []
    for r in records:
        rep, gpu = r["report"], r.get("gpu") or {}
        isa = attention_isa(rep) or {}
        cells = [r["case"], rep["path"], "ok" if rep["ok"] else "FAIL", lowered_via(rep), f"{rep['compile_seconds']:.2f}",
                 *["-" if isa.get(c) is None else str(isa[c]) for c in ISA_COLUMNS], *attention_cells(rep),
                 *estimate_cells(rep), _numerics(r),
                 "-" if gpu.get("median_ms") is None else f"{gpu['median_ms']:.3f}",
                 "-" if gpu.get("tflops") is None else f"{gpu['tflops']:.1f}"]
        cls = "" if rep["ok"] else ' class="fail"'
        title_attr = f' title="{html.escape(rep["error"])}"' if rep.get("error") else ""
        rows.append(f"<tr{cls}{title_attr}>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    legend = " ".join(f'<span class="key" style="background:{PATH_COLORS[i % len(PATH_COLORS)]}"></span>{html.escape(p)}'
                      for i, p in enumerate(paths))
    charts = "\n".join(c for c in (_bar_chart(records, m, paths) for m in CHART_METRICS) if c)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} ({html.escape(target)})</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; color: #222; }}
table {{ border-collapse: collapse; font-size: 13px; }}
th, td {{ border: 1px solid #ccc; padding: 3px 7px; text-align: right; }}
td:nth-child(-n+4), th:nth-child(-n+4) {{ text-align: left; }}
tr.fail td {{ background: #fde2e2; }}
table.verdicts {{ margin-bottom: 1.5em; }}
table.verdicts td {{ text-align: right; }}
table.verdicts td:first-child, table.verdicts th {{ text-align: left; }}
span.apart {{ color: #2d6a2d; font-size: 11px; }}
span.overlap {{ color: #999; font-size: 11px; }}
tr.verdict th {{ background: #f3f3f3; font-weight: normal; padding-top: 6px; }}
tbody.decided tr.verdict th {{ font-weight: bold; }}
tr.best td {{ background: #dff0d8; font-weight: bold; }}
tr.first td:first-child {{ font-style: italic; }}
td.note {{ color: #777; text-align: left; }}
.key {{ display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: middle; }}
svg {{ margin: 1em 1em 0 0; }}
</style></head><body>
<h1>{html.escape(title)} &mdash; target {html.escape(target)}</h1>
<h2>Verdict per problem</h2>
<p>Paths ranked by the <b>estimate</b> (design/performance.md) on the target's machine, fastest first. The band is
the calibration's held-out error (seconds_low&ndash;seconds_high): the first path is highlighted in green only when
its band lies below the runner-up's; overlapping bands are <b>no decision</b>. The bound (compute, memory or
latency), the machine fill and the occupancy (and what limits it) say why.</p>
{verdict_table(records)}
<h2>Detail</h2>
<p>ISA metrics of each problem's attention dispatch, read from IREE's own dumps; "-" means the metric cannot be
read for this target or was not measured. "via" says who lowered the dispatch (the path, a fallback path, or IREE, comma-separated when a problem's
attention dispatches differ; "+pad": the path's pad-to-tiles stage padded the attention first, so the dispatch
measured is the padded one). est_us, est_roof% (the roofline's share
of it), est_bound and est_fill (machine fill) are an <b>estimate</b> of the model in design/performance.md on the target's
machine, not a measurement.</p>
<table><thead><tr>{"".join(f"<th>{html.escape(h)}</th>" for h in head)}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
<p>{legend}</p>
{charts}
</body></html>
"""


def write_html(records: list[dict], target: str, path: Path) -> None:
    Path(path).write_text(render(records, target))


def write_plot(records: list[dict], target: str, path: Path) -> None:
    """A PNG of the same bar charts; needs matplotlib (pip install -e '.[plot]')."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        from ..errors import TilefuseError

        raise TilefuseError("--plot needs matplotlib: pip install -e '.[plot]' (or use --html)") from None
    paths = list(dict.fromkeys(r["report"]["path"] for r in records))
    cases = list(dict.fromkeys(r["case"] for r in records))
    metrics = [m for m in CHART_METRICS if any(_metric(r, m) is not None for r in records)]
    fig, axes = plt.subplots(len(metrics), 1, figsize=(max(8, len(cases) * 0.9), 3 * len(metrics)), squeeze=False)
    width = 0.8 / max(1, len(paths))
    for ax, metric in zip(axes[:, 0], metrics):
        for pi, p in enumerate(paths):
            vals = [next((_metric(r, metric) for r in records if r["case"] == c and r["report"]["path"] == p), None)
                    for c in cases]
            shown = [(i + pi * width, v) for i, v in enumerate(vals) if v is not None]  # no bar: not measured
            ax.bar([x for x, _ in shown], [v for _, v in shown], width, label=p, color=PATH_COLORS[pi % len(PATH_COLORS)])
        ax.set_title(f"{metric} ({target})")
        ax.set_xticks([i + width * (len(paths) - 1) / 2 for i in range(len(cases))])
        ax.set_xticklabels(cases, rotation=30, ha="right", fontsize=8)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
