// The causal-peel stage on the sliding-window band (see causal-bound-band.mlir) after causal-bound: three loops
// from the band's first tile to its last. The tiles that cross the band's lower edge for some row, up to the first
// tile the workgroup's last row sees from its first key on (ceil((row0 + 63 + offset - window + 1) / 64) * 64),
// keep the index-computed mask; the whole tiles after them, up to the first diagonal tile (floor((row0 + offset +
// 1) / 64) * 64), run without a mask; the diagonal tiles keep it. Each loop takes the (acc, max, sum) of the one
// before.
// RUN: %tilefuse stage causal-peel --path tilefuse --target gfx942 %S/Inputs/band/before-causal-peel.mlir | FileCheck %s

// CHECK-DAG:   #[[DIAG_MAP:.+]] = affine_map<()[s0, s1] -> (0, ((s0 + 1) floordiv 64) * 64)>
// CHECK-DAG:   #[[MIN:.+]] = affine_map<()[s0, s1] -> (s0, s1)>
// CHECK-DAG:   #[[EDGE_MAP:.+]] = affine_map<()[s0, s1] -> (0, ((s0 - 64) ceildiv 64) * 64)>
// CHECK:       scf.forall (%{{.+}}, %[[ROW0:.+]]) = (0, 0) to (2, 512) step (1, 64)
// CHECK:           %[[END:.+]] = affine.min #{{.+}}()[%[[ROW0]], %c512]
// CHECK:           %[[START:.+]] = affine.max #{{.+}}()[%[[ROW0]], %c0]
// CHECK:           %[[DIAG0:.+]] = affine.max #[[DIAG_MAP]]()[%[[ROW0]], %[[END]]]
// CHECK:           %[[DIAG:.+]] = affine.min #[[MIN]]()[%[[DIAG0]], %[[END]]]
// CHECK:           %[[EDGE0:.+]] = affine.max #[[EDGE_MAP]]()[%[[ROW0]], %[[END]]]
// CHECK:           %[[EDGE1:.+]] = affine.max #[[MIN]]()[%[[EDGE0]], %[[START]]]
// CHECK:           %[[EDGE:.+]] = affine.min #[[MIN]]()[%[[EDGE1]], %[[DIAG]]]
// CHECK:           %[[LOWER:.+]]:3 = scf.for %{{.+}} = %[[START]] to %[[EDGE]] step %c64
// CHECK:             %[[MASK1:.+]] = linalg.generic
// CHECK:               arith.cmpi sle
// CHECK:               arith.cmpi sge
// CHECK:             iree_linalg_ext.online_attention
// CHECK-SAME:          %[[MASK1]] : tensor<1x16x64xf16>, tensor<1x64x64xf16>, tensor<1x64x64xf16>, f32, tensor<16x64xi8>)
// CHECK:           %[[WHOLE:.+]]:3 = scf.for %{{.+}} = %[[EDGE]] to %[[DIAG]] step %c64 iter_args(%{{.+}} = %[[LOWER]]#0, %{{.+}} = %[[LOWER]]#1, %{{.+}} = %[[LOWER]]#2)
// CHECK-NOT:         linalg.generic
// CHECK:             iree_linalg_ext.online_attention
// CHECK-SAME:          ins(%{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}} : tensor<1x16x64xf16>, tensor<1x64x64xf16>, tensor<1x64x64xf16>, f32)
// CHECK:           scf.for %{{.+}} = %[[DIAG]] to %[[END]] step %c64 iter_args(%{{.+}} = %[[WHOLE]]#0, %{{.+}} = %[[WHOLE]]#1, %{{.+}} = %[[WHOLE]]#2)
// CHECK:             %[[MASK3:.+]] = linalg.generic
// CHECK:               arith.cmpi sle
// CHECK:               arith.cmpi sge
// CHECK:             iree_linalg_ext.online_attention
// CHECK-SAME:          %[[MASK3]] : tensor<1x16x64xf16>, tensor<1x64x64xf16>, tensor<1x64x64xf16>, f32, tensor<16x64xi8>)
