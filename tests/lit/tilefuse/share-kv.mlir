// share-kv is a Python pass (tilefuse/share_kv.py); `tilefuse stage` runs the same function the driver does.
// RUN: %tilefuse stage share-kv --path tilefuse --target gfx942 %S/Inputs/12-map-to-ids.mlir | FileCheck %s

// Both matmuls say promote_operands = [1]: K and V get one workgroup buffer each, at function entry.
// CHECK:     %[[KBUF:.+]] = memref.alloc() : memref<1x64x64xf16, #gpu.address_space<workgroup>>
// CHECK-NEXT: %[[VBUF:.+]] = memref.alloc() : memref<1x64x64xf16, #gpu.address_space<workgroup>>
// The 256 threads in linear order: x + 64 y.
// CHECK-DAG: %[[TX:.+]] = gpu.thread_id x
// CHECK-DAG: %[[TY:.+]] = gpu.thread_id y
// CHECK:     %[[TID:.+]] = affine.apply #{{.+}}(%[[TX]], %[[TY]])
// CHECK:     scf.for %
// Each iteration: every thread copies 2 x 8 contiguous halves of the K tile and of the V tile (global ->
// workgroup), one barrier, the fragment reads from the buffers, the math, one barrier before the next copy.
// CHECK:       %[[KT:.+]] = memref.subview {{.*}} [1, 64, 64] [1, 1, 1]
// CHECK:       %[[VT:.+]] = memref.subview {{.*}} [1, 64, 64] [1, 1, 1]
// CHECK:       vector.transfer_read %[[KT]]{{.*}}, vector<8xf16>
// CHECK-NEXT:  vector.transfer_write {{.*}}, %{{.*}} : vector<8xf16>, memref<1x64x64xf16, #gpu.address_space<workgroup>>
// CHECK:       vector.transfer_read %[[KT]]{{.*}}, vector<8xf16>
// CHECK-NEXT:  vector.transfer_write {{.*}} : vector<8xf16>, memref<1x64x64xf16, #gpu.address_space<workgroup>>
// CHECK:       vector.transfer_read %[[VT]]{{.*}}, vector<8xf16>
// CHECK-NEXT:  vector.transfer_write {{.*}}, %{{.*}} : vector<8xf16>, memref<1x64x64xf16, #gpu.address_space<workgroup>>
// CHECK:       vector.transfer_read %[[VT]]{{.*}}, vector<8xf16>
// CHECK-NEXT:  vector.transfer_write {{.*}} : vector<8xf16>, memref<1x64x64xf16, #gpu.address_space<workgroup>>
// CHECK-NEXT:  gpu.barrier
// CHECK-NOT:   #amdgpu.address_space<fat_raw_buffer>>, vector<1x
// CHECK:       memref.expand_shape %[[KBUF]] {{.*}} #gpu.address_space<workgroup>>
// CHECK:       memref.expand_shape %[[VBUF]] {{.*}} #gpu.address_space<workgroup>>
// CHECK:       iree_codegen.inner_tiled
// CHECK:       iree_codegen.inner_tiled
// CHECK:       gpu.barrier
// CHECK-NEXT:  scf.yield
