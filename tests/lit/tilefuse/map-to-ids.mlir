// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/tilefuse.mlir \
// RUN:   --transform-interpreter=entry-point=tilefuse_map_to_ids %S/Inputs/11-bufferize.mlir | FileCheck %s

// The lane forall resolved onto gpu.lane_id and the subgroup forall onto thread_id y; the K2 loop carries
// vectors (registers) and reads each lane's K and V fragments straight from the global tile. Nothing is in
// workgroup memory yet (share-kv puts K and V there).
// CHECK-NOT: memref.alloc
// CHECK:     %[[SG:.+]] = gpu.thread_id y
// CHECK-NOT: #iree_gpu.lane_id
// CHECK-NOT: #gpu.warp
// CHECK:     affine.apply #{{.+}}()[%[[SG]]]
// CHECK:     gpu.lane_id upper_bound 64
// CHECK:     scf.for {{.*}} -> (vector<{{.*}}xf32>, vector<{{.*}}xf32>, vector<{{.*}}xf32>)
// CHECK:       %[[K:.+]] = memref.subview %{{.+}}[%{{.+}}, %{{.+}}, 0] [1, 64, 64] [1, 1, 1]
// CHECK-SAME:    #amdgpu.address_space<fat_raw_buffer>>
// CHECK:       memref.expand_shape %[[K]]
// CHECK:       vector.transfer_read
// CHECK:       iree_codegen.inner_tiled {{.*}}semantics = #iree_gpu.mma_semantics<distributed = true
// CHECK:       gpu.subgroup_reduce maximumf
// CHECK:       gpu.subgroup_reduce add
// CHECK:       iree_codegen.inner_tiled {{.*}}semantics = #iree_gpu.mma_semantics<distributed = true
// CHECK-NOT: #iree_gpu.lane_id
// CHECK-NOT: #gpu.warp
// CHECK-NOT: memref<{{.*}}#gpu.address_space<workgroup>>
