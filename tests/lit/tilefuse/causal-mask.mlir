// The tilefuse paths' program stage causal-mask (tilefuse/codegen/stages/causal_mask.py): a mask proven causal from the
// IR that builds it leaves the program, with what built it; the attention's score region says the same with
// iree_linalg_ext.index (the row within its head, so IREE may pack heads into the rows). Anything else keeps
// its mask.
// RUN: %tilefuse stage causal-mask --path tilefuse --target gfx942 %s | FileCheck %s

#q = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>
#k = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d2)>
#v = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d4)>
#s = affine_map<(d0, d1, d2, d3, d4) -> ()>
#o = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4)>
#rows_keys = affine_map<(d0, d1, d2, d3, d4) -> (d1, d3)>
#heads_rows_keys = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d3)>

// The suite's spelling: an i1 generic, j <= i + 64 (64 queries aligned with the last of 128 keys).
// CHECK-LABEL: util.func public @bool_offset
// CHECK-NOT:     linalg.generic
// CHECK:         iree_linalg_ext.attention <indexing_maps = [#{{.+}}, #{{.+}}, #{{.+}}, #{{.+}}, #{{.+}}]>
// CHECK-SAME:      ins(%{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}} : tensor<2x64x32xf16>, tensor<2x128x32xf16>, tensor<2x128x32xf16>, f16)
// CHECK:         ^bb0(%[[SCORE:.+]]: f32):
// CHECK:           %[[I:.+]] = iree_linalg_ext.index 1 : index
// CHECK:           %[[J:.+]] = iree_linalg_ext.index 3 : index
// CHECK:           %[[R:.+]] = arith.remui %[[I]], %{{.+}} : index
// CHECK:           %[[LAST:.+]] = arith.addi %[[R]], %{{.+}} : index
// CHECK:           %[[VIS:.+]] = arith.cmpi sle, %[[J]], %[[LAST]] : index
// CHECK:           %[[KEPT:.+]] = arith.select %[[VIS]], %[[SCORE]], %{{.+}} : f32
// CHECK:           iree_linalg_ext.yield %[[KEPT]] : f32
func.func @bool_offset(%q: tensor<2x64x32xf16>, %k: tensor<2x128x32xf16>, %v: tensor<2x128x32xf16>) -> tensor<2x64x32xf16> {
  %scale = arith.constant 0.125 : f16
  %me = tensor.empty() : tensor<64x128xi1>
  %mask = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%me : tensor<64x128xi1>) {
  ^bb0(%o: i1):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %c64 = arith.constant 64 : index
    %last = arith.addi %i, %c64 : index
    %b = arith.cmpi sle, %j, %last : index
    linalg.yield %b : i1
  } -> tensor<64x128xi1>
  %e = tensor.empty() : tensor<2x64x32xf16>
  %r = iree_linalg_ext.attention <{indexing_maps = [#q, #k, #v, #s, #rows_keys, #o]}> ins(%q, %k, %v, %scale, %mask : tensor<2x64x32xf16>, tensor<2x128x32xf16>, tensor<2x128x32xf16>, f16, tensor<64x128xi1>) outs(%e : tensor<2x64x32xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<2x64x32xf16>
  return %r : tensor<2x64x32xf16>
}

// PyTorch's: a per-head 0/-inf mask, select(i >= j, 0, -inf), materialized over (1, 2, rows, keys) and collapsed.
// CHECK-LABEL: util.func public @per_head_additive
// CHECK-NOT:     linalg.generic
// CHECK-NOT:     tensor.collapse_shape
// CHECK:         iree_linalg_ext.attention
// CHECK-SAME:      f16) outs(
// CHECK:           iree_linalg_ext.index 1
// CHECK:           iree_linalg_ext.index 3
// CHECK:           arith.cmpi sle
func.func @per_head_additive(%q: tensor<2x64x32xf16>, %k: tensor<2x64x32xf16>, %v: tensor<2x64x32xf16>) -> tensor<2x64x32xf16> {
  %scale = arith.constant 0.125 : f16
  %zero = arith.constant 0.0 : f16
  %ninf = arith.constant 0xFC00 : f16
  %me = tensor.empty() : tensor<1x2x64x64xf16>
  %fill = linalg.fill ins(%zero : f16) outs(%me : tensor<1x2x64x64xf16>) -> tensor<1x2x64x64xf16>
  %m4 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%fill : tensor<1x2x64x64xf16>) {
  ^bb0(%o: f16):
    %i = linalg.index 2 : index
    %j = linalg.index 3 : index
    %b = arith.cmpi sge, %i, %j : index
    %x = arith.select %b, %zero, %ninf : f16
    linalg.yield %x : f16
  } -> tensor<1x2x64x64xf16>
  %mask = tensor.collapse_shape %m4 [[0, 1], [2], [3]] : tensor<1x2x64x64xf16> into tensor<2x64x64xf16>
  %e = tensor.empty() : tensor<2x64x32xf16>
  %r = iree_linalg_ext.attention <{indexing_maps = [#q, #k, #v, #s, #heads_rows_keys, #o]}> ins(%q, %k, %v, %scale, %mask : tensor<2x64x32xf16>, tensor<2x64x32xf16>, tensor<2x64x32xf16>, f16, tensor<2x64x64xf16>) outs(%e : tensor<2x64x32xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<2x64x32xf16>
  return %r : tensor<2x64x32xf16>
}

// The other direction (j >= i) is no causal mask: unchanged.
// CHECK-LABEL: util.func public @anti_causal
// CHECK:         %[[MASK:.+]] = linalg.generic
// CHECK:           arith.cmpi sge
// CHECK:         iree_linalg_ext.attention
// CHECK-SAME:      %[[MASK]] : {{.*}}tensor<64x64xi1>)
// CHECK-NOT:       iree_linalg_ext.index
func.func @anti_causal(%q: tensor<2x64x32xf16>, %k: tensor<2x64x32xf16>, %v: tensor<2x64x32xf16>) -> tensor<2x64x32xf16> {
  %scale = arith.constant 0.125 : f16
  %me = tensor.empty() : tensor<64x64xi1>
  %mask = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%me : tensor<64x64xi1>) {
  ^bb0(%o: i1):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %b = arith.cmpi sge, %j, %i : index
    linalg.yield %b : i1
  } -> tensor<64x64xi1>
  %e = tensor.empty() : tensor<2x64x32xf16>
  %r = iree_linalg_ext.attention <{indexing_maps = [#q, #k, #v, #s, #rows_keys, #o]}> ins(%q, %k, %v, %scale, %mask : tensor<2x64x32xf16>, tensor<2x64x32xf16>, tensor<2x64x32xf16>, f16, tensor<64x64xi1>) outs(%e : tensor<2x64x32xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<2x64x32xf16>
  return %r : tensor<2x64x32xf16>
}

// GQA under a 2-D (rows, keys) causal mask, Q as (b, h_kv, group, rows, d): the mask goes and the runs of dims IREE
// would merge itself once the mask is gone (without renumbering the region's index ops) merge first: (b, h_kv), and
// the query dims into one row dim (the group's heads one after the other), the region's row the packed row mod the
// head's 64 rows.
// CHECK-LABEL: util.func public @gqa_rows_keys
// CHECK-NOT:     linalg.generic
// CHECK:         %[[HEADS:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0, 1], [2], [3], [4]] : tensor<1x2x2x64x32xf16> into tensor<2x2x64x32xf16>
// CHECK:         %[[PACKED:.+]] = tensor.collapse_shape %[[HEADS]] {{\[\[}}0], [1, 2], [3]] : tensor<2x2x64x32xf16> into tensor<2x128x32xf16>
// CHECK:         %[[ATT:.+]] = iree_linalg_ext.attention <indexing_maps = [#{{.+}}, #{{.+}}, #{{.+}}, #{{.+}}, #{{.+}}]>
// CHECK-SAME:      ins(%[[PACKED]], %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}} : tensor<2x128x32xf16>, tensor<2x64x32xf16>, tensor<2x64x32xf16>, f16)
// CHECK:           %[[I:.+]] = iree_linalg_ext.index 1 : index
// CHECK:           %[[J:.+]] = iree_linalg_ext.index 3 : index
// CHECK:           %[[C64:.+]] = arith.constant 64 : index
// CHECK:           %[[R:.+]] = arith.remui %[[I]], %[[C64]] : index
// CHECK:           arith.cmpi sle, %[[J]], %{{.+}} : index
// CHECK:         %[[ROWS:.+]] = tensor.expand_shape %[[ATT]] {{\[\[}}0], [1, 2], [3]] output_shape [2, 2, 64, 32] : tensor<2x128x32xf16> into tensor<2x2x64x32xf16>
// CHECK:         tensor.expand_shape %[[ROWS]] {{\[\[}}0, 1], [2], [3], [4]] output_shape [1, 2, 2, 64, 32] : tensor<2x2x64x32xf16> into tensor<1x2x2x64x32xf16>
func.func @gqa_rows_keys(%q: tensor<1x2x2x64x32xf16>, %k: tensor<1x2x64x32xf16>, %v: tensor<1x2x64x32xf16>) -> tensor<1x2x2x64x32xf16> {
  %scale = arith.constant 0.125 : f16
  %me = tensor.empty() : tensor<64x64xi1>
  %mask = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%me : tensor<64x64xi1>) {
  ^bb0(%o: i1):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %b = arith.cmpi sle, %j, %i : index
    linalg.yield %b : i1
  } -> tensor<64x64xi1>
  %e = tensor.empty() : tensor<1x2x2x64x32xf16>
  %r = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d4)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d5, d4)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d5, d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> ()>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d3, d5)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d6)>]}> ins(%q, %k, %v, %scale, %mask : tensor<1x2x2x64x32xf16>, tensor<1x2x64x32xf16>, tensor<1x2x64x32xf16>, f16, tensor<64x64xi1>) outs(%e : tensor<1x2x2x64x32xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<1x2x2x64x32xf16>
  return %r : tensor<1x2x2x64x32xf16>
}

// The same layout under a causal mask indexed by the group too, (group, rows, keys) with j <= i + group, is no
// causal mask (the group matters): unchanged.
// CHECK-LABEL: util.func public @gqa_group_dependent
// CHECK:         %[[MASK:.+]] = linalg.generic
// CHECK:         iree_linalg_ext.attention
// CHECK-SAME:      %[[MASK]] : {{.*}}tensor<2x64x64xi1>)
// CHECK-NOT:       iree_linalg_ext.index
func.func @gqa_group_dependent(%q: tensor<1x2x2x64x32xf16>, %k: tensor<1x2x64x32xf16>, %v: tensor<1x2x64x32xf16>) -> tensor<1x2x2x64x32xf16> {
  %scale = arith.constant 0.125 : f16
  %me = tensor.empty() : tensor<2x64x64xi1>
  %mask = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} outs(%me : tensor<2x64x64xi1>) {
  ^bb0(%o: i1):
    %g = linalg.index 0 : index
    %i = linalg.index 1 : index
    %j = linalg.index 2 : index
    %last = arith.addi %i, %g : index
    %b = arith.cmpi sle, %j, %last : index
    linalg.yield %b : i1
  } -> tensor<2x64x64xi1>
  %e = tensor.empty() : tensor<1x2x2x64x32xf16>
  %r = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d4)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d5, d4)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d5, d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> ()>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d2, d3, d5)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d6)>]}> ins(%q, %k, %v, %scale, %mask : tensor<1x2x2x64x32xf16>, tensor<1x2x64x32xf16>, tensor<1x2x64x32xf16>, f16, tensor<2x64x64xi1>) outs(%e : tensor<1x2x2x64x32xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<1x2x2x64x32xf16>
  return %r : tensor<1x2x2x64x32xf16>
}

// MHA as (b, h, rows, d) with b = 2 (the fuzzer's seed 3 case 29, an unaligned one): IREE would merge (b, h) into
// one batch dim and leave the region reading dims 2 and 4 (the head dim and the value dim of the merged op), so
// the stage merges them first and the region reads the rows and the keys of (b*h, rows, d, keys, d).
// CHECK-LABEL: util.func public @mha_batch_heads
// CHECK:         %[[Q:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0, 1], [2], [3]] : tensor<2x3x5x32xf16> into tensor<6x5x32xf16>
// CHECK:         %[[ATT:.+]] = iree_linalg_ext.attention
// CHECK-SAME:      ins(%[[Q]], %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}} : tensor<6x5x32xf16>, tensor<6x33x32xf16>, tensor<6x33x32xf16>, f16)
// CHECK:           %[[I:.+]] = iree_linalg_ext.index 1 : index
// CHECK:           %[[J:.+]] = iree_linalg_ext.index 3 : index
// CHECK:           arith.cmpi sle, %[[J]], %{{.+}} : index
// CHECK:         tensor.expand_shape %[[ATT]] {{\[\[}}0, 1], [2], [3]] output_shape [2, 3, 5, 32] : tensor<6x5x32xf16> into tensor<2x3x5x32xf16>
func.func @mha_batch_heads(%q: tensor<2x3x5x32xf16>, %k: tensor<2x3x33x32xf16>, %v: tensor<2x3x33x32xf16>) -> tensor<2x3x5x32xf16> {
  %scale = arith.constant 0.125 : f16
  %me = tensor.empty() : tensor<5x33xi1>
  %mask = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%me : tensor<5x33xi1>) {
  ^bb0(%o: i1):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %c28 = arith.constant 28 : index
    %last = arith.addi %i, %c28 : index
    %b = arith.cmpi sle, %j, %last : index
    linalg.yield %b : i1
  } -> tensor<5x33xi1>
  %e = tensor.empty() : tensor<2x3x5x32xf16>
  %r = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> ()>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d2, d4)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>]}> ins(%q, %k, %v, %scale, %mask : tensor<2x3x5x32xf16>, tensor<2x3x33x32xf16>, tensor<2x3x33x32xf16>, f16, tensor<5x33xi1>) outs(%e : tensor<2x3x5x32xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<2x3x5x32xf16>
  return %r : tensor<2x3x5x32xf16>
}
