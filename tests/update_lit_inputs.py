"""Regenerates the stage-test inputs: the snapshots of a small problem (1x2 heads, 128x128, d=64, f16).

    python tests/update_lit_inputs.py                          # every path; then review `git diff tests/lit`
    python tests/update_lit_inputs.py --paths tilefuse-vd      # only these paths' Inputs

Each stage's test feeds the snapshot taken *before* that stage to `iree-opt` with the stage's sequence: it is
written as Inputs/before-<stage>.mlir, named by the stage it feeds, so inserting a stage renames no other input. A
stage whose sequence takes parameters gets the library that binds them for gfx942 beside the snapshots
(Inputs/<entry>.mlir, tilefuse.codegen.transform.bind_params), preloaded after the libraries defining the sequence.
"""

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import iree.compiler.ir as ir

from tilefuse.driver.compile import CompileOptions, compile_file
from tilefuse.codegen.paths import get_path
from tilefuse.problem import AttentionProblem
from tilefuse.target.targets import get_target

LIT_PROBLEM = AttentionProblem(name="lit_small", batch=1, heads=2, m=128, k2=128, k1=64)
TARGET = "gfx942"
PATHS = ("stock", "hint", "tilefuse", "tilefuse-vd")
# tilefuse-vd shares its stages up to decompose with the tilefuse path (tests/lit/tilefuse): its inputs start at the
# stage after.
FIRST_INPUT = {"tilefuse-vd": "anchor-layouts"}


def inputs_by_stage(snapshots: Path, path: str) -> dict[str, Path]:
    """stage -> the dispatch's snapshot taken before it (NN-<previous stage>.mlir, 00-input.mlir before the first);
    the last snapshot, after the last stage, feeds none."""
    snaps = sorted(snapshots.glob("*.mlir"))
    stages = get_path(path).stage_names()
    if len(snaps) != len(stages) + 1:
        raise SystemExit(f"{path}: {len(snaps)} snapshots for {len(stages)} stages in {snapshots}")
    return dict(zip(stages, snaps))


def write_inputs(path: str, tmp: Path, src: Path, lit: Path) -> None:
    report = compile_file(src, CompileOptions(TARGET, path, tmp / f"{path}.vmfb", tmp / path))
    if not report.ok:
        raise SystemExit(f"{path}: {report.error}")
    (dispatch,) = report.dispatches
    inputs = lit / path / "Inputs"
    shutil.rmtree(inputs, ignore_errors=True)
    inputs.mkdir(parents=True)
    before = inputs_by_stage(tmp / path / "stages" / dispatch.name, path)
    stages = list(before)
    for stage in stages[stages.index(FIRST_INPUT.get(path, stages[0])):]:
        shutil.copy(before[stage], inputs / f"before-{stage}.mlir")
    target = get_target(TARGET)
    with ir.Context():
        for stage in get_path(path).stages:
            binding = stage.binding(target)
            if binding is not None:
                (inputs / f"{stage.entry_for(target)}.mlir").write_text(str(binding))


# The causal stages' inputs (tests/lit/tilefuse/causal-*.mlir): 128 queries x 128 keys, so the first workgroup's
# 64 rows visit one (diagonal) key tile, the second's one full tile and one diagonal.
CAUSAL_LIT_PROBLEM = AttentionProblem(name="lit_causal", batch=1, heads=2, m=128, k2=128, k1=64, mask="causal")
# ... and the band's (tests/lit/tilefuse/band-*.mlir): transformers' sliding window of 128 at 512 tokens, as
# tests/fixtures/export_masks.py exports it, so a workgroup's loop starts after skipped tiles and peels three ways.
BAND_LIT_INPUT = Path(__file__).resolve().parent / "fixtures" / "masks" / "band_512.mlir"
CAUSAL_INPUTS = ("causal-bound", "causal-peel")  # the stages the snapshots feed
# The run-time K2 stages' inputs (tests/lit/tilefuse/k2-tail.mlir, thread-distribute-k2-tail.mlir): 64 queries,
# K2 of run-time length (100 keys drawn: one whole 64-key tile, then a partial one).
DYNAMIC_LIT_PROBLEM = AttentionProblem(name="lit_dynamic", batch=1, heads=2, m=64, k2=100, k1=64, dynamic="k2")
DYNAMIC_INPUTS = ("k2-tail", "thread-distribute")
# The fp8 stages' inputs (tests/lit/tilefuse/encode-fp8.mlir, thread-distribute-fp8.mlir): fp8 Q/K/V on sm_89, where
# P's rounding to fp8 is encoded with integer ops and PV reads its keys in the QK accumulator's order.
FP8_LIT_PROBLEM = AttentionProblem(name="lit_fp8", batch=1, heads=2, m=64, k2=128, k1=64, dtype="f8E4M3FN")
FP8_INPUTS = ("encode-fp8", "thread-distribute")
# ... and an fp8 KV cache at head dim 16 on sm_89 (tests/lit/tilefuse/thread-distribute-fp8-cache.mlir): a lane's
# decoded K row is exactly one mma.sync B operand.
FP8_CACHE_LIT_PROBLEM = AttentionProblem(name="lit_fp8_cache", batch=1, heads=2, m=64, k2=128, k1=16, dtype="f16",
                                         kv_dtype="f8E4M3FN")
# ... and an fp8 KV cache of run-time length on gfx942 (tests/lit/tilefuse/k2-tail-fp8.mlir): k2-tail pads the last
# step's fp8 slices before widen-kv's extension of them to f16.
FP8_DYNAMIC_LIT_PROBLEM = DYNAMIC_LIT_PROBLEM.with_(name="lit_fp8_dynamic", kv_dtype="f8E4M3FNUZ")
# The run-time M stages' inputs (tests/lit/tilefuse/m-tail.mlir, thread-distribute-m-tail.mlir): query rows of
# run-time length (20 drawn: one whole 16-row subgroup tile, then 4 rows) against 64 static keys.
ROWS_LIT_PROBLEM = AttentionProblem(name="lit_rows", batch=1, heads=2, m=20, k2=64, k1=64, dynamic="m")
ROWS_INPUTS = ("m-tail", "thread-distribute")
# The seq_lens stage's input (tests/lit/tilefuse/seq-lens-bound.mlir): a paged GQA decode whose lengths come from a
# seq_lens operand, 32 pages of 32 keys split in 8 splits of a 4-page K2 loop each.
SEQ_LENS_LIT_PROBLEM = AttentionProblem(name="lit_seq_lens", batch=3, heads=8, kv_heads=2, m=1, k2=1024, k1=64,
                                        paged=32, seq_lens="1,77,1024")
SEQ_LENS_INPUTS = ("seq-lens-bound",)
# ... and m-tail's on such a decode of 3 query rows, fewer than the 16-row subgroup tile, its 5 pages unsplit
# (tests/lit/tilefuse/m-tail-seq-lens.mlir): the length mask seq-lens-mask computes in the dispatch.
SHORT_ROWS_LIT_PROBLEM = AttentionProblem(name="lit_short_rows", batch=3, heads=1, m=3, k2=160, k1=64, paged=32,
                                          seq_lens="1,45,160")
# The page-step stage's input (tests/lit/tilefuse/page-step.mlir): a paged GQA decode, pages of 16 keys, 2048 keys in
# 16 splits of 8 pages, each K2 step 4 pages (64 keys: heuristics.pages_per_step).
PAGED_LIT_PROBLEM = AttentionProblem(name="lit_page_step", batch=2, heads=8, kv_heads=2, m=1, k2=2048, k1=64,
                                     paged=16)
# The lane stage's input on pages of one key (tests/lit/tilefuse/thread-distribute-pages-of-one.mlir): IREE drops
# the unit page dim, so the K2 step's K and V are gathers of 64 one-key pages read directly by the matmuls.
PAGE_OF_ONE_LIT_PROBLEM = AttentionProblem(name="lit_page_of_one", batch=2, heads=8, kv_heads=2, m=1, k2=128, k1=64,
                                           paged=1)
# k2-tail's input on a run-time page count of pages of 8 keys (tests/lit/tilefuse/k2-tail-paged-run-time.mlir): a
# K2 step of 8 pages, the last one's table slice of fewer.
PAGED_RUN_TIME_LIT_PROBLEM = AttentionProblem(name="lit_paged_run_time", batch=2, heads=8, kv_heads=2, m=1, k2=256,
                                              k1=64, paged=8, dynamic="k2")
# The f32 lane stage's input (tests/lit/tilefuse/thread-distribute-f32.mlir): CDNA's f32 MFMA, P's keys relabeled.
F32_LIT_INPUT = Path(__file__).resolve().parent / "fixtures" / "programs" / "attention_f32.mlir"
# The run-time head dims' inputs (tests/lit/tilefuse/m-tail-heads.mlir, thread-distribute-heads.mlir): IREE's
# all-dynamic attention in f16 (batch, M, K2, K1 = N run-time).
HEADS_LIT_INPUT = Path(__file__).resolve().parent / "fixtures" / "programs" / "dynamic_attention_f16.mlir"


def write_causal_inputs(tmp: Path, lit: Path, src: Path, folder: str, stages=CAUSAL_INPUTS, target=TARGET) -> None:
    report = compile_file(src, CompileOptions(target, "tilefuse", tmp / f"{folder}.vmfb", tmp / folder))
    if not report.ok:
        raise SystemExit(f"{folder}: {report.error}")
    (dispatch,) = [d for d in report.dispatches if d.has_attention]
    inputs = lit / "tilefuse" / "Inputs" / folder
    shutil.rmtree(inputs, ignore_errors=True)
    inputs.mkdir(parents=True)
    before = inputs_by_stage(tmp / folder / "stages" / dispatch.name, "tilefuse")
    for stage in stages:
        shutil.copy(before[stage], inputs / f"before-{stage}.mlir")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", default=",".join(PATHS), help=f"comma-separated, of {', '.join(PATHS)}")
    paths = parser.parse_args().paths.split(",")
    unknown = set(paths) - set(PATHS)
    if unknown:
        parser.error(f"no lit inputs for {sorted(unknown)}")
    lit = Path(__file__).resolve().parent / "lit"
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "lit_small.mlir"
        src.write_text(LIT_PROBLEM.to_mlir())
        for path in paths:
            write_inputs(path, Path(tmp), src, lit)
        if "tilefuse" in paths:
            causal = Path(tmp) / "lit_causal.mlir"
            causal.write_text(CAUSAL_LIT_PROBLEM.to_mlir())
            write_causal_inputs(Path(tmp), lit, causal, "causal")
            write_causal_inputs(Path(tmp), lit, BAND_LIT_INPUT, "band")
            dynamic = Path(tmp) / "lit_dynamic.mlir"
            dynamic.write_text(DYNAMIC_LIT_PROBLEM.to_mlir())
            write_causal_inputs(Path(tmp), lit, dynamic, "dynamic", DYNAMIC_INPUTS)
            seq_lens = Path(tmp) / "lit_seq_lens.mlir"
            seq_lens.write_text(SEQ_LENS_LIT_PROBLEM.to_mlir())
            write_causal_inputs(Path(tmp), lit, seq_lens, "seq_lens", SEQ_LENS_INPUTS)
            short_rows = Path(tmp) / "lit_short_rows.mlir"
            short_rows.write_text(SHORT_ROWS_LIT_PROBLEM.to_mlir())
            write_causal_inputs(Path(tmp), lit, short_rows, "short_rows", ("m-tail",))
            paged = Path(tmp) / "lit_page_step.mlir"
            paged.write_text(PAGED_LIT_PROBLEM.to_mlir())
            write_causal_inputs(Path(tmp), lit, paged, "paged", ("page-step",))
            paged_run_time = Path(tmp) / "lit_paged_run_time.mlir"
            paged_run_time.write_text(PAGED_RUN_TIME_LIT_PROBLEM.to_mlir())
            write_causal_inputs(Path(tmp), lit, paged_run_time, "paged_run_time", ("k2-tail",))
            fp8 = Path(tmp) / "lit_fp8.mlir"
            fp8.write_text(FP8_LIT_PROBLEM.to_mlir())
            write_causal_inputs(Path(tmp), lit, fp8, "fp8", FP8_INPUTS, target="sm_89")
            cache = Path(tmp) / "lit_fp8_cache.mlir"
            cache.write_text(FP8_CACHE_LIT_PROBLEM.to_mlir())
            write_causal_inputs(Path(tmp), lit, cache, "fp8cache", ("thread-distribute",), target="sm_89")
            fp8_dynamic = Path(tmp) / "lit_fp8_dynamic.mlir"
            fp8_dynamic.write_text(FP8_DYNAMIC_LIT_PROBLEM.to_mlir())
            write_causal_inputs(Path(tmp), lit, fp8_dynamic, "fp8dynamic", ("k2-tail",))
            rows = Path(tmp) / "lit_rows.mlir"
            rows.write_text(ROWS_LIT_PROBLEM.to_mlir())
            write_causal_inputs(Path(tmp), lit, rows, "rows", ROWS_INPUTS)
            page_of_one = Path(tmp) / "lit_page_of_one.mlir"
            page_of_one.write_text(PAGE_OF_ONE_LIT_PROBLEM.to_mlir())
            write_causal_inputs(Path(tmp), lit, page_of_one, "page_of_one", ("thread-distribute",))
            write_causal_inputs(Path(tmp), lit, F32_LIT_INPUT, "f32", ("thread-distribute",))
            write_causal_inputs(Path(tmp), lit, HEADS_LIT_INPUT, "heads", ROWS_INPUTS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
