// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/stock.mlir \
// RUN:   --transform-interpreter=entry-point=stock_workgroup_tile %S/Inputs/before-workgroup-tile.mlir | FileCheck %s

// One workgroup-mapped forall holds the undecomposed op and its consumer (consumer fusion).
// CHECK:     scf.forall ({{.*}}) = (0, 0) to (2, 128) step (1, 64)
// CHECK-NOT:   scf.forall
// CHECK:       iree_linalg_ext.online_attention
// CHECK:       linalg.generic
// CHECK:         arith.divf
// CHECK:       scf.forall.in_parallel
// CHECK:     } {mapping = [#iree_codegen.workgroup_mapping<y>, #iree_codegen.workgroup_mapping<x>]}
// CHECK:     iree_codegen.store_to_buffer
