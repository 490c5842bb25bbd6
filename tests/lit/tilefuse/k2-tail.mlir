// The k2-tail stage (tilefuse/k2_tail.py) on a problem whose K2 is known only at run time, after reduction-tile
// (64 queries, K/V `tensor<2x?x64xf16>`, 64-key tiles): the K2 loop still ends at the run-time K2, each step's
// K and V slices (affine.min(64, K2 - k) keys) are padded in the kernel to the static 64-key tile with zeros,
// and the attention, which had no mask, gets one from the tile's index: 0 for the keys of this step, -inf past
// the end. Every operand of the tile's online_attention is static.
// RUN: %tilefuse stage k2-tail --path tilefuse --target gfx942 %S/Inputs/dynamic/before-k2-tail.mlir | FileCheck %s

// CHECK:       scf.for %[[KEY:.+]] = %c0 to %[[K2:.+]] step %c64
// CHECK:         %[[N:.+]] = affine.min #{{.+}}(%[[KEY]])[%[[K2]]]
// CHECK:         %[[K:.+]] = tensor.extract_slice {{.+}} [1, %[[N]], 64] [1, 1, 1] : tensor<2x?x64xf16> to tensor<1x?x64xf16>
// CHECK:         %[[V:.+]] = tensor.extract_slice {{.+}} [1, %[[N]], 64] [1, 1, 1] : tensor<2x?x64xf16> to tensor<1x?x64xf16>
// CHECK:         %[[KEYS:.+]] = tensor.dim %[[K]], %{{.+}} : tensor<1x?x64xf16>
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f16
// CHECK:         tensor.pad %[[K]] low[0, 0, 0] high[0, %{{.+}}, 0]
// CHECK-NEXT:    ^bb0
// CHECK-NEXT:      tensor.yield %[[ZERO]] : f16
// CHECK:         } : tensor<1x?x64xf16> to tensor<1x64x64xf16>
// CHECK:         tensor.pad %[[V]] low[0, 0, 0] high[0, %{{.+}}, 0]
// CHECK:         } : tensor<1x?x64xf16> to tensor<1x64x64xf16>
// CHECK:         %[[MINUS_INF:.+]] = arith.constant 0xFC00 : f16
// CHECK:         %[[MASK:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<16x64xf16>)
// CHECK:           %[[J:.+]] = linalg.index 1 : index
// CHECK:           %[[IN:.+]] = arith.cmpi slt, %[[J]], %[[KEYS]] : index
// CHECK:           arith.select %[[IN]], %{{.+}}, %[[MINUS_INF]] : f16
// CHECK:         iree_linalg_ext.online_attention
// CHECK-SAME:      ins(%{{.+}}, %padded{{.*}}, %padded{{.*}}, %{{.+}}, %[[MASK]] : tensor<1x16x64xf16>, tensor<1x64x64xf16>, tensor<1x64x64xf16>, f16, tensor<16x64xf16>)
