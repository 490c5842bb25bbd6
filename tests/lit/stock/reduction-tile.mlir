// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/stock.mlir \
// RUN:   --transform-interpreter=entry-point=stock_reduction_tile %S/Inputs/before-reduction-tile.mlir | FileCheck %s

// K2 becomes a serial loop inside the workgroup forall, carrying (acc, max, sum); still undecomposed.
// CHECK:     scf.forall
// CHECK:       scf.for {{.*}} = %c0 to %c128 step %c64 iter_args({{.*}}) -> (tensor<1x64x64xf32>, tensor<1x64xf32>, tensor<1x64xf32>)
// CHECK:         iree_linalg_ext.online_attention
// CHECK-SAME:      tensor<1x64x64xf16>, tensor<1x64x64xf16>, tensor<1x64x64xf16>
// CHECK:         scf.yield
// CHECK:       linalg.generic
// CHECK:     mapping = [#iree_codegen.workgroup_mapping<y>, #iree_codegen.workgroup_mapping<x>]
