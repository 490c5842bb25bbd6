// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/stock.mlir \
// RUN:   --transform-interpreter=entry-point=stock_decompose %S/Inputs/before-decompose.mlir | FileCheck %s

// No online_attention is left; the QK matmul carries qk_attrs' config, the PV matmul pv_attrs', and
// the softmax pieces (row max, exp2, row sum, rescale) sit between them.
// CHECK-NOT: iree_linalg_ext.online_attention
// CHECK:     scf.for
// CHECK:       linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction", "parallel"]
// CHECK-SAME:    lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16
// CHECK:       arith.maximumf
// CHECK:       math.exp2
// CHECK:       arith.addf
// CHECK:       linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction", "parallel"]
// CHECK-SAME:    lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16
// CHECK:       scf.yield
// CHECK-NOT: iree_linalg_ext.online_attention
