// The k2-tail stage (tilefuse/codegen/stages/k2_tail.py) on a paged GQA decode whose page table is of run-time
// length, in pages of 8 keys (fewer than a 16-key MMA step: a K2 step reads 8 pages, design/tilefuse-path.md
// "Paged KV", "Pages of run-time count"), after reduction-tile: the last step's table slice holds the fewer pages
// left (`tensor<1x?xi64>`). It is padded to the step's 8 entries with its first entry (a page the step reads
// anyway), K and V are gathered through it (static `tensor<1x8x1x8x64xf16>`), and the attention, which had no
// mask, gets one over (rows, pages, page): 0 for the step's real pages, -inf past them.
// RUN: %tilefuse stage k2-tail --path tilefuse --target gfx942 %S/Inputs/paged_run_time/before-k2-tail.mlir | FileCheck %s

// CHECK:       scf.for %[[STEP:.+]] = %c0 to %[[PAGES:.+]] step %c8
// CHECK:         %[[N:.+]] = affine.min #{{.+}}(%[[STEP]])[%[[PAGES]]]
// CHECK:         %[[TABLE:.+]] = tensor.extract_slice %{{.+}}[%{{.+}}, %[[STEP]]] [1, %[[N]]] [1, 1] : tensor<2x?xi64> to tensor<1x?xi64>
// CHECK:         %[[COUNT:.+]] = tensor.dim %[[TABLE]], %{{.+}} : tensor<1x?xi64>
// CHECK:         %[[FIRST:.+]] = tensor.extract %[[TABLE]][%[[Z:.+]], %[[Z]]] : tensor<1x?xi64>
// CHECK:         %[[PADDED:.+]] = tensor.pad %[[TABLE]] low[0, 0] high[0, %{{.+}}]
// CHECK-NEXT:    ^bb0
// CHECK-NEXT:      tensor.yield %[[FIRST]] : i64
// CHECK-NEXT:    } : tensor<1x?xi64> to tensor<1x8xi64>
// CHECK:         %[[K:.+]] = iree_linalg_ext.gather dimension_map = [0] ins(%{{.+}}, %[[PADDED]] : tensor<128x1x8x64xf16>, tensor<1x8xi64>) outs(%{{.+}} : tensor<1x8x1x8x64xf16>)
// CHECK:         %[[V:.+]] = iree_linalg_ext.gather dimension_map = [0] ins(%{{.+}}, %[[PADDED]] : tensor<128x1x8x64xf16>, tensor<1x8xi64>) outs(%{{.+}} : tensor<1x8x1x8x64xf16>)
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f16
// CHECK:         %[[MINUS_INF:.+]] = arith.constant 0xFC00 : f16
// CHECK:         %[[MASK:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<16x8x8xf16>)
// CHECK:           %[[PAGE:.+]] = linalg.index 1 : index
// CHECK:           %[[REAL:.+]] = arith.cmpi slt, %[[PAGE]], %[[COUNT]] : index
// CHECK:           arith.select %[[REAL]], %[[ZERO]], %[[MINUS_INF]] : f16
// CHECK:         iree_linalg_ext.online_attention
// CHECK-SAME:      ins(%{{.+}}, %[[K]], %[[V]], %{{.+}}, %[[MASK]] : tensor<1x1x16x64xf16>, tensor<1x8x1x8x64xf16>, tensor<1x8x1x8x64xf16>, f16, tensor<16x8x8xf16>)
// CHECK-NOT:     iree_linalg_ext.gather {{.+}} tensor<1x?x
