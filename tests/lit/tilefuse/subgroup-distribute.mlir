// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/tilefuse.mlir,%transforms/stock.mlir \
// RUN:   --transform-interpreter=entry-point=tilefuse_subgroup_distribute %S/Inputs/before-subgroup-distribute.mlir | FileCheck %s

// S2: inside the workgroup forall, a subgroup forall over 16-query-row blocks holds the still undecomposed
// op over all 128 keys, and the consumer: each subgroup owns its rows end to end.
// CHECK:     scf.forall ({{.*}}) = (0, 0) to (2, 128) step (1, 64)
// CHECK:       scf.forall ({{.*}}) = (0) to (64) step (16)
// CHECK-NOT:     scf.for
// CHECK:         iree_linalg_ext.online_attention
// CHECK-SAME:      tensor<1x16x64xf16>, tensor<1x128x64xf16>, tensor<1x128x64xf16>
// CHECK:         linalg.generic
// CHECK:           arith.divf
// CHECK:       } {mapping = [#gpu.warp<linear_dim_0>]}
// CHECK:     } {mapping = [#iree_codegen.workgroup_mapping<y>, #iree_codegen.workgroup_mapping<x>]}
