// The anchor-layouts stage is Python (hint reading, tilefuse/codegen/hint.py) plus IREE's anchoring; this checks its
// output: the marked QK matmul got the attention variant of the function-level intrinsic, the marked PV matmul
// the intrinsic itself, subgroups from the schedule's M count, and IREE anchored both as intrinsic ops.
// IREE's pack-to-intrinsics rebuilds the matmuls: lowering_config survives, the hint attributes do not — in
// 3.13 the hints only live long enough because the anchoring decision is taken right before that rewrite.
// RUN: %tilefuse stage anchor-layouts --path hint --target gfx942 %S/Inputs/before-anchor-layouts.mlir | FileCheck %s

// CHECK-NOT: attention_qk_matmul
// CHECK:     iree_codegen.inner_tiled {{.*}}, kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, semantics
// CHECK-SAME:  lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, promote_operands = [0, 1], {{.*}}subgroup_basis = {{\[\[}}1, 4, 1, 1], [0, 1, 2, 3]]}>
// CHECK:     iree_codegen.inner_tiled {{.*}}, kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, semantics
// CHECK-SAME:  promote_operands = [1]
// CHECK-NOT: attention_pv_matmul
