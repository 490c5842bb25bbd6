// The tilefuse path's program stage seq-lens-mask (tilefuse/codegen/stages/seq_lens_mask.py, design/tilefuse-path.md
// "Paged KV"), last, on a paged GQA decode whose mask is built from a seq_lens operand (`tilefuse problem --paged 32
// --seq-lens`: 3 sequences, 8/2 heads, 32 pages of 32 keys split in 8 splits of 4 pages), after split-k2, page-kv and
// widen-kv. The mask generic (key j < seq_lens[b], over the (3, 1, 1024) mask the program wrote) is rebuilt in the
// (batch, split, page, key) shape the attention reads: the key index is the row-major number of the split, page and
// key dims (split * 4 + page) * 32 + key. That generic, the attention and split-k2's P/L generic are one
// flow.dispatch.region, so IREE forms no dispatch that writes the mask; the combine stays outside. The second
// function's attention is not marked tilefuse.key_lengths (seq-lens proved nothing): it keeps its mask as it was.
// RUN: %tilefuse stage seq-lens-mask --path tilefuse --target gfx942 %s | FileCheck %s

// CHECK-LABEL: util.func public @attention
// CHECK-NOT:     -> tensor<3x1x1024xf16>
// CHECK:         %[[PARTIALS:.+]]:2 = flow.dispatch.region -> (tensor<3x2x8x4x64xf32>, tensor<3x2x8x4x64xf32>) {
// CHECK:           %[[MASK:.+]] = linalg.generic {{.+}} ins(%arg4 : tensor<3xi32>) outs(%{{.+}} : tensor<3x8x4x32xf16>) {
// CHECK:             %[[SPLIT:.+]] = linalg.index 1 : index
// CHECK:             %[[PAGE:.+]] = linalg.index 2 : index
// CHECK:             %[[C4:.+]] = arith.constant 4 : index
// CHECK:             %[[S4:.+]] = arith.muli %[[SPLIT]], %[[C4]] : index
// CHECK:             %[[PAGES:.+]] = arith.addi %[[S4]], %[[PAGE]] : index
// CHECK:             %[[KEY:.+]] = linalg.index 3 : index
// CHECK:             %[[C32:.+]] = arith.constant 32 : index
// CHECK:             %[[P32:.+]] = arith.muli %[[PAGES]], %[[C32]] : index
// CHECK:             %[[J:.+]] = arith.addi %[[P32]], %[[KEY]] : index
// CHECK:             %[[J32:.+]] = arith.index_cast %[[J]] : index to i32
// CHECK:             arith.cmpi slt, %[[J32]], %{{.+}} : i32
// CHECK:           %[[ATT:.+]]:3 = iree_linalg_ext.online_attention {{.+}} {tilefuse.key_lengths} ins({{.+}}, %[[MASK]] : {{.+}})
// CHECK:           %[[PL:.+]]:2 = linalg.generic {{.+}} ins(%[[ATT]]#0, %[[ATT]]#1, %[[ATT]]#2 :
// CHECK:           flow.return %[[PL]]#0, %[[PL]]#1
// CHECK:         linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[PARTIALS]]#0, %[[PARTIALS]]#1 :

// CHECK-LABEL: util.func public @unmarked
// CHECK-NOT:     flow.dispatch.region
// CHECK:         %[[OLD:.+]] = linalg.generic {{.+}} ins(%arg4 : tensor<3xi32>) outs(%{{.+}} : tensor<3x1x1024xf16>)
// CHECK:         %[[C:.+]] = tensor.collapse_shape %[[OLD]]
// CHECK:         iree_linalg_ext.online_attention
// CHECK-NOT:     flow.dispatch.region

#map = affine_map<(d0, d1, d2) -> (d0)>
#map1 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map2 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3)>
#map3 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d6, d4, d1, d7, d3)>
#map4 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d6, d4, d1, d7, d5)>
#map5 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> ()>
#map6 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d6, d4, d7)>
#map7 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d6, d2, d5)>
#map8 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d6, d2)>
#map9 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
#map10 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
#map11 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4, d2, d3)>
#map12 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
module {
  util.func public @attention(%arg0: tensor<3x8x1x64xf16>, %arg1: tensor<192x2x32x64xf16>, %arg2: tensor<192x2x32x64xf16>, %arg3: tensor<3x32xi64>, %arg4: tensor<3xi32>) -> tensor<3x8x1x64xf16> {
    %0 = tensor.empty() : tensor<3x32x2x32x64xf16>
    %1 = iree_linalg_ext.gather dimension_map = [0] ins(%arg1, %arg3 : tensor<192x2x32x64xf16>, tensor<3x32xi64>) outs(%0 : tensor<3x32x2x32x64xf16>) -> tensor<3x32x2x32x64xf16>
    %2 = tensor.empty() : tensor<3x2x32x32x64xf16>
    %transposed = linalg.transpose ins(%1 : tensor<3x32x2x32x64xf16>) outs(%2 : tensor<3x2x32x32x64xf16>) permutation = [0, 2, 1, 3, 4] 
    %collapsed = tensor.collapse_shape %transposed [[0], [1], [2, 3], [4]] : tensor<3x2x32x32x64xf16> into tensor<3x2x1024x64xf16>
    %3 = tensor.empty() : tensor<3x32x2x32x64xf16>
    %4 = iree_linalg_ext.gather dimension_map = [0] ins(%arg2, %arg3 : tensor<192x2x32x64xf16>, tensor<3x32xi64>) outs(%3 : tensor<3x32x2x32x64xf16>) -> tensor<3x32x2x32x64xf16>
    %5 = tensor.empty() : tensor<3x2x32x32x64xf16>
    %transposed_0 = linalg.transpose ins(%4 : tensor<3x32x2x32x64xf16>) outs(%5 : tensor<3x2x32x32x64xf16>) permutation = [0, 2, 1, 3, 4] 
    %collapsed_1 = tensor.collapse_shape %transposed_0 [[0], [1], [2, 3], [4]] : tensor<3x2x32x32x64xf16> into tensor<3x2x1024x64xf16>
    %expanded = tensor.expand_shape %arg0 [[0], [1, 2], [3], [4]] output_shape [3, 2, 4, 1, 64] : tensor<3x8x1x64xf16> into tensor<3x2x4x1x64xf16>
    %cst = arith.constant 1.250000e-01 : f16
    %6 = tensor.empty() : tensor<3x1x1024xf16>
    %7 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg4 : tensor<3xi32>) outs(%6 : tensor<3x1x1024xf16>) {
    ^bb0(%in: i32, %out: f16):
      %31 = linalg.index 2 : index
      %32 = arith.index_cast %31 : index to i32
      %33 = arith.cmpi slt, %32, %in : i32
      %cst_18 = arith.constant 0.000000e+00 : f16
      %cst_19 = arith.constant 0xFC00 : f16
      %34 = arith.select %33, %cst_18, %cst_19 : f16
      linalg.yield %34 : f16
    } -> tensor<3x1x1024xf16>
    %collapsed_2 = tensor.collapse_shape %7 [[0], [1, 2]] : tensor<3x1x1024xf16> into tensor<3x1024xf16>
    %collapsed_3 = tensor.collapse_shape %expanded [[0], [1], [2, 3], [4]] : tensor<3x2x4x1x64xf16> into tensor<3x2x4x64xf16>
    %expanded_4 = tensor.expand_shape %collapsed [[0], [1], [2, 3], [4]] output_shape [3, 2, 8, 128, 64] : tensor<3x2x1024x64xf16> into tensor<3x2x8x128x64xf16>
    %expanded_5 = tensor.expand_shape %collapsed_1 [[0], [1], [2, 3], [4]] output_shape [3, 2, 8, 128, 64] : tensor<3x2x1024x64xf16> into tensor<3x2x8x128x64xf16>
    %expanded_6 = tensor.expand_shape %collapsed_2 [[0], [1, 2]] output_shape [3, 8, 128] : tensor<3x1024xf16> into tensor<3x8x128xf16>
    %cst_7 = arith.constant 0.000000e+00 : f32
    %8 = tensor.empty() : tensor<3x2x8x4x64xf32>
    %9 = linalg.fill ins(%cst_7 : f32) outs(%8 : tensor<3x2x8x4x64xf32>) -> tensor<3x2x8x4x64xf32>
    %cst_8 = arith.constant -3.40282347E+38 : f32
    %10 = tensor.empty() : tensor<3x2x8x4xf32>
    %11 = linalg.fill ins(%cst_8 : f32) outs(%10 : tensor<3x2x8x4xf32>) -> tensor<3x2x8x4xf32>
    %cst_9 = arith.constant 0.000000e+00 : f32
    %12 = tensor.empty() : tensor<3x2x8x4xf32>
    %13 = linalg.fill ins(%cst_9 : f32) outs(%12 : tensor<3x2x8x4xf32>) -> tensor<3x2x8x4xf32>
    %expanded_10 = tensor.expand_shape %arg3 [[0], [1, 2]] output_shape [3, 8, 4] : tensor<3x32xi64> into tensor<3x8x4xi64>
    %14 = tensor.empty() : tensor<3x8x4x2x32x64xf16>
    %15 = iree_linalg_ext.gather dimension_map = [0] ins(%arg1, %expanded_10 : tensor<192x2x32x64xf16>, tensor<3x8x4xi64>) outs(%14 : tensor<3x8x4x2x32x64xf16>) -> tensor<3x8x4x2x32x64xf16>
    %expanded_11 = tensor.expand_shape %arg3 [[0], [1, 2]] output_shape [3, 8, 4] : tensor<3x32xi64> into tensor<3x8x4xi64>
    %16 = tensor.empty() : tensor<3x8x4x2x32x64xf16>
    %17 = iree_linalg_ext.gather dimension_map = [0] ins(%arg2, %expanded_11 : tensor<192x2x32x64xf16>, tensor<3x8x4xi64>) outs(%16 : tensor<3x8x4x2x32x64xf16>) -> tensor<3x8x4x2x32x64xf16>
    %expanded_12 = tensor.expand_shape %expanded_6 [[0], [1], [2, 3]] output_shape [3, 8, 4, 32] : tensor<3x8x128xf16> into tensor<3x8x4x32xf16>
    %18:3 = iree_linalg_ext.online_attention <indexing_maps = [#map2, #map3, #map4, #map5, #map6, #map7, #map8, #map8]> {tilefuse.key_lengths} ins(%collapsed_3, %15, %17, %cst, %expanded_12 : tensor<3x2x4x64xf16>, tensor<3x8x4x2x32x64xf16>, tensor<3x8x4x2x32x64xf16>, f16, tensor<3x8x4x32xf16>) outs(%9, %11, %13 : tensor<3x2x8x4x64xf32>, tensor<3x2x8x4xf32>, tensor<3x2x8x4xf32>) {
    ^bb0(%arg5: f32):
      iree_linalg_ext.yield %arg5 : f32
    } -> tensor<3x2x8x4x64xf32>, tensor<3x2x8x4xf32>, tensor<3x2x8x4xf32>
    %19 = tensor.empty() : tensor<3x2x8x4x64xf32>
    %20 = tensor.empty() : tensor<3x2x8x4x64xf32>
    %21:2 = linalg.generic {indexing_maps = [#map9, #map10, #map10, #map9, #map9], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%18#0, %18#1, %18#2 : tensor<3x2x8x4x64xf32>, tensor<3x2x8x4xf32>, tensor<3x2x8x4xf32>) outs(%19, %20 : tensor<3x2x8x4x64xf32>, tensor<3x2x8x4x64xf32>) {
    ^bb0(%in: f32, %in_18: f32, %in_19: f32, %out: f32, %out_20: f32):
      %cst_21 = arith.constant 0.000000e+00 : f32
      %31 = arith.cmpf ogt, %in_19, %cst_21 : f32
      %32 = arith.divf %in, %in_19 : f32
      %cst_22 = arith.constant 0.000000e+00 : f32
      %33 = arith.select %31, %32, %cst_22 : f32
      %34 = math.log2 %in_19 : f32
      %35 = arith.addf %in_18, %34 : f32
      linalg.yield %33, %35 : f32, f32
    } -> (tensor<3x2x8x4x64xf32>, tensor<3x2x8x4x64xf32>)
    %cst_13 = arith.constant -3.40282347E+38 : f32
    %22 = tensor.empty() : tensor<3x2x4x64xf32>
    %23 = linalg.fill ins(%cst_13 : f32) outs(%22 : tensor<3x2x4x64xf32>) -> tensor<3x2x4x64xf32>
    %cst_14 = arith.constant 0.000000e+00 : f32
    %24 = tensor.empty() : tensor<3x2x4x64xf32>
    %25 = linalg.fill ins(%cst_14 : f32) outs(%24 : tensor<3x2x4x64xf32>) -> tensor<3x2x4x64xf32>
    %cst_15 = arith.constant 0.000000e+00 : f32
    %26 = tensor.empty() : tensor<3x2x4x64xf32>
    %27 = linalg.fill ins(%cst_15 : f32) outs(%26 : tensor<3x2x4x64xf32>) -> tensor<3x2x4x64xf32>
    %28:3 = linalg.generic {indexing_maps = [#map11, #map11, #map10, #map10, #map10], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%21#0, %21#1 : tensor<3x2x8x4x64xf32>, tensor<3x2x8x4x64xf32>) outs(%23, %25, %27 : tensor<3x2x4x64xf32>, tensor<3x2x4x64xf32>, tensor<3x2x4x64xf32>) {
    ^bb0(%in: f32, %in_18: f32, %out: f32, %out_19: f32, %out_20: f32):
      %31 = arith.maximumf %out, %in_18 : f32
      %32 = arith.subf %out, %31 : f32
      %33 = math.exp2 %32 : f32
      %34 = arith.subf %in_18, %31 : f32
      %35 = math.exp2 %34 : f32
      %36 = arith.mulf %out_19, %33 : f32
      %37 = arith.addf %36, %35 : f32
      %38 = arith.mulf %out_20, %33 : f32
      %39 = arith.mulf %in, %35 : f32
      %40 = arith.addf %38, %39 : f32
      linalg.yield %31, %37, %40 : f32, f32, f32
    } -> (tensor<3x2x4x64xf32>, tensor<3x2x4x64xf32>, tensor<3x2x4x64xf32>)
    %29 = tensor.empty() : tensor<3x2x4x64xf16>
    %30 = linalg.generic {indexing_maps = [#map12, #map12, #map12], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%28#2, %28#1 : tensor<3x2x4x64xf32>, tensor<3x2x4x64xf32>) outs(%29 : tensor<3x2x4x64xf16>) {
    ^bb0(%in: f32, %in_18: f32, %out: f16):
      %31 = arith.divf %in, %in_18 : f32
      %32 = arith.truncf %31 : f32 to f16
      linalg.yield %32 : f16
    } -> tensor<3x2x4x64xf16>
    %expanded_16 = tensor.expand_shape %30 [[0], [1], [2, 3], [4]] output_shape [3, 2, 4, 1, 64] : tensor<3x2x4x64xf16> into tensor<3x2x4x1x64xf16>
    %collapsed_17 = tensor.collapse_shape %expanded_16 [[0], [1, 2], [3], [4]] : tensor<3x2x4x1x64xf16> into tensor<3x8x1x64xf16>
    util.return %collapsed_17 : tensor<3x8x1x64xf16>
  }
  util.func public @unmarked(%arg0: tensor<3x8x1x64xf16>, %arg1: tensor<192x2x32x64xf16>, %arg2: tensor<192x2x32x64xf16>, %arg3: tensor<3x32xi64>, %arg4: tensor<3xi32>) -> tensor<3x8x1x64xf16> {
    %0 = tensor.empty() : tensor<3x32x2x32x64xf16>
    %1 = iree_linalg_ext.gather dimension_map = [0] ins(%arg1, %arg3 : tensor<192x2x32x64xf16>, tensor<3x32xi64>) outs(%0 : tensor<3x32x2x32x64xf16>) -> tensor<3x32x2x32x64xf16>
    %2 = tensor.empty() : tensor<3x2x32x32x64xf16>
    %transposed = linalg.transpose ins(%1 : tensor<3x32x2x32x64xf16>) outs(%2 : tensor<3x2x32x32x64xf16>) permutation = [0, 2, 1, 3, 4] 
    %collapsed = tensor.collapse_shape %transposed [[0], [1], [2, 3], [4]] : tensor<3x2x32x32x64xf16> into tensor<3x2x1024x64xf16>
    %3 = tensor.empty() : tensor<3x32x2x32x64xf16>
    %4 = iree_linalg_ext.gather dimension_map = [0] ins(%arg2, %arg3 : tensor<192x2x32x64xf16>, tensor<3x32xi64>) outs(%3 : tensor<3x32x2x32x64xf16>) -> tensor<3x32x2x32x64xf16>
    %5 = tensor.empty() : tensor<3x2x32x32x64xf16>
    %transposed_0 = linalg.transpose ins(%4 : tensor<3x32x2x32x64xf16>) outs(%5 : tensor<3x2x32x32x64xf16>) permutation = [0, 2, 1, 3, 4] 
    %collapsed_1 = tensor.collapse_shape %transposed_0 [[0], [1], [2, 3], [4]] : tensor<3x2x32x32x64xf16> into tensor<3x2x1024x64xf16>
    %expanded = tensor.expand_shape %arg0 [[0], [1, 2], [3], [4]] output_shape [3, 2, 4, 1, 64] : tensor<3x8x1x64xf16> into tensor<3x2x4x1x64xf16>
    %cst = arith.constant 1.250000e-01 : f16
    %6 = tensor.empty() : tensor<3x1x1024xf16>
    %7 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg4 : tensor<3xi32>) outs(%6 : tensor<3x1x1024xf16>) {
    ^bb0(%in: i32, %out: f16):
      %31 = linalg.index 2 : index
      %32 = arith.index_cast %31 : index to i32
      %33 = arith.cmpi slt, %32, %in : i32
      %cst_18 = arith.constant 0.000000e+00 : f16
      %cst_19 = arith.constant 0xFC00 : f16
      %34 = arith.select %33, %cst_18, %cst_19 : f16
      linalg.yield %34 : f16
    } -> tensor<3x1x1024xf16>
    %collapsed_2 = tensor.collapse_shape %7 [[0], [1, 2]] : tensor<3x1x1024xf16> into tensor<3x1024xf16>
    %collapsed_3 = tensor.collapse_shape %expanded [[0], [1], [2, 3], [4]] : tensor<3x2x4x1x64xf16> into tensor<3x2x4x64xf16>
    %expanded_4 = tensor.expand_shape %collapsed [[0], [1], [2, 3], [4]] output_shape [3, 2, 8, 128, 64] : tensor<3x2x1024x64xf16> into tensor<3x2x8x128x64xf16>
    %expanded_5 = tensor.expand_shape %collapsed_1 [[0], [1], [2, 3], [4]] output_shape [3, 2, 8, 128, 64] : tensor<3x2x1024x64xf16> into tensor<3x2x8x128x64xf16>
    %expanded_6 = tensor.expand_shape %collapsed_2 [[0], [1, 2]] output_shape [3, 8, 128] : tensor<3x1024xf16> into tensor<3x8x128xf16>
    %cst_7 = arith.constant 0.000000e+00 : f32
    %8 = tensor.empty() : tensor<3x2x8x4x64xf32>
    %9 = linalg.fill ins(%cst_7 : f32) outs(%8 : tensor<3x2x8x4x64xf32>) -> tensor<3x2x8x4x64xf32>
    %cst_8 = arith.constant -3.40282347E+38 : f32
    %10 = tensor.empty() : tensor<3x2x8x4xf32>
    %11 = linalg.fill ins(%cst_8 : f32) outs(%10 : tensor<3x2x8x4xf32>) -> tensor<3x2x8x4xf32>
    %cst_9 = arith.constant 0.000000e+00 : f32
    %12 = tensor.empty() : tensor<3x2x8x4xf32>
    %13 = linalg.fill ins(%cst_9 : f32) outs(%12 : tensor<3x2x8x4xf32>) -> tensor<3x2x8x4xf32>
    %expanded_10 = tensor.expand_shape %arg3 [[0], [1, 2]] output_shape [3, 8, 4] : tensor<3x32xi64> into tensor<3x8x4xi64>
    %14 = tensor.empty() : tensor<3x8x4x2x32x64xf16>
    %15 = iree_linalg_ext.gather dimension_map = [0] ins(%arg1, %expanded_10 : tensor<192x2x32x64xf16>, tensor<3x8x4xi64>) outs(%14 : tensor<3x8x4x2x32x64xf16>) -> tensor<3x8x4x2x32x64xf16>
    %expanded_11 = tensor.expand_shape %arg3 [[0], [1, 2]] output_shape [3, 8, 4] : tensor<3x32xi64> into tensor<3x8x4xi64>
    %16 = tensor.empty() : tensor<3x8x4x2x32x64xf16>
    %17 = iree_linalg_ext.gather dimension_map = [0] ins(%arg2, %expanded_11 : tensor<192x2x32x64xf16>, tensor<3x8x4xi64>) outs(%16 : tensor<3x8x4x2x32x64xf16>) -> tensor<3x8x4x2x32x64xf16>
    %expanded_12 = tensor.expand_shape %expanded_6 [[0], [1], [2, 3]] output_shape [3, 8, 4, 32] : tensor<3x8x128xf16> into tensor<3x8x4x32xf16>
    %18:3 = iree_linalg_ext.online_attention <indexing_maps = [#map2, #map3, #map4, #map5, #map6, #map7, #map8, #map8]> ins(%collapsed_3, %15, %17, %cst, %expanded_12 : tensor<3x2x4x64xf16>, tensor<3x8x4x2x32x64xf16>, tensor<3x8x4x2x32x64xf16>, f16, tensor<3x8x4x32xf16>) outs(%9, %11, %13 : tensor<3x2x8x4x64xf32>, tensor<3x2x8x4xf32>, tensor<3x2x8x4xf32>) {
    ^bb0(%arg5: f32):
      iree_linalg_ext.yield %arg5 : f32
    } -> tensor<3x2x8x4x64xf32>, tensor<3x2x8x4xf32>, tensor<3x2x8x4xf32>
    %19 = tensor.empty() : tensor<3x2x8x4x64xf32>
    %20 = tensor.empty() : tensor<3x2x8x4x64xf32>
    %21:2 = linalg.generic {indexing_maps = [#map9, #map10, #map10, #map9, #map9], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%18#0, %18#1, %18#2 : tensor<3x2x8x4x64xf32>, tensor<3x2x8x4xf32>, tensor<3x2x8x4xf32>) outs(%19, %20 : tensor<3x2x8x4x64xf32>, tensor<3x2x8x4x64xf32>) {
    ^bb0(%in: f32, %in_18: f32, %in_19: f32, %out: f32, %out_20: f32):
      %cst_21 = arith.constant 0.000000e+00 : f32
      %31 = arith.cmpf ogt, %in_19, %cst_21 : f32
      %32 = arith.divf %in, %in_19 : f32
      %cst_22 = arith.constant 0.000000e+00 : f32
      %33 = arith.select %31, %32, %cst_22 : f32
      %34 = math.log2 %in_19 : f32
      %35 = arith.addf %in_18, %34 : f32
      linalg.yield %33, %35 : f32, f32
    } -> (tensor<3x2x8x4x64xf32>, tensor<3x2x8x4x64xf32>)
    %cst_13 = arith.constant -3.40282347E+38 : f32
    %22 = tensor.empty() : tensor<3x2x4x64xf32>
    %23 = linalg.fill ins(%cst_13 : f32) outs(%22 : tensor<3x2x4x64xf32>) -> tensor<3x2x4x64xf32>
    %cst_14 = arith.constant 0.000000e+00 : f32
    %24 = tensor.empty() : tensor<3x2x4x64xf32>
    %25 = linalg.fill ins(%cst_14 : f32) outs(%24 : tensor<3x2x4x64xf32>) -> tensor<3x2x4x64xf32>
    %cst_15 = arith.constant 0.000000e+00 : f32
    %26 = tensor.empty() : tensor<3x2x4x64xf32>
    %27 = linalg.fill ins(%cst_15 : f32) outs(%26 : tensor<3x2x4x64xf32>) -> tensor<3x2x4x64xf32>
    %28:3 = linalg.generic {indexing_maps = [#map11, #map11, #map10, #map10, #map10], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%21#0, %21#1 : tensor<3x2x8x4x64xf32>, tensor<3x2x8x4x64xf32>) outs(%23, %25, %27 : tensor<3x2x4x64xf32>, tensor<3x2x4x64xf32>, tensor<3x2x4x64xf32>) {
    ^bb0(%in: f32, %in_18: f32, %out: f32, %out_19: f32, %out_20: f32):
      %31 = arith.maximumf %out, %in_18 : f32
      %32 = arith.subf %out, %31 : f32
      %33 = math.exp2 %32 : f32
      %34 = arith.subf %in_18, %31 : f32
      %35 = math.exp2 %34 : f32
      %36 = arith.mulf %out_19, %33 : f32
      %37 = arith.addf %36, %35 : f32
      %38 = arith.mulf %out_20, %33 : f32
      %39 = arith.mulf %in, %35 : f32
      %40 = arith.addf %38, %39 : f32
      linalg.yield %31, %37, %40 : f32, f32, f32
    } -> (tensor<3x2x4x64xf32>, tensor<3x2x4x64xf32>, tensor<3x2x4x64xf32>)
    %29 = tensor.empty() : tensor<3x2x4x64xf16>
    %30 = linalg.generic {indexing_maps = [#map12, #map12, #map12], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%28#2, %28#1 : tensor<3x2x4x64xf32>, tensor<3x2x4x64xf32>) outs(%29 : tensor<3x2x4x64xf16>) {
    ^bb0(%in: f32, %in_18: f32, %out: f16):
      %31 = arith.divf %in, %in_18 : f32
      %32 = arith.truncf %31 : f32 to f16
      linalg.yield %32 : f16
    } -> tensor<3x2x4x64xf16>
    %expanded_16 = tensor.expand_shape %30 [[0], [1], [2, 3], [4]] output_shape [3, 2, 4, 1, 64] : tensor<3x2x4x64xf16> into tensor<3x2x4x1x64xf16>
    %collapsed_17 = tensor.collapse_shape %expanded_16 [[0], [1, 2], [3], [4]] : tensor<3x2x4x1x64xf16> into tensor<3x8x1x64xf16>
    util.return %collapsed_17 : tensor<3x8x1x64xf16>
  }
}
