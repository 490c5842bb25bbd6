"""tilefuse: TileAndFuse-style attention codegen on IREE 3.13, stage by stage."""

from importlib.resources import files
from pathlib import Path

# The transform libraries are package data (tilefuse/transforms/*.mlir): the same files in a source tree, an
# editable install and a wheel. IREE's tools read them by file name, so the package is installed unzipped.
TRANSFORMS_DIR = Path(str(files(__name__) / "transforms"))
