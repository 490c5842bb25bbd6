// m-tail (tilefuse/codegen/stages/m_tail.py) on the GQA decode of head dim 72 that pad-to-tiles left unpadded
// (pad-to-tiles-heads.mlir), after subgroup-distribute on gfx942: the config records the heads the kernel tiles at
// (kernel_heads = [80, 80]). Q's 4 rows and its K1 are padded in one pad to the 16 x 80 tile, K's K1 to 80 (zeros:
// exact); N is tiled one 16-column PV MMA tile a workgroup (gfx942's col_major accumulator gives a lane several
// blocks of 4 columns, which the lane stage has no masked write for across tiles), the last tile's 8 real columns
// a run-time width: V's columns padded to 16, and the subgroup stores only its real rows and columns.
// RUN: %tilefuse stage m-tail --path tilefuse --target gfx942 %S/Inputs/static_heads/before-m-tail.mlir | FileCheck %s

// CHECK:       scf.forall ({{.+}}) = (0, 0, 0, 0) to (2, 4, 72, 32) step (1, 16, 16, 1)
// CHECK:         %[[COLS:.+]] = affine.min
// CHECK:         scf.forall
// CHECK:           %[[V:.+]] = tensor.extract_slice {{.+}} [1, 1, 16, %[[COLS]]]
// CHECK:           tensor.pad %[[V]] low[0, 0, 0, 0] high[0, 0, 0, %{{.+}}]
// CHECK:           } : tensor<1x1x16x?xf16> to tensor<1x1x16x16xf16>
// CHECK:           %[[Q:.+]] = tensor.pad %{{.+}} low[0, 0, 0] high[0, 12, 8]
// CHECK:           } : tensor<1x4x72xf16> to tensor<1x16x80xf16>
// CHECK:           %[[K:.+]] = tensor.pad %{{.+}} low[0, 0, 0, 0] high[0, 0, 0, 8]
// CHECK:           } : tensor<1x1x16x72xf16> to tensor<1x1x16x80xf16>
// CHECK:           iree_linalg_ext.online_attention
// CHECK-SAME:        kernel_heads = [80, 80]
// CHECK-SAME:        ins(%[[Q]], %[[K]], %{{.+}}, %{{.+}} : tensor<1x16x80xf16>, tensor<1x1x16x80xf16>, tensor<1x1x16x16xf16>, f16)
// CHECK-SAME:        outs({{.+}} : tensor<1x1x16x16xf32>, tensor<1x1x16xf32>, tensor<1x1x16xf32>)
// CHECK:           %[[O:.+]]:2 = linalg.generic {{.+}} outs(%{{.+}}, %{{.+}} : tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32>)
// CHECK:           tensor.extract_slice %[[O]]#0[0, 0, 0, 0] [1, 1, 4, %[[COLS]]]
// CHECK:           scf.forall.in_parallel
// CHECK-NEXT:        tensor.parallel_insert_slice {{.+}} [1, 1, 4, %[[COLS]]]
