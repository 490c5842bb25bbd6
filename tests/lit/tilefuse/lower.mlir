// The tilefuse path's lower is stock's sequence, on the share-kv snapshot.
// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/stock.mlir \
// RUN:   --transform-interpreter=entry-point=stock_lower_rocdl %S/Inputs/13-share-kv.mlir | FileCheck %s

// The intrinsic ops unrolled to hardware MFMAs (16 for QK + 16 for PV per 64-key step and subgroup), between
// the two barriers that guard the shared K/V buffers (padded against bank conflicts: 64 -> 68 halves a row).
// CHECK-COUNT-2: memref.alloc() : memref<1x64x68xf16, #gpu.address_space<workgroup>>
// CHECK:     scf.for {{.*}} -> (vector<{{.*}}xf32>, vector<{{.*}}xf32>, vector<{{.*}}xf32>)
// CHECK:       gpu.barrier
// CHECK-COUNT-16: amdgpu.mfma
// CHECK:       gpu.subgroup_reduce maximumf
// CHECK:       gpu.subgroup_reduce add
// CHECK-COUNT-16: amdgpu.mfma
// CHECK:       gpu.barrier
// CHECK:     vector.transfer_write
// CHECK-NOT: iree_codegen.inner_tiled
