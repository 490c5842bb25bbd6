// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/stock.mlir \
// RUN:   --transform-interpreter=entry-point=stock_vectorize %S/Inputs/before-vectorize.mlir | FileCheck %s

// The loop now carries vectors; the softmax reductions are vector.multi_reduction and promoted
// operands go through workgroup allocations guarded by value barriers.
// CHECK:     bufferization.alloc_tensor
// CHECK:     scf.for {{.*}} -> (vector<1x64x64xf32>, vector<1x64xf32>, vector<1x64xf32>)
// CHECK:       iree_gpu.value_barrier
// CHECK:       iree_codegen.inner_tiled {{.*}} : vector<
// CHECK:       vector.multi_reduction <maximumf>
// CHECK:       vector.multi_reduction <add>
// CHECK:       iree_codegen.inner_tiled {{.*}} : vector<
