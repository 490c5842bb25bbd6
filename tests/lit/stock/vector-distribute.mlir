// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/stock.mlir \
// RUN:   --transform-interpreter=entry-point=stock_vector_distribute %S/Inputs/before-vector-distribute.mlir | FileCheck %s

// One step from workgroup vectors to per-thread vectors: thread ids appear, the loop carries
// per-thread fragments, and row max / row sum become cross-lane subgroup reductions.
// CHECK:     gpu.thread_id x
// CHECK:     scf.for {{.*}} -> (vector<1x1x4x1x1x1x1x1x4xf32>, vector<1x1x1x1x1x1xf32>, vector<1x1x1x1x1x1xf32>)
// CHECK:       iree_codegen.inner_tiled
// CHECK:       gpu.subgroup_reduce maximumf {{.*}} cluster(size = 4, stride = 16)
// CHECK:       gpu.subgroup_reduce add {{.*}} cluster(size = 4, stride = 16)
// CHECK:       iree_codegen.inner_tiled
// CHECK-NOT: iree_vector_ext.to_layout
