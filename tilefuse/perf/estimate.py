"""An estimate of each dispatch's time: a roofline with occupancy and grid fill (design/performance.md).

It is a model, labelled so in every report, meant to rank paths and to say *why* one should be slower (a
grid that leaves the machine idle, a serial loop waiting on memory), until `tilefuse bench` measures them.

    resident workgroups per unit   occupancy: registers, workgroup memory, wave slots (per machine)
    t_compute = flops_issued / (peak · share of SIMDs the resident waves occupy)
    t_memory  = global_bytes / HBM bandwidth
    t_latency = the busiest unit's loops: its slots' chains of (round trips · latency + one wave's work of an
                iteration), or all its waves' work at the rate the waves sharing a SIMD reach (mean-value
                analysis), + an in-workgroup combine's (COMBINE_ROUND_TRIP_S and its vector work) per workgroup
                of the chain, + the start and drain round trips
                round trips: an iteration's K/V bytes per wave over what half its registers can hold in flight
                (a workgroup's waves share its K/V, but splits side by side: each wave its own split's)
    t = max(t_compute, t_memory, t_latency); bound = the largest
"""

from __future__ import annotations

import math

from ..errors import TilefuseError
from . import mca
from .launch import Launch
from ..target.machines import PRIMARY, Fit, Machine, machines_for
from .work import DispatchWork

# A workgroup-memory round trip with a barrier between (the in-workgroup combine's partials written, every
# subgroup synchronised, read back): an assumption, not fitted (no published point isolates it): workgroup-memory
# latencies are tens to about a hundred cycles on these GPUs, so a write, a barrier and a read at ~2 GHz are
# taken as 0.1 us, a tenth of a global round trip or less.
COMBINE_ROUND_TRIP_S = 0.1e-6

LABEL = "estimate: roofline with occupancy and grid fill (design/performance.md), not a measurement"


def _registers(m: Machine, isa: dict) -> int | None:
    """32-bit registers per lane on this machine: on AMD what the hardware allocates (`.amdhsa_next_free_vgpr`:
    VGPRs and AGPRs of one file on gfx90a+; `.vgpr_count` already counts the AGPRs and can be fewer), NVIDIA's
    ptxas figure for the machine's arch."""
    if m.vendor == "amd":
        return isa.get("next_free_vgpr") or isa.get("vgpr")
    figures = (isa.get("ptxas") or {}).get(m.ptxas_arch)
    return None if figures is None else figures["registers"]


def _occupancy(m: Machine, launch: Launch, isa: dict) -> tuple[int, str, float]:
    """(resident workgroups per unit, what limits them, occupancy: waves per SIMD on AMD, warps per SM on
    NVIDIA)."""
    waves = launch.subgroups or 1
    lds = isa.get("lds_bytes") or 0
    regs = _registers(m, isa)
    limits: dict[str, float] = {}
    if m.vendor == "amd":
        if regs is not None:
            per_simd = min(m.max_waves_per_simd, m.registers_per_unit // (-(-max(regs, 1) // 8) * 8))
            limits["registers"] = m.simds_per_unit * per_simd // waves
        limits["wave slots"] = m.simds_per_unit * m.max_waves_per_simd // waves
        if lds:
            limits["workgroup memory"] = m.workgroup_memory_per_unit // lds
    else:
        if regs is not None:
            per_warp = -(-regs * 32 // 256) * 256  # allocated per warp in units of 256, warps in fours
            limits["registers"] = (m.registers_per_unit // per_warp) // 4 * 4 // waves
        limits["wave slots"] = m.simds_per_unit * m.max_waves_per_simd // waves
        limits["workgroups"] = m.max_workgroups_per_unit
        limits["workgroup memory"] = m.workgroup_memory_per_unit // (lds + 1024)  # 1 KiB reserved per block
    limit = min(limits, key=limits.get)
    resident = int(limits[limit])
    per = resident * waves / (m.simds_per_unit if m.vendor == "amd" else 1)
    return resident, limit, per


def _throughput(waves: int, latency: float, work: float) -> float:
    """Iterations per second of `waves` waves sharing one SIMD, each iteration `latency` away from it (its loads)
    and `work` on it: exact mean-value analysis of that closed queue (one server, one delay). It lies below
    both bounds, waves / (latency + work) and 1 / work, most where they meet."""
    queue = 0.0
    for k in range(1, waves + 1):
        response = work * (1 + queue)
        rate = k / (latency + response)
        queue = rate * response
    return rate


def _machine(m: Machine, work: DispatchWork, launch: Launch, isa: dict, flops_issued: int,
             flops_useful: float, fit: Fit) -> dict:
    resident, limit, occupancy = _occupancy(m, launch, isa)
    out = {"occupancy": occupancy, "occupancy_unit": "waves per SIMD" if m.vendor == "amd" else "warps per SM",
           "occupancy_limit": limit}
    if resident == 0:
        return {**out, "machine_fill": 0.0, "seconds": None, "roofline_seconds": None, "bound": None,
                "note": f"does not fit on one {m.name} unit ({limit})"}
    waves = launch.subgroups or 1
    grid = launch.workgroups
    capacity = m.units * resident
    att = work.attention
    has_mma = (isa.get("mma_ops") or 0) > 0
    element_bytes = att.mma_element_bytes if att is not None else 2
    if has_mma and m.mma_rate(element_bytes) is None:
        raise TilefuseError(f"estimate: {8 * element_bytes}-bit MMA on {m.name}, whose targets' code has none")
    # the roofline's peak: the machine's MMA rate for the operands' type (what the best kernel reaches, whether
    # this one has MMA or not), the vector rate where the machine has no MMA for that type
    peak = m.mma_rate(element_bytes) or m.vector_flops
    resident_waves = min(grid, capacity) * waves
    simd_share = min(m.simds, resident_waves) / m.simds
    # Softmax and masks: vector work per score element, beside the MMA work (a SIMD issues one or the other).
    scores = flops_issued / (2 * (att.k1_issued + att.tile_n)) if att else 0
    work_seconds = m.work_seconds(fit, flops_issued, scores, has_mma, element_bytes)
    t_compute = work_seconds / simd_share
    t_memory = work.global_bytes / (m.hbm_bytes_per_s * fit.hbm_efficiency)
    t_latency = math.ceil(grid / capacity) * m.latency_s
    if att:
        regs = _registers(m, isa)
        lanes = launch.subgroup_size or 1
        in_flight = regs * 4 * lanes // 2 if regs else None  # loads land in registers; half hold the loop's state
        # the waves of a workgroup share an iteration's K/V, but for splits side by side, each its own keys
        sharing_kv = max(1, waves // att.split_subgroups)
        trips = -(-att.bytes_per_iteration // sharing_kv // in_flight) if in_flight else 1
        wave_work = work_seconds / grid / waves / max(att.iterations, 1) * m.simds  # one wave's iteration
        # The busiest unit: workgroups are handed out as slots free, so it runs ceil(grid / units) of them, at most
        # `resident` at a time (its slots run theirs one after another: the longest slot's chain of loops).
        on_unit = math.ceil(grid / m.units)
        slots = min(resident, on_unit)
        chain = math.ceil(on_unit / slots) * att.iterations
        # An iteration waits for its K/V loads (round trips) and does its own work; the waves sharing a SIMD take
        # turns on it, so the unit is also busy for all its waves' work (slots that run fewer workgroups end
        # early: the work counts each workgroup once, not rounds of full slots).
        # Turns are not perfect: a wave back from memory can find the SIMD busy (mean-value analysis below).
        latency = trips * m.latency_s
        sharing = max(1, slots * waves // m.simds_per_unit)
        simd_work = on_unit * waves / m.simds_per_unit * att.iterations / _throughput(sharing, latency, wave_work)
        # Causal: the longest K2 loop decides the tail, not the mean.
        t_loop = max(chain * (latency + wave_work), simd_work, att.max_iterations * (latency + wave_work))
        # Start and drain: the first workgroups load Q before their first K/V tiles, the last store O; nothing
        # else is in flight to hide either round trip.
        # An in-workgroup combine after each workgroup's loops (split_subgroups > 1): its partials written to
        # workgroup memory, a barrier, read back, and its vector work on the workgroup's SIMDs.
        combine = (COMBINE_ROUND_TRIP_S + att.combine_flops / (min(waves, m.simds_per_unit) * m.vector_flops / m.simds)
                   if att.combine_flops else 0.0)
        t_latency = t_loop + math.ceil(on_unit / slots) * combine + 2 * m.latency_s
    times = {"compute": t_compute, "memory": t_memory, "latency": t_latency}
    bound = max(times, key=times.get)
    seconds = times[bound] + m.launch_s
    result = {**out, "machine_fill": min(1.0, grid / capacity), "seconds": seconds,
              "seconds_low": seconds / fit.error, "seconds_high": seconds * fit.error, "error": fit.error,
              "roofline_seconds": max(flops_useful / peak, work.global_bytes / m.hbm_bytes_per_s),
              "bound": bound, "times": {**times, "launch": m.launch_s}}
    figures = isa.get("mca")
    if att and figures and m.clock_hz:
        result["mca"] = _mca(m, figures, grid * waves * att.iterations, simd_share, t_compute, fit.error)
    return result


def _mca(m: Machine, figures: dict, wave_iterations: float, simd_share: float, t_compute: float,
         error: float) -> dict:
    """llvm-mca's compute time beside the model's: every wave's iterations keep a SIMD busy for the loop's
    reciprocal throughput (perf/mca.py), spread over the SIMDs the resident waves occupy. A ratio beyond the
    machine's stated error is a disagreement the report names."""
    if "rthroughput" not in figures:
        return {"note": figures["note"]}
    per = mca.CLOCKS_PER_PASS / m.clock_hz
    compute = wave_iterations * figures["rthroughput"] * per / m.simds / simd_share
    ratio = t_compute / compute
    return {"compute_s": compute, "iteration_s": figures["cycles_per_iteration"] * per, "model_over_mca": ratio,
            "disagrees": not 1 / error <= ratio <= error}


def estimate(target: str, work: DispatchWork | None, launch: Launch | None, isa: dict | None,
             useful_fraction: float = 1.0, fits: dict[str, Fit] | None = None) -> dict | None:
    """The estimate of one dispatch on every machine of the table that runs `target`'s code. `useful_fraction`:
    the share of the dispatch's iteration space that is the program's own (the rest is padding that a program
    stage added)."""
    if work is None or work.global_bytes is None or launch is None or isa is None:
        return None  # (sizes known only at run time: no work to estimate)
    notes = []
    att = work.attention
    flops_useful = att.flops * useful_fraction if att else 0
    flops_issued = launch.workgroups * att.flops_per_workgroup if att and launch.workgroups else 0
    if att and launch.workgroups != att.workgroups_from_tiles:
        notes.append(f"IREE launches {launch.workgroups} workgroups, the tiles give {att.workgroups_from_tiles}")
    if isa.get("note"):
        notes.append(isa["note"])
    if launch.workgroups is None:
        return {"label": LABEL, "note": "the workgroup count is not a constant", "seconds": {}}
    per_machine = {m.name: _machine(m, work, launch, isa, flops_issued, flops_useful, (fits or {}).get(m.name, m.fit))
                   for m in machines_for(target)}
    primary = per_machine.get(PRIMARY.get(target), {})
    check = primary.get("mca") or {}
    if check.get("disagrees"):
        notes.append(f"llvm-mca: the inner loop issues in {check['compute_s'] * 1e6:.3g} us on {PRIMARY[target]}, "
                     f"the model's compute term is x{check['model_over_mca']:.2f} of that, beyond its error "
                     f"x{primary['error']}")
    return {
        "label": LABEL,
        "flops_useful": flops_useful, "flops_issued": flops_issued, "global_bytes": work.global_bytes,
        "iterations": att.iterations if att else 1,
        "machine": PRIMARY.get(target),
        "occupancy": primary.get("occupancy"), "machine_fill": primary.get("machine_fill"),
        "bound": primary.get("bound"),
        "seconds": {name: r["seconds"] for name, r in per_machine.items()},
        "machines": per_machine,
        "mca": check or None,
        "notes": notes,
    }


def padding_fraction(changes: list[dict], work: DispatchWork | None) -> float:
    """The program's share of a dispatch padded by pad-to-tiles: its recorded sizes over the padded ones, for
    the change whose padded iteration space is the dispatch's (IREE may collapse dims, the products agree)."""
    att = work.attention if work else None
    if att is None:
        return 1.0
    size = att.batch * att.m * att.k1 * att.k2 * att.n
    for change in changes:
        if "padded" in change and math.prod(change["padded"]) == size:
            return math.prod(change["sizes"]) / size
    return 1.0
