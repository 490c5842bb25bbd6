// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/stock.mlir \
// RUN:   --transform-interpreter=entry-point=stock_anchor_layouts %S/Inputs/before-anchor-layouts.mlir | FileCheck %s

// Both matmuls become intrinsic ops on packed operands, with layouts anchored by to_layout.
// CHECK:     scf.for
// CHECK:       iree_vector_ext.to_layout
// CHECK:       iree_codegen.inner_tiled ins({{.*}}) outs({{.*}})
// CHECK-SAME:    kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16
// CHECK:       iree_codegen.inner_tiled ins({{.*}}) outs({{.*}})
// CHECK-SAME:    kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16
