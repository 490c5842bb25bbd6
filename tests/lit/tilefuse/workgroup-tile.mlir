// S1 is stock's workgroup-tile sequence.
// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/stock.mlir \
// RUN:   --transform-interpreter=entry-point=stock_workgroup_tile %S/Inputs/before-workgroup-tile.mlir | FileCheck %s

// S1: one workgroup forall holds the undecomposed op and its consumer (the normalisation).
// CHECK:     scf.forall ({{.*}}) = (0, 0) to (2, 128) step (1, 64)
// CHECK-NOT:   scf.forall
// CHECK:       iree_linalg_ext.online_attention
// CHECK-SAME:    tensor<1x64x64xf16>, tensor<1x128x64xf16>, tensor<1x128x64xf16>
// CHECK:       linalg.generic
// CHECK:         arith.divf
// CHECK:     } {mapping = [#iree_codegen.workgroup_mapping<y>, #iree_codegen.workgroup_mapping<x>]}
