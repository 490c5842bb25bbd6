// The thread-distribute stage (tilefuse/codegen/stages/thread_distribute) on m-tail's tiles of IREE's all-dynamic
// attention in f16 (run-time rows and head dims, after decompose): the subgroup's output tile of run-time rows and
// columns stays one dim each (neither expanded), and each lane writes its window with one `vector.transfer_write`
// masked along both (in_bounds false there only), into a slice of min(1, max(0, rows - its row)) rows and
// min(4, max(0, columns - its first column)) columns (gfx942's col_major MFMA accumulator: one row and 4 columns
// per lane in a 16-column N tile): a lane stores only real rows and columns.
// RUN: %tilefuse stage thread-distribute --path tilefuse --target gfx942 %S/Inputs/heads/before-thread-distribute.mlir | FileCheck %s

// CHECK:       %[[TILE:.+]] = tensor.expand_shape %{{.+}} {{\[}}[0, 1, 2], [3], [4]] output_shape [1, 1, 1, %{{.+}}, %{{.+}}] : tensor<1x?x?xf16> into tensor<1x1x1x?x?xf16>
// CHECK:       scf.forall (%[[LANE:.+]]) in (64) shared_outs(%[[OUT:.+]] = %[[TILE]])
// CHECK:         %[[ROWS_LEFT:.+]] = affine.max #{{.+}}(%{{.+}}, %[[LANE]])
// CHECK:         %[[ROWS:.+]] = affine.min #{{.+}}(%[[ROWS_LEFT]])
// CHECK:         %[[COLS_LEFT:.+]] = affine.max #{{.+}}(%{{.+}}, %[[LANE]])
// CHECK:         %[[COLS:.+]] = affine.min #{{.+}}(%[[COLS_LEFT]])
// CHECK:         %[[W:.+]] = tensor.extract_slice %[[OUT]]{{.+}} [1, 1, 1, %[[ROWS]], %[[COLS]]] {{.+}} to tensor<1x1x1x?x?xf16>
// CHECK:         %[[WR:.+]] = vector.transfer_write %{{.+}}, %[[W]]{{.+}} {in_bounds = [true, true, true, false, false]} : vector<1x1x1x1x4xf16>, tensor<1x1x1x?x?xf16>
// CHECK:         scf.forall.in_parallel
// CHECK-NEXT:      tensor.parallel_insert_slice %[[WR]] into %[[OUT]]{{.+}} [1, 1, 1, %[[ROWS]], %[[COLS]]]
// CHECK:       tensor.collapse_shape %{{.+}} {{\[}}[0, 1, 2], [3], [4]] : tensor<1x1x1x?x?xf16> into tensor<1x?x?xf16>
