"""Attention as PyTorch users export it (tests/fixtures/torch, written by tests/fixtures/export_torch.py with
iree-turbine): the exports are real torch exports, and the input program interpreted (the reference `verify` checks
every stage against) is scaled_dot_product_attention, masks and weights included. The exports through every path:
test_torch_exports_paths.py; verified stage by stage: test_torch_exports_verify.py."""

import numpy as np
import pytest

import iree.compiler.ir as ir

from tilefuse.driver.compile import convert_input
from tilefuse.interp.program import Program
from tilefuse.interp.signature import draw_inputs, entry_arguments
from tilefuse.target.targets import get_target
from torch_export_files import EXPORTS, FIXTURES

pytestmark = pytest.mark.slow  # IREE's input conversion of each export, then the whole program interpreted


def test_the_exports_are_real_torch_exports():
    assert len(EXPORTS) >= 8
    for name in EXPORTS:
        text = (FIXTURES / f"{name}.mlir").read_text()
        assert text.startswith(f"// exported by tests/fixtures/export_torch.py: {name}:")
        assert "torch.aten.scaled_dot_product_attention" in text and "!torch.vtensor" in text


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
