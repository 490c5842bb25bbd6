// The tilefuse paths' program stage causal-mask on a mask as transformers 5 builds it under export (cut from
// tests/fixtures/masks/causal_padded_128.mlir after IREE's input conversion): an `arange` iota compared with
// itself through two expand_shapes (j <= i), broadcast over the batch, ANDed with a runtime padding mask
// (%arg0), broadcast over the heads. The causal part is proven and goes into the score region; the padding factor
// cannot be, so the mask stays the attention's operand beside it.
// RUN: %tilefuse stage causal-mask --path tilefuse --target gfx942 %s | FileCheck %s

// CHECK-LABEL: util.func public @causal_padded_128
// CHECK:         arith.andi
// CHECK:         iree_linalg_ext.attention
// CHECK-SAME:      ins(%arg1, %arg2, %arg3, %arg4, %{{[^ ]+}} : tensor<4x128x64xf16>, tensor<4x128x64xf16>, tensor<4x128x64xf16>, f32, tensor<4x128x128xi1>)
// CHECK:         ^bb0(%[[SCORE:.+]]: f32):
// CHECK:           %[[I:.+]] = iree_linalg_ext.index 1 : index
// CHECK:           %[[J:.+]] = iree_linalg_ext.index 4 : index
// CHECK:           %[[R:.+]] = arith.remui %[[I]], %{{.+}} : index
// CHECK:           %[[LAST:.+]] = arith.addi %[[R]], %{{.+}} : index
// CHECK:           %[[VIS:.+]] = arith.cmpi sle, %[[J]], %[[LAST]] : index
// CHECK:           %[[KEPT:.+]] = arith.select %[[VIS]], %[[SCORE]], %{{.+}} : f32
// CHECK:           iree_linalg_ext.yield %[[KEPT]] : f32
#map = affine_map<(d0) -> (d0)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, d3)>
#map2 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, 0)>
#map3 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map4 = affine_map<(d0, d1, d2, d3) -> (d1, d2, d3)>
#map5 = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
#map6 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d3)>
#map7 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d4, d3)>
#map8 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d4, d2)>
#map9 = affine_map<(d0, d1, d2, d3, d4) -> ()>
#map10 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4)>
#map11 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>
module {
  func.func @causal_padded_128(%arg0: tensor<2x128xi1>, %arg1: tensor<4x128x64xf16>, %arg2: tensor<4x128x64xf16>, %arg3: tensor<4x128x64xf16>, %arg4: f32, %arg5: tensor<4x128x64xf16>) -> tensor<4x128x64xf16> {
    %0 = tensor.empty() : tensor<128xi64>
    %1 = linalg.generic {indexing_maps = [#map], iterator_types = ["parallel"]} outs(%0 : tensor<128xi64>) {
    ^bb0(%out: i64):
      %10 = linalg.index 0 : index
      %11 = arith.index_cast %10 : index to i64
      linalg.yield %11 : i64
    } -> tensor<128xi64>
    %expanded = tensor.expand_shape %1 [[0, 1, 2, 3]] output_shape [1, 1, 128, 1] : tensor<128xi64> into tensor<1x1x128x1xi64>
    %expanded_0 = tensor.expand_shape %1 [[0, 1, 2, 3]] output_shape [1, 1, 1, 128] : tensor<128xi64> into tensor<1x1x1x128xi64>
    %2 = tensor.empty() : tensor<1x1x128x128xi1>
    %3 = linalg.generic {indexing_maps = [#map1, #map2, #map3], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%expanded_0, %expanded : tensor<1x1x1x128xi64>, tensor<1x1x128x1xi64>) outs(%2 : tensor<1x1x128x128xi1>) {
    ^bb0(%in: i64, %in_3: i64, %out: i1):
      %10 = arith.cmpi sle, %in, %in_3 : i64
      linalg.yield %10 : i1
    } -> tensor<1x1x128x128xi1>
    %4 = tensor.empty() : tensor<2x1x128x128xi1>
    %collapsed = tensor.collapse_shape %3 [[0, 1], [2], [3]] : tensor<1x1x128x128xi1> into tensor<1x128x128xi1>
    %5 = linalg.generic {indexing_maps = [#map4, #map3], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%collapsed : tensor<1x128x128xi1>) outs(%4 : tensor<2x1x128x128xi1>) {
    ^bb0(%in: i1, %out: i1):
      linalg.yield %in : i1
    } -> tensor<2x1x128x128xi1>
    %expanded_1 = tensor.expand_shape %arg0 [[0], [1, 2, 3]] output_shape [2, 1, 1, 128] : tensor<2x128xi1> into tensor<2x1x1x128xi1>
    %6 = linalg.generic {indexing_maps = [#map3, #map1, #map3], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%5, %expanded_1 : tensor<2x1x128x128xi1>, tensor<2x1x1x128xi1>) outs(%4 : tensor<2x1x128x128xi1>) {
    ^bb0(%in: i1, %in_3: i1, %out: i1):
      %10 = arith.andi %in, %in_3 : i1
      linalg.yield %10 : i1
    } -> tensor<2x1x128x128xi1>
    %7 = tensor.empty() : tensor<2x2x128x128xi1>
    %8 = linalg.generic {indexing_maps = [#map5, #map3], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%6 : tensor<2x1x128x128xi1>) outs(%7 : tensor<2x2x128x128xi1>) {
    ^bb0(%in: i1, %out: i1):
      linalg.yield %in : i1
    } -> tensor<2x2x128x128xi1>
    %collapsed_2 = tensor.collapse_shape %8 [[0, 1], [2], [3]] : tensor<2x2x128x128xi1> into tensor<4x128x128xi1>
    %9 = iree_linalg_ext.attention <indexing_maps = [#map6, #map7, #map8, #map9, #map10, #map11]> ins(%arg1, %arg2, %arg3, %arg4, %collapsed_2 : tensor<4x128x64xf16>, tensor<4x128x64xf16>, tensor<4x128x64xf16>, f32, tensor<4x128x128xi1>) outs(%arg5 : tensor<4x128x64xf16>) {
    ^bb0(%arg6: f32):
      iree_linalg_ext.yield %arg6 : f32
    } -> tensor<4x128x64xf16>
    return %9 : tensor<4x128x64xf16>
  }
}
