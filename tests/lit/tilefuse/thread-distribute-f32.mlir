// The thread-distribute stage (tilefuse/codegen/stages/thread_distribute/) on f32 Q/K/V for gfx942 (MFMA 16x16x4
// f32, col_major): P, QK's accumulator, holds in lane group t (t = lane floordiv 16) keys 16o + 4t + e (o < 4,
// e < 4) of a 64-key tile; the intrinsic's K is 4, one key per lane group. PV's K is a reduction: P stays in its
// registers, PV step j (of 16) takes the lane's slot j, and V's keys are read in that order: 4 x 4 lanes (stride
// 16) x 4, where K's keys (QK's N) are the intrinsic's own 4 x 16 lanes x 1.
// RUN: %tilefuse stage thread-distribute --path tilefuse --target gfx942 %S/Inputs/f32/before-thread-distribute.mlir | FileCheck %s

// K: keys 4 x 16 lanes x 1, K1 (d=16) 4 x 4 lanes x 1
// CHECK:       tensor.expand_shape {{.+}} output_shape [4, 16, 1, 4, 4, 1] : tensor<64x16xf32>
// V: keys in P's order, 4 x 4 lanes x 4; N 1 x 16 lanes x 1
// CHECK:       %[[V:.+]] = tensor.expand_shape {{.+}} output_shape [4, 4, 4, 1, 16, 1] : tensor<64x16xf32>
// CHECK:       tensor.extract_slice %[[V]][0, %{{.+}}, 0, 0, %{{.+}}, 0] [4, 1, 4, 1, 1, 1]
// CHECK:       iree_codegen.inner_tiled {{.+}} kind = #iree_gpu.mma_layout<MFMA_F32_16x16x4_F32, col_major = true>
// P's fragment (16 keys per lane, as QK's accumulator left it) is the PV LHS, one key per step, no shuffle:
// CHECK-NOT:   gpu.shuffle
// CHECK:       vector.shape_cast %{{.+}} : vector<1x16xf32> to vector<1x16x1x1xf32>
// CHECK:       vector.shape_cast %{{.+}} : vector<4x1x4x1x1x1xf32> to vector<16x1x1x1xf32>
// CHECK:       iree_codegen.inner_tiled {{.+}} kind = #iree_gpu.mma_layout<MFMA_F32_16x16x4_F32, col_major = true>
