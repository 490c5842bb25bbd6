"""Program stage `pack-query-groups` of the tilefuse paths (GQA packing): an attention with several query dims
whose innermost one does not fill the MMA rows (a GQA decode: Q (b, h_kv, g, m=1, d) against K/V (b, h_kv, k2,
d)) gets its query dims merged into one before pad-to-tiles pads it:

    Q, O (and a mask over the query dims)  --collapse_shape-->  (b, h_kv, g*m, d)
    attention                                                    one query dim of g*m rows
    result                                 --expand_shape-->    (b, h_kv, g, m, d)

so the 4 heads of a group are 4 rows of one 16-row MMA tile (pad-to-tiles pads g*m to 16), not 4 tiles of one
real row each, and each K/V tile is read once per group. A Python stage: no transform op reshapes an
attention's iteration space. Why: design/tilefuse-path.md, "Decode".
"""

from __future__ import annotations

import math

import iree.compiler.ir as ir

from .heuristics import mma_rows
from .irutil import indexing_maps, walk
from .merge_dims import merge_dims, packable
from .program_stage import rewrite_attention_ops


def pack_query_groups(module: ir.Module, stage_ctx) -> None:
    def pack(op, shape):
        rows = mma_rows(shape, stage_ctx.target)
        if (len(shape.m) > 1 and shape.sizes[shape.m[-1]] % rows and packable(indexing_maps(op), shape.m)
                and not any(o.name == "iree_linalg_ext.index" for o in walk(op))):
            merge_dims(op, shape.m)
            return {"query_dims": [shape.sizes[d] for d in shape.m], "packed_rows": math.prod(
                shape.sizes[d] for d in shape.m)}
        return None

    rewrite_attention_ops(module, stage_ctx, pack)

