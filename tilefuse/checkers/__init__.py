"""Numerics checks: the thread-level interpreter (simt/), the error bound (bound.py) and `verify` (verify.py),
which runs them and the tensor interpreter (tilefuse/interp/, a layer below codegen) on a compile's snapshots."""
