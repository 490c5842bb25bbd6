// The tilefuse path's program stage unrepeat-kv (tilefuse/codegen/stages/unrepeat_kv.py), on input programs as IREE's
// input conversion writes transformers' repeat_kv: K/V (2 KV heads) broadcast to (2, 4) and collapsed to 8 query heads.
// The attention reads K/V once per KV head; Q, O and a per-head mask get the head dim split into (2, 4)
// (design/tilefuse-path.md, "GQA through repeated K/V").
// RUN: %tilefuse stage unrepeat-kv --path tilefuse --target gfx942 %s | FileCheck %s

// CHECK-DAG:   #[[Q:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d4)>
// CHECK-DAG:   #[[K:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d5, d4)>
// CHECK-DAG:   #[[V:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d5, d3)>
// CHECK-DAG:   #[[M:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>
// CHECK-DAG:   #[[O:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-DAG:   #[[TV:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d5, d0, d3)>
// CHECK-LABEL: util.func public @repeat_kv_decode
// CHECK-SAME:    (%[[Q0:arg[0-9]+]]: tensor<8x1x64xf16>, %[[K0:arg[0-9]+]]: tensor<2x256x64xf16>, %[[V0:arg[0-9]+]]: tensor<2x256x64xf16>, %[[MASK0:arg[0-9]+]]: tensor<8x1x256xi1>)
// CHECK:       %[[QX:.+]] = tensor.expand_shape %[[Q0]] {{\[\[}}0, 1], [2], [3]] output_shape [2, 4, 1, 64]
// CHECK:       %[[MASKX:.+]] = tensor.expand_shape %[[MASK0]] {{\[\[}}0, 1], [2], [3]] output_shape [2, 4, 1, 256]
// CHECK:       %[[ATT:.+]] = iree_linalg_ext.attention <indexing_maps = [#[[Q]], #[[K]], #[[V]], {{.+}}, #[[M]], #[[O]]]>
// CHECK-SAME:    ins(%[[QX]], %[[K0]], %[[V0]], %{{.+}}, %[[MASKX]] : tensor<2x4x1x64xf16>, tensor<2x256x64xf16>, tensor<2x256x64xf16>, f16, tensor<2x4x1x256xi1>)
// CHECK:       tensor.collapse_shape %[[ATT]] {{\[\[}}0, 1], [2], [3]] : tensor<2x4x1x64xf16> into tensor<8x1x64xf16>
func.func @repeat_kv_decode(%q: tensor<8x1x64xf16>, %k: tensor<2x256x64xf16>, %v: tensor<2x256x64xf16>, %mask: tensor<8x1x256xi1>) -> tensor<8x1x64xf16> {
  %e = tensor.empty() : tensor<2x4x256x64xf16>
  %kw = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%k : tensor<2x256x64xf16>) outs(%e : tensor<2x4x256x64xf16>) {
  ^bb0(%x: f16, %o: f16):
    linalg.yield %x : f16
  } -> tensor<2x4x256x64xf16>
  %kk = tensor.collapse_shape %kw [[0, 1], [2], [3]] : tensor<2x4x256x64xf16> into tensor<8x256x64xf16>
  %vw = linalg.broadcast ins(%v : tensor<2x256x64xf16>) outs(%e : tensor<2x4x256x64xf16>) dimensions = [1]
  %vv = tensor.collapse_shape %vw [[0, 1], [2], [3]] : tensor<2x4x256x64xf16> into tensor<8x256x64xf16>
  %s = arith.constant 0.125 : f16
  %o = tensor.empty() : tensor<8x1x64xf16>
  %r = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d3)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d4, d3)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d4, d2)>, affine_map<(d0, d1, d2, d3, d4) -> ()>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>]}> ins(%q, %kk, %vv, %s, %mask : tensor<8x1x64xf16>, tensor<8x256x64xf16>, tensor<8x256x64xf16>, f16, tensor<8x1x256xi1>) outs(%o : tensor<8x1x64xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<8x1x64xf16>
  return %r : tensor<8x1x64xf16>
}

// Heads permuted against the grouped layout: the copies before the KV heads (query head h reads KV head h mod 2,
// torch's k.repeat(1, 4, 1, 1)). Not a per-group repetition: left alone.
// CHECK-LABEL: util.func public @tiled_heads
// CHECK-NOT:   tensor.expand_shape
// CHECK:       iree_linalg_ext.attention {{.*}} ins(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}} : tensor<8x1x64xf16>, tensor<8x256x64xf16>, tensor<8x256x64xf16>, f16)
func.func @tiled_heads(%q: tensor<8x1x64xf16>, %k: tensor<2x256x64xf16>) -> tensor<8x1x64xf16> {
  %e = tensor.empty() : tensor<4x2x256x64xf16>
  %kw = linalg.broadcast ins(%k : tensor<2x256x64xf16>) outs(%e : tensor<4x2x256x64xf16>) dimensions = [0]
  %kk = tensor.collapse_shape %kw [[0, 1], [2], [3]] : tensor<4x2x256x64xf16> into tensor<8x256x64xf16>
  %s = arith.constant 0.125 : f16
  %o = tensor.empty() : tensor<8x1x64xf16>
  %r = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d3)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d4, d3)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d4, d2)>, affine_map<(d0, d1, d2, d3, d4) -> ()>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>]}> ins(%q, %kk, %kk, %s : tensor<8x1x64xf16>, tensor<8x256x64xf16>, tensor<8x256x64xf16>, f16) outs(%o : tensor<8x1x64xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<8x1x64xf16>
  return %r : tensor<8x1x64xf16>
}

// K/V gathered to the query heads as IREE's input conversion writes torch's k.index_select(1, arange(8) // 4): the
// index tensor is an arange floor-divided through f32, evaluated to h // 4 at every head, so the attention reads
// K/V, collapsed as the gathers were, once per KV head.
// CHECK-LABEL: util.func public @index_select_decode
// CHECK-SAME:    (%[[Q1:arg[0-9]+]]: tensor<8x1x64xf16>, %[[K1:arg[0-9]+]]: tensor<1x2x256x64xf16>, %[[V1:arg[0-9]+]]: tensor<1x2x256x64xf16>)
// CHECK-DAG:   %[[QX1:.+]] = tensor.expand_shape %[[Q1]] {{\[\[}}0, 1], [2], [3]] output_shape [2, 4, 1, 64]
// CHECK-DAG:   %[[KC:.+]] = tensor.collapse_shape %[[K1]] {{\[\[}}0, 1], [2], [3]] : tensor<1x2x256x64xf16> into tensor<2x256x64xf16>
// CHECK-DAG:   %[[VC:.+]] = tensor.collapse_shape %[[V1]] {{\[\[}}0, 1], [2], [3]] : tensor<1x2x256x64xf16> into tensor<2x256x64xf16>
// CHECK:       iree_linalg_ext.attention {{.*}} ins(%[[QX1]], %[[KC]], %[[VC]], %{{.+}} : tensor<2x4x1x64xf16>, tensor<2x256x64xf16>, tensor<2x256x64xf16>, f16)
func.func @index_select_decode(%q: tensor<8x1x64xf16>, %k: tensor<1x2x256x64xf16>, %v: tensor<1x2x256x64xf16>) -> tensor<8x1x64xf16> {
  %c0 = arith.constant 0 : index
  %cst = arith.constant 4.000000e+00 : f32
  %e8 = tensor.empty() : tensor<8xi64>
  %arange = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} outs(%e8 : tensor<8xi64>) {
  ^bb0(%out: i64):
    %i = linalg.index 0 : index
    %c = arith.index_cast %i : index to i64
    linalg.yield %c : i64
  } -> tensor<8xi64>
  %heads = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%arange : tensor<8xi64>) outs(%e8 : tensor<8xi64>) {
  ^bb0(%h: i64, %out: i64):
    %f = arith.sitofp %h : i64 to f32
    %q4 = arith.divf %f, %cst : f32
    %fl = math.floor %q4 : f32
    %r = arith.fptosi %fl : f32 to i64
    linalg.yield %r : i64
  } -> tensor<8xi64>
  %e = tensor.empty() : tensor<1x8x256x64xf16>
  %kg = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%heads : tensor<8xi64>) outs(%e : tensor<1x8x256x64xf16>) {
  ^bb0(%in: i64, %out: f16):
    %h = arith.index_cast %in : i64 to index
    %s = linalg.index 2 : index
    %d = linalg.index 3 : index
    %x = tensor.extract %k[%c0, %h, %s, %d] : tensor<1x2x256x64xf16>
    linalg.yield %x : f16
  } -> tensor<1x8x256x64xf16>
  %vg = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%heads : tensor<8xi64>) outs(%e : tensor<1x8x256x64xf16>) {
  ^bb0(%in: i64, %out: f16):
    %h = arith.index_cast %in : i64 to index
    %s = linalg.index 2 : index
    %d = linalg.index 3 : index
    %x = tensor.extract %v[%c0, %h, %s, %d] : tensor<1x2x256x64xf16>
    linalg.yield %x : f16
  } -> tensor<1x8x256x64xf16>
  %kk = tensor.collapse_shape %kg [[0, 1], [2], [3]] : tensor<1x8x256x64xf16> into tensor<8x256x64xf16>
  %vv = tensor.collapse_shape %vg [[0, 1], [2], [3]] : tensor<1x8x256x64xf16> into tensor<8x256x64xf16>
  %s = arith.constant 0.125 : f16
  %o = tensor.empty() : tensor<8x1x64xf16>
  %r = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d3)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d4, d3)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d4, d2)>, affine_map<(d0, d1, d2, d3, d4) -> ()>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>]}> ins(%q, %kk, %vv, %s : tensor<8x1x64xf16>, tensor<8x256x64xf16>, tensor<8x256x64xf16>, f16) outs(%o : tensor<8x1x64xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<8x1x64xf16>
  return %r : tensor<8x1x64xf16>
}

// V as Llama's export writes it: the projection's (s, h_kv, d) transposed to (h_kv, s, d), then repeated. The
// attention reads the transpose's source through its V map (k2, h_kv, n; #TV above): IREE 3.13 folds a transpose into an
// attention operand only as its direct producer, so a transpose behind the collapse would stay a dispatch (and
// IREE would expose V transposed, another copy).
// CHECK-LABEL: util.func public @transposed_v
// CHECK-SAME:    %[[VP:arg[0-9]+]]: tensor<1x256x2x64xf16>
// CHECK:       %[[VS:.+]] = tensor.collapse_shape %[[VP]] {{\[\[}}0, 1], [2], [3]] : tensor<1x256x2x64xf16> into tensor<256x2x64xf16>
// CHECK-NOT:   linalg.transpose
// CHECK:       iree_linalg_ext.attention <indexing_maps = [{{.+}}, {{.+}}, #[[TV]], {{.+}}]>
// CHECK-SAME:    ins(%{{.+}}, %{{.+}}, %[[VS]], %{{.+}} : tensor<2x4x1x64xf16>, tensor<2x256x64xf16>, tensor<256x2x64xf16>, f16)
func.func @transposed_v(%q: tensor<8x1x64xf16>, %k: tensor<2x256x64xf16>, %vp: tensor<1x256x2x64xf16>) -> tensor<8x1x64xf16> {
  %e = tensor.empty() : tensor<2x4x256x64xf16>
  %kw = linalg.broadcast ins(%k : tensor<2x256x64xf16>) outs(%e : tensor<2x4x256x64xf16>) dimensions = [1]
  %kk = tensor.collapse_shape %kw [[0, 1], [2], [3]] : tensor<2x4x256x64xf16> into tensor<8x256x64xf16>
  %te = tensor.empty() : tensor<1x2x256x64xf16>
  %vt = linalg.transpose ins(%vp : tensor<1x256x2x64xf16>) outs(%te : tensor<1x2x256x64xf16>) permutation = [0, 2, 1, 3]
  %ve = tensor.empty() : tensor<1x2x4x256x64xf16>
  %vw = linalg.broadcast ins(%vt : tensor<1x2x256x64xf16>) outs(%ve : tensor<1x2x4x256x64xf16>) dimensions = [2]
  %vh = tensor.collapse_shape %vw [[0], [1, 2], [3], [4]] : tensor<1x2x4x256x64xf16> into tensor<1x8x256x64xf16>
  %vv = tensor.collapse_shape %vh [[0, 1], [2], [3]] : tensor<1x8x256x64xf16> into tensor<8x256x64xf16>
  %s = arith.constant 0.125 : f16
  %o = tensor.empty() : tensor<8x1x64xf16>
  %r = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d3)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d4, d3)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d4, d2)>, affine_map<(d0, d1, d2, d3, d4) -> ()>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>]}> ins(%q, %kk, %vv, %s : tensor<8x1x64xf16>, tensor<8x256x64xf16>, tensor<8x256x64xf16>, f16) outs(%o : tensor<8x1x64xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<8x1x64xf16>
  return %r : tensor<8x1x64xf16>
}
