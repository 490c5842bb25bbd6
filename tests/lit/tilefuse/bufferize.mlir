// The tilefuse path's bufferize is stock's sequence.
// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/stock.mlir \
// RUN:   --transform-interpreter=entry-point=stock_bufferize %S/Inputs/10-vectorize.mlir | FileCheck %s

// No tensor is left: the workgroup, subgroup and lane foralls have no shared_outs, each lane reads its K and V
// fragments from subviews of the bindings, and nothing is allocated (the fragments are registers).
// CHECK-NOT: tensor.empty
// CHECK-NOT: iree_codegen.load_from_buffer
// CHECK:     scf.forall ({{.*}}) = (0, 0) to (2, 128) step (1, 64) {
// CHECK:       scf.forall ({{.*}}) = (0) to (64) step (16) {
// CHECK:         scf.forall ({{.*}}) in (64) {
// CHECK:           scf.for {{.*}} -> (vector<{{.*}}xf32>, vector<{{.*}}xf32>, vector<{{.*}}xf32>)
// CHECK:             memref.subview {{.*}} [1, 64, 64] [1, 1, 1]
// CHECK:             vector.transfer_read {{.*}} : memref<
// CHECK:         } {mapping = [#iree_gpu.lane_id<0>]
// CHECK:       } {mapping = [#gpu.warp<linear_dim_0>]}
// CHECK-NOT: tensor<
// CHECK-NOT: memref.alloc
