// The tilefuse path's program stage pad-to-tiles (tilefuse/codegen/stages/pad_to_tiles.py, codegen/page_table.py,
// design/tilefuse-path.md "Paged KV") on a paged GQA decode whose pages hold no whole MMA step: 3 pages of 8 keys
// (24 keys; a 16-key MMA step spans 2 pages). The keys grow by a page of the page table, not by padded keys: the
// table (2 rows x 3 pages) becomes 4 entries a row, entry j the row's entry j mod 3 (a page the row reads anyway),
// both gathers read it, the gathered pages are transposed and merged into 32 keys as before (no tensor.pad of K or
// V: IREE copied a padded gather out of the attention's dispatch), and a mask hides keys 24..31.
// RUN: %tilefuse stage pad-to-tiles --path tilefuse --target gfx942 %s | FileCheck %s

// CHECK-LABEL: util.func public @attention
// CHECK-NOT:   tensor.pad %{{.+}} : tensor<2x1x24x64xf16>
// CHECK:       %[[T:.+]] = linalg.generic {{.*}} outs(%{{.+}} : tensor<2x4xi64>)
// CHECK:         %[[ROW:.+]] = linalg.index 0 : index
// CHECK:         %[[J:.+]] = linalg.index 1 : index
// CHECK:         %[[C3:.+]] = arith.constant 3 : index
// CHECK:         %[[MOD:.+]] = arith.remui %[[J]], %[[C3]] : index
// CHECK:         tensor.extract %arg3[%[[ROW]], %[[MOD]]] : tensor<2x3xi64>
// CHECK:       %[[KG:.+]] = iree_linalg_ext.gather dimension_map = [0] ins(%arg1, %[[T]] : tensor<12x1x8x64xf16>, tensor<2x4xi64>)
// CHECK:       %[[KT:.+]] = linalg.transpose ins(%[[KG]] : tensor<2x4x1x8x64xf16>) {{.*}} permutation = [0, 2, 1, 3, 4]
// CHECK:       %[[K:.+]] = tensor.collapse_shape %[[KT]] {{\[\[}}0], [1], [2, 3], [4]] : tensor<2x1x4x8x64xf16> into tensor<2x1x32x64xf16>
// CHECK:       %[[VG:.+]] = iree_linalg_ext.gather dimension_map = [0] ins(%arg2, %[[T]] : tensor<12x1x8x64xf16>, tensor<2x4xi64>)
// CHECK:       %[[V:.+]] = tensor.collapse_shape %{{.+}} : tensor<2x1x4x8x64xf16> into tensor<2x1x32x64xf16>
// CHECK:       %[[MASK:.+]] = linalg.generic {{.*}} outs(%{{.+}} : tensor<32xi1>)
// CHECK:         %[[C24:.+]] = arith.constant 24 : index
// CHECK:         arith.cmpi slt, %{{.+}}, %[[C24]] : index
// CHECK:       iree_linalg_ext.attention {{.*}} ins(%{{.+}}, %[[K]], %[[V]], %{{.+}}, %[[MASK]] :

func.func @attention(%q: tensor<2x2x1x64xf16>, %k: tensor<12x1x8x64xf16>, %v: tensor<12x1x8x64xf16>, %page_table: tensor<2x3xi64>) -> tensor<2x2x1x64xf16> {
  %1 = tensor.empty() : tensor<2x3x1x8x64xf16>
  %2 = iree_linalg_ext.gather dimension_map = [0] ins(%k, %page_table : tensor<12x1x8x64xf16>, tensor<2x3xi64>) outs(%1 : tensor<2x3x1x8x64xf16>) -> tensor<2x3x1x8x64xf16>
  %3 = tensor.empty() : tensor<2x1x3x8x64xf16>
  %4 = linalg.transpose ins(%2 : tensor<2x3x1x8x64xf16>) outs(%3 : tensor<2x1x3x8x64xf16>) permutation = [0, 2, 1, 3, 4]
  %5 = tensor.collapse_shape %4 [[0], [1], [2, 3], [4]] : tensor<2x1x3x8x64xf16> into tensor<2x1x24x64xf16>
  %6 = tensor.empty() : tensor<2x3x1x8x64xf16>
  %7 = iree_linalg_ext.gather dimension_map = [0] ins(%v, %page_table : tensor<12x1x8x64xf16>, tensor<2x3xi64>) outs(%6 : tensor<2x3x1x8x64xf16>) -> tensor<2x3x1x8x64xf16>
  %8 = tensor.empty() : tensor<2x1x3x8x64xf16>
  %9 = linalg.transpose ins(%7 : tensor<2x3x1x8x64xf16>) outs(%8 : tensor<2x1x3x8x64xf16>) permutation = [0, 2, 1, 3, 4]
  %10 = tensor.collapse_shape %9 [[0], [1], [2, 3], [4]] : tensor<2x1x3x8x64xf16> into tensor<2x1x24x64xf16>
  %11 = tensor.expand_shape %q [[0], [1, 2], [3], [4]] output_shape [2, 1, 2, 1, 64] : tensor<2x2x1x64xf16> into tensor<2x1x2x1x64xf16>
  %12 = arith.constant 0.125 : f16
  %13 = tensor.empty() : tensor<2x1x2x1x64xf16>
  %14 = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d4)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d5, d4)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d5, d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> ()>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d6)>]}> ins(%11, %5, %10, %12 : tensor<2x1x2x1x64xf16>, tensor<2x1x24x64xf16>, tensor<2x1x24x64xf16>, f16) outs(%13 : tensor<2x1x2x1x64xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<2x1x2x1x64xf16>
  %15 = tensor.collapse_shape %14 [[0], [1, 2], [3], [4]] : tensor<2x1x2x1x64xf16> into tensor<2x2x1x64xf16>
  return %15 : tensor<2x2x1x64xf16>
}
