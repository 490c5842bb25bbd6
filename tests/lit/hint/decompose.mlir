// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/stock.mlir \
// RUN:   --transform-interpreter=entry-point=stock_decompose %S/Inputs/before-decompose.mlir | FileCheck %s

// IREE's own decomposition marks the two matmuls (it copies qk_attrs / pv_attrs onto them): the 2024 hints,
// and nothing else — no MMA config on any op.
// CHECK-NOT: mma_kind
// CHECK:     linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction", "parallel"]
// CHECK-SAME:  attrs = {attention_qk_matmul}
// CHECK:     math.exp2
// CHECK:     linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction", "parallel"]
// CHECK-SAME:  attrs = {attention_pv_matmul}
// CHECK-NOT: mma_kind
