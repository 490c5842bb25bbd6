#map = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
#map1 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3)>
#map2 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>
#map3 = affine_map<(d0, d1, d2, d3, d4, d5) -> ()>
#map4 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>
module {
  util.func public @attention(%arg0: tensor<1x8x1x72xf16>, %arg1: tensor<1x2x512x72xf16>, %arg2: tensor<1x2x512x72xf16>) -> tensor<1x8x1x72xf16> {
    %expanded = tensor.expand_shape %arg0 [[0], [1, 2], [3], [4]] output_shape [1, 2, 4, 1, 72] : tensor<1x8x1x72xf16> into tensor<1x2x4x1x72xf16>
    %cst = arith.constant 1.178590e-01 : f16
    %collapsed = tensor.collapse_shape %expanded [[0], [1], [2, 3], [4]] : tensor<1x2x4x1x72xf16> into tensor<1x2x4x72xf16>
    %0 = tensor.empty() : tensor<1x2x4x72xf16>
    %1 = iree_linalg_ext.attention <indexing_maps = [#map, #map1, #map2, #map3, #map4]> ins(%collapsed, %arg1, %arg2, %cst : tensor<1x2x4x72xf16>, tensor<1x2x512x72xf16>, tensor<1x2x512x72xf16>, f16) outs(%0 : tensor<1x2x4x72xf16>) {
    ^bb0(%arg3: f32):
      iree_linalg_ext.yield %arg3 : f32
    } -> tensor<1x2x4x72xf16>
    %expanded_0 = tensor.expand_shape %1 [[0], [1], [2, 3], [4]] output_shape [1, 2, 4, 1, 72] : tensor<1x2x4x72xf16> into tensor<1x2x4x1x72xf16>
    %collapsed_1 = tensor.collapse_shape %expanded_0 [[0], [1, 2], [3], [4]] : tensor<1x2x4x1x72xf16> into tensor<1x8x1x72xf16>
    util.return %collapsed_1 : tensor<1x8x1x72xf16>
  }
}
