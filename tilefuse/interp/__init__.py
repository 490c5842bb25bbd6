"""NumPy interpreters for tilefuse's stage snapshots (tensor level) and the host program around them. A layer
of its own, below codegen and beside target and problem (it reads only IR): the checkers run programs on it, and
codegen's unrepeat-kv evaluates a gather's constant index computation with it."""

from .program import run_program
from .tensor import Interpreter

__all__ = ["Interpreter", "run_program"]
