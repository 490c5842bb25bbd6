// S6 of the tilefuse-vd path, on its S5 output (piped: the tilefuse path's snapshots are the lane stage's).
// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/tilefuse.mlir \
// RUN:   --transform-interpreter=entry-point=tilefuse_thread_distribute_wave64 %S/Inputs/vd/05-decompose.mlir \
// RUN: | %iree-opt --transform-preload-library=transform-library-paths=%transforms/tilefuse.mlir \
// RUN:   --transform-interpreter=entry-point=tilefuse_lower_rocdl | FileCheck %s

// Intrinsic ops unrolled to hardware MFMAs (16 for QK + 16 for PV per 64-key step and subgroup).
// CHECK-NOT: iree_codegen.inner_tiled
// CHECK:     scf.for
// CHECK-COUNT-32: amdgpu.mfma
// CHECK-NOT: iree_codegen.inner_tiled
