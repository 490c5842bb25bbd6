"""`verify` on programs around attention: host ops IREE forms are interpreted, so a wrong one is a MISMATCH."""

from pathlib import Path

import pytest


from tilefuse.interp.program import HostInterpreter
from tilefuse.checkers.verify import VerifyOptions, verify_file

pytestmark = pytest.mark.slow

KV_CACHE = Path(__file__).parent / "fixtures" / "programs" / "kv_cache_update.mlir"


def test_kv_cache_update_is_interpreted(tmp_path):
    report = verify_file(KV_CACHE, VerifyOptions("gfx942", "tilefuse", tmp_path))
    assert "flow.tensor.update" in (tmp_path / "flow.mlir").read_text()
    assert report.ok and all(c.status == "ok" for c in report.checks), report.checks


def test_a_wrong_host_op_is_a_mismatch(tmp_path, monkeypatch):
    """Planted: flow.tensor.update that drops the update. The reference (the input program's insert_slice) is
    not affected, every stage of the dispatch is."""
    monkeypatch.setattr(HostInterpreter, "op_flow_tensor_update", lambda self, op, args, env: args[:1])
    report = verify_file(KV_CACHE, VerifyOptions("gfx942", "tilefuse", tmp_path, cross_check=False))
    stages = [c for c in report.checks if c.dispatch != "program"]
    assert stages and all(c.status == "MISMATCH" for c in stages) and not report.ok
