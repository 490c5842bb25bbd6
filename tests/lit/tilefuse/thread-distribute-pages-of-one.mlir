// The thread-distribute stage (tilefuse/lanes) on a paged decode whose pages hold one key (SGLang's page size):
// IREE drops the unit page dim from the dispatch, so the K2 step's K and V are gathers of one-key pages (the
// gathered dim is the keys) read directly by the matmuls, not through page-step's collapse. Each lane reads its
// fragment from the page pool through the page table: its K elements (8 head-dim values of one key, QK's B
// operand) as one vector of that key's page, its V elements (4 consecutive keys of one column, PV's B operand) one
// key a read, each from its own page id. No gather is left in the lane code.
// RUN: %tilefuse stage thread-distribute --path tilefuse --target gfx942 %S/Inputs/page_of_one/before-thread-distribute.mlir | FileCheck %s

// CHECK:       scf.forall (%[[LANE:.+]]) in (64)
// CHECK-NOT:     iree_linalg_ext.gather
// CHECK:         %[[KPAGE:.+]] = tensor.extract %[[TABLE:.+]][%{{.+}}, %{{.+}}, %{{.+}}] : tensor<1x1x16xi64>
// CHECK:         %[[KAT:.+]] = arith.index_cast %[[KPAGE]] : i64 to index
// CHECK:         vector.transfer_read %{{.+}}[%[[KAT]], %{{.+}}, %{{.+}}], %{{.+}} {in_bounds = [true]} : tensor<512x1x64xf16>, vector<8xf16>
// CHECK-COUNT-4: tensor.extract %[[TABLE]][%{{.+}}, %{{.+}}, %{{.+}}] : tensor<1x1x16xi64>
// CHECK-NOT:     iree_linalg_ext.gather
// CHECK:         iree_codegen.inner_tiled
