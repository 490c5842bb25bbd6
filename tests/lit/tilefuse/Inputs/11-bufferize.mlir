#executable_target_rocm_hsaco_fb = #hal.executable.target<"rocm", "rocm-hsaco-fb", {abi = "hip", iree.encoding.resolver = #iree_gpu.gpu_encoding_resolver<>, iree_codegen.default_tuning_spec = #rocm.builtin.tuning_module<"iree_default_tuning_spec_gfx942.mlir">, iree_codegen.target_info = #iree_gpu.target<arch = "gfx942", features = "", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<MFMA_F32_16x16x16_BF16>, <MFMA_F32_32x32x8_BF16>, <MFMA_F32_16x16x32_F8E5M2FNUZ>, <MFMA_F32_16x16x32_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_I32_16x16x32_I8>, <MFMA_I32_32x32x16_I8>, <MFMA_F64_16x16x4_F64>, <MFMA_F32_16x16x4_F32>, <MFMA_F32_16x16x16_F16>, <MFMA_F32_32x32x8_F16>, <MFMA_F32_4x4x4x16B_F16>, <MFMA_F32_16x16x4x4B_F16>, <MFMA_F32_32x32x4x2B_F16>, <MFMA_F32_4x4x4x16B_BF16>, <MFMA_F32_16x16x4x4B_BF16>, <MFMA_F32_32x32x4x2B_BF16>, <MFMA_F32_4x4x1x16B_F32>, <MFMA_F32_16x16x1x4B_F32>, <MFMA_F32_32x32x1x2B_F32>, <MFMA_F64_4x4x4x4B_F64>, <MFMA_I32_4x4x4x16B_I8>, <MFMA_I32_16x16x4x4B_I8>, <MFMA_I32_32x32x4x2B_I8>], subgroup_size_choices = [64], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 65536, max_workgroup_counts = [2147483647, 2147483647, 2147483647], max_load_instruction_bits = 128, simds_per_wgp = 4, vgpr_space_bits = 16384, dma_sizes = [32], workgroup_memory_bank_count = 32>>, ukernels = "none"}>
#map = affine_map<(d0) -> ((d0 floordiv 16) mod 4)>
#map1 = affine_map<(d0) -> (d0 mod 16)>
#map2 = affine_map<()[s0, s1] -> (s0 + s1)>
#map3 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#map4 = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#map5 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#map6 = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
#pipeline_layout = #hal.pipeline.layout<bindings = [#hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, Indirect>], flags = Indirect>
#translation = #iree_codegen.translation_info<pipeline = #iree_codegen.no_pipeline workgroup_size = [64, 4, 1] subgroup_size = 64, {iree_codegen.denormal_fp_math_f32 = #iree_codegen.denormal_fp_math<"preserve-sign">}>
module {
  hal.executable private @attention_dispatch_0 {
    hal.executable.variant public @rocm_hsaco_fb target(#executable_target_rocm_hsaco_fb) {
      hal.executable.export public @attention_dispatch_0_attention_2x128x64x128x64 ordinal(0) layout(#pipeline_layout) count(%arg0: !hal.device) -> (index, index, index) {
        %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice()
        hal.return %x, %y, %z : index, index, index
      }
      builtin.module {
        func.func @attention_dispatch_0_attention_2x128x64x128x64() attributes {translation_info = #translation} {
          %cst = arith.constant dense<1.000000e+00> : vector<1x1xf32>
          %cst_0 = arith.constant dense<0.000000e+00> : vector<1x1x4x1x4xf32>
          %cst_1 = arith.constant dense<0xFF800000> : vector<1x1xf32>
          %cst_2 = arith.constant dense<1.802980e-01> : vector<1x1x16xf16>
          %cst_3 = arith.constant dense<0.000000e+00> : vector<1x1xf32>
          %cst_4 = arith.constant dense<-3.40282347E+38> : vector<1x1xf32>
          %cst_5 = arith.constant dense<0.000000e+00> : vector<1x1x16xf32>
          %cst_6 = arith.constant 0.000000e+00 : f16
          %c64 = arith.constant 64 : index
          %c128 = arith.constant 128 : index
          %c0 = arith.constant 0 : index
          %0 = hal.interface.binding.subspan layout(#pipeline_layout) binding(0) alignment(64) offset(%c0) flags("ReadOnly|Indirect") {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align = memref.assume_alignment %0, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %1 = amdgpu.fat_raw_buffer_cast %assume_align resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %2 = hal.interface.binding.subspan layout(#pipeline_layout) binding(1) alignment(64) offset(%c0) flags("ReadOnly|Indirect") {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align_7 = memref.assume_alignment %2, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %3 = amdgpu.fat_raw_buffer_cast %assume_align_7 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %4 = hal.interface.binding.subspan layout(#pipeline_layout) binding(2) alignment(64) offset(%c0) flags("ReadOnly|Indirect") {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align_8 = memref.assume_alignment %4, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %5 = amdgpu.fat_raw_buffer_cast %assume_align_8 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %6 = hal.interface.binding.subspan layout(#pipeline_layout) binding(3) alignment(64) offset(%c0) flags(Indirect) {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align_9 = memref.assume_alignment %6, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %7 = amdgpu.fat_raw_buffer_cast %assume_align_9 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          scf.forall (%arg0, %arg1) = (0, 0) to (2, 128) step (1, 64) {
            %subview = memref.subview %7[%arg0, %arg1, 0] [1, 64, 64] [1, 1, 1] : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>> to memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            scf.forall (%arg2) = (0) to (64) step (16) {
              %subview_10 = memref.subview %subview[0, %arg2, 0] [1, 16, 64] [1, 1, 1] : memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>> to memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
              %expand_shape = memref.expand_shape %subview_10 [[0, 1, 2], [3, 4, 5], [6, 7, 8]] output_shape [1, 1, 1, 1, 16, 1, 4, 4, 4] : memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>> into memref<1x1x1x1x16x1x4x4x4xf16, strided<[8192, 8192, 8192, 1024, 64, 64, 16, 4, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
              scf.forall (%arg3) in (64) {
                %8 = affine.apply #map(%arg3)
                %9 = affine.apply #map1(%arg3)
                %subview_11 = memref.subview %expand_shape[0, 0, 0, 0, %9, 0, 0, %8, 0] [1, 1, 1, 1, 1, 1, 4, 1, 4] [1, 1, 1, 1, 1, 1, 1, 1, 1] : memref<1x1x1x1x16x1x4x4x4xf16, strided<[8192, 8192, 8192, 1024, 64, 64, 16, 4, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>> to memref<1x1x1x1x1x1x4x1x4xf16, strided<[8192, 8192, 8192, 1024, 64, 64, 16, 4, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
                %10 = affine.apply #map2()[%arg2, %arg1]
                %subview_12 = memref.subview %1[%arg0, %10, 0] [1, 16, 64] [1, 1, 1] : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>> to memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
                %expand_shape_13 = memref.expand_shape %subview_12 [[0, 1, 2], [3, 4, 5], [6, 7, 8]] output_shape [1, 1, 1, 1, 16, 1, 2, 4, 8] : memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>> into memref<1x1x1x1x16x1x2x4x8xf16, strided<[8192, 8192, 8192, 1024, 64, 64, 32, 8, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
                %11 = vector.transfer_read %expand_shape_13[%c0, %c0, %c0, %c0, %9, %c0, %c0, %8, %c0], %cst_6 {in_bounds = [true, true, true, true, true, true, true, true, true]} : memref<1x1x1x1x16x1x2x4x8xf16, strided<[8192, 8192, 8192, 1024, 64, 64, 32, 8, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x1x1x1x1x2x1x8xf16>
                %12 = vector.shape_cast %11 : vector<1x1x1x1x1x1x2x1x8xf16> to vector<1x1x16xf16>
                %13 = arith.mulf %12, %cst_2 : vector<1x1x16xf16>
                %14 = vector.shape_cast %13 : vector<1x1x16xf16> to vector<1x1x2x1x8xf16>
                %15:3 = scf.for %arg4 = %c0 to %c128 step %c64 iter_args(%arg5 = %cst_4, %arg6 = %cst_5, %arg7 = %cst_3) -> (vector<1x1xf32>, vector<1x1x16xf32>, vector<1x1xf32>) {
                  %subview_14 = memref.subview %3[%arg0, %arg4, 0] [1, 64, 64] [1, 1, 1] : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>> to memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
                  %subview_15 = memref.subview %5[%arg0, %arg4, 0] [1, 64, 64] [1, 1, 1] : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>> to memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
                  %expand_shape_16 = memref.expand_shape %subview_14 [[0, 1, 2], [3, 4, 5], [6, 7, 8]] output_shape [1, 1, 1, 4, 16, 1, 2, 4, 8] : memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>> into memref<1x1x1x4x16x1x2x4x8xf16, strided<[8192, 8192, 8192, 1024, 64, 64, 32, 8, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
                  %21 = vector.transfer_read %expand_shape_16[%c0, %c0, %c0, %c0, %9, %c0, %c0, %8, %c0], %cst_6 {in_bounds = [true, true, true, true, true, true, true, true, true]} : memref<1x1x1x4x16x1x2x4x8xf16, strided<[8192, 8192, 8192, 1024, 64, 64, 32, 8, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x1x4x1x1x2x1x8xf16>
                  %expand_shape_17 = memref.expand_shape %subview_15 [[0, 1, 2], [3, 4, 5], [6, 7, 8]] output_shape [1, 1, 1, 4, 4, 4, 4, 16, 1] : memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>> into memref<1x1x1x4x4x4x4x16x1xf16, strided<[8192, 8192, 8192, 1024, 256, 64, 16, 1, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
                  %22 = vector.transfer_read %expand_shape_17[%c0, %c0, %c0, %c0, %8, %c0, %c0, %9, %c0], %cst_6 {in_bounds = [true, true, true, true, true, true, true, true, true]} : memref<1x1x1x4x4x4x4x16x1xf16, strided<[8192, 8192, 8192, 1024, 256, 64, 16, 1, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x1x4x1x4x4x1x1xf16>
                  %23 = vector.shape_cast %21 : vector<1x1x1x4x1x1x2x1x8xf16> to vector<1x4x2x8x1xf16>
                  %24 = iree_codegen.inner_tiled ins(%14, %23) outs(%cst_0) <indexing_maps = [#map3, #map4, #map5], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = true, opaque = true>> {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, promote_operands = [1], promotion_types = [#iree_gpu.derived_thread_config], subgroup_basis = [[1, 1, 1, 1, 1], [0, 1, 2, 3]]}>} : vector<1x1x2x1x8xf16>, vector<1x4x2x8x1xf16> into vector<1x1x4x1x4xf32>
                  %25 = vector.shape_cast %24 : vector<1x1x4x1x4xf32> to vector<1x1x16xf32>
                  %26 = vector.multi_reduction <maximumf>, %25, %cst_1 [2] : vector<1x1x16xf32> to vector<1x1xf32>
                  %27 = vector.extract %26[0, 0] : f32 from vector<1x1xf32>
                  %28 = gpu.subgroup_reduce maximumf %27 cluster(size = 4, stride = 16) : (f32) -> f32
                  %29 = vector.broadcast %28 : f32 to vector<1x1xf32>
                  %30 = arith.maximumf %29, %arg5 : vector<1x1xf32>
                  %31 = arith.subf %arg5, %30 : vector<1x1xf32>
                  %32 = math.exp2 %31 : vector<1x1xf32>
                  %33 = arith.mulf %32, %arg7 : vector<1x1xf32>
                  %34 = vector.broadcast %30 : vector<1x1xf32> to vector<1x1x16xf32>
                  %35 = arith.subf %25, %34 : vector<1x1x16xf32>
                  %36 = math.exp2 %35 : vector<1x1x16xf32>
                  %37 = vector.multi_reduction <add>, %36, %cst_3 [2] : vector<1x1x16xf32> to vector<1x1xf32>
                  %38 = vector.extract %37[0, 0] : f32 from vector<1x1xf32>
                  %39 = gpu.subgroup_reduce add %38 cluster(size = 4, stride = 16) : (f32) -> f32
                  %40 = vector.broadcast %39 : f32 to vector<1x1xf32>
                  %41 = arith.addf %40, %33 : vector<1x1xf32>
                  %42 = arith.truncf %36 : vector<1x1x16xf32> to vector<1x1x16xf16>
                  %43 = vector.broadcast %32 : vector<1x1xf32> to vector<1x1x16xf32>
                  %44 = arith.mulf %43, %arg6 : vector<1x1x16xf32>
                  %45 = vector.shape_cast %42 : vector<1x1x16xf16> to vector<1x1x4x1x4xf16>
                  %46 = vector.shape_cast %22 : vector<1x1x1x4x1x4x4x1x1xf16> to vector<1x4x4x4x1xf16>
                  %47 = vector.transpose %46, [0, 1, 3, 2, 4] : vector<1x4x4x4x1xf16> to vector<1x4x4x4x1xf16>
                  %48 = vector.shape_cast %44 : vector<1x1x16xf32> to vector<1x1x4x1x4xf32>
                  %49 = iree_codegen.inner_tiled ins(%45, %47) outs(%48) <indexing_maps = [#map3, #map6, #map5], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = true, opaque = true>> {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, promote_operands = [1], promotion_types = [#iree_gpu.derived_thread_config], subgroup_basis = [[1, 1, 1, 1, 1], [0, 1, 3, 4]]}>} : vector<1x1x4x1x4xf16>, vector<1x4x4x4x1xf16> into vector<1x1x4x1x4xf32>
                  %50 = vector.shape_cast %49 : vector<1x1x4x1x4xf32> to vector<1x1x16xf32>
                  scf.yield %30, %50, %41 : vector<1x1xf32>, vector<1x1x16xf32>, vector<1x1xf32>
                }
                %16 = arith.divf %cst, %15#2 : vector<1x1xf32>
                %17 = vector.broadcast %16 : vector<1x1xf32> to vector<1x1x16xf32>
                %18 = arith.mulf %17, %15#1 : vector<1x1x16xf32>
                %19 = arith.truncf %18 : vector<1x1x16xf32> to vector<1x1x16xf16>
                %20 = vector.shape_cast %19 : vector<1x1x16xf16> to vector<1x1x1x1x1x1x4x1x4xf16>
                vector.transfer_write %20, %subview_11[%c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0] {in_bounds = [true, true, true, true, true, true, true, true, true]} : vector<1x1x1x1x1x1x4x1x4xf16>, memref<1x1x1x1x1x1x4x1x4xf16, strided<[8192, 8192, 8192, 1024, 64, 64, 16, 4, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
              } {mapping = [#iree_gpu.lane_id<0>]}
            } {mapping = [#gpu.warp<linear_dim_0>]}
          } {mapping = [#iree_codegen.workgroup_mapping<y>, #iree_codegen.workgroup_mapping<x>]}
          return
        }
        iree_codegen.dispatch_config @attention_dispatch_0_attention_2x128x64x128x64 {
        ^bb0(%arg0: !hal.device):
          %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice()
          iree_codegen.yield %x, %y, %z : index, index, index
        }
      }
    }
  }
}
