// The configure stage is a Python pass (tilefuse/codegen/hint.py); this checks what it leaves for the next stages:
// the MMA schedule at function level, the op's decomposition_config reduced to the two 2024 markers.
// RUN: %tilefuse stage configure --path hint --target gfx942 %S/Inputs/before-configure.mlir | FileCheck %s

// CHECK:     #[[TI:.+]] = #iree_codegen.translation_info<pipeline = #iree_gpu.pipeline<VectorDistribute>
// CHECK-SAME:  mma_schedule = {intrinsic = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, subgroup_m_count = 4 : i64, subgroup_n_count = 1 : i64}
// CHECK:     func.func @{{.*}} attributes {translation_info = #[[TI]]}
// CHECK:       iree_linalg_ext.online_attention
// CHECK-SAME:    decomposition_config = {pv_attrs = {attention_pv_matmul}, qk_attrs = {attention_qk_matmul}}
// CHECK-NOT:     mma_kind
// CHECK-SAME:    lowering_config = #iree_gpu.lowering_config<{promote_operands = [0, 1, 2]
