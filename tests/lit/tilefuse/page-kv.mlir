// The tilefuse path's program stage page-kv (tilefuse/codegen/stages/page_kv.py, design/tilefuse-path.md
// "Paged KV"), on a paged GQA decode after split-k2: K and V gathered from page pools through the page table (4
// pages of 32 keys), moved and merged into the key dim, split in 4 splits of one page. The attention then reads the
// gathered pages through its indexing maps: the page table's pages dim split as the keys are (4 splits x 1 page),
// the gather's result (b, split, pages, kv head, page, d) read with the keys as two iteration dims, d4 (pages of a
// split) and a new d7 (the page), so IREE fuses the gathers into the attention's dispatch (the collapse of a
// transposed gather kept it from doing so) and configure steps the K2 loop a page at a time.
// RUN: %tilefuse stage page-kv --path tilefuse --target gfx942 %s | FileCheck %s

// CHECK-DAG:   #[[K:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d6, d4, d1, d7, d3)>
// CHECK-DAG:   #[[V:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d6, d4, d1, d7, d5)>
// CHECK-LABEL: util.func public @attention
// CHECK:       %[[T:.+]] = tensor.expand_shape %arg3 {{\[\[}}0], [1, 2]] output_shape [1, 4, 1] : tensor<1x4xi64> into tensor<1x4x1xi64>
// CHECK:       %[[KP:.+]] = iree_linalg_ext.gather dimension_map = [0] ins(%arg1, %[[T]] : tensor<8x2x32x64xf16>, tensor<1x4x1xi64>) {{.*}} -> tensor<1x4x1x2x32x64xf16>
// CHECK:       %[[VP:.+]] = iree_linalg_ext.gather dimension_map = [0] ins(%arg2, %{{.+}} : tensor<8x2x32x64xf16>, tensor<1x4x1xi64>) {{.*}} -> tensor<1x4x1x2x32x64xf16>
// CHECK:       iree_linalg_ext.online_attention <indexing_maps = [#{{.+}}, #[[K]], #[[V]],
// CHECK-SAME:    ins(%{{.+}}, %[[KP]], %[[VP]], %{{.+}} : tensor<1x2x16x64xf16>, tensor<1x4x1x2x32x64xf16>, tensor<1x4x1x2x32x64xf16>, f16)

#map = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
#map1 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d6, d4, d3)>
#map2 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d6, d4, d5)>
#map3 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> ()>
#map4 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d6, d2, d5)>
#map5 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d6, d2)>
#map6 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
#map7 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
#map8 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4, d2, d3)>
#map9 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
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
  %expanded_4 = tensor.expand_shape %collapsed [[0], [1], [2, 3], [4]] output_shape [1, 2, 4, 32, 64] : tensor<1x2x128x64xf16> into tensor<1x2x4x32x64xf16>
  %expanded_5 = tensor.expand_shape %collapsed_1 [[0], [1], [2, 3], [4]] output_shape [1, 2, 4, 32, 64] : tensor<1x2x128x64xf16> into tensor<1x2x4x32x64xf16>
  %cst_6 = arith.constant 0.000000e+00 : f32
  %6 = tensor.empty() : tensor<1x2x4x16x64xf32>
  %7 = linalg.fill ins(%cst_6 : f32) outs(%6 : tensor<1x2x4x16x64xf32>) -> tensor<1x2x4x16x64xf32>
  %cst_7 = arith.constant -3.40282347E+38 : f32
  %8 = tensor.empty() : tensor<1x2x4x16xf32>
  %9 = linalg.fill ins(%cst_7 : f32) outs(%8 : tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32>
  %cst_8 = arith.constant 0.000000e+00 : f32
  %10 = tensor.empty() : tensor<1x2x4x16xf32>
  %11 = linalg.fill ins(%cst_8 : f32) outs(%10 : tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32>
  %12:3 = iree_linalg_ext.online_attention <indexing_maps = [#map, #map1, #map2, #map3, #map4, #map5, #map5]> ins(%padded, %expanded_4, %expanded_5, %cst : tensor<1x2x16x64xf16>, tensor<1x2x4x32x64xf16>, tensor<1x2x4x32x64xf16>, f16) outs(%7, %9, %11 : tensor<1x2x4x16x64xf32>, tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>) {
  ^bb0(%arg4: f32):
    iree_linalg_ext.yield %arg4 : f32
  } -> tensor<1x2x4x16x64xf32>, tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>
  %13 = tensor.empty() : tensor<1x2x4x16x64xf32>
  %14 = tensor.empty() : tensor<1x2x4x16x64xf32>
  %15:2 = linalg.generic {indexing_maps = [#map6, #map7, #map7, #map6, #map6], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%12#0, %12#1, %12#2 : tensor<1x2x4x16x64xf32>, tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>) outs(%13, %14 : tensor<1x2x4x16x64xf32>, tensor<1x2x4x16x64xf32>) {
  ^bb0(%in: f32, %in_15: f32, %in_16: f32, %out: f32, %out_17: f32):
    %cst_18 = arith.constant 0.000000e+00 : f32
    %25 = arith.cmpf ogt, %in_16, %cst_18 : f32
    %26 = arith.divf %in, %in_16 : f32
    %cst_19 = arith.constant 0.000000e+00 : f32
    %27 = arith.select %25, %26, %cst_19 : f32
    %28 = math.log2 %in_16 : f32
    %29 = arith.addf %in_15, %28 : f32
    linalg.yield %27, %29 : f32, f32
  } -> (tensor<1x2x4x16x64xf32>, tensor<1x2x4x16x64xf32>)
  %extracted_slice = tensor.extract_slice %15#0[0, 0, 0, 0, 0] [1, 2, 4, 4, 64] [1, 1, 1, 1, 1] : tensor<1x2x4x16x64xf32> to tensor<1x2x4x4x64xf32>
  %extracted_slice_9 = tensor.extract_slice %15#1[0, 0, 0, 0, 0] [1, 2, 4, 4, 64] [1, 1, 1, 1, 1] : tensor<1x2x4x16x64xf32> to tensor<1x2x4x4x64xf32>
  %cst_10 = arith.constant -3.40282347E+38 : f32
  %16 = tensor.empty() : tensor<1x2x4x64xf32>
  %17 = linalg.fill ins(%cst_10 : f32) outs(%16 : tensor<1x2x4x64xf32>) -> tensor<1x2x4x64xf32>
  %cst_11 = arith.constant 0.000000e+00 : f32
  %18 = tensor.empty() : tensor<1x2x4x64xf32>
  %19 = linalg.fill ins(%cst_11 : f32) outs(%18 : tensor<1x2x4x64xf32>) -> tensor<1x2x4x64xf32>
  %cst_12 = arith.constant 0.000000e+00 : f32
  %20 = tensor.empty() : tensor<1x2x4x64xf32>
  %21 = linalg.fill ins(%cst_12 : f32) outs(%20 : tensor<1x2x4x64xf32>) -> tensor<1x2x4x64xf32>
  %22:3 = linalg.generic {indexing_maps = [#map8, #map8, #map7, #map7, #map7], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%extracted_slice, %extracted_slice_9 : tensor<1x2x4x4x64xf32>, tensor<1x2x4x4x64xf32>) outs(%17, %19, %21 : tensor<1x2x4x64xf32>, tensor<1x2x4x64xf32>, tensor<1x2x4x64xf32>) {
  ^bb0(%in: f32, %in_15: f32, %out: f32, %out_16: f32, %out_17: f32):
    %25 = arith.maximumf %out, %in_15 : f32
    %26 = arith.subf %out, %25 : f32
    %27 = math.exp2 %26 : f32
    %28 = arith.subf %in_15, %25 : f32
    %29 = math.exp2 %28 : f32
    %30 = arith.mulf %out_16, %27 : f32
    %31 = arith.addf %30, %29 : f32
    %32 = arith.mulf %out_17, %27 : f32
    %33 = arith.mulf %in, %29 : f32
    %34 = arith.addf %32, %33 : f32
    linalg.yield %25, %31, %34 : f32, f32, f32
  } -> (tensor<1x2x4x64xf32>, tensor<1x2x4x64xf32>, tensor<1x2x4x64xf32>)
  %23 = tensor.empty() : tensor<1x2x4x64xf16>
  %24 = linalg.generic {indexing_maps = [#map9, #map9, #map9], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%22#2, %22#1 : tensor<1x2x4x64xf32>, tensor<1x2x4x64xf32>) outs(%23 : tensor<1x2x4x64xf16>) {
  ^bb0(%in: f32, %in_15: f32, %out: f16):
    %25 = arith.divf %in, %in_15 : f32
    %26 = arith.truncf %25 : f32 to f16
    linalg.yield %26 : f16
  } -> tensor<1x2x4x64xf16>
  %expanded_13 = tensor.expand_shape %24 [[0], [1], [2, 3], [4]] output_shape [1, 2, 4, 1, 64] : tensor<1x2x4x64xf16> into tensor<1x2x4x1x64xf16>
  %collapsed_14 = tensor.collapse_shape %expanded_13 [[0], [1, 2], [3], [4]] : tensor<1x2x4x1x64xf16> into tensor<1x8x1x64xf16>
  util.return %collapsed_14 : tensor<1x8x1x64xf16>
}
