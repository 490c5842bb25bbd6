// The tilefuse path's program stage (tilefuse/codegen/stages/pad_to_tiles.py), on input programs: an attention whose
// query rows or keys do not fill the tiles is padded to them, padded keys are masked out, the result sliced back.
// RUN: %tilefuse stage pad-to-tiles --path tilefuse --target gfx942 %s | FileCheck %s

// 20 queries -> 32 (whole 16-row MMA tiles; fewer rows than one tile stay: m-tail pads them in the kernel), 77 keys -> 128 (two 64-key tiles); a mask over K2 hides keys 77..127.
// CHECK-DAG: #[[KEYS:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d3)>
// CHECK-LABEL: util.func public @unaligned
// CHECK:       tensor.pad %{{.+}} low[0, 0, 0] high[0, 12, 0]
// CHECK:       } : tensor<2x20x64xf16> to tensor<2x32x64xf16>
// CHECK:       tensor.pad %{{.+}} low[0, 0, 0] high[0, 51, 0]
// CHECK:       } : tensor<2x77x64xf16> to tensor<2x128x64xf16>
// CHECK:       tensor.pad %{{.+}} low[0, 0, 0] high[0, 51, 0]
// CHECK:       } : tensor<2x77x64xf16> to tensor<2x128x64xf16>
// CHECK:       %[[MASK:.+]] = linalg.generic {{.*}} outs(%{{.+}} : tensor<128xi1>)
// CHECK:         %[[KEY:.+]] = linalg.index 0
// CHECK:         %[[VALID:.+]] = arith.constant 77 : index
// CHECK:         arith.cmpi slt, %[[KEY]], %[[VALID]]
// CHECK:       %[[ATT:.+]] = iree_linalg_ext.attention <indexing_maps = [{{.+}}, {{.+}}, {{.+}}, {{.+}}, #[[KEYS]], {{.+}}]>
// CHECK-SAME:    %[[MASK]] : {{.*}} tensor<128xi1>) outs(%{{.+}} : tensor<2x32x64xf16>)
// CHECK:       tensor.extract_slice %[[ATT]][0, 0, 0] [2, 20, 64] [1, 1, 1] : tensor<2x32x64xf16> to tensor<2x20x64xf16>
func.func @unaligned(%q: tensor<2x20x64xf16>, %k: tensor<2x77x64xf16>, %v: tensor<2x77x64xf16>) -> tensor<2x20x64xf16> {
  %scale = arith.constant 0.125 : f16
  %empty = tensor.empty() : tensor<2x20x64xf16>
  %out = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d2)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d4)>, affine_map<(d0, d1, d2, d3, d4) -> ()>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4)>]}> ins(%q, %k, %v, %scale : tensor<2x20x64xf16>, tensor<2x77x64xf16>, tensor<2x77x64xf16>, f16) outs(%empty : tensor<2x20x64xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<2x20x64xf16>
  return %out : tensor<2x20x64xf16>
}

// An existing boolean mask pads with "visible" (padded query rows stay finite), then hides keys >= 70.
// CHECK-LABEL: util.func public @masked
// CHECK:       %[[TRUE:.+]] = arith.constant true
// CHECK:       %[[PADDED:.+]] = tensor.pad %{{.+}} low[0, 0] high[12, 58]
// CHECK:         tensor.yield %[[TRUE]] : i1
// CHECK:       } : tensor<20x70xi1> to tensor<32x128xi1>
// CHECK:       %[[MASK:.+]] = linalg.generic {{.*}} ins(%[[PADDED]] : tensor<32x128xi1>)
// CHECK:       ^bb0(%[[IN:.+]]: i1, %{{.+}}: i1):
// CHECK:         %[[KEY:.+]] = linalg.index 1
// CHECK:         %[[KEPT:.+]] = arith.cmpi slt, %[[KEY]], %{{.+}}
// CHECK:         %[[FALSE:.+]] = arith.constant false
// CHECK:         arith.select %[[KEPT]], %[[IN]], %[[FALSE]] : i1
// CHECK:       iree_linalg_ext.attention {{.*}} %[[MASK]] : {{.*}} tensor<32x128xi1>) outs(%{{.+}} : tensor<1x2x32x64xf16>)
func.func @masked(%q: tensor<1x2x20x64xf16>, %k: tensor<1x2x70x64xf16>, %v: tensor<1x2x70x64xf16>, %mask: tensor<20x70xi1>) -> tensor<1x2x20x64xf16> {
  %scale = arith.constant 0.125 : f16
  %empty = tensor.empty() : tensor<1x2x20x64xf16>
  %out = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> ()>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d2, d4)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>]}> ins(%q, %k, %v, %scale, %mask : tensor<1x2x20x64xf16>, tensor<1x2x70x64xf16>, tensor<1x2x70x64xf16>, f16, tensor<20x70xi1>) outs(%empty : tensor<1x2x20x64xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<1x2x20x64xf16>
  return %out : tensor<1x2x20x64xf16>
}

// Decode: one query row becomes one MMA tile of 16; the keys fill their tiles, so no mask is added.
// CHECK-LABEL: util.func public @decode
// CHECK:       tensor.pad %{{.+}} low[0, 0, 0, 0] high[0, 0, 15, 0]
// CHECK:       } : tensor<1x2x1x64xf16> to tensor<1x2x16x64xf16>
// CHECK-NOT:   linalg.generic
// CHECK:       iree_linalg_ext.attention <indexing_maps = [{{[^,]+}}, {{[^,]+}}, {{[^,]+}}, {{[^,]+}}, {{[^,]+}}]>
// CHECK-SAME:    outs(%{{.+}} : tensor<1x2x16x64xf16>)
// CHECK:       tensor.extract_slice {{.*}} : tensor<1x2x16x64xf16> to tensor<1x2x1x64xf16>
func.func @decode(%q: tensor<1x2x1x64xf16>, %k: tensor<1x2x128x64xf16>, %v: tensor<1x2x128x64xf16>) -> tensor<1x2x1x64xf16> {
  %scale = arith.constant 0.125 : f16
  %empty = tensor.empty() : tensor<1x2x1x64xf16>
  %out = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> ()>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>]}> ins(%q, %k, %v, %scale : tensor<1x2x1x64xf16>, tensor<1x2x128x64xf16>, tensor<1x2x128x64xf16>, f16) outs(%empty : tensor<1x2x1x64xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<1x2x1x64xf16>
  return %out : tensor<1x2x1x64xf16>
}

// 2-15 rows (a GQA decode's group packed into rows) stay as they are: m-tail pads them to the 16-row tile in the
// kernel (a program-level pad of the argument Q would be a copy dispatch of its own).
// CHECK-LABEL: util.func public @group_rows
// CHECK-NOT:   tensor.pad
// CHECK:       iree_linalg_ext.attention
// CHECK-SAME:    outs(%{{.+}} : tensor<1x2x4x64xf16>)
// CHECK-NOT:   tensor.extract_slice
func.func @group_rows(%q: tensor<1x2x4x64xf16>, %k: tensor<1x2x128x64xf16>, %v: tensor<1x2x128x64xf16>) -> tensor<1x2x4x64xf16> {
  %scale = arith.constant 0.125 : f16
  %empty = tensor.empty() : tensor<1x2x4x64xf16>
  %out = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> ()>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>]}> ins(%q, %k, %v, %scale : tensor<1x2x4x64xf16>, tensor<1x2x128x64xf16>, tensor<1x2x128x64xf16>, f16) outs(%empty : tensor<1x2x4x64xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<1x2x4x64xf16>
  return %out : tensor<1x2x4x64xf16>
}
