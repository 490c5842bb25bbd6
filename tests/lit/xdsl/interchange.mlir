// What xDSL 0.74 alone gets wrong, crossing IREE -> xDSL -> IREE unchanged through plain xdsl-opt
// (`tilefuse-interchange` switches xdsl-opt to the interchange's dialects and parsing, tilefuse/tools/xdsl/):
// a hex float splat (-inf), IREE's gpu attribute syntax, alloc_tensor's memory space, vector arith, an affine map
// xDSL would distribute.
// RUN: %generic %s | %xdsl-opt --allow-unregistered-dialect --print-op-generic -p tilefuse-interchange \
// RUN:   | %iree-opt | FileCheck %s

// CHECK: #[[MAP:.+]] = affine_map<(d0) -> (((d0 + 256) * 8) mod 128)>
// CHECK-LABEL: func.func @traps
func.func @traps(%x: f32, %i: index, %c: vector<4xi1>, %a: vector<4xi32>) -> (vector<4xf32>, index, index, f32, tensor<4x4xf16, #gpu.address_space<workgroup>>, vector<4xi8>, index) {
  // CHECK: arith.constant dense<0xFF800000> : vector<4xf32>
  %ninf = arith.constant dense<0xFF800000> : vector<4xf32>
  // CHECK: gpu.thread_id  y
  %t = gpu.thread_id y
  // CHECK: gpu.lane_id upper_bound 64
  %l = gpu.lane_id upper_bound 64
  // CHECK: gpu.subgroup_reduce maximumf %{{.*}} cluster(size = 4, stride = 16) : (f32) -> f32
  %r = gpu.subgroup_reduce maximumf %x cluster(size = 4, stride = 16) : (f32) -> f32
  // CHECK: bufferization.alloc_tensor() <{memory_space = #gpu.address_space<workgroup>}>
  %w = bufferization.alloc_tensor() <{memory_space = #gpu.address_space<workgroup>}> : tensor<4x4xf16, #gpu.address_space<workgroup>>
  // CHECK: arith.select %{{.*}}, %{{.*}}, %{{.*}} : vector<4xi1>, vector<4xi32>
  %s = arith.select %c, %a, %a : vector<4xi1>, vector<4xi32>
  // CHECK: arith.trunci %{{.*}} overflow<nsw> : vector<4xi32> to vector<4xi8>
  %n = arith.trunci %s overflow<nsw> : vector<4xi32> to vector<4xi8>
  // CHECK: affine.apply #[[MAP]]
  %m = affine.apply affine_map<(d0) -> (((d0 + 256) * 8) mod 128)>(%i)
  return %ninf, %t, %l, %r, %w, %n, %m : vector<4xf32>, index, index, f32, tensor<4x4xf16, #gpu.address_space<workgroup>>, vector<4xi8>, index
}
