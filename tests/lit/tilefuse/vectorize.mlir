// The tilefuse path's vectorize: stock's, after the cleanup stock's anchor-layouts ends with.
// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/tilefuse.mlir,%transforms/stock.mlir \
// RUN:   --transform-interpreter=entry-point=tilefuse_vectorize %S/Inputs/09-thread-distribute.mlir | FileCheck %s

// No linalg op is left: inside the lane forall (still on tensors) each lane reads its fragments into vectors,
// the K2 loop carries the lane's vector fragments, the intrinsic ops act on vectors.
// CHECK-NOT: linalg.generic
// CHECK:     scf.forall ({{.*}}) = (0) to (64) step (16) shared_outs
// CHECK:       scf.forall ({{.*}}) in (64) shared_outs({{.*}}) -> (tensor<
// CHECK:         vector.transfer_read {{.*}} : tensor<{{.*}}>, vector<
// CHECK:         scf.for {{.*}} -> (vector<{{.*}}xf32>, vector<{{.*}}xf32>, vector<{{.*}}xf32>)
// CHECK:           iree_codegen.inner_tiled {{.*}} : vector<
// CHECK:           gpu.subgroup_reduce maximumf
// CHECK:           gpu.subgroup_reduce add
// CHECK:           iree_codegen.inner_tiled {{.*}} : vector<
// CHECK:       } {mapping = [#iree_gpu.lane_id<0>]
// CHECK:     } {mapping = [#gpu.warp<linear_dim_0>]}
// CHECK-NOT: linalg.generic
