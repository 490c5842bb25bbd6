// The configure stage is a Python pass (tilefuse/codegen/stages/configure.py); this test checks what it leaves for the
// next stages: the schedule on the op, nothing at function level.
// RUN: %tilefuse stage configure --path tilefuse --target gfx942 %S/Inputs/before-configure.mlir | FileCheck %s

// CHECK:     #[[TI:.+]] = #iree_codegen.translation_info<pipeline = #iree_codegen.no_pipeline workgroup_size = [64, 4, 1] subgroup_size = 64
// CHECK-NOT: mma_schedule
// CHECK:     func.func @{{.*}} attributes {translation_info = #[[TI]]}
// CHECK:       iree_linalg_ext.online_attention
// CHECK-SAME:    decomposition_config = {pv_attrs = {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, promote_operands = [1], promotion_types = [#iree_gpu.derived_thread_config], subgroup_basis = {{\[\[}}1, 1, 1, 1, 1], [0, 1, 3, 4]]}>}
// CHECK-SAME:    qk_attrs = {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, promote_operands = [1], promotion_types = [#iree_gpu.derived_thread_config], subgroup_basis = {{\[\[}}1, 1, 1, 1, 1], [0, 1, 2, 3]]}>}}
// CHECK-SAME:    lowering_config = #iree_gpu.lowering_config<{reduction = [0, 0, 0, 64, 0], subgroup = [0, 16, 0, 0, 0], workgroup = [1, 64, 0, 0, 64]}>
// CHECK-NOT: attention_qk_matmul
// CHECK-NOT: attention_pv_matmul
