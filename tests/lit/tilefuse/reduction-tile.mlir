// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/tilefuse.mlir,%transforms/stock.mlir \
// RUN:   --transform-interpreter=entry-point=tilefuse_reduction_tile %S/Inputs/before-reduction-tile.mlir | FileCheck %s

// S3: each subgroup runs its own K2 loop (64 keys a step) carrying its 16 rows of (acc, max, sum); the
// op is still undecomposed and the normalisation follows the loop inside the subgroup forall.
// CHECK:     scf.forall
// CHECK:       scf.forall ({{.*}}) = (0) to (64) step (16)
// CHECK:         scf.for {{.*}} = %c0 to %c128 step %c64 iter_args({{.*}}) -> (tensor<1x16x64xf32>, tensor<1x16xf32>, tensor<1x16xf32>)
// CHECK:           iree_linalg_ext.online_attention
// CHECK-SAME:        tensor<1x16x64xf16>, tensor<1x64x64xf16>, tensor<1x64x64xf16>
// CHECK:         linalg.generic
// CHECK:           arith.divf
// CHECK:       } {mapping = [#gpu.warp<linear_dim_0>]}
