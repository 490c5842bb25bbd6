// tilefuse-vd's vectorize is stock's sequence.
// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/stock.mlir \
// RUN:   --transform-interpreter=entry-point=stock_vectorize %S/Inputs/before-vectorize.mlir | FileCheck %s

// No linalg op is left: the K2 loop carries one subgroup's whole vectors (16 rows of acc, max, sum), the
// intrinsic ops and layout anchors act on vectors, the code is still on tensors inside the subgroup forall.
// CHECK-NOT: linalg.generic
// CHECK:     scf.forall ({{.*}}) = (0) to (64) step (16) shared_outs
// CHECK:       scf.for {{.*}} -> (vector<1x16x64xf32>, vector<1x16xf32>, vector<1x16xf32>)
// CHECK:         iree_codegen.inner_tiled {{.*}} : vector<
// CHECK:         vector.multi_reduction
// CHECK:         iree_codegen.inner_tiled {{.*}} : vector<
// CHECK:     } {mapping = [#gpu.warp<linear_dim_0>]}
// CHECK-NOT: linalg.generic
