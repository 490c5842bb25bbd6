#executable_target_rocm_hsaco_fb = #hal.executable.target<"rocm", "rocm-hsaco-fb", {abi = "hip", iree.encoding.resolver = #iree_gpu.gpu_encoding_resolver<>, iree_codegen.default_tuning_spec = #rocm.builtin.tuning_module<"iree_default_tuning_spec_gfx942.mlir">, iree_codegen.target_info = #iree_gpu.target<arch = "gfx942", features = "", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<MFMA_F32_16x16x16_BF16>, <MFMA_F32_32x32x8_BF16>, <MFMA_F32_16x16x32_F8E5M2FNUZ>, <MFMA_F32_16x16x32_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_I32_16x16x32_I8>, <MFMA_I32_32x32x16_I8>, <MFMA_F64_16x16x4_F64>, <MFMA_F32_16x16x4_F32>, <MFMA_F32_16x16x16_F16>, <MFMA_F32_32x32x8_F16>, <MFMA_F32_4x4x4x16B_F16>, <MFMA_F32_16x16x4x4B_F16>, <MFMA_F32_32x32x4x2B_F16>, <MFMA_F32_4x4x4x16B_BF16>, <MFMA_F32_16x16x4x4B_BF16>, <MFMA_F32_32x32x4x2B_BF16>, <MFMA_F32_4x4x1x16B_F32>, <MFMA_F32_16x16x1x4B_F32>, <MFMA_F32_32x32x1x2B_F32>, <MFMA_F64_4x4x4x4B_F64>, <MFMA_I32_4x4x4x16B_I8>, <MFMA_I32_16x16x4x4B_I8>, <MFMA_I32_32x32x4x2B_I8>], subgroup_size_choices = [64], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 65536, max_workgroup_counts = [2147483647, 2147483647, 2147483647], max_load_instruction_bits = 128, simds_per_wgp = 4, vgpr_space_bits = 16384, dma_sizes = [32], workgroup_memory_bank_count = 32>>, ukernels = "none"}>
#map = affine_map<()[s0, s1] -> (s0 + s1)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#map2 = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#map3 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#map4 = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
#nested = #iree_vector_ext.nested_layout<subgroup_tile = [1, 1, 1], batch_tile = [1, 1, 2], outer_tile = [1, 1, 1], thread_tile = [1, 16, 4], element_tile = [1, 1, 8], subgroup_strides = [0, 0, 0], thread_strides = [0, 1, 16]>
#nested1 = #iree_vector_ext.nested_layout<subgroup_tile = [1, 1, 1], batch_tile = [1, 1, 4], outer_tile = [1, 1, 1], thread_tile = [1, 16, 4], element_tile = [1, 1, 4], subgroup_strides = [0, 0, 0], thread_strides = [0, 1, 16]>
#nested2 = #iree_vector_ext.nested_layout<subgroup_tile = [1, 1, 1], batch_tile = [1, 4, 2], outer_tile = [1, 1, 1], thread_tile = [1, 16, 4], element_tile = [1, 1, 8], subgroup_strides = [0, 0, 0], thread_strides = [0, 1, 16]>
#nested3 = #iree_vector_ext.nested_layout<subgroup_tile = [1, 1, 1], batch_tile = [1, 4, 4], outer_tile = [1, 1, 1], thread_tile = [1, 4, 16], element_tile = [1, 4, 1], subgroup_strides = [0, 0, 0], thread_strides = [0, 16, 1]>
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
          %cst = arith.constant dense<1.000000e+00> : vector<1x16xf32>
          %cst_0 = arith.constant dense<1.802980e-01> : vector<1x16x64xf16>
          %0 = ub.poison : f16
          %cst_1 = arith.constant dense<0.000000e+00> : vector<1x16xf32>
          %cst_2 = arith.constant dense<-3.40282347E+38> : vector<1x16xf32>
          %cst_3 = arith.constant dense<0.000000e+00> : vector<1x16x64xf32>
          %c64 = arith.constant 64 : index
          %c128 = arith.constant 128 : index
          %c0 = arith.constant 0 : index
          %1 = hal.interface.binding.subspan layout(#pipeline_layout) binding(0) alignment(64) offset(%c0) flags("ReadOnly|Indirect") {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align = memref.assume_alignment %1, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %2 = amdgpu.fat_raw_buffer_cast %assume_align resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %3 = hal.interface.binding.subspan layout(#pipeline_layout) binding(1) alignment(64) offset(%c0) flags("ReadOnly|Indirect") {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align_4 = memref.assume_alignment %3, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %4 = amdgpu.fat_raw_buffer_cast %assume_align_4 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %5 = hal.interface.binding.subspan layout(#pipeline_layout) binding(2) alignment(64) offset(%c0) flags("ReadOnly|Indirect") {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align_5 = memref.assume_alignment %5, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %6 = amdgpu.fat_raw_buffer_cast %assume_align_5 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %7 = hal.interface.binding.subspan layout(#pipeline_layout) binding(3) alignment(64) offset(%c0) flags(Indirect) {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align_6 = memref.assume_alignment %7, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %8 = amdgpu.fat_raw_buffer_cast %assume_align_6 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          scf.forall (%arg0, %arg1) = (0, 0) to (2, 128) step (1, 64) {
            %subview = memref.subview %8[%arg0, %arg1, 0] [1, 64, 64] [1, 1, 1] : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>> to memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            scf.forall (%arg2) = (0) to (64) step (16) {
              %9 = affine.apply #map()[%arg2, %arg1]
              %subview_7 = memref.subview %subview[0, %arg2, 0] [1, 16, 64] [1, 1, 1] : memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>> to memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
              %10 = vector.transfer_read %2[%arg0, %9, %c0], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x16x64xf16>
              %11 = arith.mulf %10, %cst_0 : vector<1x16x64xf16>
              %12 = iree_vector_ext.to_layout %11 to layout(#nested) : vector<1x16x64xf16>
              %13 = iree_vector_ext.to_layout %cst_3 to layout(#nested1) : vector<1x16x64xf32>
              %14 = vector.shape_cast %12 : vector<1x16x64xf16> to vector<1x1x16x2x32xf16>
              %15 = vector.transpose %14, [0, 1, 3, 2, 4] : vector<1x1x16x2x32xf16> to vector<1x1x2x16x32xf16>
              %16 = vector.shape_cast %13 : vector<1x16x64xf32> to vector<1x1x16x4x16xf32>
              %17 = vector.transpose %16, [0, 1, 3, 2, 4] : vector<1x1x16x4x16xf32> to vector<1x1x4x16x16xf32>
              %18:3 = scf.for %arg3 = %c0 to %c128 step %c64 iter_args(%arg4 = %cst_3, %arg5 = %cst_1, %arg6 = %cst_2) -> (vector<1x16x64xf32>, vector<1x16xf32>, vector<1x16xf32>) {
                %24 = vector.transfer_read %4[%arg0, %arg3, %c0], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x64x64xf16>
                %25 = iree_vector_ext.to_layout %24 to layout(#nested2) : vector<1x64x64xf16>
                %26 = vector.shape_cast %25 : vector<1x64x64xf16> to vector<1x4x16x2x32xf16>
                %27 = vector.transpose %26, [0, 1, 3, 4, 2] : vector<1x4x16x2x32xf16> to vector<1x4x2x32x16xf16>
                %28 = iree_codegen.inner_tiled ins(%15, %27) outs(%17) <indexing_maps = [#map1, #map2, #map3], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = false, opaque = true>> : vector<1x1x2x16x32xf16>, vector<1x4x2x32x16xf16> into vector<1x1x4x16x16xf32>
                %29 = vector.transpose %28, [0, 1, 3, 2, 4] : vector<1x1x4x16x16xf32> to vector<1x1x16x4x16xf32>
                %30 = vector.shape_cast %29 : vector<1x1x16x4x16xf32> to vector<1x16x64xf32>
                %31 = iree_vector_ext.to_layout %30 to layout(#nested1) : vector<1x16x64xf32>
                %32 = vector.multi_reduction <maximumf>, %31, %arg6 [2] : vector<1x16x64xf32> to vector<1x16xf32>
                %33 = arith.subf %arg6, %32 : vector<1x16xf32>
                %34 = math.exp2 %33 : vector<1x16xf32>
                %35 = arith.mulf %34, %arg5 : vector<1x16xf32>
                %36 = vector.broadcast %32 : vector<1x16xf32> to vector<64x1x16xf32>
                %37 = vector.transpose %36, [1, 2, 0] : vector<64x1x16xf32> to vector<1x16x64xf32>
                %38 = arith.subf %31, %37 : vector<1x16x64xf32>
                %39 = math.exp2 %38 : vector<1x16x64xf32>
                %40 = vector.multi_reduction <add>, %39, %35 [2] : vector<1x16x64xf32> to vector<1x16xf32>
                %41 = arith.truncf %39 : vector<1x16x64xf32> to vector<1x16x64xf16>
                %42 = vector.broadcast %34 : vector<1x16xf32> to vector<64x1x16xf32>
                %43 = vector.transpose %42, [1, 2, 0] : vector<64x1x16xf32> to vector<1x16x64xf32>
                %44 = arith.mulf %43, %arg4 : vector<1x16x64xf32>
                %45 = iree_vector_ext.to_layout %41 to layout(#nested1) : vector<1x16x64xf16>
                %46 = vector.transfer_read %6[%arg0, %arg3, %c0], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x64x64xf16>
                %47 = iree_vector_ext.to_layout %46 to layout(#nested3) : vector<1x64x64xf16>
                %48 = iree_vector_ext.to_layout %44 to layout(#nested1) : vector<1x16x64xf32>
                %49 = vector.shape_cast %45 : vector<1x16x64xf16> to vector<1x1x16x4x16xf16>
                %50 = vector.transpose %49, [0, 1, 3, 2, 4] : vector<1x1x16x4x16xf16> to vector<1x1x4x16x16xf16>
                %51 = vector.shape_cast %47 : vector<1x64x64xf16> to vector<1x4x16x4x16xf16>
                %52 = vector.transpose %51, [0, 1, 3, 2, 4] : vector<1x4x16x4x16xf16> to vector<1x4x4x16x16xf16>
                %53 = vector.shape_cast %48 : vector<1x16x64xf32> to vector<1x1x16x4x16xf32>
                %54 = vector.transpose %53, [0, 1, 3, 2, 4] : vector<1x1x16x4x16xf32> to vector<1x1x4x16x16xf32>
                %55 = iree_codegen.inner_tiled ins(%50, %52) outs(%54) <indexing_maps = [#map1, #map4, #map3], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = false, opaque = true>> : vector<1x1x4x16x16xf16>, vector<1x4x4x16x16xf16> into vector<1x1x4x16x16xf32>
                %56 = vector.transpose %55, [0, 1, 3, 2, 4] : vector<1x1x4x16x16xf32> to vector<1x1x16x4x16xf32>
                %57 = vector.shape_cast %56 : vector<1x1x16x4x16xf32> to vector<1x16x64xf32>
                %58 = iree_vector_ext.to_layout %57 to layout(#nested1) : vector<1x16x64xf32>
                scf.yield %58, %40, %32 : vector<1x16x64xf32>, vector<1x16xf32>, vector<1x16xf32>
              }
              %19 = arith.divf %cst, %18#1 : vector<1x16xf32>
              %20 = vector.broadcast %19 : vector<1x16xf32> to vector<64x1x16xf32>
              %21 = vector.transpose %20, [1, 2, 0] : vector<64x1x16xf32> to vector<1x16x64xf32>
              %22 = arith.mulf %21, %18#0 : vector<1x16x64xf32>
              %23 = arith.truncf %22 : vector<1x16x64xf32> to vector<1x16x64xf16>
              vector.transfer_write %23, %subview_7[%c0, %c0, %c0] {in_bounds = [true, true, true]} : vector<1x16x64xf16>, memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
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
