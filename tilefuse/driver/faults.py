"""Fault injection: what a pass that rebuilds ops does to attributes nobody tracks.

IREE's config-tracking rewrites carry `lowering_config` over to the ops they create; every other discardable
attribute is lost when an op is rebuilt. `drop_untracked_attrs` applies that loss to every op inside the
dispatch's functions (function attributes such as translation_info are not touched: functions are not rebuilt).
"""

from __future__ import annotations

from collections import Counter

import iree.compiler.ir as ir

from ..ir import irutil

TRACKED = {"lowering_config"}


def _top_level_keys(dict_text: str) -> list[str]:
    """Keys of an attribute-dictionary body `a = 1, b, c = {x = 2}` (unit attributes have no value)."""
    keys, depth, start = [], 0, 0
    for i, ch in enumerate(dict_text + ","):
        if ch in "<[({":
            depth += 1
        elif ch in ">])}":
            depth -= 1
        elif ch == "," and depth == 0:
            item = dict_text[start:i].strip()
            if item:
                keys.append(item.split("=", 1)[0].strip().strip('"'))
            start = i + 1
    return keys


def discardable_names(op: ir.Operation) -> list[str]:
    """Names of the op's discardable attributes: the generic form prints them in the `{...}` dictionary
    after the operands, properties `<{...}>` and regions, before the ` : (` type signature."""
    last = op.get_asm(print_generic_op_form=True).rstrip().splitlines()[-1]
    sig = last.rfind(" : (")
    head = last[:sig]
    if not head.endswith("}"):
        return []
    depth, i = 0, len(head) - 1
    while i >= 0:
        depth += {"}": 1, "{": -1}.get(head[i], 0)
        if depth == 0:
            break
        i -= 1
    if i <= 0 or head[i - 1] != " ":
        return []
    return _top_level_keys(head[i + 1 : -1])


def drop_untracked_attrs(module: ir.Module) -> dict[str, int]:
    """Removes every discardable attribute but `lowering_config` from ops inside functions; returns counts."""
    dropped = Counter()
    for func in irutil.funcs(module):
        for op in list(irutil.walk(func))[1:]:
            for name in discardable_names(op):
                if name not in TRACKED and name in op.attributes:
                    del op.attributes[name]
                    dropped[name] += 1
    return dict(dropped)
