"""The launch reader, the ptxas reader, the machine table and the estimate's formulas, on checked-in IREE and
ptxas output and hand-computed values (no compile; tests/test_perf_compile.py compiles)."""

from pathlib import Path

import pytest

from tilefuse.errors import TilefuseError
from tilefuse.perf import ptxas
from tilefuse.perf.estimate import estimate, padding_fraction
from tilefuse.perf.launch import Launch, read_exports
from tilefuse.target.machines import H100_MMA_SYNC_FACTOR, MACHINES, PRIMARY, UNCALIBRATED_ERROR, machines_for
from tilefuse.perf.work import AttentionWork, DispatchWork
from tilefuse.target.targets import TARGETS

FIXTURES = Path(__file__).parent / "fixtures" / "perf"
MHA = "attention_dispatch_0_attention_32x2048x64x2048x64"


def test_launch_of_the_resolved_export():
    (facts,) = read_exports((FIXTURES / "exports-sm_80.mlir").read_text()).values()
    assert facts.launch == Launch(1024, (1024, 1, 1), (32, 4, 1), 32, 4)
    assert facts.workgroup_memory == 17408
    amd = read_exports((FIXTURES / "exports-gfx942.mlir").read_text())[MHA]
    assert (amd.launch.workgroups, amd.launch.workgroup_size, amd.launch.subgroups, amd.workgroup_memory) == \
        (1024, (64, 4, 1), 4, 0)


def test_launch_of_an_unresolved_count_is_none():
    dump = f"  hal.executable.export public @{MHA} ordinal(0) layout(#l) count(%arg0: !hal.device) -> (index, index, index) {{\n" \
           "    %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice()\n" \
           "    hal.return %x, %y, %z : index, index, index\n" \
           "  } <workgroup_size = [256 : index, 1 : index, 1 : index], subgroup_size = 64>\n"
    assert read_exports(dump)[MHA].launch.workgroups is None


def test_ptxas_figures_per_entry():
    figures = ptxas.parse((FIXTURES / "ptxas-v-decode-sm_80.txt").read_text())
    assert set(figures) == {"attention_dispatch_0_slow_memcpy", "attention_dispatch_2_slow_memcpy",
                            "attention_dispatch_1_attention_128x16x128x4096x128"}
    f = figures["attention_dispatch_1_attention_128x16x128x4096x128"]
    assert (f.registers, f.spill_store_bytes, f.spill_load_bytes, f.barriers) == (133, 0, 0, 0)
    assert figures["attention_dispatch_0_slow_memcpy"].registers == 12


def test_ptxas_spills_and_static_shared_memory():
    text = ("ptxas info    : Compiling entry function 'k' for 'sm_80'\n"
            "ptxas info    : Function properties for k\n"
            "    24 bytes stack frame, 24 bytes spill stores, 20 bytes spill loads\n"
            "ptxas info    : Used 168 registers, used 1 barriers, 4096 bytes smem, 384 bytes cmem[0]\n")
    assert ptxas.parse(text)["k"] == ptxas.PtxasFigures(168, 24, 20, 24, 4096, 1)


def test_ptxas_absent_says_why(monkeypatch):
    monkeypatch.setattr(ptxas, "binary", lambda: None)
    assert "cuda-tools" in ptxas.unavailable()
    assert ptxas.figures(Path("x.ptx"), "k") is None


def test_machine_table():
    for target, name in PRIMARY.items():
        assert target in TARGETS and target in MACHINES[name].targets
    for m in MACHINES.values():
        assert m.source and m.units > 0 and m.simds_per_unit == 4 and 0 < m.mma_factor <= 1
        assert m.mma_flops > m.vector_flops > 0 and m.hbm_bytes_per_s > 0 and 0 < m.latency_s < 5e-6
        assert all(t in TARGETS for t in m.targets)
        assert (m.vendor == "nvidia") == all(t.startswith("sm_") for t in m.targets)
    assert MACHINES["H100"].mma_factor == H100_MMA_SYNC_FACTOR < 1  # sm_80 code: mma.sync, not wgmma
    assert [m.name for m in machines_for("sm_80")] == ["A100", "A30", "H100"]
    (l40s,) = machines_for("sm_89")  # Ada: fp8 mma.sync at its own rate, no published points: H100's fit, band x2
    assert l40s.mma_flops_fp8 > l40s.mma_flops and l40s.mma_factor == 1 and l40s.fit.points == 0
    assert l40s.fit.error == UNCALIBRATED_ERROR * MACHINES["H100"].fit.error


# decode_f16_d128 as tilefuse lowers it on gfx942 (program padded to 16 rows): 4x32 heads, 16 rows, 4096 keys,
# d=128; workgroup tile 16 rows x 64 of N, 64 keys per iteration; one wave per workgroup.
DECODE = AttentionWork(batch=128, m=16, k1=128, k2=4096, n=128, tile_batch=1, tile_m=16, tile_n=64, k2_step=64,
                       element_bytes=2, workgroups_from_tiles=256)
DECODE_BYTES = 128 * (16 * 128 + 2 * 4096 * 128 + 16 * 128) * 2


def test_decode_estimate_on_mi300x_by_hand():
    launch = Launch(256, (256, 1, 1), (64, 1, 1), 64, 1)
    isa = {"vgpr": 92, "agpr": 0, "lds_bytes": 0, "mma_ops": 48}
    e = estimate("gfx942", DispatchWork(DECODE_BYTES, DECODE), launch, isa, useful_fraction=1 / 16)
    assert e["flops_useful"] == 4 * 128 * 1 * 4096 * 128
    assert e["flops_issued"] == 256 * 2 * 16 * 4096 * (128 + 64)
    mi = e["machines"]["MI300X"]
    # 92 VGPRs -> 96 allocated: 5 waves per SIMD (512 / 96), 20 one-wave workgroups per CU
    assert (mi["occupancy"], mi["occupancy_limit"]) == (5.0, "registers")
    assert mi["machine_fill"] == pytest.approx(256 / (304 * 20))
    m = MACHINES["MI300X"]
    fit = m.fit
    assert mi["times"]["memory"] == pytest.approx(DECODE_BYTES / (m.hbm_bytes_per_s * fit.hbm_efficiency))
    # 64 iterations, each: 64 keys x (128 + 64) x 2 B = 24 KiB for one wave; half its registers hold
    # 92 x 4 B x 64 lanes / 2 = 11.5 KiB in flight: 3 round trips; plus the iteration's work on one SIMD (its MMA
    # at the fitted rate, the softmax's vector work on its 16 x 64 scores), or the work of the waves sharing that
    # SIMD, whichever is more: 5 would fit, but 256 workgroups on 304 CUs put one wave on a CU, sharing nothing
    work = (2 * 16 * 64 * (128 + 64)) / (m.mma_flops * fit.mma_efficiency / m.simds) + \
        16 * 64 * fit.valu_ops_per_score / (m.vector_flops / m.simds)
    # (and the start and the drain: Q's load before the first K/V tiles, O's store after the last)
    assert mi["times"]["latency"] == pytest.approx(64 * (3 * m.latency_s + work) + 2 * m.latency_s)
    assert mi["seconds"] == pytest.approx(max(mi["times"].values()) + m.launch_s)
    assert mi["seconds_low"] * fit.error == pytest.approx(mi["seconds"]) == mi["seconds_high"] / fit.error
    assert (mi["bound"], e["bound"]) == ("latency", "latency")
    assert e["label"].startswith("estimate")


def test_mma_work_runs_at_the_rate_of_its_operands_type():
    """CDNA's f32 MFMA runs at the datasheet's FP32 matrix rate (an eighth of f16's on MI300X), fp8 at the fp8
    rate; a compute-bound dispatch's time follows. A type the machine has no MMA for is refused, not estimated at
    another type's rate."""
    from dataclasses import replace

    big = replace(DECODE, batch=128 * 64, workgroups_from_tiles=256 * 64)  # enough work to be compute bound
    launch = Launch(256 * 64, (256 * 64, 1, 1), (64, 1, 1), 64, 1)
    isa = {"vgpr": 92, "mma_ops": 48}
    times = {n: estimate("gfx942", DispatchWork(1, replace(big, mma_element_bytes=n)), launch, isa)
             ["machines"]["MI300X"]["times"]["compute"] for n in (1, 2, 4)}
    m = MACHINES["MI300X"]
    # the softmax's vector work is the same in each: the MMA work is what differs, by 1 / rate
    assert (m.mma_flops_f32, m.mma_flops, m.mma_flops_fp8) == (163.4e12, 1307.4e12, 2614.9e12)
    assert (times[4] - times[2]) / (times[2] - times[1]) == pytest.approx(
        (1 / m.mma_flops_f32 - 1 / m.mma_flops) / (1 / m.mma_flops - 1 / m.mma_flops_fp8))
    assert times[4] > 5 * times[2]
    with pytest.raises(TilefuseError, match="32-bit MMA on A100, whose targets' code has none"):
        estimate("sm_80", DispatchWork(1, replace(big, mma_element_bytes=4)), launch, isa)


def test_grid_larger_than_the_machine_takes_rounds():
    launch = Launch(304 * 20 * 3, (304 * 20 * 3, 1, 1), (64, 1, 1), 64, 1)
    work = DispatchWork(DECODE_BYTES, DECODE)
    one = estimate("gfx942", work, Launch(304 * 20, (304 * 20, 1, 1), (64, 1, 1), 64, 1), {"vgpr": 92, "mma_ops": 1})
    three = estimate("gfx942", work, launch, {"vgpr": 92, "mma_ops": 1})
    start_and_drain = 2 * MACHINES["MI300X"].latency_s
    assert three["machines"]["MI300X"]["times"]["latency"] - start_and_drain == pytest.approx(
        3 * (one["machines"]["MI300X"]["times"]["latency"] - start_and_drain))
    assert three["machine_fill"] == 1.0


def test_nvidia_occupancy_from_ptxas_per_machine():
    launch = Launch(1024, (1024, 1, 1), (32, 4, 1), 32, 4)
    isa = {"lds_bytes": 17408, "mma_ops": 64,
           "ptxas": {"sm_80": {"registers": 128}, "sm_90": {"registers": 134}}}
    e = estimate("sm_80", DispatchWork(33554432, DECODE), launch, isa)
    # 128 registers: 4096 per warp, 16 warps -> 4 blocks of 4 warps; 134 -> 136: 4352 per warp, 15 -> 12 warps
    assert e["machines"]["A100"]["occupancy"] == 16 and e["machines"]["H100"]["occupancy"] == 12
    assert e["machine"] == "H100" and set(e["seconds"]) == {"A100", "A30", "H100"}


def test_padding_fraction_of_a_padded_decode():
    changes = [{"sizes": [4, 32, 1, 128, 4096, 128], "padded": [4, 32, 16, 128, 4096, 128], "key_mask": "none"}]
    assert padding_fraction(changes, DispatchWork(0, DECODE)) == 1 / 16
    assert padding_fraction([], DispatchWork(0, DECODE)) == 1.0


def test_ptx_is_assembled_for_its_own_target_and_hopper():
    assert ptxas.archs(".version 7.6\n.target sm_80\n") == ("sm_80", "sm_90")
    assert ptxas.archs(".version 7.6\n.target sm_89\n") == ("sm_89", "sm_90")
    assert ptxas.archs(".target sm_90\n") == ("sm_90",)
