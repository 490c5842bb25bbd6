// The tilefuse paths' program stage paged-form (tilefuse/codegen/stages/paged_form.py, design/tilefuse-path.md
// "Paged KV") on torch's paged seq_lens decode (tests/fixtures/torch/paged_seq_lens_decode.mlir after IREE's input
// conversion and unrepeat-kv, its imports made arguments): the pages gathered by a generic of tensor.extract (the
// page id wrapped as Python wraps negative ids) become iree_linalg_ext.gather through the wrapped table; the batch
// (b * kv heads) that K and V read collapsed is split back, every operand expanded, the result collapsed; the mask
// `arange < seq_lens[:, None]`, broadcast over the heads, is proven key < seq_lens[b] and rebuilt as one generic of
// (b, rows, keys) from %arg4. In @off_by_one the mask compares with `sle`: the pages and the batch as before, the
// mask left as it was (the attention reads the broadcast one).
// RUN: %tilefuse stage paged-form --path tilefuse --target gfx942 %s | FileCheck %s

// CHECK-LABEL: util.func public @paged_seq_lens_decode
// CHECK:         %[[WRAPPED:.+]] = linalg.generic {{.+}} ins(%arg3 : tensor<2x4xi64>)
// CHECK:           arith.cmpi slt
// CHECK:           arith.addi
// CHECK:           arith.select
// CHECK:         %[[K:.+]] = iree_linalg_ext.gather dimension_map = [0] ins(%arg1, %[[WRAPPED]] :
// CHECK:         %[[V:.+]] = iree_linalg_ext.gather dimension_map = [0] ins(%arg2, %{{.+}} :
// CHECK-NOT:     tensor.extract
// CHECK:         %[[MASK:.+]] = linalg.generic {{.+}} ins(%arg4 : tensor<2xi32>) outs(%{{.+}} : tensor<2x1x128xi1>)
// CHECK:           %[[LEN:.+]] = arith.extsi %{{.+}} : i32 to i64
// CHECK:           %[[J:.+]] = linalg.index 2 : index
// CHECK:           %[[KEY:.+]] = arith.index_cast %[[J]] : index to i64
// CHECK:           arith.cmpi slt, %[[KEY]], %[[LEN]] : i64
// CHECK:         %[[OUT:.+]] = iree_linalg_ext.attention
// CHECK-SAME:      %[[MASK]] : tensor<2x2x4x1x64xf16>, tensor<2x2x128x64xf16>, tensor<2x2x128x64xf16>, f32, tensor<2x1x128xi1>)
// CHECK:         tensor.collapse_shape %[[OUT]] {{\[\[}}0, 1], [2], [3], [4]] : tensor<2x2x4x1x64xf16> into tensor<4x4x1x64xf16>
// CHECK-LABEL: util.func public @off_by_one
// CHECK:         iree_linalg_ext.gather
// CHECK:         iree_linalg_ext.gather
// CHECK:         iree_linalg_ext.attention
// CHECK-SAME:      tensor<2x2x4x1x64xf16>, tensor<2x2x128x64xf16>, tensor<2x2x128x64xf16>, f32, tensor<2x2x4x1x128xi1>)
#map = affine_map<(d0) -> (d0)>
#map1 = affine_map<(d0, d1) -> (0, d1)>
#map2 = affine_map<(d0, d1) -> (d0, 0)>
#map3 = affine_map<(d0, d1) -> (d0, d1)>
#map4 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1)>
#map5 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
#map6 = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
#map7 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map8 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d3, d4)>
#map9 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d4)>
#map10 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d5, d4)>
#map11 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d5, d3)>
#map12 = affine_map<(d0, d1, d2, d3, d4, d5) -> ()>
#map13 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>
#map14 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
module {
  util.func public @paged_seq_lens_decode(%arg0: tensor<2x8x1x64xf16>, %arg1: tensor<16x2x32x64xf16>, %arg2: tensor<16x2x32x64xf16>, %arg3: tensor<2x4xi64>, %arg4: tensor<2xi32>) -> tensor<2x8x1x64xf16> {
    %cst = arith.constant 1.250000e-01 : f32
    %c0_i64 = arith.constant 0 : i64
    %c16_i64 = arith.constant 16 : i64
    %5 = tensor.empty() : tensor<128xi64>
    %6 = linalg.generic {indexing_maps = [#map], iterator_types = ["parallel"]} outs(%5 : tensor<128xi64>) {
    ^bb0(%out: i64):
      %22 = linalg.index 0 : index
      %23 = arith.index_cast %22 : index to i64
      linalg.yield %23 : i64
    } -> tensor<128xi64>
    %expanded = tensor.expand_shape %6 [[0, 1]] output_shape [1, 128] : tensor<128xi64> into tensor<1x128xi64>
    %expanded_0 = tensor.expand_shape %arg4 [[0, 1]] output_shape [2, 1] : tensor<2xi32> into tensor<2x1xi32>
    %7 = tensor.empty() : tensor<2x128xi1>
    %8 = linalg.generic {indexing_maps = [#map1, #map2, #map3], iterator_types = ["parallel", "parallel"]} ins(%expanded, %expanded_0 : tensor<1x128xi64>, tensor<2x1xi32>) outs(%7 : tensor<2x128xi1>) {
    ^bb0(%in: i64, %in_16: i32, %out: i1):
      %22 = arith.extsi %in_16 : i32 to i64
      %23 = arith.cmpi slt, %in, %22 : i64
      linalg.yield %23 : i1
    } -> tensor<2x128xi1>
    %9 = tensor.empty() : tensor<2x4x2x32x64xf16>
    %10 = linalg.generic {indexing_maps = [#map4, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%arg3 : tensor<2x4xi64>) outs(%9 : tensor<2x4x2x32x64xf16>) {
    ^bb0(%in: i64, %out: f16):
      %22 = arith.cmpi slt, %in, %c0_i64 : i64
      %23 = arith.addi %in, %c16_i64 : i64
      %24 = arith.select %22, %23, %in : i64
      %25 = arith.index_cast %24 : i64 to index
      %26 = linalg.index 2 : index
      %27 = linalg.index 3 : index
      %28 = linalg.index 4 : index
      %extracted = tensor.extract %arg1[%25, %26, %27, %28] : tensor<16x2x32x64xf16>
      linalg.yield %extracted : f16
    } -> tensor<2x4x2x32x64xf16>
    %11 = tensor.empty() : tensor<2x2x4x32x64xf16>
    %transposed = linalg.transpose ins(%10 : tensor<2x4x2x32x64xf16>) outs(%11 : tensor<2x2x4x32x64xf16>) permutation = [0, 2, 1, 3, 4] 
    %collapsed = tensor.collapse_shape %transposed [[0], [1], [2, 3], [4]] : tensor<2x2x4x32x64xf16> into tensor<2x2x128x64xf16>
    %12 = linalg.generic {indexing_maps = [#map4, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%arg3 : tensor<2x4xi64>) outs(%9 : tensor<2x4x2x32x64xf16>) {
    ^bb0(%in: i64, %out: f16):
      %22 = arith.cmpi slt, %in, %c0_i64 : i64
      %23 = arith.addi %in, %c16_i64 : i64
      %24 = arith.select %22, %23, %in : i64
      %25 = arith.index_cast %24 : i64 to index
      %26 = linalg.index 2 : index
      %27 = linalg.index 3 : index
      %28 = linalg.index 4 : index
      %extracted = tensor.extract %arg2[%25, %26, %27, %28] : tensor<16x2x32x64xf16>
      linalg.yield %extracted : f16
    } -> tensor<2x4x2x32x64xf16>
    %transposed_1 = linalg.transpose ins(%12 : tensor<2x4x2x32x64xf16>) outs(%11 : tensor<2x2x4x32x64xf16>) permutation = [0, 2, 1, 3, 4] 
    %collapsed_2 = tensor.collapse_shape %transposed_1 [[0], [1], [2, 3], [4]] : tensor<2x2x4x32x64xf16> into tensor<2x2x128x64xf16>
    %expanded_3 = tensor.expand_shape %8 [[0], [1, 2, 3]] output_shape [2, 1, 1, 128] : tensor<2x128xi1> into tensor<2x1x1x128xi1>
    %13 = tensor.empty() : tensor<2x8x1x128xi1>
    %14 = linalg.generic {indexing_maps = [#map6, #map7], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%expanded_3 : tensor<2x1x1x128xi1>) outs(%13 : tensor<2x8x1x128xi1>) {
    ^bb0(%in: i1, %out: i1):
      linalg.yield %in : i1
    } -> tensor<2x8x1x128xi1>
    %15 = tensor.empty() : tensor<2x2x4x128x64xf16>
    %16 = linalg.generic {indexing_maps = [#map8, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%collapsed : tensor<2x2x128x64xf16>) outs(%15 : tensor<2x2x4x128x64xf16>) {
    ^bb0(%in: f16, %out: f16):
      linalg.yield %in : f16
    } -> tensor<2x2x4x128x64xf16>
    %collapsed_4 = tensor.collapse_shape %16 [[0], [1, 2], [3], [4]] : tensor<2x2x4x128x64xf16> into tensor<2x8x128x64xf16>
    %17 = linalg.generic {indexing_maps = [#map8, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%collapsed_2 : tensor<2x2x128x64xf16>) outs(%15 : tensor<2x2x4x128x64xf16>) {
    ^bb0(%in: f16, %out: f16):
      linalg.yield %in : f16
    } -> tensor<2x2x4x128x64xf16>
    %collapsed_5 = tensor.collapse_shape %17 [[0], [1, 2], [3], [4]] : tensor<2x2x4x128x64xf16> into tensor<2x8x128x64xf16>
    %collapsed_6 = tensor.collapse_shape %arg0 [[0, 1], [2], [3]] : tensor<2x8x1x64xf16> into tensor<16x1x64xf16>
    %collapsed_7 = tensor.collapse_shape %collapsed_4 [[0, 1], [2], [3]] : tensor<2x8x128x64xf16> into tensor<16x128x64xf16>
    %collapsed_8 = tensor.collapse_shape %collapsed_5 [[0, 1], [2], [3]] : tensor<2x8x128x64xf16> into tensor<16x128x64xf16>
    %collapsed_9 = tensor.collapse_shape %14 [[0, 1], [2], [3]] : tensor<2x8x1x128xi1> into tensor<16x1x128xi1>
    %collapsed_10 = tensor.collapse_shape %collapsed [[0, 1], [2], [3]] : tensor<2x2x128x64xf16> into tensor<4x128x64xf16>
    %collapsed_11 = tensor.collapse_shape %collapsed_2 [[0, 1], [2], [3]] : tensor<2x2x128x64xf16> into tensor<4x128x64xf16>
    %expanded_12 = tensor.expand_shape %collapsed_6 [[0, 1], [2], [3]] output_shape [4, 4, 1, 64] : tensor<16x1x64xf16> into tensor<4x4x1x64xf16>
    %expanded_13 = tensor.expand_shape %collapsed_9 [[0, 1], [2], [3]] output_shape [4, 4, 1, 128] : tensor<16x1x128xi1> into tensor<4x4x1x128xi1>
    %18 = tensor.empty() : tensor<4x4x1x64xf16>
    %19 = iree_linalg_ext.attention <indexing_maps = [#map9, #map10, #map11, #map12, #map13, #map14]> ins(%expanded_12, %collapsed_10, %collapsed_11, %cst, %expanded_13 : tensor<4x4x1x64xf16>, tensor<4x128x64xf16>, tensor<4x128x64xf16>, f32, tensor<4x4x1x128xi1>) outs(%18 : tensor<4x4x1x64xf16>) {
    ^bb0(%arg7: f32):
      iree_linalg_ext.yield %arg7 : f32
    } -> tensor<4x4x1x64xf16>
    %collapsed_14 = tensor.collapse_shape %19 [[0, 1], [2], [3]] : tensor<4x4x1x64xf16> into tensor<16x1x64xf16>
    %expanded_15 = tensor.expand_shape %collapsed_14 [[0, 1], [2], [3]] output_shape [2, 8, 1, 64] : tensor<16x1x64xf16> into tensor<2x8x1x64xf16>
    util.return %expanded_15 : tensor<2x8x1x64xf16>
  }
  util.func public @off_by_one(%arg0: tensor<2x8x1x64xf16>, %arg1: tensor<16x2x32x64xf16>, %arg2: tensor<16x2x32x64xf16>, %arg3: tensor<2x4xi64>, %arg4: tensor<2xi32>) -> tensor<2x8x1x64xf16> {
    %cst = arith.constant 1.250000e-01 : f32
    %c0_i64 = arith.constant 0 : i64
    %c16_i64 = arith.constant 16 : i64
    %5 = tensor.empty() : tensor<128xi64>
    %6 = linalg.generic {indexing_maps = [#map], iterator_types = ["parallel"]} outs(%5 : tensor<128xi64>) {
    ^bb0(%out: i64):
      %22 = linalg.index 0 : index
      %23 = arith.index_cast %22 : index to i64
      linalg.yield %23 : i64
    } -> tensor<128xi64>
    %expanded = tensor.expand_shape %6 [[0, 1]] output_shape [1, 128] : tensor<128xi64> into tensor<1x128xi64>
    %expanded_0 = tensor.expand_shape %arg4 [[0, 1]] output_shape [2, 1] : tensor<2xi32> into tensor<2x1xi32>
    %7 = tensor.empty() : tensor<2x128xi1>
    %8 = linalg.generic {indexing_maps = [#map1, #map2, #map3], iterator_types = ["parallel", "parallel"]} ins(%expanded, %expanded_0 : tensor<1x128xi64>, tensor<2x1xi32>) outs(%7 : tensor<2x128xi1>) {
    ^bb0(%in: i64, %in_16: i32, %out: i1):
      %22 = arith.extsi %in_16 : i32 to i64
      %23 = arith.cmpi sle, %in, %22 : i64
      linalg.yield %23 : i1
    } -> tensor<2x128xi1>
    %9 = tensor.empty() : tensor<2x4x2x32x64xf16>
    %10 = linalg.generic {indexing_maps = [#map4, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%arg3 : tensor<2x4xi64>) outs(%9 : tensor<2x4x2x32x64xf16>) {
    ^bb0(%in: i64, %out: f16):
      %22 = arith.cmpi slt, %in, %c0_i64 : i64
      %23 = arith.addi %in, %c16_i64 : i64
      %24 = arith.select %22, %23, %in : i64
      %25 = arith.index_cast %24 : i64 to index
      %26 = linalg.index 2 : index
      %27 = linalg.index 3 : index
      %28 = linalg.index 4 : index
      %extracted = tensor.extract %arg1[%25, %26, %27, %28] : tensor<16x2x32x64xf16>
      linalg.yield %extracted : f16
    } -> tensor<2x4x2x32x64xf16>
    %11 = tensor.empty() : tensor<2x2x4x32x64xf16>
    %transposed = linalg.transpose ins(%10 : tensor<2x4x2x32x64xf16>) outs(%11 : tensor<2x2x4x32x64xf16>) permutation = [0, 2, 1, 3, 4] 
    %collapsed = tensor.collapse_shape %transposed [[0], [1], [2, 3], [4]] : tensor<2x2x4x32x64xf16> into tensor<2x2x128x64xf16>
    %12 = linalg.generic {indexing_maps = [#map4, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%arg3 : tensor<2x4xi64>) outs(%9 : tensor<2x4x2x32x64xf16>) {
    ^bb0(%in: i64, %out: f16):
      %22 = arith.cmpi slt, %in, %c0_i64 : i64
      %23 = arith.addi %in, %c16_i64 : i64
      %24 = arith.select %22, %23, %in : i64
      %25 = arith.index_cast %24 : i64 to index
      %26 = linalg.index 2 : index
      %27 = linalg.index 3 : index
      %28 = linalg.index 4 : index
      %extracted = tensor.extract %arg2[%25, %26, %27, %28] : tensor<16x2x32x64xf16>
      linalg.yield %extracted : f16
    } -> tensor<2x4x2x32x64xf16>
    %transposed_1 = linalg.transpose ins(%12 : tensor<2x4x2x32x64xf16>) outs(%11 : tensor<2x2x4x32x64xf16>) permutation = [0, 2, 1, 3, 4] 
    %collapsed_2 = tensor.collapse_shape %transposed_1 [[0], [1], [2, 3], [4]] : tensor<2x2x4x32x64xf16> into tensor<2x2x128x64xf16>
    %expanded_3 = tensor.expand_shape %8 [[0], [1, 2, 3]] output_shape [2, 1, 1, 128] : tensor<2x128xi1> into tensor<2x1x1x128xi1>
    %13 = tensor.empty() : tensor<2x8x1x128xi1>
    %14 = linalg.generic {indexing_maps = [#map6, #map7], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%expanded_3 : tensor<2x1x1x128xi1>) outs(%13 : tensor<2x8x1x128xi1>) {
    ^bb0(%in: i1, %out: i1):
      linalg.yield %in : i1
    } -> tensor<2x8x1x128xi1>
    %15 = tensor.empty() : tensor<2x2x4x128x64xf16>
    %16 = linalg.generic {indexing_maps = [#map8, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%collapsed : tensor<2x2x128x64xf16>) outs(%15 : tensor<2x2x4x128x64xf16>) {
    ^bb0(%in: f16, %out: f16):
      linalg.yield %in : f16
    } -> tensor<2x2x4x128x64xf16>
    %collapsed_4 = tensor.collapse_shape %16 [[0], [1, 2], [3], [4]] : tensor<2x2x4x128x64xf16> into tensor<2x8x128x64xf16>
    %17 = linalg.generic {indexing_maps = [#map8, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%collapsed_2 : tensor<2x2x128x64xf16>) outs(%15 : tensor<2x2x4x128x64xf16>) {
    ^bb0(%in: f16, %out: f16):
      linalg.yield %in : f16
    } -> tensor<2x2x4x128x64xf16>
    %collapsed_5 = tensor.collapse_shape %17 [[0], [1, 2], [3], [4]] : tensor<2x2x4x128x64xf16> into tensor<2x8x128x64xf16>
    %collapsed_6 = tensor.collapse_shape %arg0 [[0, 1], [2], [3]] : tensor<2x8x1x64xf16> into tensor<16x1x64xf16>
    %collapsed_7 = tensor.collapse_shape %collapsed_4 [[0, 1], [2], [3]] : tensor<2x8x128x64xf16> into tensor<16x128x64xf16>
    %collapsed_8 = tensor.collapse_shape %collapsed_5 [[0, 1], [2], [3]] : tensor<2x8x128x64xf16> into tensor<16x128x64xf16>
    %collapsed_9 = tensor.collapse_shape %14 [[0, 1], [2], [3]] : tensor<2x8x1x128xi1> into tensor<16x1x128xi1>
    %collapsed_10 = tensor.collapse_shape %collapsed [[0, 1], [2], [3]] : tensor<2x2x128x64xf16> into tensor<4x128x64xf16>
    %collapsed_11 = tensor.collapse_shape %collapsed_2 [[0, 1], [2], [3]] : tensor<2x2x128x64xf16> into tensor<4x128x64xf16>
    %expanded_12 = tensor.expand_shape %collapsed_6 [[0, 1], [2], [3]] output_shape [4, 4, 1, 64] : tensor<16x1x64xf16> into tensor<4x4x1x64xf16>
    %expanded_13 = tensor.expand_shape %collapsed_9 [[0, 1], [2], [3]] output_shape [4, 4, 1, 128] : tensor<16x1x128xi1> into tensor<4x4x1x128xi1>
    %18 = tensor.empty() : tensor<4x4x1x64xf16>
    %19 = iree_linalg_ext.attention <indexing_maps = [#map9, #map10, #map11, #map12, #map13, #map14]> ins(%expanded_12, %collapsed_10, %collapsed_11, %cst, %expanded_13 : tensor<4x4x1x64xf16>, tensor<4x128x64xf16>, tensor<4x128x64xf16>, f32, tensor<4x4x1x128xi1>) outs(%18 : tensor<4x4x1x64xf16>) {
    ^bb0(%arg7: f32):
      iree_linalg_ext.yield %arg7 : f32
    } -> tensor<4x4x1x64xf16>
    %collapsed_14 = tensor.collapse_shape %19 [[0, 1], [2], [3]] : tensor<4x4x1x64xf16> into tensor<16x1x64xf16>
    %expanded_15 = tensor.expand_shape %collapsed_14 [[0, 1], [2], [3]] output_shape [2, 8, 1, 64] : tensor<16x1x64xf16> into tensor<2x8x1x64xf16>
    util.return %expanded_15 : tensor<2x8x1x64xf16>
  }
}
