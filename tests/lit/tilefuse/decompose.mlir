// S4 is stock's decompose sequence (decomposition copies qk_attrs / pv_attrs onto the matmuls).
// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/stock.mlir \
// RUN:   --transform-interpreter=entry-point=stock_decompose %S/Inputs/07-causal-peel.mlir | FileCheck %s

// S4: no online_attention is left; exactly the two matmuls carry an MMA config, each its own (from
// qk_attrs and pv_attrs), on one subgroup's 16 rows. Nothing else marks which matmul is which.
// CHECK-NOT: iree_linalg_ext.online_attention
// CHECK:     scf.forall ({{.*}}) = (0) to (64) step (16)
// CHECK:       scf.for
// CHECK:         linalg.generic {{.*}}ins({{.*}} : tensor<1x16x64xf16>, tensor<1x64x64xf16>) outs({{.*}} : tensor<1x16x64xf32>)
// CHECK-SAME:      lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, promote_operands = [1], promotion_types = [#iree_gpu.derived_thread_config], subgroup_basis = {{\[\[}}1, 1, 1, 1, 1], [0, 1, 2, 3]]}>
// CHECK:         arith.maximumf
// CHECK:         math.exp2
// CHECK:         linalg.generic {{.*}}ins({{.*}} : tensor<1x16x64xf16>, tensor<1x64x64xf16>) outs({{.*}} : tensor<1x16x64xf32>)
// CHECK-SAME:      lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, promote_operands = [1], promotion_types = [#iree_gpu.derived_thread_config], subgroup_basis = {{\[\[}}1, 1, 1, 1, 1], [0, 1, 3, 4]]}>
// CHECK:         scf.yield
// CHECK:     } {mapping = [#gpu.warp<linear_dim_0>]}
// CHECK-NOT: mma_kind
// CHECK-NOT: attention_qk_matmul
// CHECK-NOT: attention_pv_matmul
