// The tilefuse path's program stage seq-lens (tilefuse/codegen/stages/seq_lens.py, codegen/page_table.py
// `live_pages`, design/tilefuse-path.md "Paged KV") on a paged GQA decode under seq_lens whose pages of 8 keys hold
// no whole 16-key MMA step (a K2 step then reads several pages: page-step). The last live step of a sequence would
// read the pages past its end in it, which may hold anything, so the gathers read a live page table first: entry
// (r, j) the table's where page j holds a key below seq_lens[r] (j * 8 < seq_lens[r], signed), else the row's first
// entry (r, 0). Both gathers read it; the attention is marked tilefuse.key_lengths, its mask left as it is.
// RUN: %tilefuse stage seq-lens --path tilefuse --target gfx942 %s | FileCheck %s

// CHECK-LABEL: util.func public @attention
// CHECK:       %[[LIVE:.+]] = linalg.generic {{.*}} ins(%arg3, %arg4 : tensor<2x4xi64>, tensor<2xi32>)
// CHECK:       ^bb0(%[[ENTRY:.+]]: i64, %[[LEN:.+]]: i32, %{{.+}}: i64):
// CHECK:         %[[J:.+]] = linalg.index 1 : index
// CHECK:         %[[C8:.+]] = arith.constant 8 : index
// CHECK:         %[[FIRST:.+]] = arith.muli %[[J]], %[[C8]] : index
// CHECK:         %[[L:.+]] = arith.index_cast %[[LEN]] : i32 to index
// CHECK:         %[[SEEN:.+]] = arith.cmpi slt, %[[FIRST]], %[[L]] : index
// CHECK:         %[[ROW:.+]] = linalg.index 0 : index
// CHECK:         %[[C0:.+]] = arith.constant 0 : index
// CHECK:         %[[ROW_FIRST:.+]] = tensor.extract %arg3[%[[ROW]], %[[C0]]] : tensor<2x4xi64>
// CHECK:         arith.select %[[SEEN]], %[[ENTRY]], %[[ROW_FIRST]] : i64
// CHECK:       iree_linalg_ext.gather dimension_map = [0] ins(%arg1, %[[LIVE]] :
// CHECK:       iree_linalg_ext.gather dimension_map = [0] ins(%arg2, %[[LIVE]] :
// CHECK:       iree_linalg_ext.attention <{{.+}}> {tilefuse.key_lengths}

func.func @attention(%q: tensor<2x2x1x64xf16>, %k: tensor<16x1x8x64xf16>, %v: tensor<16x1x8x64xf16>, %page_table: tensor<2x4xi64>, %seq_lens: tensor<2xi32>) -> tensor<2x2x1x64xf16> {
  %1 = tensor.empty() : tensor<2x4x1x8x64xf16>
  %2 = iree_linalg_ext.gather dimension_map = [0] ins(%k, %page_table : tensor<16x1x8x64xf16>, tensor<2x4xi64>) outs(%1 : tensor<2x4x1x8x64xf16>) -> tensor<2x4x1x8x64xf16>
  %3 = tensor.empty() : tensor<2x1x4x8x64xf16>
  %4 = linalg.transpose ins(%2 : tensor<2x4x1x8x64xf16>) outs(%3 : tensor<2x1x4x8x64xf16>) permutation = [0, 2, 1, 3, 4]
  %5 = tensor.collapse_shape %4 [[0], [1], [2, 3], [4]] : tensor<2x1x4x8x64xf16> into tensor<2x1x32x64xf16>
  %6 = tensor.empty() : tensor<2x4x1x8x64xf16>
  %7 = iree_linalg_ext.gather dimension_map = [0] ins(%v, %page_table : tensor<16x1x8x64xf16>, tensor<2x4xi64>) outs(%6 : tensor<2x4x1x8x64xf16>) -> tensor<2x4x1x8x64xf16>
  %8 = tensor.empty() : tensor<2x1x4x8x64xf16>
  %9 = linalg.transpose ins(%7 : tensor<2x4x1x8x64xf16>) outs(%8 : tensor<2x1x4x8x64xf16>) permutation = [0, 2, 1, 3, 4]
  %10 = tensor.collapse_shape %9 [[0], [1], [2, 3], [4]] : tensor<2x1x4x8x64xf16> into tensor<2x1x32x64xf16>
  %11 = tensor.expand_shape %q [[0], [1, 2], [3], [4]] output_shape [2, 1, 2, 1, 64] : tensor<2x2x1x64xf16> into tensor<2x1x2x1x64xf16>
  %12 = arith.constant 0.125 : f16
  %13 = tensor.empty() : tensor<2x1x32xf16>
  %14 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%seq_lens : tensor<2xi32>) outs(%13 : tensor<2x1x32xf16>) {
  ^bb0(%len: i32, %out: f16):
    %j = linalg.index 2 : index
    %key = arith.index_cast %j : index to i32
    %seen = arith.cmpi slt, %key, %len : i32
    %zero = arith.constant 0.0 : f16
    %hidden = arith.constant 0xFC00 : f16
    %bias = arith.select %seen, %zero, %hidden : f16
    linalg.yield %bias : f16
  } -> tensor<2x1x32xf16>
  %15 = tensor.empty() : tensor<2x1x2x1x64xf16>
  %16 = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d4)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d5, d4)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d5, d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> ()>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d3, d5)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d6)>]}> ins(%11, %5, %10, %12, %14 : tensor<2x1x2x1x64xf16>, tensor<2x1x32x64xf16>, tensor<2x1x32x64xf16>, f16, tensor<2x1x32xf16>) outs(%15 : tensor<2x1x2x1x64xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<2x1x2x1x64xf16>
  %17 = tensor.collapse_shape %16 [[0], [1, 2], [3], [4]] : tensor<2x1x2x1x64xf16> into tensor<2x2x1x64xf16>
  return %17 : tensor<2x2x1x64xf16>
}
