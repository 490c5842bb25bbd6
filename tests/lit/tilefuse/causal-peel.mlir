// The causal-peel stage (tilefuse/codegen/stages/causal_peel.py) after causal-bound: the K2 loop splits where key tiles
// stop being whole for the workgroup's first row, floor((row0 + offset + 1) / 64) * 64 (at least 0, at most the
// bound). The first loop runs the attention without its mask (no mask math on full tiles); the second, over the
// tiles that cross the diagonal, keeps the index-computed mask, and takes the first loop's (acc, max, sum).
// RUN: %tilefuse stage causal-peel --path tilefuse --target gfx942 %S/Inputs/causal/before-causal-peel.mlir | FileCheck %s

// CHECK-DAG:   #[[FULL:.+]] = affine_map<()[s0, s1] -> (0, ((s0 + 1) floordiv 64) * 64)>
// CHECK-DAG:   #[[MIN:.+]] = affine_map<()[s0, s1] -> (s0, s1)>
// CHECK:       scf.forall (%{{.+}}, %[[ROW0:.+]]) = (0, 0) to (2, 128) step (1, 64)
// CHECK:           %[[END:.+]] = affine.min #{{.+}}()[%[[ROW0]], %c128]
// CHECK:           %[[WHOLE:.+]] = affine.max #[[FULL]]()[%[[ROW0]], %[[END]]]
// CHECK:           %[[SPLIT:.+]] = affine.min #[[MIN]]()[%[[WHOLE]], %[[END]]]
// CHECK:           %[[F:.+]]:3 = scf.for %{{.+}} = %c0 to %[[SPLIT]] step %c64
// CHECK-NOT:         linalg.generic
// CHECK:             iree_linalg_ext.online_attention
// CHECK-SAME:          ins(%{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}} : tensor<1x16x64xf16>, tensor<1x64x64xf16>, tensor<1x64x64xf16>, f16)
// CHECK:           scf.for %{{.+}} = %[[SPLIT]] to %[[END]] step %c64 iter_args(%{{.+}} = %[[F]]#0, %{{.+}} = %[[F]]#1, %{{.+}} = %[[F]]#2)
// CHECK:             %[[MASK:.+]] = linalg.generic
// CHECK:               arith.cmpi sle
// CHECK:             iree_linalg_ext.online_attention
// CHECK-SAME:          %[[MASK]] : tensor<1x16x64xf16>, tensor<1x64x64xf16>, tensor<1x64x64xf16>, f16, tensor<16x64xi8>)
