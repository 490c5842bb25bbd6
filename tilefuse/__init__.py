"""tilefuse: TileAndFuse-style attention codegen on IREE 3.13, stage by stage."""

from pathlib import Path

# transforms/ sits beside the package in the source tree; an editable install keeps it there.
TRANSFORMS_DIR = Path(__file__).resolve().parent.parent / "transforms"
