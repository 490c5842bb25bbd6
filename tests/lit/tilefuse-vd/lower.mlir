// tilefuse-vd's lower is stock's sequence, on its map-to-ids snapshot.
// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/stock.mlir \
// RUN:   --transform-interpreter=entry-point=stock_lower_rocdl %S/Inputs/before-lower.mlir | FileCheck %s

// Intrinsic ops unrolled to hardware MFMAs (16 for QK + 16 for PV per 64-key step and subgroup).
// CHECK-NOT: iree_codegen.inner_tiled
// CHECK:     scf.for
// CHECK-COUNT-32: amdgpu.mfma
// CHECK-NOT: iree_codegen.inner_tiled
