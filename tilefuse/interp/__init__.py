"""NumPy interpreters for tilefuse's stage snapshots (tensor level) and the host program around them."""

from .core import Interpreter
from .program import run_program
from .values import Unsupported

__all__ = ["Interpreter", "Unsupported", "run_program"]
