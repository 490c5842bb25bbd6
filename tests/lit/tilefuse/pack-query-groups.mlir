// The tilefuse path's program stage pack-query-groups (tilefuse/codegen/stages/pack_query_groups.py), on input
// programs: a GQA decode's query dims (group, rows) = (4, 1) become one dim of 4 rows, so pad-to-tiles pads one 16-row
// tile per KV head instead of 4 (design/tilefuse-path.md, "Decode").
// RUN: %tilefuse stage pack-query-groups --path tilefuse --target gfx942 %s | FileCheck %s

// CHECK-DAG:   #[[Q:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-DAG:   #[[K:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3)>
// CHECK-DAG:   #[[V:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>
// CHECK-DAG:   #[[O:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>
// CHECK-DAG:   #[[MB:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d4)>
// CHECK-DAG:   #[[MR:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d2, d4)>
// CHECK-LABEL: util.func public @gqa_decode
// CHECK:       %[[Q5:.+]] = tensor.expand_shape %{{.+}} {{\[\[}}0], [1, 2], [3], [4]] {{.*}} into tensor<1x2x4x1x128xf16>
// CHECK:       %[[PACKED:.+]] = tensor.collapse_shape %[[Q5]] {{\[\[}}0], [1], [2, 3], [4]] : tensor<1x2x4x1x128xf16> into tensor<1x2x4x128xf16>
// CHECK:       %[[ATT:.+]] = iree_linalg_ext.attention <indexing_maps = [#[[Q]], #[[K]], #[[V]], {{.+}}, #[[O]]]>
// CHECK-SAME:    ins(%[[PACKED]], %{{.+}}, %{{.+}}, %{{.+}} : tensor<1x2x4x128xf16>, tensor<1x2x256x128xf16>, tensor<1x2x256x128xf16>, f16)
// CHECK-SAME:    outs(%{{.+}} : tensor<1x2x4x128xf16>)
// CHECK:       tensor.expand_shape %[[ATT]] {{\[\[}}0], [1], [2, 3], [4]] output_shape [1, 2, 4, 1, 128] : tensor<1x2x4x128xf16> into tensor<1x2x4x1x128xf16>
func.func @gqa_decode(%q: tensor<1x8x1x128xf16>, %k: tensor<1x2x256x128xf16>, %v: tensor<1x2x256x128xf16>) -> tensor<1x8x1x128xf16> {
  %1 = tensor.expand_shape %q [[0], [1, 2], [3], [4]] output_shape [1, 2, 4, 1, 128] : tensor<1x8x1x128xf16> into tensor<1x2x4x1x128xf16>
  %2 = arith.constant 0.08837890625 : f16
  %3 = tensor.empty() : tensor<1x2x4x1x128xf16>
  %4 = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d4)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d5, d4)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d5, d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> ()>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d6)>]}> ins(%1, %k, %v, %2 : tensor<1x2x4x1x128xf16>, tensor<1x2x256x128xf16>, tensor<1x2x256x128xf16>, f16) outs(%3 : tensor<1x2x4x1x128xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<1x2x4x1x128xf16>
  %5 = tensor.collapse_shape %4 [[0], [1, 2], [3], [4]] : tensor<1x2x4x1x128xf16> into tensor<1x8x1x128xf16>
  return %5 : tensor<1x8x1x128xf16>
}

// A GQA prefill's rows fill the MMA tiles already: left alone (IREE collapses its query dims in the dispatch).
// CHECK-LABEL: util.func public @gqa_prefill
// CHECK-NOT:   tensor.collapse_shape
// CHECK:       iree_linalg_ext.attention {{.*}} outs(%{{.+}} : tensor<1x2x4x32x64xf16>)
func.func @gqa_prefill(%q: tensor<1x2x4x32x64xf16>, %k: tensor<1x2x64x64xf16>, %v: tensor<1x2x64x64xf16>) -> tensor<1x2x4x32x64xf16> {
  %2 = arith.constant 0.125 : f16
  %3 = tensor.empty() : tensor<1x2x4x32x64xf16>
  %4 = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d4)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d5, d4)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d5, d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> ()>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d6)>]}> ins(%q, %k, %v, %2 : tensor<1x2x4x32x64xf16>, tensor<1x2x64x64xf16>, tensor<1x2x64x64xf16>, f16) outs(%3 : tensor<1x2x4x32x64xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<1x2x4x32x64xf16>
  return %4 : tensor<1x2x4x32x64xf16>
}

// A decode's (b, m=1, k2) mask is the same for every packed row: its unit row dim collapsed away (a view, no
// copy), the attention reading it through no query dim (b, k2), the rows merged as without a mask.
// CHECK-LABEL: util.func public @gqa_decode_unit_rows_mask
// CHECK-NOT:   linalg.generic
// CHECK:       %[[MASK:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0], [1, 2]] : tensor<2x1x256xf16> into tensor<2x256xf16>
// CHECK-NOT:   linalg.generic
// CHECK:       iree_linalg_ext.attention <indexing_maps = [#[[Q]], #[[K]], #[[V]], {{.+}}, #[[MB]], #[[O]]]>
// CHECK-SAME:    ins(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %[[MASK]] : tensor<2x2x4x128xf16>, tensor<2x2x256x128xf16>, tensor<2x2x256x128xf16>, f16, tensor<2x256xf16>)
func.func @gqa_decode_unit_rows_mask(%q: tensor<2x2x4x1x128xf16>, %k: tensor<2x2x256x128xf16>, %v: tensor<2x2x256x128xf16>, %mask: tensor<2x1x256xf16>) -> tensor<2x2x4x1x128xf16> {
  %2 = arith.constant 0.08837890625 : f16
  %3 = tensor.empty() : tensor<2x2x4x1x128xf16>
  %4 = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d4)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d5, d4)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d5, d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> ()>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d3, d5)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d6)>]}> ins(%q, %k, %v, %2, %mask : tensor<2x2x4x1x128xf16>, tensor<2x2x256x128xf16>, tensor<2x2x256x128xf16>, f16, tensor<2x1x256xf16>) outs(%3 : tensor<2x2x4x1x128xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<2x2x4x1x128xf16>
  return %4 : tensor<2x2x4x1x128xf16>
}

// Five rows under an (m, k2) mask: each packed row's mask is its own row's, so the mask is broadcast over the group
// (g, m, k2) and merged with the rows (20, which pad-to-tiles then pads: the pad keeps IREE from folding the
// broadcast back into the attention).
// CHECK-LABEL: util.func public @gqa_five_rows_mask
// CHECK:       %[[WIDE:.+]] = linalg.generic {{.*}} ins(%{{.+}} : tensor<5x256xf16>) outs(%{{.+}} : tensor<4x5x256xf16>)
// CHECK:       %[[ROWS:.+]] = tensor.collapse_shape %[[WIDE]] {{\[\[}}0, 1], [2]] : tensor<4x5x256xf16> into tensor<20x256xf16>
// CHECK:       iree_linalg_ext.attention <indexing_maps = [#[[Q]], #[[K]], #[[V]], {{.+}}, #[[MR]], #[[O]]]>
// CHECK-SAME:    tensor<1x2x20x128xf16>, tensor<1x2x256x128xf16>, tensor<1x2x256x128xf16>, f16, tensor<20x256xf16>)
func.func @gqa_five_rows_mask(%q: tensor<1x2x4x5x128xf16>, %k: tensor<1x2x256x128xf16>, %v: tensor<1x2x256x128xf16>, %mask: tensor<5x256xf16>) -> tensor<1x2x4x5x128xf16> {
  %2 = arith.constant 0.08837890625 : f16
  %3 = tensor.empty() : tensor<1x2x4x5x128xf16>
  %4 = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d4)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d5, d4)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d5, d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> ()>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d3, d5)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d6)>]}> ins(%q, %k, %v, %2, %mask : tensor<1x2x4x5x128xf16>, tensor<1x2x256x128xf16>, tensor<1x2x256x128xf16>, f16, tensor<5x256xf16>) outs(%3 : tensor<1x2x4x5x128xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<1x2x4x5x128xf16>
  return %4 : tensor<1x2x4x5x128xf16>
}

// Two rows under an (m, k2) mask: 8 merged rows, which the kernel pads (m-tail), so nothing would pad a mask broadcast
// over the group and IREE would fold the broadcast back into the attention, the rows apart again: not packed.
// CHECK-LABEL: util.func public @gqa_two_rows_mask
// CHECK-NOT:   linalg.generic
// CHECK:       iree_linalg_ext.attention
// CHECK-SAME:    tensor<1x2x4x2x128xf16>, tensor<1x2x256x128xf16>, tensor<1x2x256x128xf16>, f16, tensor<2x256xf16>)
func.func @gqa_two_rows_mask(%q: tensor<1x2x4x2x128xf16>, %k: tensor<1x2x256x128xf16>, %v: tensor<1x2x256x128xf16>, %mask: tensor<2x256xf16>) -> tensor<1x2x4x2x128xf16> {
  %2 = arith.constant 0.08837890625 : f16
  %3 = tensor.empty() : tensor<1x2x4x2x128xf16>
  %4 = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d4)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d5, d4)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d5, d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> ()>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d3, d5)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d6)>]}> ins(%q, %k, %v, %2, %mask : tensor<1x2x4x2x128xf16>, tensor<1x2x256x128xf16>, tensor<1x2x256x128xf16>, f16, tensor<2x256xf16>) outs(%3 : tensor<1x2x4x2x128xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<1x2x4x2x128xf16>
  return %4 : tensor<1x2x4x2x128xf16>
}
