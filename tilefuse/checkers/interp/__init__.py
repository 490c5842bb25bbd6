"""NumPy interpreters for tilefuse's stage snapshots (tensor level) and the host program around them."""

from .program import run_program
from .tensor import Interpreter

__all__ = ["Interpreter", "run_program"]
