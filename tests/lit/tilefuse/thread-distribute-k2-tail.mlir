// The thread-distribute stage (tilefuse/lanes) on k2-tail's padded tiles (the run-time-K2 problem after
// decompose): the unpadded K/V slice stays whole, and each lane reads its own fragment of the padded tile
// straight from it, one vector per outer block, masked at the slice's end along K2 (in_bounds false there
// only; the pad's zero beyond it), so no lane loads more of K or V than with a static K2.
// RUN: %tilefuse stage thread-distribute --path tilefuse --target gfx942 %S/Inputs/dynamic/before-thread-distribute.mlir | FileCheck %s

// CHECK:       scf.forall (%[[LANE:.+]]) in (64)
// CHECK:         scf.for
// CHECK:           %[[K:.+]] = tensor.extract_slice {{.+}} : tensor<2x?x64xf16> to tensor<1x?x64xf16>
// CHECK-NOT:       tensor.pad
// CHECK:           vector.transfer_read %[[K]][%{{.+}}, %{{.+}}, %{{.+}}], %{{.+}} {in_bounds = [true, false, true]} : tensor<1x?x64xf16>, vector<1x1x{{[0-9]+}}xf16>
// CHECK:           vector.insert_strided_slice
// CHECK:           iree_codegen.inner_tiled
