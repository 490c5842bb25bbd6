// pad-to-tiles (tilefuse/codegen/stages/pad_to_tiles.py) on a GQA decode of head dim 72 (8 query heads in 2 groups,
// 512 keys; `tilefuse problem --batch 1 --heads 8 --kv-heads 2 --m 1 --k2 512 --k1 72`, after pack-query-groups):
// on the tilefuse path the head dims are not whole MMA tiles, but the plan leaves them to m-tail (`kernel_heads`):
// the program holds no tensor.pad at all (the 4 rows of a group are m-tail's too), so no copy of K/V. A path without
// m-tail (tilefuse-vd) pads K1 and N to 80 in the program as before.
// RUN: %tilefuse stage pad-to-tiles --path tilefuse --target gfx942 %S/Inputs/static_heads/before-pad-to-tiles.mlir | FileCheck %s --check-prefix=KERNEL
// RUN: %tilefuse stage pad-to-tiles --path tilefuse-vd --target gfx942 %S/Inputs/static_heads/before-pad-to-tiles.mlir | FileCheck %s --check-prefix=PROGRAM

// KERNEL-NOT:  tensor.pad
// KERNEL:      iree_linalg_ext.attention
// KERNEL-SAME:   tensor<1x2x4x72xf16>, tensor<1x2x512x72xf16>, tensor<1x2x512x72xf16>
// KERNEL-NOT:  tensor.pad

// PROGRAM:     tensor.pad
// PROGRAM:     } : tensor<1x2x512x72xf16> to tensor<1x2x512x80xf16>
// PROGRAM:     iree_linalg_ext.attention
// PROGRAM-SAME:  tensor<1x2x512x80xf16>, tensor<1x2x512x80xf16>
