"""The SIMT interpreter: a dispatch's final MLIR run on a CPU thread by thread, with a race detector."""

from .machine import SimtInterpreter
from .memory import Race

__all__ = ["Race", "SimtInterpreter"]
