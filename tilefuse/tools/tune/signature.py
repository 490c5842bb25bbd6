"""A problem's signature: what a config database entry is looked up by."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ...problem import AttentionProblem


def problem_signature(input_path) -> str:
    """A `tilefuse problem` file: its shape, types, mask, layout and epilogue (not its name, so a built-in problem
    and the same one made by hand share an entry). Any other input: a hash of its text."""
    text = Path(input_path).read_text()
    problem = AttentionProblem.from_mlir_header(text)
    if problem is None:
        return "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:16]
    p = problem
    heads = f"H{p.heads}" + (f"/{p.hkv}" if p.hkv != p.heads else "")
    scale = "" if p.scale is None else f" scale={p.scale}"
    scale += "" if p.gqa_layout == "grouped" else f" gqa={p.gqa_layout}"
    return (f"attention {p.dtype} B{p.batch} {heads} M{p.m} K2{p.k2} K1{p.k1} N{p.nv} mask={p.mask} "
            f"layout={p.layout} epilogue={p.epilogue}{scale}")
