// The m-tail stage (tilefuse/codegen/stages/m_tail.py) on IREE's all-dynamic attention in f16 (batch, M, K2 and the
// head dims K1 = N run-time; tests/fixtures/programs/dynamic_attention_f16.mlir) after subgroup-distribute: Q's
// rows and K1 are padded in one pad to the static 16 x 128 tile (K1's bound: zeros, exact), K's K1 to 128 (its
// run-time K2 is k2-tail's), V's columns to the 16-column N tile; the running max starts at NaN where the
// launch's K1 exceeds the bound (every output NaN, never a silently wrong value); the accumulators, the attention
// and the normalization are static tiles, and the subgroup stores only its real rows and columns.
// RUN: %tilefuse stage m-tail --path tilefuse --target gfx942 %S/Inputs/heads/before-m-tail.mlir | FileCheck %s

// CHECK:       affine.min
// CHECK-NEXT:  %[[COLS:.+]] = affine.min
// CHECK:       scf.forall (%[[R:.+]]) = (0) to (64) step (16) shared_outs(%[[OUT:.+]] = %{{.+}}) -> (tensor<1x?x?xf16>)
// CHECK:         %[[N:.+]] = affine.max
// CHECK:         %[[Q:.+]] = tensor.extract_slice {{.+}} [1, %[[N]], %[[K1:.+]]] [1, 1, 1] : tensor<?x?x?xf16> to tensor<1x?x?xf16>
// CHECK:         %[[QP:.+]] = tensor.pad %[[Q]] low[0, 0, 0] high[0, %{{.+}}, %{{.+}}]
// CHECK:         } : tensor<1x?x?xf16> to tensor<1x16x128xf16>
// CHECK:         %[[K:.+]] = tensor.extract_slice {{.+}} [1, %{{.+}}, %[[K1]]] [1, 1, 1]
// CHECK:         %[[KP:.+]] = tensor.pad %[[K]] low[0, 0, 0] high[0, 0, %{{.+}}]
// CHECK:         } : tensor<1x?x?xf16> to tensor<1x?x128xf16>
// CHECK:         %[[V:.+]] = tensor.extract_slice {{.+}} [1, %{{.+}}, %[[COLS]]] [1, 1, 1]
// CHECK:         %[[VP:.+]] = tensor.pad %[[V]] low[0, 0, 0] high[0, 0, %{{.+}}]
// CHECK-NEXT:    ^bb0
// CHECK-NEXT:      tensor.yield %{{.+}} : f16
// CHECK:         } : tensor<1x?x?xf16> to tensor<1x?x16xf16>
// CHECK:         tensor.empty() : tensor<1x16x16xf32>
// CHECK:         %[[FITS:.+]] = arith.cmpi ule, %[[K1]], %{{.+}} : index
// CHECK:         %[[NAN:.+]] = arith.constant 0x7FC00000 : f32
// CHECK:         %[[START:.+]] = arith.select %[[FITS]], %{{.+}}, %[[NAN]] : f32
// CHECK:         %[[MAX:.+]] = linalg.fill ins(%[[START]] : f32)
// CHECK:         iree_linalg_ext.online_attention
// CHECK-SAME:      ins(%[[QP]], %[[KP]], %[[VP]], %{{.+}} : tensor<1x16x128xf16>, tensor<1x?x128xf16>, tensor<1x?x16xf16>, f16)
// CHECK-SAME:      outs(%{{.+}}, %[[MAX]], %{{.+}} : tensor<1x16x16xf32>, tensor<1x16xf32>, tensor<1x16xf32>)
// CHECK:         %[[O:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<1x16x16xf16>)
// CHECK:         %[[REAL:.+]] = tensor.extract_slice %[[O]][0, 0, 0] [1, %[[N]], %[[COLS]]] [1, 1, 1] : tensor<1x16x16xf16> to tensor<1x?x?xf16>
// CHECK:         scf.forall.in_parallel
// CHECK-NEXT:      tensor.parallel_insert_slice %[[REAL]] into %[[OUT]][0, %[[R]], 0] [1, %[[N]], %[[COLS]]]
