// split-k2 on a paged GQA decode (design/tilefuse-path.md, "Paged KV"): K and V are gathered from page pools through
// the page table (4 pages of 32 keys each), moved and merged into the key dim. The plan splits a paged attention in
// whole pages: the decode heuristic alone splits these 128 keys in 8 (one 16-key MMA step each, cutting every page
// in two), so it takes the most splits up to 8 that divide the 4 pages: 4, and the split's expand undoes the
// pages' collapse (4 x 32 keys), which page-kv then carries into the page table.
// RUN: %tilefuse stage split-k2 --path tilefuse --target gfx942 %s | FileCheck %s

// CHECK-LABEL: util.func public @attention
// CHECK:       %[[KG:.+]] = iree_linalg_ext.gather dimension_map = [0] ins(%arg1, %arg3
// CHECK:       %[[KT:.+]] = linalg.transpose ins(%[[KG]]
// CHECK:       %[[KC:.+]] = tensor.collapse_shape %[[KT]] {{\[\[}}0], [1], [2, 3], [4]] : tensor<1x2x4x32x64xf16> into tensor<1x2x128x64xf16>
// CHECK:       %[[VG:.+]] = iree_linalg_ext.gather dimension_map = [0] ins(%arg2, %arg3
// CHECK:       %[[VT:.+]] = linalg.transpose ins(%[[VG]]
// CHECK:       %[[VC:.+]] = tensor.collapse_shape %[[VT]]
// CHECK:       %[[K:.+]] = tensor.expand_shape %[[KC]] {{\[\[}}0], [1], [2, 3], [4]] output_shape [1, 2, 4, 32, 64]
// CHECK:       %[[V:.+]] = tensor.expand_shape %[[VC]] {{\[\[}}0], [1], [2, 3], [4]] output_shape [1, 2, 4, 32, 64]
// CHECK:       iree_linalg_ext.online_attention
// CHECK-SAME:    ins(%{{.+}}, %[[K]], %[[V]], %{{.+}} : tensor<1x2x16x64xf16>, tensor<1x2x4x32x64xf16>, tensor<1x2x4x32x64xf16>, f16)
// CHECK-SAME:    outs(%{{.+}} : tensor<1x2x4x16x64xf32>, tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>)
#map = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
#map1 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3)>
#map2 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>
#map3 = affine_map<(d0, d1, d2, d3, d4, d5) -> ()>
#map4 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>
util.func public @attention(%arg0: tensor<1x8x1x64xf16>, %arg1: tensor<8x2x32x64xf16>, %arg2: tensor<8x2x32x64xf16>, %arg3: tensor<1x4xi64>) -> tensor<1x8x1x64xf16> {
  %0 = tensor.empty() : tensor<1x4x2x32x64xf16>
  %1 = iree_linalg_ext.gather dimension_map = [0] ins(%arg1, %arg3 : tensor<8x2x32x64xf16>, tensor<1x4xi64>) outs(%0 : tensor<1x4x2x32x64xf16>) -> tensor<1x4x2x32x64xf16>
  %2 = tensor.empty() : tensor<1x2x4x32x64xf16>
  %transposed = linalg.transpose ins(%1 : tensor<1x4x2x32x64xf16>) outs(%2 : tensor<1x2x4x32x64xf16>) permutation = [0, 2, 1, 3, 4] 
  %collapsed = tensor.collapse_shape %transposed [[0], [1], [2, 3], [4]] : tensor<1x2x4x32x64xf16> into tensor<1x2x128x64xf16>
  %3 = tensor.empty() : tensor<1x4x2x32x64xf16>
  %4 = iree_linalg_ext.gather dimension_map = [0] ins(%arg2, %arg3 : tensor<8x2x32x64xf16>, tensor<1x4xi64>) outs(%3 : tensor<1x4x2x32x64xf16>) -> tensor<1x4x2x32x64xf16>
  %5 = tensor.empty() : tensor<1x2x4x32x64xf16>
  %transposed_0 = linalg.transpose ins(%4 : tensor<1x4x2x32x64xf16>) outs(%5 : tensor<1x2x4x32x64xf16>) permutation = [0, 2, 1, 3, 4] 
  %collapsed_1 = tensor.collapse_shape %transposed_0 [[0], [1], [2, 3], [4]] : tensor<1x2x4x32x64xf16> into tensor<1x2x128x64xf16>
  %expanded = tensor.expand_shape %arg0 [[0], [1, 2], [3], [4]] output_shape [1, 2, 4, 1, 64] : tensor<1x8x1x64xf16> into tensor<1x2x4x1x64xf16>
  %cst = arith.constant 1.250000e-01 : f16
  %collapsed_2 = tensor.collapse_shape %expanded [[0], [1], [2, 3], [4]] : tensor<1x2x4x1x64xf16> into tensor<1x2x4x64xf16>
  %cst_3 = arith.constant 0.000000e+00 : f16
  %padded = tensor.pad %collapsed_2 low[0, 0, 0, 0] high[0, 0, 12, 0] {
  ^bb0(%arg4: index, %arg5: index, %arg6: index, %arg7: index):
    tensor.yield %cst_3 : f16
  } : tensor<1x2x4x64xf16> to tensor<1x2x16x64xf16>
  %6 = tensor.empty() : tensor<1x2x16x64xf16>
  %7 = iree_linalg_ext.attention <indexing_maps = [#map, #map1, #map2, #map3, #map4]> ins(%padded, %collapsed, %collapsed_1, %cst : tensor<1x2x16x64xf16>, tensor<1x2x128x64xf16>, tensor<1x2x128x64xf16>, f16) outs(%6 : tensor<1x2x16x64xf16>) {
  ^bb0(%arg4: f32):
    iree_linalg_ext.yield %arg4 : f32
  } -> tensor<1x2x16x64xf16>
  %extracted_slice = tensor.extract_slice %7[0, 0, 0, 0] [1, 2, 4, 64] [1, 1, 1, 1] : tensor<1x2x16x64xf16> to tensor<1x2x4x64xf16>
  %expanded_4 = tensor.expand_shape %extracted_slice [[0], [1], [2, 3], [4]] output_shape [1, 2, 4, 1, 64] : tensor<1x2x4x64xf16> into tensor<1x2x4x1x64xf16>
  %collapsed_5 = tensor.collapse_shape %expanded_4 [[0], [1, 2], [3], [4]] : tensor<1x2x4x1x64xf16> into tensor<1x8x1x64xf16>
  util.return %collapsed_5 : tensor<1x8x1x64xf16>
}
