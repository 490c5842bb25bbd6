// The tilefuse path's program stage split-k2 (tilefuse/codegen/stages/split_k2.py), on padded decodes
// (design/tilefuse-path.md, "Decode"). @decode: 2 heads x 512 keys at d=128 (1.5 MB with the finest split's partials:
// not latency bound) fill far less than MI300X's resident split workgroups, so K2 splits into 4 (the most splits of at
// least 2 64-key tiles each), a batch dim of an online_attention; the partials acc/sum and max + log2(sum) (log2 units,
// over N) are combined by one reduction over the splits (running max, denominator, numerator per element) and
// the division in the result's type.
// RUN: %tilefuse stage split-k2 --path tilefuse --target gfx942 %s | FileCheck %s

// CHECK-LABEL: util.func public @decode
// CHECK:       %[[K:.+]] = tensor.expand_shape %arg1 {{\[\[}}0], [1], [2, 3], [4]] output_shape [1, 2, 4, 128, 128]
// CHECK:       %[[V:.+]] = tensor.expand_shape %arg2 {{\[\[}}0], [1], [2, 3], [4]] output_shape [1, 2, 4, 128, 128]
// CHECK:       %[[PART:.+]]:3 = iree_linalg_ext.online_attention
// CHECK-SAME:    ins(%arg0, %[[K]], %[[V]], %{{.+}} : tensor<1x2x16x128xf16>, tensor<1x2x4x128x128xf16>, tensor<1x2x4x128x128xf16>, f16)
// CHECK-SAME:    outs(%{{.+}} : tensor<1x2x4x16x128xf32>, tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>)
// CHECK:       %[[PL:.+]]:2 = linalg.generic {{.+}} ins(%[[PART]]#0, %[[PART]]#1, %[[PART]]#2
// CHECK:         arith.divf
// CHECK:         math.log2
// CHECK:       -> (tensor<1x2x4x16x128xf32>, tensor<1x2x4x16x128xf32>)
// CHECK:       %[[C:.+]]:3 = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[PL]]#0, %[[PL]]#1 :
// CHECK:         arith.maximumf
// CHECK:         math.exp2
// CHECK:         math.exp2
// CHECK:       -> (tensor<1x2x16x128xf32>, tensor<1x2x16x128xf32>, tensor<1x2x16x128xf32>)
// CHECK:       linalg.generic {{.+}} ins(%[[C]]#2, %[[C]]#1 :
// CHECK:         arith.divf
// CHECK:         arith.truncf
// CHECK:       -> tensor<1x2x16x128xf16>

// @latency_bound: the Llama decode step packed and padded (2 KV heads x 4 query heads in 16 rows, 256 keys, d=64:
// 131 KB of K/V) is latency bound: 16 splits of one 16-key MMA step each. pad-to-tiles' slice of the 4 real rows
// moves onto the partials, so the combine writes the sliced result itself.
// CHECK-LABEL: util.func public @latency_bound
// CHECK:       iree_linalg_ext.online_attention
// CHECK-SAME:    tensor<1x2x16x16x64xf16>, tensor<1x2x16x16x64xf16>, f16)
// CHECK-SAME:    outs(%{{.+}} : tensor<1x2x16x16x64xf32>, tensor<1x2x16x16xf32>, tensor<1x2x16x16xf32>)
// CHECK:       %[[PL:.+]]:2 = linalg.generic
// CHECK:       %[[P:.+]] = tensor.extract_slice %[[PL]]#0[0, 0, 0, 0, 0] [1, 2, 16, 4, 64] [1, 1, 1, 1, 1]
// CHECK:       %[[L:.+]] = tensor.extract_slice %[[PL]]#1[0, 0, 0, 0, 0] [1, 2, 16, 4, 64] [1, 1, 1, 1, 1]
// CHECK:       linalg.generic {{.+}} ins(%[[P]], %[[L]] :
// CHECK:       -> (tensor<1x2x4x64xf32>, tensor<1x2x4x64xf32>, tensor<1x2x4x64xf32>)
// CHECK:       %[[OUT:.+]] = linalg.generic
// CHECK:       -> tensor<1x2x4x64xf16>
// CHECK-NOT:   tensor.extract_slice
// CHECK:       util.return %[[OUT]]
func.func @decode(%q: tensor<1x2x16x128xf16>, %k: tensor<1x2x512x128xf16>, %v: tensor<1x2x512x128xf16>) -> tensor<1x2x16x128xf16> {
  %scale = arith.constant 0.08837890625 : f16
  %empty = tensor.empty() : tensor<1x2x16x128xf16>
  %out = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> ()>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>]}> ins(%q, %k, %v, %scale : tensor<1x2x16x128xf16>, tensor<1x2x512x128xf16>, tensor<1x2x512x128xf16>, f16) outs(%empty : tensor<1x2x16x128xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<1x2x16x128xf16>
  return %out : tensor<1x2x16x128xf16>
}

func.func @latency_bound(%q: tensor<1x2x16x64xf16>, %k: tensor<1x2x256x64xf16>, %v: tensor<1x2x256x64xf16>) -> tensor<1x2x4x64xf16> {
  %scale = arith.constant 0.125 : f16
  %empty = tensor.empty() : tensor<1x2x16x64xf16>
  %out = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> ()>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>]}> ins(%q, %k, %v, %scale : tensor<1x2x16x64xf16>, tensor<1x2x256x64xf16>, tensor<1x2x256x64xf16>, f16) outs(%empty : tensor<1x2x16x64xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<1x2x16x64xf16>
  %rows = tensor.extract_slice %out[0, 0, 0, 0] [1, 2, 4, 64] [1, 1, 1, 1] : tensor<1x2x16x64xf16> to tensor<1x2x4x64xf16>
  return %rows : tensor<1x2x4x64xf16>
}
