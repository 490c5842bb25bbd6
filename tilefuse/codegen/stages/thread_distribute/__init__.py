"""The thread-distribute stage of the tilefuse path, at tensor level: each subgroup's work becomes one lane-mapped
scf.forall whose iterations are the subgroup's lanes, every tensor inside it a lane's fragment
(tilefuse/ir/lane_layout.py). A Python pass because the transform dialect has no op that retypes a region onto lane
fragments. design/tilefuse-path.md, section S5.

- analysis.py: the lane layout of every tensor value of a subgroup's code (pure; refuses a value needed in two
  layouts);
- rewrites.py: one rewrite per op kind onto fragments (matmuls -> distributed iree_codegen.inner_tiled,
  elementwise generics retyped, reductions across lanes -> partial + gpu.subgroup_reduce + combine, ...);
- layout_change.py: a fragment moved to another lane layout by lane shuffles (the P operand on RDNA3 WMMA);
- fragments.py: the state the rewrites share (the lane's coordinates and windows, replaced values);
- walker.py: the stage entry point, which builds the lane forall and calls the rewrite of each op's kind.
"""

from .walker import distribute_to_lanes

__all__ = ["distribute_to_lanes"]
