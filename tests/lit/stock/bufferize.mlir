// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/stock.mlir \
// RUN:   --transform-interpreter=entry-point=stock_bufferize %S/Inputs/before-bufferize.mlir | FileCheck %s

// Tensors are gone; Q, K and V tiles live in workgroup memory, separated by barriers.
// CHECK-NOT: tensor<
// CHECK:     memref.alloc() : memref<1x64x64xf16, #gpu.address_space<workgroup>>
// CHECK:     scf.forall
// CHECK:       scf.for
// CHECK:         gpu.barrier
// CHECK:         vector.transfer_write {{.*}} memref<1x64x64xf16, #gpu.address_space<workgroup>>
// CHECK-NOT: tensor<
