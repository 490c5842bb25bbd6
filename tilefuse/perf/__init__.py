"""Performance facts and an estimate model beside the static ISA counts (design/performance.md).

    launch.py    the launch IREE issues for each export (workgroup count, workgroup size, subgroups)
    ptxas.py     NVIDIA's ptxas on the dumped PTX: real registers and spills (the `cuda-tools` extra)
    work.py      what a dispatch computes and moves, read from its IR (attention shape, tiles, bytes)
    machines.py  the one table of machine constants
    estimate.py  a roofline with occupancy and grid fill: an estimate, never a measurement
"""
