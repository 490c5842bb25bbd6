"""The PyTorch exports the tests compile (tests/fixtures/torch, written by tests/fixtures/export_torch.py), and what
every compile of one must show."""

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "torch"
EXPORTS = sorted(p.stem for p in FIXTURES.glob("*.mlir"))


def assert_compiled(report: dict, name: str):
    """REPORT (report.json's dict) of export NAME: compiled, every attention dispatch with ISA under torch's entry
    name (read back from the ISA), and lowered with MMA by the path itself on a tilefuse path."""
    assert report["ok"], f"{name}: {report['error']}"
    attention = [d for d in report["dispatches"] if d["has_attention"]]
    assert attention, name
    for d in attention:
        assert d["isa"] is not None and d["isa"]["instructions"] > 0, (name, d["name"])
        assert d["name"].startswith("main$async_dispatch_")
        if report["path"].startswith("tilefuse"):
            assert d["lowered_by"] == "path" and d["fallback"] is None and d["isa"]["mma_ops"] > 0, (name, d["name"])
