"""Targets: a chip's iree-compile flags and the facts IREE's #iree_gpu.target gives for them, the machine numbers
IREE does not expose (machines.py), and running IREE's tools (iree_tools.py)."""
