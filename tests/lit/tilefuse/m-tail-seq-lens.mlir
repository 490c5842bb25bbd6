// The m-tail stage (tilefuse/codegen/stages/m_tail.py) on a paged decode of 3 query rows, fewer than the 16-row
// subgroup tile, whose length mask seq-lens-mask computes in the dispatch (3 sequences of 5 pages of 32 keys,
// unsplit), after subgroup-distribute: Q's 3 rows are padded to the tile with zeros, but the mask generic, which
// reads its sequence's length along no row, computes the tile's 16 rows itself (a pad of it has no lane layout:
// thread-distribute found none for its 3-row init). Its body is unchanged (the key's number against the length),
// the attention reads it directly, and the subgroup still stores only its 3 real rows.
// RUN: %tilefuse stage m-tail --path tilefuse --target gfx942 %S/Inputs/short_rows/before-m-tail.mlir | FileCheck %s

// CHECK:       scf.forall (%{{.+}}) = (0) to (3) step (16)
// CHECK:         %[[Q:.+]] = tensor.extract_slice {{.+}} : tensor<3x1x3x64xf16> to tensor<1x1x3x64xf16>
// CHECK:         %[[ROWS:.+]] = tensor.empty() : tensor<1x16x5x32xf16>
// CHECK:         %[[MASK:.+]] = linalg.generic {{.+}} ins(%{{.+}} : tensor<1xi32>) outs(%[[ROWS]] : tensor<1x16x5x32xf16>)
// CHECK:           arith.cmpi slt
// CHECK:         } -> tensor<1x16x5x32xf16>
// CHECK-NOT:     tensor.pad %[[MASK]]
// CHECK:         %[[QPAD:.+]] = tensor.pad %[[Q]] low[0, 0, 0, 0] high[0, 0, 13, 0]
// CHECK:         } : tensor<1x1x3x64xf16> to tensor<1x1x16x64xf16>
// CHECK:         iree_linalg_ext.online_attention
// CHECK-SAME:      ins(%[[QPAD]], %{{.+}}, %{{.+}}, %{{.+}}, %[[MASK]] : tensor<1x1x16x64xf16>, tensor<1x5x1x32x64xf16>, tensor<1x5x1x32x64xf16>, f16, tensor<1x16x5x32xf16>)
// CHECK:         %[[REAL:.+]] = tensor.extract_slice %{{.+}}[0, 0, 0, 0] [1, 1, 3, 64] [1, 1, 1, 1] : tensor<1x1x16x64xf16> to tensor<1x1x3x64xf16>
// CHECK:         tensor.parallel_insert_slice %[[REAL]]
// CHECK-NOT:     tensor<1x3x5x32xf16>
