"""`tilefuse verify` on a suite problem's small version, and what its checks must show on every path."""

from tilefuse.checkers.verify import CPU_DEFECT, VerifyOptions, verify_file

# Every snapshot is checked but stock's bufferize (memrefs whose vectors vector-distribute has not distributed). Anything else left unchecked fails the test, so coverage cannot
# silently shrink.
# Where IREE splits K2 (partial_reduction: decode, and the SIMT configs of unaligned problems) the interpreter
# does not model the split op yet.
EXPECTED_UNCHECKED = {"reduction-tile": "iree_linalg_ext.online_attention with a split (partial) K2 reduction"}


def verify_small(problem, path: str, target: str, tmp_path) -> list[str]:
    """Verifies PROBLEM's small version: no stage wrong, nothing unchecked but the expected, the reference checked
    twice (NumPy, IREE's llvm-cpu), the final code right. Returns the dispatch's stages checked ok, in order."""
    src = tmp_path / "p.mlir"
    src.write_text(problem.small().to_mlir())
    report = verify_file(src, VerifyOptions(target, path, tmp_path / "w", fallback="stock"))
    assert report.checks
    for c in report.checks:
        if c.stage == "lower" or c.dispatch == "program":
            continue
        assert c.status != "MISMATCH", c
        if c.status == "unchecked":
            assert c.reason == "memrefs whose vectors are not yet distributed to threads" or (
                c.stage in EXPECTED_UNCHECKED and c.reason == f"unsupported: {EXPECTED_UNCHECKED[c.stage]}"), c
    program = {c.stage: c for c in report.checks if c.dispatch == "program"}
    assert program["numpy-reference"].status == "ok", program  # the interpreted input program is the reference
    # IREE 3.13's llvm-cpu is wrong for head dims >= 192 (tests/test_problem_cpu.py): verify says it disagrees alone.
    assert program["llvm-cpu"].status == (CPU_DEFECT if problem.k1 >= 192 else "ok"), program
    (final,) = [c for c in report.checks if c.stage == "lower"]
    assert final.status == "ok", final
    checked = [c.stage for c in report.checks if c.status == "ok" and c.dispatch != "program"]
    assert checked[:2] == ["input", "configure"] and "decompose" in checked
    return checked
