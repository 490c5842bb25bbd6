"""split-k2's form for keys of run-time length (codegen/stages/split_k2.py): the attention of each range of keys
inside an scf.forall over the ranges with IREE's split-reduction mapping, which IREE forms into one dispatch and
folds into the workgroup ids after the hand-off (reconcile-translation-info). What the program stage writes and
configure reads of it."""

from __future__ import annotations

import iree.compiler.ir as ir
from iree.compiler.dialects import tensor

from ..ir.irutil import ops_named

SPLIT_MAPPING = "#iree_linalg_ext.split_reduction_mapping<0>"


def _is_split_forall(op) -> bool:
    return (op is not None and op.name == "scf.forall" and "mapping" in op.attributes
            and str(op.attributes["mapping"]) == f"[{SPLIT_MAPPING}]")


def range_splits(op: ir.Operation) -> int | None:
    """The number of ranges the split forall around `op` runs (its static trip count); None outside one."""
    parent = op.parent
    while parent is not None and not _is_split_forall(parent):
        parent = parent.parent
    if parent is None:
        return None
    (upper,) = ir.DenseI64ArrayAttr(parent.attributes["staticUpperBound"])
    return upper


def whole_range_inserts(module: ir.Module) -> None:
    """Each range's partials inserted whole into the split forall's outputs: IREE's front end drops their unit
    dims (a collapse_shape before a rank-reducing parallel_insert_slice), and bufferization cannot write the
    workgroup forall's result in place through that reshape: it copies it through a private buffer, per thread
    (wrong). The collapse only drops unit dims, so its source fits the same slice."""
    for insert in ops_named(module, "tensor.parallel_insert_slice"):
        collapse = insert.operands[0].owner
        if not _is_split_forall(insert.parent.parent) or not isinstance(collapse, (ir.Operation, ir.OpView)) \
                or collapse.name != "tensor.collapse_shape":
            continue
        view = insert.opview
        with ir.InsertionPoint(insert), insert.location:
            tensor.ParallelInsertSliceOp(collapse.operands[0], view.dest, view.offsets, view.sizes, view.strides,
                                         view.static_offsets, view.static_sizes, view.static_strides)
        insert.erase()
        if not list(collapse.results[0].uses):
            collapse.erase()
