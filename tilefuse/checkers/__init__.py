"""Numerics checks: the tensor (interp/) and thread-level (simt/) interpreters, the error bound (bound.py) and
`verify` (verify.py), which runs them on a compile's snapshots."""
