// split-combine on a GQA decode whose 4 K2 splits are the subgroups of one workgroup (`{"tiling": {"k2_splits": 4,
// "k2_split_place": "subgroups"}}`: 8 query / 2 KV heads, 256 keys in pages of 16, d=64; split-k2 formed one
// dispatch region of the split attention, its P/L generic and the combine; design/tilefuse-path.md, "Flash-decoding
// in one dispatch"). After workgroup-tile each workgroup holds all 4 splits and the combine; the stage puts a
// value_barrier on the partials before the combine's two reductions and tiles the division over the workgroup's
// threads by configure's thread tiles (4 columns a thread), the max and sum reductions fused in, each reading its
// columns of all 4 splits.
// RUN: %tilefuse stage split-combine --path tilefuse --target gfx942 %S/Inputs/wgsplit/before-split-combine.mlir | FileCheck %s
// Then subgroup-distribute fuses the P/L generic into the subgroups' forall over the splits, not the combine: one
// subgroup a split writes its partials, the barrier, the threads' forall reads them.
// RUN: %tilefuse stage subgroup-distribute --path tilefuse --target gfx942 %S/Inputs/wgsplit/before-subgroup-distribute.mlir | FileCheck %s --check-prefix=SUBGROUPS

// CHECK:         #translation = #iree_codegen.translation_info<pipeline = #iree_codegen.no_pipeline workgroup_size = [256, 1, 1] subgroup_size = 64
// CHECK:         scf.forall
// CHECK:           %[[ATT:.+]]:3 = iree_linalg_ext.online_attention
// CHECK-SAME:        k2_split_place = "subgroups"
// CHECK-SAME:        workgroup = [1, 1, 16, 0, 0, 64, 4, 0]
// CHECK:           %[[PL:.+]]:2 = linalg.generic {{.+}} ins(%[[ATT]]#0, %[[ATT]]#1, %[[ATT]]#2
// CHECK:           %[[SYNCED:.+]]:2 = iree_gpu.value_barrier %[[PL]]#0, %[[PL]]#1 : tensor<1x1x4x4x64xf32>, tensor<1x1x4x4x64xf32>
// CHECK:           scf.forall (%{{.+}}, %{{.+}}, %[[ROW:.+]], %[[COL:.+]]) = (0, 0, 0, 0) to (1, 1, 4, 64) step (1, 1, 1, 4)
// CHECK-DAG:         tensor.extract_slice %[[SYNCED]]#1[0, 0, 0, %[[ROW]], %[[COL]]] [1, 1, 4, 1, 4]
// CHECK-DAG:         tensor.extract_slice %[[SYNCED]]#0[0, 0, 0, %[[ROW]], %[[COL]]] [1, 1, 4, 1, 4]
// CHECK:             linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]
// CHECK:               arith.maximumf
// CHECK:             linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]
// CHECK:               math.exp2
// CHECK:             linalg.generic
// CHECK:               arith.divf
// CHECK:           } {mapping = [#gpu.thread<linear_dim_3>, #gpu.thread<linear_dim_2>, #gpu.thread<linear_dim_1>, #gpu.thread<linear_dim_0>]}
// CHECK:         } {mapping = [#iree_codegen.workgroup_mapping<y>, #iree_codegen.workgroup_mapping<x>]}

// SUBGROUPS:     scf.forall
// SUBGROUPS:       %[[PARTIALS:.+]]:2 = scf.forall (%{{.+}}, %[[SPLIT:.+]]) = (0, 0) to (4, 4) step (16, 1)
// SUBGROUPS:         iree_linalg_ext.online_attention
// SUBGROUPS:         %[[PL:.+]]:2 = linalg.generic
// SUBGROUPS:         scf.forall.in_parallel
// SUBGROUPS-NEXT:      tensor.parallel_insert_slice %[[PL]]#0 into %{{.+}}[0, 0, %[[SPLIT]], 0, 0] [1, 1, 1, 4, 64]
// SUBGROUPS-NEXT:      tensor.parallel_insert_slice %[[PL]]#1 into %{{.+}}[0, 0, %[[SPLIT]], 0, 0] [1, 1, 1, 4, 64]
// SUBGROUPS:       } {mapping = [#gpu.warp<linear_dim_1>, #gpu.warp<linear_dim_0>]}
// SUBGROUPS-NEXT:  %[[SYNCED:.+]]:2 = iree_gpu.value_barrier %[[PARTIALS]]#0, %[[PARTIALS]]#1
// SUBGROUPS:       scf.forall
// SUBGROUPS:         tensor.extract_slice %[[SYNCED]]#1
// SUBGROUPS:       } {mapping = [#gpu.thread<linear_dim_3>, #gpu.thread<linear_dim_2>, #gpu.thread<linear_dim_1>, #gpu.thread<linear_dim_0>]}
// SUBGROUPS:     } {mapping = [#iree_codegen.workgroup_mapping<y>, #iree_codegen.workgroup_mapping<x>]}
