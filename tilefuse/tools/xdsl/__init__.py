"""tilefuse <-> xDSL: an xDSL context that reads every tilefuse snapshot, and the path stages as xDSL passes.

    from tilefuse.tools.xdsl import parse_snapshot, print_for_iree, roundtrip
    module = parse_snapshot(open("07-decompose.mlir").read())     # xdsl ModuleOp (IREE converts to generic first)
    text = print_for_iree(module)                                  # generic form iree-opt reads
    assert roundtrip(open("07-decompose.mlir").read())             # IREE's prints before/after agree

`python -m tilefuse.tools.xdsl.generic SNAPSHOT` prints a snapshot in generic form (what xdsl-opt reads):

    python -m tilefuse.tools.xdsl.generic S.mlir | xdsl-opt --allow-unregistered-dialect --print-op-generic \
        -p 'tilefuse-stage{path=tilefuse target=gfx942 stage=thread-distribute}'

Importing this package applies the xDSL 0.74 workaround in `patches.py` (hex float splats).
"""

from .interchange import (
    InterchangeError,
    RoundTrip,
    iree_generic,
    iree_parse,
    iree_print,
    make_context,
    parse_generic,
    parse_snapshot,
    print_for_iree,
    roundtrip,
    roundtrip_generic,
    to_generic,
)

__all__ = ["InterchangeError", "RoundTrip", "iree_generic", "iree_parse", "iree_print", "make_context", "parse_generic", "parse_snapshot",
           "print_for_iree", "roundtrip", "roundtrip_generic", "to_generic"]
