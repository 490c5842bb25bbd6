// The k2-tail stage (tilefuse/codegen/stages/k2_tail.py) on an fp8 KV cache of run-time length under an f16 query
// (gfx942, 64 queries, K/V `tensor<2x?x64xf8E4M3FNUZ>`, 64-key tiles), after reduction-tile: each step's fp8 K and V
// slices (affine.min(64, K2 - k) keys) are padded in the kernel with fp8 zeros to the static 64-key tile *before*
// widen-kv's extension, which is rebuilt on the static tile (an f16 empty of 64 keys, the same extf body), and the
// tail mask is f16 (0 for this step's keys, -inf past the end). Every operand of the online_attention is static f16.
// RUN: %tilefuse stage k2-tail --path tilefuse --target gfx942 %S/Inputs/fp8dynamic/before-k2-tail.mlir | FileCheck %s

// CHECK:       scf.for %[[KEY:.+]] = %c0 to %[[K2:.+]] step %c64
// CHECK:         %[[N:.+]] = affine.min #{{.+}}(%[[KEY]])[%[[K2]]]
// CHECK:         %[[K:.+]] = tensor.extract_slice {{.+}} [1, %[[N]], 64] [1, 1, 1] : tensor<2x?x64xf8E4M3FNUZ> to tensor<1x?x64xf8E4M3FNUZ>
// CHECK:         %[[V:.+]] = tensor.extract_slice {{.+}} [1, %[[N]], 64] [1, 1, 1] : tensor<2x?x64xf8E4M3FNUZ> to tensor<1x?x64xf8E4M3FNUZ>
// CHECK:         %[[KEYS:.+]] = tensor.dim %[[K]], %{{.+}} : tensor<1x?x64xf8E4M3FNUZ>
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f8E4M3FNUZ
// CHECK:         %[[KPAD:.+]] = tensor.pad %[[K]] low[0, 0, 0] high[0, %{{.+}}, 0]
// CHECK-NEXT:    ^bb0
// CHECK-NEXT:      tensor.yield %[[ZERO]] : f8E4M3FNUZ
// CHECK:         } : tensor<1x?x64xf8E4M3FNUZ> to tensor<1x64x64xf8E4M3FNUZ>
// CHECK:         %[[KOUT:.+]] = tensor.empty() : tensor<1x64x64xf16>
// CHECK:         %[[K16:.+]] = linalg.generic {{.+}} ins(%[[KPAD]] : tensor<1x64x64xf8E4M3FNUZ>) outs(%[[KOUT]] : tensor<1x64x64xf16>)
// CHECK-NEXT:    ^bb0(%[[IN:.+]]: f8E4M3FNUZ, %{{.+}}: f16):
// CHECK-NEXT:      %[[WIDE:.+]] = arith.extf %[[IN]] : f8E4M3FNUZ to f16
// CHECK-NEXT:      linalg.yield %[[WIDE]] : f16
// CHECK:         %[[VPAD:.+]] = tensor.pad %[[V]] low[0, 0, 0] high[0, %{{.+}}, 0]
// CHECK:         } : tensor<1x?x64xf8E4M3FNUZ> to tensor<1x64x64xf8E4M3FNUZ>
// CHECK:         %[[V16:.+]] = linalg.generic {{.+}} ins(%[[VPAD]] : tensor<1x64x64xf8E4M3FNUZ>) outs(%{{.+}} : tensor<1x64x64xf16>)
// CHECK:           arith.extf %{{.+}} : f8E4M3FNUZ to f16
// CHECK:         %[[MINUS_INF:.+]] = arith.constant 0xFC00 : f16
// CHECK:         %[[MASK:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<16x64xf16>)
// CHECK:           %[[J:.+]] = linalg.index 1 : index
// CHECK:           %[[SEEN:.+]] = arith.cmpi slt, %[[J]], %[[KEYS]] : index
// CHECK:           arith.select %[[SEEN]], %{{.+}}, %[[MINUS_INF]] : f16
// CHECK:         iree_linalg_ext.online_attention
// CHECK-SAME:      ins(%{{.+}}, %[[K16]], %[[V16]], %{{.+}}, %[[MASK]] : tensor<1x16x64xf16>, tensor<1x64x64xf16>, tensor<1x64x64xf16>, f16, tensor<16x64xf16>)
