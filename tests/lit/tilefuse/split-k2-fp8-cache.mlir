// split-k2, then widen-kv, on a GQA decode against an fp8 KV cache of run-time length (design/tilefuse-path.md,
// "Flash-decoding over keys of run-time length"): 8 KV heads x 16 packed rows, d=128, K/V
// tensor<1x8x?x128xf8E4M3FNUZ> under an f16 query. split-k2 cuts the cache's keys into 32 ranges as it does an f16
// cache's (split-k2-run-time.mlir), slicing the fp8 arguments; widen-kv, the later stage, extends each range's fp8
// slice to f16 at its online_attention, inside the split forall: outside it the program reads only the cache's
// length, so the split dispatch loads the fp8 cache in place (no widened or copied cache).
// RUN: %tilefuse stage split-k2 --path tilefuse --target gfx942 %s \
// RUN:   | %tilefuse stage widen-kv --path tilefuse --target gfx942 - | FileCheck %s

// CHECK-LABEL: util.func public @decode
// CHECK-NOT:   linalg.generic
// CHECK:       %[[K2:.+]] = tensor.dim %arg1, %{{.+}} : tensor<1x8x?x128xf8E4M3FNUZ>
// CHECK-NOT:   linalg.generic
// CHECK:       flow.dispatch.region
// CHECK:       scf.forall (%{{.+}}) in (32)
// CHECK:         %[[K:.+]] = tensor.extract_slice %arg1[0, 0, %[[FROM:.+]], 0] [1, 8, %[[N:.+]], 128] {{.+}} to tensor<1x8x?x128xf8E4M3FNUZ>
// CHECK:         %[[V:.+]] = tensor.extract_slice %arg2[0, 0, %[[FROM]], 0] [1, 8, %[[N]], 128] {{.+}} to tensor<1x8x?x128xf8E4M3FNUZ>
// CHECK:         %[[KH:.+]] = linalg.generic {{.+}} ins(%[[K]] : tensor<1x8x?x128xf8E4M3FNUZ>) outs(%{{.+}} : tensor<1x8x?x128xf16>)
// CHECK:           arith.extf %{{.+}} : f8E4M3FNUZ to f16
// CHECK:         %[[VH:.+]] = linalg.generic {{.+}} ins(%[[V]] : tensor<1x8x?x128xf8E4M3FNUZ>) outs(%{{.+}} : tensor<1x8x?x128xf16>)
// CHECK:           arith.extf %{{.+}} : f8E4M3FNUZ to f16
// CHECK:         iree_linalg_ext.online_attention
// CHECK-SAME:      ins(%arg0, %[[KH]], %[[VH]], %{{.+}} : tensor<1x8x16x128xf16>, tensor<1x8x?x128xf16>, tensor<1x8x?x128xf16>, f16)
// CHECK:       } {mapping = [#iree_linalg_ext.split_reduction_mapping<0>]}
// CHECK-NOT:   f8E4M3FNUZ
// CHECK:       util.return
func.func @decode(%q: tensor<1x8x16x128xf16>, %k: tensor<1x8x?x128xf8E4M3FNUZ>, %v: tensor<1x8x?x128xf8E4M3FNUZ>) -> tensor<1x8x16x128xf16> {
  %scale = arith.constant 0.08837890625 : f16
  %empty = tensor.empty() : tensor<1x8x16x128xf16>
  %out = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> ()>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>]}> ins(%q, %k, %v, %scale : tensor<1x8x16x128xf16>, tensor<1x8x?x128xf8E4M3FNUZ>, tensor<1x8x?x128xf8E4M3FNUZ>, f16) outs(%empty : tensor<1x8x16x128xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<1x8x16x128xf16>
  return %out : tensor<1x8x16x128xf16>
}
