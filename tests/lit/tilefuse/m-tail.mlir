// The m-tail stage (tilefuse/codegen/stages/m_tail.py) on a problem whose M is known only at run time, after
// subgroup-distribute (Q `tensor<2x?x64xf16>`, 64 static keys, 16-row subgroup tiles): the subgroup forall runs
// over the workgroup's whole 64-row tile (every subgroup, as with a static M), each subgroup's rows clamped at 0;
// its Q slice (max(0, min(16, rows - r)) rows) is padded in the kernel to the static 16-row tile with zeros, its accumulators, the attention and the normalization are static
// 16-row tiles, and the subgroup stores only its real rows: the slice of its result it inserts has the run-time
// size.
// RUN: %tilefuse stage m-tail --path tilefuse --target gfx942 %S/Inputs/rows/before-m-tail.mlir | FileCheck %s

// CHECK:       %[[ROWS:.+]] = affine.min
// CHECK:       scf.forall (%[[R:.+]]) = (0) to (64) step (16) shared_outs(%[[OUT:.+]] = %{{.+}}) -> (tensor<1x?x64xf16>)
// CHECK:         %[[MIN:.+]] = affine.min #{{.+}}(%[[R]])[%[[ROWS]]]
// CHECK:         %[[N:.+]] = affine.max #{{.+}}(%[[MIN]])
// CHECK:         %[[Q:.+]] = tensor.extract_slice {{.+}} [1, %[[N]], 64] [1, 1, 1] : tensor<2x?x64xf16> to tensor<1x?x64xf16>
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f16
// CHECK:         %[[QP:.+]] = tensor.pad %[[Q]] low[0, 0, 0] high[0, %{{.+}}, 0]
// CHECK-NEXT:    ^bb0
// CHECK-NEXT:      tensor.yield %[[ZERO]] : f16
// CHECK:         } : tensor<1x?x64xf16> to tensor<1x16x64xf16>
// CHECK:         tensor.empty() : tensor<1x16x64xf32>
// CHECK:         tensor.empty() : tensor<1x16xf32>
// CHECK:         iree_linalg_ext.online_attention
// CHECK-SAME:      ins(%[[QP]], %{{.+}}, %{{.+}}, %{{.+}} : tensor<1x16x64xf16>, tensor<1x64x64xf16>, tensor<1x64x64xf16>, f16)
// CHECK-SAME:      outs(%{{.+}}, %{{.+}}, %{{.+}} : tensor<1x16x64xf32>, tensor<1x16xf32>, tensor<1x16xf32>)
// CHECK:         } -> tensor<1x16x64xf32>, tensor<1x16xf32>, tensor<1x16xf32>
// CHECK:         %[[O:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<1x16x64xf16>)
// CHECK:         %[[REAL:.+]] = tensor.extract_slice %[[O]][0, 0, 0] [1, %[[N]], 64] [1, 1, 1] : tensor<1x16x64xf16> to tensor<1x?x64xf16>
// CHECK:         scf.forall.in_parallel
// CHECK-NEXT:      tensor.parallel_insert_slice %[[REAL]] into %[[OUT]][0, %[[R]], 0] [1, %[[N]], 64]
// CHECK-NOT:     tensor<1x?x64xf32>
