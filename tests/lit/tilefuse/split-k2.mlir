// The tilefuse path's program stage split-k2 (tilefuse/split_k2.py), on a padded decode: 2 heads x 512 keys fill
// far less than MI300X's resident split workgroups, so K2 splits into 4 (the most splits of at least 2 64-key tiles each), a batch
// dim of an online_attention; the partials acc/sum and max + log2(sum) (log2 units, over N) are combined after
// (design/tilefuse-path.md, "Decode").
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
// CHECK:       %[[L:.+]] = tensor.extract_slice %[[PL]]#1[0, 0, 0, 0, 0] [1, 2, 4, 16, 1] {{.+}} to tensor<1x2x4x16xf32>
// CHECK:       %[[M:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "reduction", "parallel"]} ins(%[[L]] :
// CHECK:         arith.maximumf
// CHECK:       %[[DEN:.+]] = linalg.generic {{.+}} ins(%[[L]], %[[M]] :
// CHECK:         math.exp2
// CHECK:       %[[NUM:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "reduction", "parallel", "parallel"]} ins(%[[PL]]#0, %[[L]], %[[M]], %[[DEN]] :
// CHECK:         math.exp2
// CHECK:       -> tensor<1x2x16x128xf32>
// CHECK:       arith.truncf
// CHECK:       -> tensor<1x2x16x128xf16>
func.func @decode(%q: tensor<1x2x16x128xf16>, %k: tensor<1x2x512x128xf16>, %v: tensor<1x2x512x128xf16>) -> tensor<1x2x16x128xf16> {
  %scale = arith.constant 0.08837890625 : f16
  %empty = tensor.empty() : tensor<1x2x16x128xf16>
  %out = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> ()>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>]}> ins(%q, %k, %v, %scale : tensor<1x2x16x128xf16>, tensor<1x2x512x128xf16>, tensor<1x2x512x128xf16>, f16) outs(%empty : tensor<1x2x16x128xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<1x2x16x128xf16>
  return %out : tensor<1x2x16x128xf16>
}
