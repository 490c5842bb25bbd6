"""`verify` on the PyTorch exports: every snapshot of every attention dispatch equals the input program
interpreted, on the tilefuse path (every export) and on stock (torch's attention maps)."""

import json

import pytest

from compile_targets import FULL_COMPILE_TARGETS
from tilefuse.checkers.verify import VerifyOptions, verify_file
from torch_export_files import EXPORTS, FIXTURES, assert_compiled

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
@pytest.mark.parametrize("name", EXPORTS)
def test_verify_tilefuse_on_exports(tmp_path, name, target):
    """Every snapshot of every attention dispatch equals the input program interpreted, and IREE's llvm-cpu
    agrees with that interpretation. The compile it verifies is the tilefuse path's case of
    test_torch_exports_paths.py's every-path test."""
    report = verify_file(FIXTURES / f"{name}.mlir", VerifyOptions(target, "tilefuse", tmp_path))
    assert_compiled(json.loads((tmp_path / "report.json").read_text()), name)
    assert report.ok, [c for c in report.checks if c.status != "ok"]
    (cpu,) = [c for c in report.checks if c.stage == "llvm-cpu"]
    assert cpu.status == "ok", cpu
    stages = [c.stage for c in report.checks if c.dispatch != "program"]
    assert stages[0] == "input" and stages[-1] == "lower" and all(c.status == "ok" for c in report.checks)


@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
@pytest.mark.parametrize("name", ["bert_additive_mask", "llama_gqa_causal", "t5_scale1_bias"])
def test_verify_stock_on_exports(tmp_path, name, target):
    """Stock on torch's attention maps (N before K1 in the loop order): IREE packs V as [N, K2] tiles and says so
    in `permutations`, which its vectorization then drops; the interpreter reads both forms (structured.py)."""
    report = verify_file(FIXTURES / f"{name}.mlir", VerifyOptions(target, "stock", tmp_path, cross_check=False))
    assert report.ok, [c for c in report.checks if c.status not in ("ok", "unchecked")]
    checked = {c.stage for c in report.checks if c.status == "ok"}
    assert {"anchor-layouts", "vectorize", "vector-distribute", "lower"} <= checked
