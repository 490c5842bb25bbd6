"""The IR facts are spelled once (tilefuse/ir/facts.py): no other module of the package writes an attention op's
name or the 16-bit float list as a literal, so a renamed op or a new element type is one edit."""

import re
from pathlib import Path

import numpy as np

from tilefuse.ir import facts as ir_facts

PACKAGE = Path(ir_facts.__file__).parent.parent  # the whole tilefuse package
OP_NAME = re.compile(r"""["']iree_linalg_ext\.(?:online_)?attention["']""")
HALF_LIST = re.compile(r"""\(\s*["']f16["']\s*,\s*["']bf16["']""")


def _spelled(pattern: re.Pattern) -> list[str]:
    return [f"{path.relative_to(PACKAGE.parent)}:{n}" for path in sorted(PACKAGE.rglob("*.py"))
            if path != Path(ir_facts.__file__) for n, line in enumerate(path.read_text().splitlines(), 1) if pattern.search(line)]


def test_attention_op_names_are_spelled_only_in_ir_facts():
    assert _spelled(OP_NAME) == []


def test_half_float_list_is_spelled_only_in_ir_facts():
    assert _spelled(HALF_LIST) == []


def test_the_scan_finds_a_literal():
    assert OP_NAME.search('ops_named(m, "iree_linalg_ext.online_attention")') and HALF_LIST.search('in ("f16", "bf16")')


def test_finite_max_is_each_types_largest_value():
    assert ir_facts.FINITE_MAX["f16"] == np.finfo(np.float16).max
    assert ir_facts.FINITE_MAX["f32"] == np.finfo(np.float32).max
    assert ir_facts.FINITE_MAX["bf16"] == np.array([0x7F7F << 16], np.uint32).view(np.float32)[0]  # bf16's max bits
    assert np.dtype(ir_facts.NUMPY_STORAGE["f16"]).itemsize == ir_facts.HALF_BYTES


def test_fp8_facts_are_the_formats():
    import ml_dtypes
    for elem in ir_facts.FP8_FLOATS:
        assert ir_facts.FINITE_MAX[elem] == float(ml_dtypes.finfo(ir_facts.NUMPY_STORAGE[elem]).max)
        assert np.dtype(ir_facts.NUMPY_STORAGE[elem]).itemsize == ir_facts.ELEMENT_BYTES[elem] == 1
