// The seq-lens-bound stage (tilefuse/codegen/stages/seq_lens_bound.py, design/tilefuse-path.md "Paged KV") on a
// paged GQA decode whose lengths come from a seq_lens operand, after reduction-tile and k2-tail: 32 pages of 32
// keys in 8 splits, each workgroup's K2 loop 4 pages, one a step (the page id read from the table, that page of the
// pool sliced), its mask a binding (b, rows, split, pages, page) marked tilefuse.key_lengths. Before the loop, one
// scalar of the mask a step, at the step's first key of the workgroup's batch index and split, counts the live
// pages (those whose first key is not -inf); the K2 loop then ends after them: a page past its sequence's end is
// never read. The attention keeps its mask (the last live page masked in the kernel).
// RUN: %tilefuse stage seq-lens-bound --path tilefuse --target gfx942 %S/Inputs/seq_lens/before-seq-lens-bound.mlir | FileCheck %s

// CHECK:       %[[MASK:.+]] = iree_codegen.load_from_buffer {{.+}} -> tensor<3x4x8x4x32xf16>
// CHECK:       scf.forall (%[[B:.+]], %{{.+}}, %{{.+}}, %[[SPLIT:.+]]) = (0, 0, 0, 0) to (3, 2, 4, 8)
// CHECK:         %[[MINUS_INF:.+]] = arith.constant 0xFC00 : f16
// CHECK:         %[[LIVE:.+]] = scf.for %[[T:.+]] = %[[C0:.+]] to %c4 step %[[C1:.+]] iter_args(%[[N:.+]] = %{{.+}}) -> (index) {
// CHECK:           %[[FIRST:.+]] = tensor.extract %[[MASK]][%[[B]], %{{.+}}, %[[SPLIT]], %[[T]], %{{.+}}] : tensor<3x4x8x4x32xf16>
// CHECK:           %[[SEEN:.+]] = arith.cmpf ogt, %[[FIRST]], %[[MINUS_INF]] : f16
// CHECK:           %[[ONE:.+]] = arith.select %[[SEEN]]
// CHECK:           %[[MORE:.+]] = arith.addi %[[N]], %[[ONE]] : index
// CHECK:           scf.yield %[[MORE]] : index
// CHECK:         %[[STEPS:.+]] = arith.muli %[[LIVE]], %[[C1]] : index
// CHECK:         %[[END:.+]] = arith.addi %[[C0]], %[[STEPS]] : index
// CHECK:         scf.for %[[PAGE:.+]] = %[[C0]] to %[[END]] step %[[C1]] iter_args
// CHECK:           tensor.extract_slice %[[MASK]][%[[B]], 0, %[[SPLIT]], %[[PAGE]], 0] [1, 4, 1, 1, 32]
// CHECK:           iree_linalg_ext.online_attention {{.+}} tilefuse.key_lengths
