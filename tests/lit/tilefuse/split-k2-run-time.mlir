// split-k2 on a GQA decode against keys of run-time length (design/tilefuse-path.md, "Keys of run-time length"):
// 8 KV heads x 16 packed rows, d=128, K/V tensor<1x8x?x128xf16>. The plan splits it as the long aligned K2 it is
// planned as (RUN_TIME_KEYS: 32 splits on gfx942); K2 need not divide by 32, so the keys are cut into 32 ranges of
// chunk = ceil(K2 / 512) * 16 keys (whole 16-key MMA steps, computed at run time), range s holding
// [min(s chunk, K2), + min(chunk, K2 - that)): an extract_slice of the cache (a view, no copy), empty past the end.
// IREE's split-reduction form: one dispatch region, an scf.forall over the ranges, each range's online_attention of
// run-time K2 and its partials written as rows [16 s, 16 s + 16) (the split merged into the rows), then the combine.
// RUN: %tilefuse stage split-k2 --path tilefuse --target gfx942 %s | FileCheck %s

// CHECK-DAG:   #[[CHUNK:.+]] = affine_map<()[s0] -> ((s0 ceildiv 512) * 16)>
// CHECK-DAG:   #[[FIRST:.+]] = affine_map<(d0)[s0, s1] -> (d0 * s1, s0)>
// CHECK-DAG:   #[[COUNT:.+]] = affine_map<(d0)[s0, s1] -> (s1, -d0 + s0)>
// CHECK-LABEL: util.func public @decode
// CHECK:       %[[K2:.+]] = tensor.dim %arg1, %{{.+}} : tensor<1x8x?x128xf16>
// CHECK:       %[[C:.+]] = affine.apply #[[CHUNK]]()[%[[K2]]]
// CHECK:       %[[R:.+]]:2 = flow.dispatch.region -> (tensor<1x8x512x128xf32>, tensor<1x8x512x128xf32>)
// CHECK:       scf.forall (%[[S:.+]]) in (32) shared_outs(%[[PA:.+]] = %{{.+}}, %[[PL:.+]] = %{{.+}})
// CHECK:         %[[FROM:.+]] = affine.min #[[FIRST]](%[[S]])[%[[K2]], %[[C]]]
// CHECK:         %[[N:.+]] = affine.min #[[COUNT]](%[[FROM]])[%[[K2]], %[[C]]]
// CHECK:         %[[K:.+]] = tensor.extract_slice %arg1[0, 0, %[[FROM]], 0] [1, 8, %[[N]], 128]
// CHECK:         %[[V:.+]] = tensor.extract_slice %arg2[0, 0, %[[FROM]], 0] [1, 8, %[[N]], 128]
// CHECK:         %[[O:.+]]:3 = iree_linalg_ext.online_attention
// CHECK-SAME:      ins(%arg0, %[[K]], %[[V]], %{{.+}} : tensor<1x8x16x128xf16>, tensor<1x8x?x128xf16>, tensor<1x8x?x128xf16>, f16)
// CHECK-SAME:      outs(%{{.+}} : tensor<1x8x16x128xf32>, tensor<1x8x16xf32>, tensor<1x8x16xf32>)
// CHECK:         %[[ROW:.+]] = affine.apply #{{.+}}(%[[S]])
// CHECK:         %[[P:.+]]:2 = linalg.generic {{.+}} ins(%[[O]]#0, %[[O]]#1, %[[O]]#2
// CHECK:         tensor.parallel_insert_slice %[[P]]#0 into %[[PA]][0, 0, %[[ROW]], 0] [1, 8, 16, 128]
// CHECK:         tensor.parallel_insert_slice %[[P]]#1 into %[[PL]][0, 0, %[[ROW]], 0] [1, 8, 16, 128]
// CHECK:       } {mapping = [#iree_linalg_ext.split_reduction_mapping<0>]}
// CHECK:       %[[EA:.+]] = tensor.expand_shape %[[R]]#0 {{\[\[}}0], [1], [2, 3], [4]] output_shape [1, 8, 32, 16, 128]
// CHECK:       %[[EL:.+]] = tensor.expand_shape %[[R]]#1 {{\[\[}}0], [1], [2, 3], [4]] output_shape [1, 8, 32, 16, 128]
// CHECK:       linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[EA]], %[[EL]] :
// CHECK:       -> tensor<1x8x16x128xf16>
func.func @decode(%q: tensor<1x8x16x128xf16>, %k: tensor<1x8x?x128xf16>, %v: tensor<1x8x?x128xf16>) -> tensor<1x8x16x128xf16> {
  %scale = arith.constant 0.08837890625 : f16
  %empty = tensor.empty() : tensor<1x8x16x128xf16>
  %out = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> ()>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>]}> ins(%q, %k, %v, %scale : tensor<1x8x16x128xf16>, tensor<1x8x?x128xf16>, tensor<1x8x?x128xf16>, f16) outs(%empty : tensor<1x8x16x128xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<1x8x16x128xf16>
  return %out : tensor<1x8x16x128xf16>
}
