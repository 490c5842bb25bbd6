"""The one table of machine constants the estimate uses (design/performance.md says how each is used).

Sources: vendor datasheets for peaks, bandwidths and unit counts (AMD Instinct MI300X and MI355X datasheets;
NVIDIA A100 80GB SXM, H100 SXM5 and L40S datasheets); occupancy limits from the vendors' programming guides (CUDA C++
Programming Guide, "Compute Capabilities" table, for 8.0, 8.9 and 9.0; AMD CDNA3 ISA guide and LLVM's AMDGPU
backend for gfx942/gfx950: 512 VGPRs per lane shared by VGPRs and AGPRs, 8 waves per SIMD, 4 SIMDs per CU).
Two rows are assumptions, not datasheet figures, and say so: the loaded global-memory latency (published
pointer-chase microbenchmarks put idle HBM latency at roughly 500-800 ns on these parts, and it rises under
load), and the MMA rate of sm_80 code on an H100 (below). `tilefuse bench` records measured time beside the
estimate so these can be calibrated.
"""

from __future__ import annotations

from dataclasses import dataclass

# sm_80 PTX runs on an H100 through the driver's JIT: its MMA is warp-level mma.sync, not Hopper's warpgroup
# wgmma, and the datasheet's 989 TFLOP/s needs wgmma. Published Hopper microbenchmarks (Luo et al.,
# "Benchmarking and Dissecting the Nvidia Hopper GPU Architecture", 2024) and FlashAttention-2 (mma.sync)
# against FlashAttention-3 (wgmma) on H100 put mma.sync at roughly 60-65 % of the wgmma rate: 0.6 assumed.
H100_MMA_SYNC_FACTOR = 0.6


@dataclass(frozen=True)
class Fit:
    """What the datasheet does not say, fitted on published measured times (tilefuse/tools/calibrate.py;
    design/performance.md, "Calibration"). Each parameter is one piece of physics (a dispatch's launch cost is not
    one of them: the published set cannot measure it, so it is the machine's cited `launch_s`):"""
    hbm_efficiency: float = 1.0  # the share of the datasheet HBM bandwidth a streaming kernel reaches
    mma_efficiency: float = 1.0  # the share of the MMA rate (after mma_factor) the inner loop reaches
    valu_ops_per_score: float = 0.0  # FP32 vector work per score element (softmax: scale, max, exp, sum, casts)
    # The held-out error: the factor by which the leave-one-out estimate missed the published time, at worst
    # over the points of this machine (estimate / factor .. estimate * factor is the band every report shows).
    error: float = 1.0
    points: int = 0  # published points the fit used


# The fits of `python -m tilefuse.tools.calibrate` (design/performance.md, "Calibration": the table, the grid).
MI300X_FIT = Fit(hbm_efficiency=0.5, mma_efficiency=0.5, valu_ops_per_score=64.0, error=1.78, points=7)
H100_FIT = Fit(hbm_efficiency=0.5, mma_efficiency=1.0, valu_ops_per_score=0.0, error=2.62, points=6)
A30_FIT = Fit(hbm_efficiency=0.7, mma_efficiency=0.3, valu_ops_per_score=0.0, error=1.12, points=4)
# Per-dispatch launch cost, from published measurements of back-to-back dispatches (the calibration set's
# kernels are too long for a few microseconds to show: the fit's error does not change with it on MI300X and H100).
# sm_80: the A30 log the decode points come from, nvbench's back-to-back ("Batch") time of the same FlashAttention-2
# call with the same 128 keys attended, without and with its split-KV combine kernel (a second dispatch of next to
# no work): an upper bound, since it also holds the combine's own work.
SM80_LAUNCH_S = 3.5e-6  # 17.007 - 13.481 us
SM80_LAUNCH = ("JakeFlasher/benchmark_flash_attention @ 5ebf10e6 results_kvcache/llama2-7b.md, NVIDIA A30: "
               "run 2 (seq_len 128, one kernel) Batch 0.013481 ms, run 13 (seq_len 1024, window_left 128: the same "
               "keys attended, FlashAttention-2's num_splits_heuristic splits 8 key blocks 3 ways, so its combine "
               "kernel runs too) Batch 0.017007 ms: 3.5 us for one more dispatch back to back")
# MI300X: Kog AI's measured launch-plus-cleanup cost per kernel on an MI300X node (the stack its decode step ran
# on before they fused it into one kernel); no more than the least whole call published for the machine (CK's
# 64-key attention, 5 us, which also does work).
MI300X_LAUNCH_S = 4.5e-6
MI300X_LAUNCH = ("Kog AI, 'Building a single-kernel, latency-optimized LLM inference engine on AMD MI300X GPUs' "
                 "(blog.kog.ai, May 2026; its figure as quoted by news.creeta.com): ~4.5 us launch plus cleanup per "
                 "kernel on 8x MI300X; at most CK's whole 1x4096x64 call, 5 us (nod-ai/iree-kernel-benchmark @ "
                 "a39bb2f3 frontend/golden_csv/ck_attention.csv:101)")
# A machine without published points borrows its vendor's fit, its band doubled.
UNCALIBRATED_ERROR = 2.0


@dataclass(frozen=True)
class Machine:
    name: str
    targets: tuple[str, ...]  # tilefuse targets whose code it runs
    units: int  # CUs / SMs
    simds_per_unit: int  # SIMDs / SM sub-partitions: one matrix unit each
    mma_flops: float  # dense f16/bf16 MMA with f32 accumulation, FLOP/s (datasheet)
    mma_flops_fp8: float | None  # dense fp8 MMA (datasheet); None: the targets' code has no fp8 MMA there
    mma_factor: float  # the share of mma_flops the target's MMA instructions can reach on this machine
    vector_flops: float  # FP32 vector FMA, FLOP/s (datasheet): kernels without MMA
    hbm_bytes_per_s: float  # datasheet
    latency_s: float  # loaded global-memory latency: an assumption (module docstring)
    # occupancy
    registers_per_unit: int  # AMD: VGPRs per SIMD lane; NVIDIA: 32-bit registers per SM
    max_waves_per_simd: int  # AMD waves per SIMD; NVIDIA warps per SM / sub-partitions
    max_workgroups_per_unit: int | None  # NVIDIA's resident block limit; None: waves bind first (AMD)
    workgroup_memory_per_unit: int  # LDS per CU / shared memory per SM, bytes
    ptxas_arch: str | None = None  # the ptxas figures that hold on this machine (NVIDIA)
    clock_hz: float | None = None  # peak engine clock (datasheet): llvm-mca's passes to seconds (AMD)
    # dense f32 MMA (datasheet: CDNA's f32 MFMA, an eighth of its f16 rate); None: the targets' code has none there
    mma_flops_f32: float | None = None
    # The cost of one more dispatch in a program: launching it after the one before, its ramp-up and the drain
    # of its last wave. Published measurements, not the fit (design/performance.md, "Launch cost"): back-to-back
    # dispatches of next to no work; `launch_source` says which.
    launch_s: float = 0.0
    launch_source: str = ""
    fit: Fit = Fit()
    source: str = ""

    @property
    def vendor(self) -> str:
        return "nvidia" if self.ptxas_arch else "amd"

    @property
    def simds(self) -> int:
        return self.units * self.simds_per_unit

    def mma_rate(self, element_bytes: int = 2) -> float | None:
        """The MMA FLOP/s the targets' MMA instructions can reach on this machine for operands of `element_bytes`
        (fp8 1, f16/bf16 2, f32 4: datasheet x mma_factor); None where its targets' code has no such MMA."""
        rate = {1: self.mma_flops_fp8, 2: self.mma_flops, 4: self.mma_flops_f32}.get(element_bytes)
        return None if rate is None else rate * self.mma_factor

    def work_seconds(self, fit: Fit, flops: float, scores: float, mma: bool = True, element_bytes: int = 2) -> float:
        """Seconds all the machine's SIMDs take for `flops` (at the fitted MMA rate of the operands' type; at the
        vector rate without MMA) and the softmax's vector work on `scores` score elements
        (`fit.valu_ops_per_score` each): a SIMD issues one or the other."""
        peak = self.mma_rate(element_bytes) * fit.mma_efficiency if mma else self.vector_flops
        return flops / peak + scores * fit.valu_ops_per_score / self.vector_flops


MACHINES = {m.name: m for m in (
    Machine("MI300X", ("gfx942",), units=304, simds_per_unit=4, mma_flops=1307.4e12, mma_flops_fp8=2614.9e12,
            mma_factor=1.0,
            vector_flops=163.4e12, hbm_bytes_per_s=5.3e12, latency_s=800e-9,
            registers_per_unit=512, max_waves_per_simd=8, max_workgroups_per_unit=None,
            workgroup_memory_per_unit=64 * 1024, fit=MI300X_FIT, clock_hz=2100e6, mma_flops_f32=163.4e12,
            launch_s=MI300X_LAUNCH_S, launch_source=MI300X_LAUNCH,
            source="AMD Instinct MI300X datasheet: 304 CUs, 2100 MHz peak engine clock, 1307.4 TFLOP/s FP16/BF16 "
                   "dense, 2614.9 TFLOP/s FP8 dense, 163.4 TFLOP/s FP32 matrix, 163.4 TFLOP/s FP32 vector, 5.3 TB/s HBM3; 64 KiB LDS per CU (CDNA3 ISA guide)"),
    Machine("MI355X", ("gfx950",), units=256, simds_per_unit=4, mma_flops=2.5e15, mma_flops_fp8=5.0e15,
            mma_factor=1.0,
            vector_flops=157.3e12, hbm_bytes_per_s=8.0e12, latency_s=800e-9,
            registers_per_unit=512, max_waves_per_simd=8, max_workgroups_per_unit=None,
            workgroup_memory_per_unit=160 * 1024,
            launch_s=MI300X_LAUNCH_S,
            launch_source=f"MI300X's (the same HIP launch path, not measured on an MI355X): {MI300X_LAUNCH}",
            fit=Fit(**{**MI300X_FIT.__dict__, "error": UNCALIBRATED_ERROR * MI300X_FIT.error, "points": 0}),
            clock_hz=2400e6, mma_flops_f32=157.3e12,
            source="AMD Instinct MI355X datasheet: 256 CUs, 2400 MHz peak engine clock, 2.5 PFLOP/s FP16/BF16 "
                   "dense, 5.0 PFLOP/s FP8 dense, 157.3 TFLOP/s FP32 matrix, 157.3 TFLOP/s FP32 vector, 8 TB/s HBM3E; 160 KiB LDS per CU (CDNA4)"),
    Machine("A100", ("sm_80",), units=108, simds_per_unit=4, mma_flops=312e12, mma_flops_fp8=None,
            mma_factor=1.0,
            vector_flops=19.5e12, hbm_bytes_per_s=2.039e12, latency_s=600e-9,
            registers_per_unit=65536, max_waves_per_simd=16, max_workgroups_per_unit=32,
            workgroup_memory_per_unit=164 * 1024, ptxas_arch="sm_80",
            launch_s=SM80_LAUNCH_S,
            launch_source=f"the A30's (the same sm_80 code and CUDA launch path; not measured on an A100): "
                          f"{SM80_LAUNCH}",
            fit=Fit(**{**H100_FIT.__dict__, "error": UNCALIBRATED_ERROR * H100_FIT.error, "points": 0}),
            source="NVIDIA A100 80GB SXM datasheet: 108 SMs, 312 TFLOP/s FP16 tensor dense, 19.5 TFLOP/s FP32, "
                   "2039 GB/s HBM2e; CUDA guide, compute capability 8.0: 64K registers, 64 warps, 32 blocks, "
                   "164 KiB shared memory per SM"),
    Machine("A30", ("sm_80",), units=56, simds_per_unit=4, mma_flops=165e12, mma_flops_fp8=None, mma_factor=1.0,
            vector_flops=10.3e12, hbm_bytes_per_s=933e9, latency_s=600e-9,
            registers_per_unit=65536, max_waves_per_simd=16, max_workgroups_per_unit=32,
            workgroup_memory_per_unit=164 * 1024, ptxas_arch="sm_80", fit=A30_FIT,
            launch_s=SM80_LAUNCH_S, launch_source=SM80_LAUNCH,
            source="NVIDIA A30 datasheet: 56 SMs, 165 TFLOP/s FP16 tensor dense, 10.3 TFLOP/s FP32, 933 GB/s HBM2; "
                   "CUDA guide, compute capability 8.0: 64K registers, 64 warps, 32 blocks, 164 KiB per SM"),
    Machine("H100", ("sm_80",), units=132, simds_per_unit=4, mma_flops=989.4e12, mma_flops_fp8=None,
            mma_factor=H100_MMA_SYNC_FACTOR,
            vector_flops=66.9e12, hbm_bytes_per_s=3.35e12, latency_s=600e-9,
            registers_per_unit=65536, max_waves_per_simd=16, max_workgroups_per_unit=32,
            workgroup_memory_per_unit=228 * 1024, ptxas_arch="sm_90", fit=H100_FIT,
            launch_s=SM80_LAUNCH_S,
            launch_source=f"the A30's (the same sm_80 code and CUDA launch path; not measured on an H100): "
                          f"{SM80_LAUNCH}",
            source="NVIDIA H100 SXM5 datasheet: 132 SMs, 989.4 TFLOP/s FP16 tensor dense (wgmma; sm_80 code "
                   f"reaches about {H100_MMA_SYNC_FACTOR} of it with mma.sync), 66.9 TFLOP/s FP32, 3.35 TB/s HBM3; "
                   "CUDA guide, compute capability 9.0: 64K registers, 64 warps, 32 blocks, 228 KiB per SM"),
    Machine("L40S", ("sm_89",), units=142, simds_per_unit=4, mma_flops=362.05e12, mma_flops_fp8=733e12,
            mma_factor=1.0,
            vector_flops=91.6e12, hbm_bytes_per_s=864e9, latency_s=600e-9,
            registers_per_unit=65536, max_waves_per_simd=12, max_workgroups_per_unit=24,
            workgroup_memory_per_unit=100 * 1024, ptxas_arch="sm_89",
            launch_s=SM80_LAUNCH_S,
            launch_source=f"the A30's (the same CUDA launch path; not measured on an L40S): {SM80_LAUNCH}",
            fit=Fit(**{**H100_FIT.__dict__, "error": UNCALIBRATED_ERROR * H100_FIT.error, "points": 0}),
            source="NVIDIA L40S datasheet: 142 SMs, 362.05 TFLOP/s FP16/BF16 tensor dense, 733 TFLOP/s FP8 tensor "
                   "dense (mma.sync is Ada's MMA: no factor), 91.6 TFLOP/s FP32, 864 GB/s GDDR6; CUDA guide, compute "
                   "capability 8.9: 64K registers, 48 warps, 24 blocks, 100 KiB shared memory per SM"),
)}

# The machine `ab` shows a target's estimate on (every machine that runs a target's code gets one in the report).
PRIMARY = {"gfx942": "MI300X", "gfx950": "MI355X", "sm_80": "H100", "sm_89": "L40S"}


def machines_for(target: str) -> list[Machine]:
    return [m for m in MACHINES.values() if target in m.targets]
