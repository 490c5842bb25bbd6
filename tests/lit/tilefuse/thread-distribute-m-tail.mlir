// The thread-distribute stage (tilefuse/codegen/stages/thread_distribute) on m-tail's tiles (the run-time-M problem
// after decompose): the subgroup's output tile of run-time rows is expanded along its static dims only (the rows
// stay one dim), and each lane writes its window of it with one `vector.transfer_write` masked along the rows
// (in_bounds false there only), into a slice holding min(element, max(0, rows - its first row)) rows: a lane
// stores only real rows.
// RUN: %tilefuse stage thread-distribute --path tilefuse --target gfx942 %S/Inputs/rows/before-thread-distribute.mlir | FileCheck %s

// CHECK:       %[[TILE:.+]] = tensor.expand_shape %{{.+}} {{\[}}[0, 1, 2], [3], [4, 5, 6]] output_shape [1, 1, 1, %{{.+}}, 4, 4, 4] : tensor<1x?x64xf16> into tensor<1x1x1x?x4x4x4xf16>
// CHECK:       scf.forall (%[[LANE:.+]]) in (64) shared_outs(%[[OUT:.+]] = %[[TILE]])
// CHECK:         %[[LEFT:.+]] = affine.max #{{.+}}(%{{.+}}, %[[LANE]])
// CHECK:         %[[N:.+]] = affine.min #{{.+}}(%[[LEFT]])
// CHECK:         %[[W:.+]] = tensor.extract_slice %[[OUT]]{{.+}} [1, 1, 1, %[[N]], 4, 1, 4] {{.+}} to tensor<1x1x1x?x4x1x4xf16>
// CHECK:         %[[WR:.+]] = vector.transfer_write %{{.+}}, %[[W]]{{.+}} {in_bounds = [true, true, true, false, true, true, true]} : vector<1x1x1x1x4x1x4xf16>, tensor<1x1x1x?x4x1x4xf16>
// CHECK:         scf.forall.in_parallel
// CHECK-NEXT:      tensor.parallel_insert_slice %[[WR]] into %[[OUT]]{{.+}} [1, 1, 1, %[[N]], 4, 1, 4]
// CHECK:       tensor.collapse_shape %{{.+}} {{\[}}[0, 1, 2], [3], [4, 5, 6]] : tensor<1x1x1x?x4x4x4xf16> into tensor<1x?x64xf16>
