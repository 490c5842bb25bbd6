// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/stock.mlir \
// RUN:   --transform-interpreter=entry-point=stock_lower_rocdl %S/Inputs/before-lower.mlir | FileCheck %s

// Intrinsic ops are unrolled and lowered to the hardware instruction (32 MFMAs per K2 step here).
// CHECK-NOT: iree_codegen.inner_tiled
// CHECK:     scf.for
// CHECK-COUNT-32: amdgpu.mfma
// CHECK-NOT: iree_codegen.inner_tiled
