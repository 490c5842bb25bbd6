// S5 is a Python pass (tilefuse/lanes); `tilefuse stage` runs the same function the driver does.
// RUN: %tilefuse stage thread-distribute --path tilefuse --target gfx942 %S/Inputs/08-decompose.mlir | FileCheck %s

// Each subgroup's rows become one lane forall of 64 lanes, inside the subgroup (#gpu.warp) forall. A lane's
// coordinates follow the QK accumulator's layout (MFMA 16x16, col_major): row = lane mod 16, key column group
// = (lane floordiv 16) mod 4.
// CHECK-DAG: #[[GROUP:.+]] = affine_map<(d0) -> ((d0 floordiv 16) mod 4)>
// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0) -> (d0 mod 16)>
// CHECK:     scf.forall ({{.*}}) = (0) to (64) step (16)
// CHECK:       scf.forall (%[[LANE:.+]]) in (64) shared_outs
// CHECK-DAG:     %[[G:.+]] = affine.apply #[[GROUP]](%[[LANE]])
// CHECK-DAG:     %[[R:.+]] = affine.apply #[[ROW]](%[[LANE]])
// The lane takes its fragment of the Q tile (row R, 2x8 head-dim elements of group G).
// CHECK:         tensor.extract_slice {{.*}}[0, 0, 0, 0, %[[R]], 0, 0, %[[G]], 0] [1, 1, 1, 1, 1, 1, 2, 1, 8]
// The K2 loop carries lane fragments: 16 accumulator values, one row max, one row sum.
// CHECK:         scf.for {{.*}} -> (tensor<1x1x16xf32>, tensor<1x1xf32>, tensor<1x1xf32>)
// QK: the virtual intrinsic on lane-sized operands.
// CHECK:           iree_codegen.inner_tiled ins({{.*}}) {{.*}}kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = true
// CHECK-SAME:        : vector<1x1x2x1x8xf16>, vector<1x4x2x8x1xf16> into vector<1x1x4x1x4xf32>
// Row max: the lane's partial over its 16 keys, then across the 4 lanes holding the row (stride 16).
// CHECK:           linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]{{.*}}ins({{.*}} : tensor<1x1x16xf32>) outs({{.*}} : tensor<1x1xf32>)
// CHECK:             arith.maximumf
// CHECK:           gpu.subgroup_reduce maximumf {{.*}} cluster(size = 4, stride = 16) : (f32) -> f32
// CHECK:           arith.maximumf {{.*}} : vector<1x1xf32>
// exp2(S - max) on the accumulator's own fragment, row sum the same way.
// CHECK:           math.exp2 {{.*}} : f32
// CHECK:           gpu.subgroup_reduce add {{.*}} cluster(size = 4, stride = 16) : (f32) -> f32
// PV: P's fragment is the QK accumulator's (no data moves: registers), V's comes straight from its tile.
// CHECK:           iree_codegen.inner_tiled ins({{.*}}) {{.*}}kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = true
// CHECK-SAME:        : vector<1x1x4x1x4xf16>, vector<1x4x4x4x1xf16> into vector<1x1x4x1x4xf32>
// CHECK:           scf.yield {{.*}} : tensor<1x1x16xf32>, tensor<1x1xf32>, tensor<1x1xf32>
// Each lane writes its 16 output elements at its coordinates of the subgroup's tile.
// CHECK:         tensor.parallel_insert_slice {{.*}}[0, 0, 0, 0, %[[R]], 0, 0, %[[G]], 0] [1, 1, 1, 1, 1, 1, 4, 1, 4]
// CHECK:       } {mapping = [#iree_gpu.lane_id<0>]}
// CHECK:       tensor.collapse_shape
// CHECK:     } {mapping = [#gpu.warp<linear_dim_0>]}
// CHECK-NOT: tensor<1x16x64xf32>
