// tilefuse-vd's thread-distribute: IREE's vector distribution over one subgroup's 64 lanes. Its sequence takes
// the lane count as parameters; Inputs/tilefuse_thread_distribute_gfx942.mlir binds them (what tilefuse does
// for the target, tilefuse.codegen.transform.bind_params), preloaded after the library defining the sequence.
// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/tilefuse.mlir,%transforms/stock.mlir,%S/Inputs/tilefuse_thread_distribute_gfx942.mlir \
// RUN:   --transform-interpreter=entry-point=tilefuse_thread_distribute_gfx942 %S/Inputs/before-thread-distribute.mlir | FileCheck %s

// No layout is left to distribute: vectors are per-lane fragments indexed by thread_id x (the lane), the row
// max and row sum are cross-lane subgroup reductions; the block size is the true one again ([64 lanes,
// 4 subgroups]) and the subgroup forall is still there (map-to-ids resolves it).
// CHECK-NOT: iree_vector_ext.to_layout
// CHECK:     func.func {{.*}}gpu.known_block_size = array<i32: 64, 4, 1>
// CHECK:     gpu.thread_id x upper_bound 64
// CHECK-NOT: gpu.thread_id y
// CHECK:     scf.forall ({{.*}}) = (0) to (64) step (16) {
// CHECK:       scf.for {{.*}} -> (vector<1x1x4x1x1x1x1x1x4xf32>, vector<1x1x1x1x1x1xf32>, vector<1x1x1x1x1x1xf32>)
// CHECK:         iree_codegen.inner_tiled
// CHECK:         gpu.subgroup_reduce maximumf {{.*}} cluster(size = 4, stride = 16)
// CHECK:         gpu.subgroup_reduce add {{.*}} cluster(size = 4, stride = 16)
// CHECK:         iree_codegen.inner_tiled
// CHECK:     } {mapping = [#gpu.warp<linear_dim_0>]}
// CHECK-NOT: iree_vector_ext.to_layout
