"""Targets as IREE describes them, and the attention intrinsics chosen from what a target has (fast: one probe
compile per target, no kernel compiles)."""

import re
from pathlib import Path

import numpy as np
import pytest

import iree.compiler.ir as ir

from tilefuse.ir import intrinsics
from tilefuse.errors import TilefuseError, Unsupported
from tilefuse.codegen.heuristics import attention_intrinsics, keys_relabeled, qk_variant
from tilefuse.interp import lanes
from tilefuse.target import targets
from tilefuse.target.targets import NVVM, ROCDL, TARGETS, get_target


def test_facts_come_from_iree_target_attribute():
    assert get_target("gfx942").subgroup_size == 64
    assert get_target("gfx1100").subgroup_size == 32  # RDNA3 offers 32 and 64; IREE prefers 32
    assert get_target("sm_80").subgroup_size == 32
    assert get_target("gfx942").workgroup_memory_bytes == 64 * 1024
    assert get_target("sm_80").workgroup_memory_bytes > get_target("sm_89").workgroup_memory_bytes
    names = {i.name for i in get_target("gfx1100").mma_intrinsics}
    assert "WMMAR3_F32_16x16x16_F16" in names and not any(n.startswith("MFMA") for n in names)


def test_unknown_target_is_one_line():
    with pytest.raises(TilefuseError, match="unknown target 'gfx9000'.*gfx942"):
        get_target("gfx9000")


# What the selection rule gives on every target (the pairs stock IREE uses on CDNA3 and Ampere).
EXPECTED = {
    ("gfx942", "f16"): ("VMFMA_F32_16x16x32_F16", "MFMA_F32_16x16x16_F16", True, True),
    ("gfx942", "bf16"): ("MFMA_F32_16x16x16_BF16", "MFMA_F32_16x16x16_BF16", True, True),
    # gfx950 lists MFMA_F32_16x16x32_F16 first; its accumulator is not its own LHS layout, so the next one is taken
    ("gfx950", "f16"): ("VMFMA_F32_16x16x32_F16", "MFMA_F32_16x16x16_F16", True, True),
    ("gfx1100", "f16"): ("WMMAR3_F32_16x16x16_F16", "WMMAR3_F32_16x16x16_F16", True, False),
    ("gfx1100", "bf16"): ("WMMAR3_F32_16x16x16_BF16", "WMMAR3_F32_16x16x16_BF16", True, False),
    ("sm_80", "f16"): ("NV_MMA_SYNC_F32_16x8x16_F16", "NV_MMA_SYNC_F32_16x8x16_F16", False, True),
    ("sm_89", "bf16"): ("NV_MMA_SYNC_F32_16x8x16_BF16", "NV_MMA_SYNC_F32_16x8x16_BF16", False, True),
    # fp8 on CDNA3: the real MFMA's accumulator is the LHS layout of its virtual variant, so PV takes the VMFMA
    # (stock IREE's fp8 attention pairs them so); P stays in registers
    ("gfx942", "f8E4M3FNUZ"): ("MFMA_F32_16x16x32_F8E4M3FNUZ", "VMFMA_F32_16x16x32_F8E4M3FNUZ", True, True),
}


@pytest.mark.parametrize("target,elem", sorted(EXPECTED))
def test_attention_intrinsics_per_target(target, elem):
    pair = attention_intrinsics(get_target(target).mma_intrinsics, elem)
    assert (pair.qk, pair.pv, pair.col_major, pair.p_in_registers) == EXPECTED[(target, elem)]


def test_every_target_has_a_pair_for_f16_and_bf16():
    for target in TARGETS.values():
        for elem in ("f16", "bf16"):
            pair = attention_intrinsics(target.mma_intrinsics, elem)
            assert intrinsics.Intrinsic.named(pair.pv).element_types == (elem, elem, "f32")


def test_element_types_without_an_mma_are_refused():
    with pytest.raises(Unsupported, match="configures the float operand types"):
        attention_intrinsics(get_target("gfx942").mma_intrinsics, "f64")  # gfx942 has f64 MFMA: not an attention's
    with pytest.raises(Unsupported, match="no MMA intrinsic for f32 operands"):
        attention_intrinsics(get_target("sm_80").mma_intrinsics, "f32")  # IREE 3.13 lists no tf32 mma.sync


def test_f32_pairs_the_f32_mfma_with_itself_p_keys_relabeled():
    """gfx942's (and gfx950's) MFMA_F32_16x16x4_F32: QK's accumulator holds 4 keys per lane, PV's LHS 1 per step;
    PV takes them in the accumulator's order (lane_layout.key_order), so tilefuse-vd refuses the pair."""
    for target in ("gfx942", "gfx950"):
        pair = attention_intrinsics(get_target(target).mma_intrinsics, "f32")
        assert (pair.qk, pair.pv, pair.col_major, pair.p_in_registers) == ("MFMA_F32_16x16x4_F32",) * 2 + (True, True)
        assert pair.head_dim_multiple() == 4
    assert keys_relabeled("MFMA_F32_16x16x4_F32", "MFMA_F32_16x16x4_F32", True)


@pytest.mark.parametrize("target,intrinsic,col_major", [("gfx950", "MFMA_F32_16x16x128_F8E4M3FN", True),
                                                         ("sm_89", "NV_MMA_SYNC_F32_16x8x32_F8E4M3FN", False)])
def test_fp8_pairs_whose_p_keys_are_relabeled(target, intrinsic, col_major):
    """gfx950's and sm_89's fp8 intrinsics have no pair whose accumulator *is* the PV LHS layout: P's query rows
    and as many keys per lane sit in the LHS's lanes, in other register slots; the pair is the intrinsic twice, PV
    reading its keys (V's too) in the accumulator's order (lane_layout.key_order)."""
    pair = attention_intrinsics(get_target(target).mma_intrinsics, "f8E4M3FN")
    assert (pair.qk, pair.pv, pair.col_major, pair.p_in_registers) == (intrinsic, intrinsic, col_major, True)
    # gfx950: its 16x16x32 fp8 MFMA has the same accumulator, so a head dim of 64 is not padded to 128
    assert pair.head_dim_multiple() == {"gfx950": 32, "sm_89": 32}[target]


def test_keys_relabeled_names_the_pairs_only_the_lane_stage_runs():
    """tilefuse-vd's configure refuses these (IREE's vector distribution would move P through workgroup memory)."""
    assert keys_relabeled("MFMA_F32_16x16x32_F8E4M3FN", "MFMA_F32_16x16x128_F8E4M3FN", True)
    assert keys_relabeled("NV_MMA_SYNC_F32_16x8x32_F8E4M3FN", "NV_MMA_SYNC_F32_16x8x32_F8E4M3FN", False)
    assert not keys_relabeled("MFMA_F32_16x16x32_F8E4M3FNUZ", "VMFMA_F32_16x16x32_F8E4M3FNUZ", True)
    assert not keys_relabeled("VMFMA_F32_16x16x32_F16", "MFMA_F32_16x16x16_F16", True)
    assert not keys_relabeled("WMMAR3_F32_16x16x16_F16", "WMMAR3_F32_16x16x16_F16", True)  # a lane shuffle


def test_relabeled_pairs_only_where_no_pair_agrees_as_it_lies():
    """gfx942's FNUZ keeps its MFMA/VMFMA pair (its kernels unchanged), gfx950's f16 its pairs."""
    fnuz = attention_intrinsics(get_target("gfx942").mma_intrinsics, "f8E4M3FNUZ")
    assert (fnuz.qk, fnuz.pv) == ("MFMA_F32_16x16x32_F8E4M3FNUZ", "VMFMA_F32_16x16x32_F8E4M3FNUZ")
    f16 = attention_intrinsics(get_target("gfx950").mma_intrinsics, "f16")
    assert (f16.qk, f16.pv) == ("VMFMA_F32_16x16x32_F16", "MFMA_F32_16x16x16_F16")


def test_fp8_without_an_intrinsic_is_refused():
    with pytest.raises(Unsupported, match="no MMA intrinsic for f8E4M3FN operands"):
        attention_intrinsics(get_target("gfx942").mma_intrinsics, "f8E4M3FN")  # CDNA3 has the FNUZ pair only
    with pytest.raises(Unsupported, match="no MMA intrinsic for f8E4M3FN operands"):
        attention_intrinsics(get_target("sm_80").mma_intrinsics, "f8E4M3FN")  # Ampere has no fp8 mma.sync


def test_hint_path_qk_variant():
    assert qk_variant("MFMA_F32_16x16x16_F16", True) == "VMFMA_F32_16x16x32_F16"
    assert qk_variant("MFMA_F32_32x32x8_F16", True) == "VMFMA_F32_32x32x16_F16"
    assert qk_variant("MFMA_F32_16x16x16_BF16", True) == "MFMA_F32_16x16x16_BF16"


def test_intrinsic_names_round_trip_through_attributes():
    with ir.Context():
        for name, col_major in (("MFMA_F32_16x16x16_F16", True), ("VMFMA_F32_16x16x32_F16", False),
                                ("WMMAR3_F32_16x16x16_F16", True), ("NV_MMA_SYNC_F32_16x8x16_BF16", False)):
            parsed = ir.Attribute.parse(f"#iree_gpu.{'virtual_' if name.startswith('V') else ''}mma_layout"
                                        f"<{name}{', col_major = true' if col_major else ''}>")
            assert intrinsics.name_of(parsed) == (name, col_major)
            assert intrinsics.attr(name, col_major) == parsed
        with pytest.raises(Unsupported):
            intrinsics.name_of(ir.Attribute.parse("#iree_gpu.derived_thread_config"))


def test_blocked_intrinsics_are_marked():
    assert intrinsics.Intrinsic.named("MFMA_F32_32x32x4x2B_F16").blocks
    assert not intrinsics.Intrinsic.named("MFMA_F32_16x16x16_F16").blocks


def test_isa_ops_name_their_intrinsic_by_vector_types():
    with ir.Context():
        t = ir.Type.parse
        assert lanes.intrinsic_of("WMMA", 16, 16, 16, (t("vector<16xf16>"), t("vector<16xf16>"), t("vector<8xf32>"))) \
            == "WMMAR3_F32_16x16x16_F16"
        assert lanes.intrinsic_of("WMMA", 16, 16, 16, (t("vector<8xf16>"), t("vector<8xf16>"), t("vector<8xf32>"))) \
            == "WMMAR4_F32_16x16x16_F16"
        assert lanes.intrinsic_of("MFMA", 16, 16, 16, (t("vector<4xf16>"), t("vector<4xf16>"), t("vector<4xf32>"))) \
            == "MFMA_F32_16x16x16_F16"


def _wmma_operands(context, rng):
    """A 16x16 A, B and C scattered over 32 lanes by IREE's WMMAR3 layouts (A and B replicated on both halves)."""
    name = "WMMAR3_F32_16x16x16_F16"
    coords = [lanes.fragment_coords(name, f, context) for f in (0, 1, 2)]
    mats = [rng.standard_normal((16, 16)).astype(np.float32) for _ in range(3)]
    regs = [m[c[..., 0], c[..., 1]] for m, c in zip(mats, coords)]  # (32 lanes, registers)
    return name, mats, regs


def test_simt_wmma_runs_on_replicated_lanes():
    with ir.Context() as context:
        name, (a, b, c), regs = _wmma_operands(context, np.random.default_rng(0))
        assert lanes.intrinsic_lanes(name, context) == 32 and regs[0].shape == (32, 16) and regs[2].shape == (32, 8)
        d = lanes.mma(name, context, *regs, threads=32, subgroup_size=32, m=16, n=16, k=16, out_elem="f32")
        coords = lanes.fragment_coords(name, 2, context)
        np.testing.assert_allclose(d, (a @ b + c)[coords[..., 0], coords[..., 1]], rtol=1e-5, atol=1e-5)


def test_simt_wmma_replicas_that_disagree_poison_the_result():
    with ir.Context() as context:
        name, _, regs = _wmma_operands(context, np.random.default_rng(1))
        regs[0] = regs[0].copy()
        regs[0][16 + 3, 5] += 1.0  # lane 19 holds a replica of lane 3's A row; the hardware reads one of them
        d = lanes.mma(name, context, *regs, threads=32, subgroup_size=32, m=16, n=16, k=16, out_elem="f32")
        coords = lanes.fragment_coords(name, 2, context)
        assert np.isnan(d[coords[..., 0] == 3]).all() and not np.isnan(d[coords[..., 0] != 3]).any()


def test_a_target_is_selected_by_its_backend_and_the_chip_facts_describe_that_backend():
    """A target's flags are its Backend's device and chip flag; IREE's facts for them are of that backend's chips
    (MFMA/WMMA on ROCDL, mma.sync on NVVM), and the SIMDs IREE does not give on NVIDIA come from the Backend."""
    for target in TARGETS.values():
        assert target.flags == [f"--iree-hal-target-device={target.backend.hal_device}",
                                f"{target.backend.chip_flag}={target.name}"]
        prefixes = ("NV_",) if target.backend == NVVM else ("MFMA", "VMFMA", "VDMFMA", "WMMA")
        assert all(i.name.startswith(prefixes) for i in target.mma_intrinsics), target.name
    assert get_target("sm_80").simds == get_target("sm_80").facts.workgroup_processors * NVVM.simds_per_processor
    assert ROCDL.simds_per_processor is None and get_target("gfx942").facts.simds_per_workgroup == 4


def test_no_module_names_a_backend_by_its_string():
    """What differs between backends is a field of the Backend (or a table keyed by it): a new backend is a new
    Backend, not a search for the modules that compare `family == "nvvm"`."""
    package = Path(targets.__file__).parent.parent
    named = [f"{p.relative_to(package)}:{n}" for p in sorted(package.rglob("*.py")) if p != Path(targets.__file__)
             for n, line in enumerate(p.read_text().splitlines(), 1) if re.search(r"""["'](rocdl|nvvm)["']""", line)]
    assert named == []
