// The causal-bound stage (tilefuse/codegen/stages/causal_bound.py) on the causal problem after reduction-tile (128
// queries, 128 keys, causal offset 0, 64-row workgroups, 64-key tiles): each workgroup's K2 loop ends at the tile
// holding its last row's diagonal key, min(K2, ceil((row0 + 64 + offset) / 64) * 64), with row0 the workgroup forall's
// row offset; the index-computed mask still runs on every tile (causal-peel splits it off).
// RUN: %tilefuse stage causal-bound --path tilefuse --target gfx942 %S/Inputs/causal/before-causal-bound.mlir | FileCheck %s

// CHECK-DAG:   #[[BOUND:.+]] = affine_map<()[s0, s1] -> (s1, ((s0 + 64) ceildiv 64) * 64)>
// CHECK:       scf.forall (%{{.+}}, %[[ROW0:.+]]) = (0, 0) to (2, 128) step (1, 64)
// CHECK:         scf.forall
// CHECK:           %[[END:.+]] = affine.min #[[BOUND]]()[%[[ROW0]], %c128]
// CHECK:           scf.for %[[KEY:.+]] = %c0 to %[[END]] step %c64
// CHECK:             linalg.generic
// CHECK:               linalg.index 0
// CHECK:               linalg.index 1
// CHECK:               arith.cmpi sle
// CHECK:             iree_linalg_ext.online_attention
// CHECK-SAME:          causal_offset = 0
// CHECK-NOT:       scf.for {{.+}} step
// CHECK:       } {mapping = [#iree_codegen.workgroup_mapping
