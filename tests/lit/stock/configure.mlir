// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/stock.mlir \
// RUN:   --transform-interpreter=entry-point=stock_configure %S/Inputs/before-configure.mlir | FileCheck %s

// IREE's configuration picks VectorDistribute, turns attention into online_attention and puts the
// whole schedule on the op: workgroup/reduction tiles plus one MMA config per matmul.
// CHECK:     #[[TI:.+]] = #iree_codegen.translation_info<pipeline = #iree_gpu.pipeline<VectorDistribute> workgroup_size = [256, 1, 1] subgroup_size = 64
// CHECK:     func.func @{{.*}}attention{{.*}} attributes {translation_info = #[[TI]]}
// CHECK-NOT:   iree_linalg_ext.attention
// CHECK:       iree_linalg_ext.online_attention
// CHECK-SAME:    decomposition_config = {pv_attrs = {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16
// CHECK-SAME:    qk_attrs = {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16
// CHECK-SAME:    lowering_config = #iree_gpu.lowering_config<{{.*}}reduction = [0, 0, 0, 64, 0], workgroup = [1, 64, 0, 0, 64]}>
// The normalisation (divide by the row sum, truncate) is a separate consumer op.
// CHECK:       linalg.generic
// CHECK:         arith.divf
// CHECK:         arith.truncf
// CHECK:       iree_codegen.store_to_buffer
