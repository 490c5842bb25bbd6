// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/tilefuse.mlir \
// RUN:   --transform-interpreter=entry-point=tilefuse_lower_lanes_rocdl %S/Inputs/06-thread-distribute.mlir | FileCheck %s

// S6 after the lane stage: vectorized and bufferized, the lane forall resolved onto gpu.lane_id and the subgroup
// forall onto thread_id y; the K2 loop carries vectors (registers), the intrinsic ops are unrolled to hardware
// MFMAs (16 for QK + 16 for PV per 64-key step and subgroup), nothing is placed in workgroup memory.
// CHECK-NOT: memref.alloc
// CHECK:     %[[SG:.+]] = gpu.thread_id y
// CHECK-NOT: #iree_gpu.lane_id
// CHECK:     affine.apply #{{.+}}(%{{.+}})[%[[SG]]]
// CHECK:     gpu.lane_id upper_bound 64
// CHECK:     scf.for {{.*}} -> (vector<{{.*}}xf32>, vector<{{.*}}xf32>, vector<{{.*}}xf32>)
// CHECK-COUNT-16: amdgpu.mfma
// CHECK:       gpu.subgroup_reduce maximumf
// CHECK:       gpu.subgroup_reduce add
// CHECK-COUNT-16: amdgpu.mfma
// CHECK:     vector.transfer_write
// CHECK-NOT: iree_codegen.inner_tiled
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref<{{.*}}#gpu.address_space<workgroup>>
