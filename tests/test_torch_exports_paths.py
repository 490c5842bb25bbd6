"""The PyTorch exports through every path on every full-compile target: each compiles with ISA under torch's entry
names, a tilefuse path lowers every attention itself with MMA, and stock's ISA is plain iree-compile's."""

import pytest

from compile_targets import across_targets
from tilefuse.driver.compile import CompileOptions, compile_file, plain_compile
from tilefuse.codegen.paths import PATHS
from torch_export_files import EXPORTS, FIXTURES, assert_compiled

pytestmark = pytest.mark.slow

# The tilefuse path's compile of each export is the one test_torch_exports_verify.py verifies (and checks the same).
PATHS_COMPILED_HERE = sorted(set(PATHS) - {"tilefuse"})


# Every (export, path) pair on one target, alternating: each export still meets every target, so does each path.
@pytest.mark.parametrize("name,path,target", across_targets(EXPORTS, PATHS_COMPILED_HERE))
def test_every_export_compiles_through_every_path(tmp_path, name, target, path):
    src = FIXTURES / f"{name}.mlir"
    report = compile_file(src, CompileOptions(target, path, tmp_path / "o.vmfb", tmp_path / "d"))
    assert_compiled(report.to_dict(), name)
    if path == "stock":  # IREE's own lowering cut into stages: the same ISA as plain iree-compile
        plain = plain_compile(src, target, tmp_path / "plain.vmfb", tmp_path / "plain")
        assert [(d.name, d.isa) for d in report.dispatches] == [(d.name, d.isa) for d in plain.dispatches]
