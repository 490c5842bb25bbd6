"""Regenerates the stage-test inputs: the snapshots of a small problem (1x2 heads, 128x128, d=64, f16).

    python tests/update_lit_inputs.py    # then review `git diff tests/lit`

Each stage's test feeds the snapshot taken *before* that stage to `iree-opt` with the stage's sequence.
"""

import shutil
import sys
import tempfile
from pathlib import Path

from tilefuse.driver import compile_file
from tilefuse.problem import AttentionProblem

LIT_PROBLEM = AttentionProblem(name="lit_small", batch=1, heads=2, m=128, k2=128, k1=64)


def main() -> int:
    here = Path(__file__).resolve().parent / "lit"
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "lit_small.mlir"
        src.write_text(LIT_PROBLEM.to_mlir())
        # tilefuse-vd's inputs differ from tilefuse's from configure on (it shares no K/V tiles); its lit tests
        # read its decompose snapshot from tilefuse/Inputs/vd.
        for path in ("stock", "hint", "tilefuse", "tilefuse-vd"):
            report = compile_file(src, "gfx942", path, Path(tmp) / f"{path}.vmfb", Path(tmp) / path)
            if not report.ok:
                print(report.error, file=sys.stderr)
                return 1
            (dispatch,) = report.dispatches
            inputs = here / "tilefuse" / "Inputs" / "vd" if path == "tilefuse-vd" else here / path / "Inputs"
            shutil.rmtree(inputs, ignore_errors=True)
            inputs.mkdir(parents=True)
            snaps = sorted((Path(tmp) / path / "stages" / dispatch.name).glob("*.mlir"))[:-1]  # the last is no input
            if path == "tilefuse-vd":
                snaps = [s for s in snaps if s.name.endswith("-decompose.mlir")]
            for snap in snaps:
                shutil.copy(snap, inputs / snap.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
