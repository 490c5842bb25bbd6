// The tilefuse path's program stage seq-lens (tilefuse/codegen/stages/seq_lens.py, design/tilefuse-path.md "Paged
// KV"), on a paged GQA decode whose mask is built from a seq_lens operand (`tilefuse problem --paged 32 --seq-lens`):
// one generic reads seq_lens[b] and yields 0 for key j < seq_lens[b], -inf past it (ir/seq_lens.py proves it), so
// the attention is marked tilefuse.key_lengths, its mask left as it is; the second attention, whose mask compares
// with `sle` (one key too many), is no length mask and stays unmarked.
// RUN: %tilefuse stage seq-lens --path tilefuse --target gfx942 %s | FileCheck %s

// CHECK-LABEL: util.func public @attention
// CHECK:         %[[MASK:.+]] = linalg.generic
// CHECK:           arith.cmpi slt
// CHECK:         iree_linalg_ext.attention <{{.+}}> {tilefuse.key_lengths} ins({{.+}}, %[[MASK]] :
// CHECK-LABEL: util.func public @off_by_one
// CHECK-NOT:     tilefuse.key_lengths
#map = affine_map<(d0, d1, d2) -> (d0)>
#map1 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map2 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d4)>
#map3 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d5, d4)>
#map4 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d5, d6)>
#map5 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> ()>
#map6 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d3, d5)>
#map7 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d6)>
module {
  util.func public @attention(%arg0: tensor<2x4x1x64xf16>, %arg1: tensor<16x2x32x64xf16>, %arg2: tensor<16x2x32x64xf16>, %arg3: tensor<2x4xi64>, %arg4: tensor<2xi32>) -> tensor<2x4x1x64xf16> {
    %0 = tensor.empty() : tensor<2x4x2x32x64xf16>
    %1 = iree_linalg_ext.gather dimension_map = [0] ins(%arg1, %arg3 : tensor<16x2x32x64xf16>, tensor<2x4xi64>) outs(%0 : tensor<2x4x2x32x64xf16>) -> tensor<2x4x2x32x64xf16>
    %2 = tensor.empty() : tensor<2x2x4x32x64xf16>
    %transposed = linalg.transpose ins(%1 : tensor<2x4x2x32x64xf16>) outs(%2 : tensor<2x2x4x32x64xf16>) permutation = [0, 2, 1, 3, 4] 
    %collapsed = tensor.collapse_shape %transposed [[0], [1], [2, 3], [4]] : tensor<2x2x4x32x64xf16> into tensor<2x2x128x64xf16>
    %3 = tensor.empty() : tensor<2x4x2x32x64xf16>
    %4 = iree_linalg_ext.gather dimension_map = [0] ins(%arg2, %arg3 : tensor<16x2x32x64xf16>, tensor<2x4xi64>) outs(%3 : tensor<2x4x2x32x64xf16>) -> tensor<2x4x2x32x64xf16>
    %5 = tensor.empty() : tensor<2x2x4x32x64xf16>
    %transposed_0 = linalg.transpose ins(%4 : tensor<2x4x2x32x64xf16>) outs(%5 : tensor<2x2x4x32x64xf16>) permutation = [0, 2, 1, 3, 4] 
    %collapsed_1 = tensor.collapse_shape %transposed_0 [[0], [1], [2, 3], [4]] : tensor<2x2x4x32x64xf16> into tensor<2x2x128x64xf16>
    %expanded = tensor.expand_shape %arg0 [[0], [1, 2], [3], [4]] output_shape [2, 2, 2, 1, 64] : tensor<2x4x1x64xf16> into tensor<2x2x2x1x64xf16>
    %cst = arith.constant 1.250000e-01 : f16
    %6 = tensor.empty() : tensor<2x1x128xf16>
    %7 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg4 : tensor<2xi32>) outs(%6 : tensor<2x1x128xf16>) {
    ^bb0(%in: i32, %out: f16):
      %10 = linalg.index 2 : index
      %11 = arith.index_cast %10 : index to i32
      %12 = arith.cmpi slt, %11, %in : i32
      %cst_3 = arith.constant 0.000000e+00 : f16
      %cst_4 = arith.constant 0xFC00 : f16
      %13 = arith.select %12, %cst_3, %cst_4 : f16
      linalg.yield %13 : f16
    } -> tensor<2x1x128xf16>
    %8 = tensor.empty() : tensor<2x2x2x1x64xf16>
    %9 = iree_linalg_ext.attention <indexing_maps = [#map2, #map3, #map4, #map5, #map6, #map7]> ins(%expanded, %collapsed, %collapsed_1, %cst, %7 : tensor<2x2x2x1x64xf16>, tensor<2x2x128x64xf16>, tensor<2x2x128x64xf16>, f16, tensor<2x1x128xf16>) outs(%8 : tensor<2x2x2x1x64xf16>) {
    ^bb0(%arg5: f32):
      iree_linalg_ext.yield %arg5 : f32
    } -> tensor<2x2x2x1x64xf16>
    %collapsed_2 = tensor.collapse_shape %9 [[0], [1, 2], [3], [4]] : tensor<2x2x2x1x64xf16> into tensor<2x4x1x64xf16>
    util.return %collapsed_2 : tensor<2x4x1x64xf16>
  }
  util.func public @off_by_one(%arg0: tensor<2x4x1x64xf16>, %arg1: tensor<16x2x32x64xf16>, %arg2: tensor<16x2x32x64xf16>, %arg3: tensor<2x4xi64>, %arg4: tensor<2xi32>) -> tensor<2x4x1x64xf16> {
    %0 = tensor.empty() : tensor<2x4x2x32x64xf16>
    %1 = iree_linalg_ext.gather dimension_map = [0] ins(%arg1, %arg3 : tensor<16x2x32x64xf16>, tensor<2x4xi64>) outs(%0 : tensor<2x4x2x32x64xf16>) -> tensor<2x4x2x32x64xf16>
    %2 = tensor.empty() : tensor<2x2x4x32x64xf16>
    %transposed = linalg.transpose ins(%1 : tensor<2x4x2x32x64xf16>) outs(%2 : tensor<2x2x4x32x64xf16>) permutation = [0, 2, 1, 3, 4] 
    %collapsed = tensor.collapse_shape %transposed [[0], [1], [2, 3], [4]] : tensor<2x2x4x32x64xf16> into tensor<2x2x128x64xf16>
    %3 = tensor.empty() : tensor<2x4x2x32x64xf16>
    %4 = iree_linalg_ext.gather dimension_map = [0] ins(%arg2, %arg3 : tensor<16x2x32x64xf16>, tensor<2x4xi64>) outs(%3 : tensor<2x4x2x32x64xf16>) -> tensor<2x4x2x32x64xf16>
    %5 = tensor.empty() : tensor<2x2x4x32x64xf16>
    %transposed_0 = linalg.transpose ins(%4 : tensor<2x4x2x32x64xf16>) outs(%5 : tensor<2x2x4x32x64xf16>) permutation = [0, 2, 1, 3, 4] 
    %collapsed_1 = tensor.collapse_shape %transposed_0 [[0], [1], [2, 3], [4]] : tensor<2x2x4x32x64xf16> into tensor<2x2x128x64xf16>
    %expanded = tensor.expand_shape %arg0 [[0], [1, 2], [3], [4]] output_shape [2, 2, 2, 1, 64] : tensor<2x4x1x64xf16> into tensor<2x2x2x1x64xf16>
    %cst = arith.constant 1.250000e-01 : f16
    %6 = tensor.empty() : tensor<2x1x128xf16>
    %7 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg4 : tensor<2xi32>) outs(%6 : tensor<2x1x128xf16>) {
    ^bb0(%in: i32, %out: f16):
      %10 = linalg.index 2 : index
      %11 = arith.index_cast %10 : index to i32
      %12 = arith.cmpi sle, %11, %in : i32
      %cst_3 = arith.constant 0.000000e+00 : f16
      %cst_4 = arith.constant 0xFC00 : f16
      %13 = arith.select %12, %cst_3, %cst_4 : f16
      linalg.yield %13 : f16
    } -> tensor<2x1x128xf16>
    %8 = tensor.empty() : tensor<2x2x2x1x64xf16>
    %9 = iree_linalg_ext.attention <indexing_maps = [#map2, #map3, #map4, #map5, #map6, #map7]> ins(%expanded, %collapsed, %collapsed_1, %cst, %7 : tensor<2x2x2x1x64xf16>, tensor<2x2x128x64xf16>, tensor<2x2x128x64xf16>, f16, tensor<2x1x128xf16>) outs(%8 : tensor<2x2x2x1x64xf16>) {
    ^bb0(%arg5: f32):
      iree_linalg_ext.yield %arg5 : f32
    } -> tensor<2x2x2x1x64xf16>
    %collapsed_2 = tensor.collapse_shape %9 [[0], [1, 2], [3], [4]] : tensor<2x2x2x1x64xf16> into tensor<2x4x1x64xf16>
    util.return %collapsed_2 : tensor<2x4x1x64xf16>
  }
}
