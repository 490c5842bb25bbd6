// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/tilefuse.mlir \
// RUN:   --transform-interpreter=entry-point=tilefuse_thread_distribute %S/Inputs/05-decompose.mlir | FileCheck %s

// S5: the subgroup forall is gone (each subgroup's row block is indexed by thread_id / 64), vectors are
// per-lane fragments, the row max and row sum are cross-lane subgroup reductions, and nothing is placed
// in workgroup memory: no buffer is shared between subgroups.
// CHECK-NOT: memref.alloc
// CHECK:     gpu.thread_id x
// CHECK-NOT: #gpu.warp
// CHECK:     affine.delinearize_index %{{.*}} into (4, 64)
// CHECK:     scf.for {{.*}} -> (vector<1x1x4x1x1x1x1x1x4xf32>, vector<1x1x1x1x1x1xf32>, vector<1x1x1x1x1x1xf32>)
// CHECK:       iree_codegen.inner_tiled
// CHECK:       gpu.subgroup_reduce maximumf {{.*}} cluster(size = 4, stride = 16)
// CHECK:       gpu.subgroup_reduce add {{.*}} cluster(size = 4, stride = 16)
// CHECK:       iree_codegen.inner_tiled
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref<{{.*}}#gpu.address_space<workgroup>>
