// The tilefuse path's thread-distribute stage as an xDSL pass: IREE prints the snapshot in generic form, plain
// xdsl-opt runs `tilefuse-stage` (tilefuse/xdsl/stage_pass.py) and prints generic form, iree-opt reads it back.
// Same IR as `tilefuse stage thread-distribute` (tilefuse/thread-distribute.mlir); tests/test_xdsl.py compares all.
// RUN: %generic %S/../tilefuse/Inputs/08-decompose.mlir \
// RUN:   | %xdsl-opt --allow-unregistered-dialect --print-op-generic \
// RUN:       -p 'tilefuse-stage{path=tilefuse target=gfx942 stage=thread-distribute}' \
// RUN:   | %iree-opt | FileCheck %s

// CHECK:     scf.forall ({{.*}}) = (0) to (64) step (16)
// CHECK:       scf.forall (%[[LANE:.+]]) in (64) shared_outs
// CHECK:         scf.for {{.*}} -> (tensor<1x1x16xf32>, tensor<1x1xf32>, tensor<1x1xf32>)
// CHECK:           iree_codegen.inner_tiled ins({{.*}}) {{.*}}kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>
// CHECK:           gpu.subgroup_reduce maximumf {{.*}} cluster(size = 4, stride = 16) : (f32) -> f32
// CHECK:           gpu.subgroup_reduce add {{.*}} cluster(size = 4, stride = 16) : (f32) -> f32
// CHECK:         tensor.parallel_insert_slice
// CHECK:       } {mapping = [#iree_gpu.lane_id<0>]}
// CHECK:     } {mapping = [#gpu.warp<linear_dim_0>]}
