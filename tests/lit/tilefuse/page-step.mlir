// The page-step stage (tilefuse/codegen/stages/page_step.py, design/tilefuse-path.md "Paged KV") on a paged GQA
// decode (pages of 16 keys; 2048 keys in 16 splits of 8 pages), after the tile stages: configure stepped the K2 loop
// by 4 pages (heuristics.pages_per_step: 64 keys a step), so each step gathers 4 pages of K and of V through the page
// table into (b, kv head, pages 4, 1, page 16, d), and the attention iterates two key dims (pages, page). The stage
// collapses (pages, 1, page) of each gather into one key dim of 64, and the attention reads those: one key dim of
// the step's 64 keys, as decompose and the lane stages expect; the pages dim leaves its maps and its lowering config
// (reduction [.., 4 pages, .., 16] -> [.., 16]). The gathers stay in the loop (the lanes read their fragments
// through the table).
// RUN: %tilefuse stage page-step --path tilefuse --target gfx942 %S/Inputs/paged/before-page-step.mlir | FileCheck %s

// CHECK-DAG:   #[[K:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d5, d6, d3)>
// CHECK-DAG:   #[[V:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d5, d6, d4)>
// CHECK:       scf.for %[[STEP:.+]] = %c0 to %c2 step %c1
// CHECK:         %[[PAGES:.+]] = tensor.extract_slice %{{.+}}[%{{.+}}, %{{.+}}, %{{.+}}] [1, 1, 4] [1, 1, 1] : tensor<2x16x8xi64> to tensor<1x1x4xi64>
// CHECK:         %[[KG:.+]] = iree_linalg_ext.gather dimension_map = [0] ins(%{{.+}}, %[[PAGES]] : {{.+}}) {{.+}} -> tensor<1x1x4x1x16x64xf16>
// CHECK:         %[[VG:.+]] = iree_linalg_ext.gather dimension_map = [0] ins(%{{.+}}, %[[PAGES]] : {{.+}}) {{.+}} -> tensor<1x1x4x1x16x64xf16>
// CHECK:         %[[KS:.+]] = tensor.collapse_shape %[[KG]] {{\[\[}}0], [1], [2, 3, 4], [5]] : tensor<1x1x4x1x16x64xf16> into tensor<1x1x64x64xf16>
// CHECK:         %[[VS:.+]] = tensor.collapse_shape %[[VG]] {{\[\[}}0], [1], [2, 3, 4], [5]] : tensor<1x1x4x1x16x64xf16> into tensor<1x1x64x64xf16>
// CHECK:         iree_linalg_ext.online_attention <indexing_maps = [#{{.+}}, #[[K]], #[[V]],
// CHECK-SAME:      reduction = [0, 0, 0, 0, 0, 0, 16], subgroup = [0, 0, 16, 0, 0, 0, 0]
// CHECK-SAME:      workgroup = [1, 1, 16, 0, 64, 1, 0]
// CHECK-SAME:      ins(%{{.+}}, %[[KS]], %[[VS]], %{{.+}} : tensor<1x1x16x64xf16>, tensor<1x1x64x64xf16>, tensor<1x1x64x64xf16>, f16)
