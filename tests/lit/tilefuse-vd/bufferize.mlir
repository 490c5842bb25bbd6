// tilefuse-vd's bufferize is stock's sequence.
// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/stock.mlir \
// RUN:   --transform-interpreter=entry-point=stock_bufferize %S/Inputs/before-bufferize.mlir | FileCheck %s

// No tensor is left: the foralls have no shared_outs, the tiles are subviews of the bindings, and nothing is
// allocated (vector values stay registers; nothing is shared between subgroups).
// CHECK-NOT: tensor.empty
// CHECK-NOT: iree_codegen.load_from_buffer
// CHECK:     scf.forall ({{.*}}) = (0, 0) to (2, 128) step (1, 64) {
// CHECK:       memref.subview {{.*}} [1, 64, 64] [1, 1, 1]
// CHECK:       scf.forall ({{.*}}) = (0) to (64) step (16) {
// CHECK:         scf.for {{.*}} -> (vector<1x16x64xf32>, vector<1x16xf32>, vector<1x16xf32>)
// CHECK:     } {mapping = [#gpu.warp<linear_dim_0>]}
// CHECK-NOT: tensor<
// CHECK-NOT: memref.alloc
