// split-k2 on a paged GQA decode whose page table is of run-time length (design/tilefuse-path.md, "Paged KV",
// "Pages of run-time count"): the plan splits it as the nominal run-time keys (32 ranges); each range is whole
// pages, chunk = ceil(pages / 32), and K and V are gathered inside the range through its slice of the table (the
// pools read in place in the split dispatch; page-kv then reads them through the attention's maps).
// RUN: %tilefuse stage split-k2 --path tilefuse --target gfx942 %s | FileCheck %s

// CHECK-LABEL: util.func public @attention
// CHECK:       tensor.dim %arg3
// CHECK:       %[[PAGES:.+]] = tensor.dim %arg3, %{{.+}} : tensor<1x?xi64>
// CHECK:       flow.dispatch.region
// CHECK:       scf.forall (%[[S:.+]]) in (32)
// CHECK:         %[[FIRST:.+]] = affine.min #{{.+}}(%[[S]])[%[[PAGES]], %{{.+}}]
// CHECK:         %[[COUNT:.+]] = affine.min #{{.+}}(%[[FIRST]])[%[[PAGES]], %{{.+}}]
// CHECK:         %[[KT:.+]] = tensor.extract_slice %arg3[0, %[[FIRST]]] [1, %[[COUNT]]] [1, 1] : tensor<1x?xi64> to tensor<1x?xi64>
// CHECK:         %[[KI:.+]] = tensor.empty(%[[COUNT]]) : tensor<1x?x2x32x64xf16>
// CHECK:         %[[KG:.+]] = iree_linalg_ext.gather dimension_map = [0] ins(%arg1, %[[KT]] : {{.+}}) outs(%[[KI]]
// CHECK:         %[[KM:.+]] = linalg.transpose ins(%[[KG]]
// CHECK:         %[[K:.+]] = tensor.collapse_shape %[[KM]] {{\[\[}}0], [1], [2, 3], [4]] : tensor<1x2x?x32x64xf16> into tensor<1x2x?x64xf16>
// CHECK:         iree_linalg_ext.gather dimension_map = [0] ins(%arg2,
// CHECK:         %[[V:.+]] = tensor.collapse_shape
// CHECK:         iree_linalg_ext.online_attention
// CHECK-SAME:      ins(%{{.+}}, %[[K]], %[[V]], %{{.+}} : tensor<1x2x4x64xf16>, tensor<1x2x?x64xf16>, tensor<1x2x?x64xf16>, f16)
#map = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
#map1 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3)>
#map2 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>
#map3 = affine_map<(d0, d1, d2, d3, d4, d5) -> ()>
#map4 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>
module {
  util.func public @attention(%arg0: tensor<1x8x1x64xf16>, %arg1: tensor<8x2x32x64xf16>, %arg2: tensor<8x2x32x64xf16>, %arg3: tensor<1x?xi64>) -> tensor<1x8x1x64xf16> {
    %c1 = arith.constant 1 : index
    %dim = tensor.dim %arg3, %c1 : tensor<1x?xi64>
    %0 = tensor.empty(%dim) : tensor<1x?x2x32x64xf16>
    %1 = iree_linalg_ext.gather dimension_map = [0] ins(%arg1, %arg3 : tensor<8x2x32x64xf16>, tensor<1x?xi64>) outs(%0 : tensor<1x?x2x32x64xf16>) -> tensor<1x?x2x32x64xf16>
    %2 = tensor.empty(%dim) : tensor<1x2x?x32x64xf16>
    %transposed = linalg.transpose ins(%1 : tensor<1x?x2x32x64xf16>) outs(%2 : tensor<1x2x?x32x64xf16>) permutation = [0, 2, 1, 3, 4] 
    %collapsed = tensor.collapse_shape %transposed [[0], [1], [2, 3], [4]] : tensor<1x2x?x32x64xf16> into tensor<1x2x?x64xf16>
    %3 = tensor.empty(%dim) : tensor<1x?x2x32x64xf16>
    %4 = iree_linalg_ext.gather dimension_map = [0] ins(%arg2, %arg3 : tensor<8x2x32x64xf16>, tensor<1x?xi64>) outs(%3 : tensor<1x?x2x32x64xf16>) -> tensor<1x?x2x32x64xf16>
    %5 = tensor.empty(%dim) : tensor<1x2x?x32x64xf16>
    %transposed_0 = linalg.transpose ins(%4 : tensor<1x?x2x32x64xf16>) outs(%5 : tensor<1x2x?x32x64xf16>) permutation = [0, 2, 1, 3, 4] 
    %collapsed_1 = tensor.collapse_shape %transposed_0 [[0], [1], [2, 3], [4]] : tensor<1x2x?x32x64xf16> into tensor<1x2x?x64xf16>
    %expanded = tensor.expand_shape %arg0 [[0], [1, 2], [3], [4]] output_shape [1, 2, 4, 1, 64] : tensor<1x8x1x64xf16> into tensor<1x2x4x1x64xf16>
    %cst = arith.constant 1.250000e-01 : f16
    %collapsed_2 = tensor.collapse_shape %expanded [[0], [1], [2, 3], [4]] : tensor<1x2x4x1x64xf16> into tensor<1x2x4x64xf16>
    %6 = tensor.empty() : tensor<1x2x4x64xf16>
    %7 = iree_linalg_ext.attention <indexing_maps = [#map, #map1, #map2, #map3, #map4]> ins(%collapsed_2, %collapsed, %collapsed_1, %cst : tensor<1x2x4x64xf16>, tensor<1x2x?x64xf16>, tensor<1x2x?x64xf16>, f16) outs(%6 : tensor<1x2x4x64xf16>) {
    ^bb0(%arg4: f32):
      iree_linalg_ext.yield %arg4 : f32
    } -> tensor<1x2x4x64xf16>
    %expanded_3 = tensor.expand_shape %7 [[0], [1], [2, 3], [4]] output_shape [1, 2, 4, 1, 64] : tensor<1x2x4x64xf16> into tensor<1x2x4x1x64xf16>
    %collapsed_4 = tensor.collapse_shape %expanded_3 [[0], [1, 2], [3], [4]] : tensor<1x2x4x1x64xf16> into tensor<1x8x1x64xf16>
    util.return %collapsed_4 : tensor<1x8x1x64xf16>
  }
}
