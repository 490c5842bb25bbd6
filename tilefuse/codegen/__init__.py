"""Code generation: the paths' stage tables (paths.py), the typed config and its heuristic, the transform
libraries (transforms/*.mlir) and their interpreter, and the Python stages (stages/: one module per stage)."""

from importlib.resources import files
from pathlib import Path

# The transform libraries are package data (tilefuse/codegen/transforms/*.mlir): the same files in a source tree,
# an editable install and a wheel. IREE's tools read them by file name, so the package is installed unzipped.
TRANSFORMS_DIR = Path(str(files(__name__) / "transforms"))
