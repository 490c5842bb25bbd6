// The thread-distribute stage (tilefuse/codegen/stages/thread_distribute/) on an fp8 KV cache at head dim 16 for
// sm_89 (f16 mma.sync 16x8x16 after widen-kv's integer decode): a lane's K fragment is 8 keys x 4 of K1, each row of
// 4 exactly one B operand (vector<2x2xf16>). IREE unrolls an elementwise op into its rows, and its canonicalizer
// folds the operand built from a whole row into an n-D shape_cast NVVM cannot translate; the K decode runs on the
// fragment as one 1-D vector instead. V's decode (transposed, read as PV's B) keeps its shape.
// RUN: %tilefuse stage thread-distribute --path tilefuse --target sm_89 %S/Inputs/fp8cache/before-thread-distribute.mlir | FileCheck %s

// CHECK:       %[[KROWS:.+]] = vector.shape_cast %{{.+}} : vector<1x1x1x8x1x1x2x1x2xf8E4M3FN> to vector<32xf8E4M3FN>
// CHECK:       %[[KIN:.+]] = vector.transfer_write %[[KROWS]]
// CHECK:       %[[K:.+]] = linalg.generic {{.+}} iterator_types = ["parallel"]} ins(%[[KIN]] : tensor<32xf8E4M3FN>) outs(%{{.+}} : tensor<32xf16>)
// CHECK:         arith.bitcast %{{.+}} : f8E4M3FN to i8
// CHECK:       %[[KF:.+]] = vector.transfer_read %[[K]]
// CHECK:       linalg.generic {{.+}} ins(%{{.+}} : tensor<1x16x2xf8E4M3FN>) outs(%{{.+}} : tensor<1x2x16xf16>)
// CHECK:       vector.shape_cast %[[KF]] : vector<32xf16> to vector<1x8x1x4x1xf16>
// CHECK:       iree_codegen.inner_tiled {{.+}} kind = #iree_gpu.mma_layout<NV_MMA_SYNC_F32_16x8x16_F16>
