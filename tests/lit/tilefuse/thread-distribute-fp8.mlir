// The thread-distribute stage (tilefuse/codegen/stages/thread_distribute/) on fp8 Q/K/V for sm_89 (mma.sync
// 16x8x32, after encode-fp8): P, QK's accumulator, holds in lane t (t = lane % 4) keys 8o + 2t + e (o < 8, e < 2)
// of a 64-key tile, where the intrinsic's LHS takes 16o + 4t + e (o < 4, e < 4) in the same register slots. PV's K
// is a reduction: P stays in its registers and both PV operands read their keys in the accumulator's order, so V's
// keys are laid out 8 x 4 lanes x 2 (not K's 4 x 4 x 4 for QK's own K1) and each lane reads its 8 x 2 keys.
// RUN: %tilefuse stage thread-distribute --path tilefuse --target sm_89 %S/Inputs/fp8/before-thread-distribute.mlir | FileCheck %s

// QK's K (K1 = 64 columns of Q and K) in the intrinsic's own order: 4 x 4 lanes x 4
// CHECK:       tensor.expand_shape {{.+}} output_shape [1, 1, 1, 2, 8, 1, 4, 4, 4] : tensor<1x16x64xf8E4M3FN>
// CHECK:       tensor.expand_shape {{.+}} output_shape [1, 1, 1, 8, 8, 1, 4, 4, 4] : tensor<1x64x64xf8E4M3FN>
// V's keys in P's order: 8 x 4 lanes (stride 1) x 2
// CHECK:       %[[V:.+]] = tensor.expand_shape {{.+}} output_shape [1, 1, 1, 8, 4, 2, 8, 8, 1] : tensor<1x64x64xf8E4M3FN>
// CHECK:       tensor.extract_slice %[[V]][0, 0, 0, 0, %{{.+}}, 0, 0, %{{.+}}, 0] [1, 1, 1, 8, 1, 2, 8, 1, 1]
// CHECK:       iree_codegen.inner_tiled {{.+}} kind = #iree_gpu.mma_layout<NV_MMA_SYNC_F32_16x8x32_F8E4M3FN>
// P's fragment (2 rows x 16 keys per lane, as QK's accumulator left it) is the PV LHS, no shuffle:
// CHECK-NOT:   gpu.shuffle
// CHECK:       vector.shape_cast %{{.+}} : vector<1x2x16xf8E4M3FN> to vector<1x1x2x2x8xf8E4M3FN>
// CHECK:       iree_codegen.inner_tiled {{.+}} kind = #iree_gpu.mma_layout<NV_MMA_SYNC_F32_16x8x32_F8E4M3FN>
