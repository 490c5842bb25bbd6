"""The package as a wheel, not a source tree: subpackages and the transform libraries ship in it, and the CLI
installed from it compiles one problem through every path."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def test_the_wheel_compiles_through_every_path(tmp_path):
    # Built from a copy: setuptools writes build/ into the tree it builds.
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".*", "build", "*.egg-info", "__pycache__", "Output",
                                                             "tilefuse-ab", "*.dump", "*.vmfb"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", tmp_path / "dist", src],
                   check=True, capture_output=True)
    (wheel,) = (tmp_path / "dist").glob("tilefuse-*.whl")
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", site, wheel],
                   check=True, capture_output=True)
    libraries = sorted(p.name for p in (ROOT / "tilefuse" / "codegen" / "transforms").glob("*.mlir"))
    shipped = sorted(p.name for p in (site / "tilefuse" / "codegen" / "transforms").glob("*.mlir"))
    assert libraries and shipped == libraries
    # Outside the source tree, with the wheel's copy first on the path (the project's editable install is later).
    env = {"PYTHONPATH": str(site), "PATH": str(Path(sys.executable).parent)}
    run = lambda *args: subprocess.run([sys.executable, "-m", "tilefuse", *map(str, args)], cwd=tmp_path,  # noqa: E731
                                       env=env, capture_output=True, text=True)
    where = subprocess.run([sys.executable, "-c", "import tilefuse.codegen as c; print(c.__file__, c.TRANSFORMS_DIR)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert all(w.startswith(str(site)) for w in where), where
    assert run("problem", "--suite", "mha_f16_d64", "--small", "-o", "p.mlir").returncode == 0
    for path in ("stock", "hint", "tilefuse", "tilefuse-noshare", "tilefuse-vd", "stock-padded"):
        proc = run("compile", "p.mlir", "--path", path, "-o", f"{path}.vmfb", "--dump-dir", f"{path}.dump")
        assert proc.returncode == 0, (path, proc.stderr[-2000:])
        report = json.loads((tmp_path / f"{path}.dump" / "report.json").read_text())
        assert report["ok"] and report["dispatches"][0]["isa"]["mma_ops"] > 0, path
