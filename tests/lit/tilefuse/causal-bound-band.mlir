// The causal-bound stage on a sliding-window band as transformers builds it (tests/fixtures/export_masks.py
// band_512: 512 tokens, window 128, so a row sees keys (i - 128, i]), after reduction-tile (64-row workgroups,
// 64-key tiles). The loop ends at the last row's diagonal tile, as for a causal mask, and starts at the tile
// holding the first row's first key, max(0, floor((row0 + offset - window + 1) / 64) * 64): the workgroup of rows
// 256..319 runs keys 128..319, three of the eight tiles.
// RUN: %tilefuse stage causal-bound --path tilefuse --target gfx942 %S/Inputs/band/before-causal-bound.mlir | FileCheck %s

// CHECK-DAG:   #[[END_MAP:.+]] = affine_map<()[s0, s1] -> (s1, ((s0 + 64) ceildiv 64) * 64)>
// CHECK-DAG:   #[[START_MAP:.+]] = affine_map<()[s0, s1] -> (s1, ((s0 - 127) floordiv 64) * 64)>
// CHECK:       scf.forall (%{{.+}}, %[[ROW0:.+]]) = (0, 0) to (2, 512) step (1, 64)
// CHECK:         scf.forall
// CHECK:           %[[END:.+]] = affine.min #[[END_MAP]]()[%[[ROW0]], %c512]
// CHECK:           %[[START:.+]] = affine.max #[[START_MAP]]()[%[[ROW0]], %c0]
// CHECK:           scf.for %{{.+}} = %[[START]] to %[[END]] step %c64
// CHECK:             linalg.generic
// CHECK:               arith.cmpi sle
// CHECK:               arith.cmpi sge
// CHECK:             iree_linalg_ext.online_attention
// CHECK-SAME:          causal_offset = 0
// CHECK-SAME:          causal_window = 128
// CHECK-NOT:       scf.for {{.+}} step
// CHECK:       } {mapping = [#iree_codegen.workgroup_mapping
