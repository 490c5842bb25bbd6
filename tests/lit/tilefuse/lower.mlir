// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/tilefuse.mlir \
// RUN:   --transform-interpreter=entry-point=tilefuse_lower_rocdl %S/Inputs/06-thread-distribute.mlir | FileCheck %s

// S6: intrinsic ops unrolled to hardware MFMAs (16 for QK + 16 for PV per 64-key step and subgroup).
// CHECK-NOT: iree_codegen.inner_tiled
// CHECK:     scf.for
// CHECK-COUNT-32: amdgpu.mfma
// CHECK-NOT: iree_codegen.inner_tiled
