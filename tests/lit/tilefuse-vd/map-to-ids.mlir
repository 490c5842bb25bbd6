// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/tilefuse.mlir,%transforms/stock.mlir \
// RUN:   --transform-interpreter=entry-point=tilefuse_map_to_ids %S/Inputs/before-map-to-ids.mlir | FileCheck %s

// tilefuse-vd's map-to-ids (the same sequence as the tilefuse path's). The workgroup is [64 lanes, 4
// subgroups]. The subgroup forall is gone: each subgroup's row block is offset by thread_id y, and every lane
// index is made from thread_id x alone (no thread_id y in the lane math, no store guarded to one subgroup).
// Nothing is placed in workgroup memory: no buffer is shared between subgroups.
// CHECK-NOT: memref.alloc
// CHECK:     func.func {{.*}}gpu.known_block_size = array<i32: 64, 4, 1>
// CHECK:     %[[SG:.+]] = gpu.thread_id y
// CHECK:     %[[LANE:.+]] = gpu.thread_id x upper_bound 64
// CHECK-NOT: #gpu.warp
// CHECK:     affine.apply #{{.+}}()[%[[SG]]]
// CHECK:     affine.delinearize_index %[[LANE]] into (4, 16)
// CHECK-NOT: %[[SG]]
// CHECK:     scf.for {{.*}} -> (vector<1x1x4x1x1x1x1x1x4xf32>, vector<1x1x1x1x1x1xf32>, vector<1x1x1x1x1x1xf32>)
// CHECK:       iree_codegen.inner_tiled
// CHECK:       iree_codegen.inner_tiled
// CHECK-NOT: scf.if
// CHECK:     vector.transfer_write
// CHECK-NOT: scf.forall
// CHECK-NOT: memref<{{.*}}#gpu.address_space<workgroup>>
