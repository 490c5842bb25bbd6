// tilefuse-vd's anchor-layouts is stock's sequence, on the decomposed op inside the subgroup forall.
// RUN: %iree-opt --transform-preload-library=transform-library-paths=%transforms/stock.mlir \
// RUN:   --transform-interpreter=entry-point=stock_anchor_layouts %S/Inputs/before-anchor-layouts.mlir | FileCheck %s

// Each matmul's mma_kind becomes layout anchors on its operands and result, and the matmuls are packed to
// intrinsic ops, still on tensors, still one subgroup's work inside the #gpu.warp forall.
// CHECK-NOT: iree_vector_ext.to_layout
// CHECK:     scf.forall ({{.*}}) = (0) to (64) step (16)
// CHECK:       iree_vector_ext.to_layout {{.*}} : tensor<1x16x64xf16>
// CHECK:       scf.for
// CHECK:         iree_codegen.inner_tiled {{.*}}kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16
// CHECK-SAME:      : tensor<
// CHECK:         iree_codegen.inner_tiled {{.*}}kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16
// CHECK:     } {mapping = [#gpu.warp<linear_dim_0>]}
