"""Attention as PyTorch users export it (tests/fixtures/torch, written by tests/fixtures/export_torch.py with
iree-turbine): through every path on both targets, stock identical to plain iree-compile, the tilefuse path
lowering every attention itself with MMA, and `verify` on the input program's own result."""

from pathlib import Path

import numpy as np
import pytest

import iree.compiler.ir as ir

from tilefuse.driver import compile_file, convert_input, plain_compile
from tilefuse.interp.program import Program
from tilefuse.interp.signature import draw_inputs, entry_arguments
from tilefuse.paths import PATHS
from tilefuse.targets import get_target
from tilefuse.verify import verify_file

FIXTURES = Path(__file__).parent / "fixtures" / "torch"
EXPORTS = sorted(p.stem for p in FIXTURES.glob("*.mlir"))
TARGETS = ["gfx942", "sm_80"]


def test_the_exports_are_real_torch_exports():
    assert len(EXPORTS) >= 8
    for name in EXPORTS:
        text = (FIXTURES / f"{name}.mlir").read_text()
        assert text.startswith(f"// exported by tests/fixtures/export_torch.py: {name}:")
        assert "torch.aten.scaled_dot_product_attention" in text and "!torch.vtensor" in text


@pytest.mark.parametrize("path", sorted(PATHS))
@pytest.mark.parametrize("target", TARGETS)
def test_every_export_compiles_through_every_path(tmp_path, target, path):
    for name in EXPORTS:
        report = compile_file(FIXTURES / f"{name}.mlir", target, path, tmp_path / f"{name}.vmfb", tmp_path / name)
        assert report.ok, f"{name}: {report.error}"
        attention = [d for d in report.dispatches if d.has_attention]
        assert attention, name
        for d in attention:
            assert d.isa is not None and d.isa.instructions > 0, (name, d.name)
            assert d.name.startswith("main$async_dispatch_")  # torch's entry name, read back from the ISA
            if path.startswith("tilefuse"):
                assert d.lowered_by == "path" and d.fallback is None and d.isa.mma_ops > 0, (name, d.name)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("name", EXPORTS)
def test_stock_isa_identical_to_plain_iree_compile_on_exports(tmp_path, name, target):
    src = FIXTURES / f"{name}.mlir"
    stock = compile_file(src, target, "stock", tmp_path / "s.vmfb", tmp_path / "stock")
    plain = plain_compile(src, target, tmp_path / "p.vmfb", tmp_path / "plain")
    assert stock.ok, stock.error
    assert [(d.name, d.isa) for d in stock.dispatches] == [(d.name, d.isa) for d in plain.dispatches]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("name", EXPORTS)
def test_verify_tilefuse_on_exports(tmp_path, name, target):
    """Every snapshot of every attention dispatch equals the input program interpreted, and IREE's llvm-cpu
    agrees with that interpretation."""
    report = verify_file(FIXTURES / f"{name}.mlir", target, "tilefuse", tmp_path)
    assert report.ok, [c for c in report.checks if c.status != "ok"]
    (cpu,) = [c for c in report.checks if c.stage == "llvm-cpu"]
    assert cpu.status == "ok", cpu
    stages = [c.stage for c in report.checks if c.dispatch != "program"]
    assert stages[0] == "input" and stages[-1] == "lower" and all(c.status == "ok" for c in report.checks)


def _reference(name: str, tmp_path):
    converted = convert_input(FIXTURES / f"{name}.mlir", get_target("gfx942"), tmp_path / "in.mlir")
    program = Program(ir.Module.parse(converted.read_text(), ir.Context()))
    entry = program.entry()
    arguments = entry_arguments(program, entry)
    inputs = draw_inputs(arguments, seed=3)
    return program, entry, arguments, inputs, program.call(entry, inputs)


def _sdpa(q, k, v, keep=None, bias=None):
    q, k, v = (np.asarray(x, np.float64) for x in (q, k, v))
    s = np.einsum("bhmd,bhkd->bhmk", q, k) / np.sqrt(q.shape[-1])
    if bias is not None:
        s = s + bias
    if keep is not None:
        s = np.where(keep, s, -np.inf)
    p = np.exp(s - s.max(-1, keepdims=True))
    return np.einsum("bhmk,bhkn->bhmn", p / p.sum(-1, keepdims=True), v)


def test_the_reference_is_sdpa(tmp_path):
    """The interpreted torch program is scaled_dot_product_attention (checked against NumPy, not IREE)."""
    _, entry, arguments, (q, k, v), (out,) = _reference("sdxl_self_attn", tmp_path)
    assert entry == "main" and [a.is_mask for a in arguments] == [False] * 3
    np.testing.assert_allclose(out, _sdpa(q, k, v), atol=2e-3, rtol=1e-2)


def test_masks_are_drawn_as_models_make_them(tmp_path):
    """A boolean key-padding mask keeps a prefix of keys per row (true = attend); an additive one is 0 or the
    type's lowest value; both reach attention through IREE's broadcasts and are found as masks."""
    _, _, arguments, (q, k, v, keep), (out,) = _reference("bool_padding_mask", tmp_path)
    assert [a.is_mask for a in arguments] == [False, False, False, True] and keep.dtype == bool
    kept = keep.reshape(-1)
    assert kept[0] and not np.any(np.diff(kept.astype(int)) > 0)  # a prefix
    np.testing.assert_allclose(out, _sdpa(q, k, v, keep=keep), atol=2e-3, rtol=1e-2)
    _, _, arguments, (q, k, v, bias), (out,) = _reference("bert_additive_mask", tmp_path / "b")
    assert arguments[3].is_mask and arguments[3].elem == "f16"
    assert set(np.unique(bias)) <= {0.0, -65504.0} and np.all(bias[..., 0] == 0)
    np.testing.assert_allclose(out, _sdpa(q, k, v, bias=bias), atol=2e-3, rtol=1e-2)


def test_causal_gqa_reference(tmp_path):
    """Llama prefill: 4 query heads on 2 KV heads, causal, bf16."""
    _, _, _, (q, k, v), (out,) = _reference("llama_gqa_causal", tmp_path)
    kk, vv = (np.repeat(x, 2, axis=1) for x in (k, v))
    m = q.shape[2]
    causal = np.tril(np.ones((m, m), bool))
    np.testing.assert_allclose(out, _sdpa(q, kk, vv, keep=causal), atol=1.6e-2, rtol=4e-2)


def test_weights_are_read_from_the_export(tmp_path):
    """attention_block's projections are dense_resource blobs; the reference reads them, so its output depends
    on them (a zeroed weight would give zeros)."""
    program, entry, _, inputs, (out,) = _reference("attention_block", tmp_path)
    weights = [v for v in program.globals.values() if v is not None]
    assert len(weights) == 4 and all(w.shape == (128, 128) and np.abs(w).max() > 0 for w in weights)
    assert np.abs(out).max() > 0 and not np.isnan(out).any()


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("name", ["bert_additive_mask", "llama_gqa_causal"])
def test_verify_stock_on_exports(tmp_path, name, target):
    """Stock on torch's attention maps (N before K1 in the loop order): IREE packs V as [N, K2] tiles and says so
    in `permutations`, which its vectorization then drops; the interpreter reads both forms (structured.py)."""
    report = verify_file(FIXTURES / f"{name}.mlir", target, "stock", tmp_path, cross_check=False)
    assert report.ok, [c for c in report.checks if c.status not in ("ok", "unchecked")]
    checked = {c.stage for c in report.checks if c.status == "ok"}
    assert {"anchor-layouts", "vectorize", "vector-distribute", "lower"} <= checked
