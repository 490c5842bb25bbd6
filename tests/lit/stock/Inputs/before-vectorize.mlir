#executable_target_rocm_hsaco_fb = #hal.executable.target<"rocm", "rocm-hsaco-fb", {abi = "hip", iree.encoding.resolver = #iree_gpu.gpu_encoding_resolver<>, iree_codegen.default_tuning_spec = #rocm.builtin.tuning_module<"iree_default_tuning_spec_gfx942.mlir">, iree_codegen.target_info = #iree_gpu.target<arch = "gfx942", features = "", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<MFMA_F32_16x16x16_BF16>, <MFMA_F32_32x32x8_BF16>, <MFMA_F32_16x16x32_F8E5M2FNUZ>, <MFMA_F32_16x16x32_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_I32_16x16x32_I8>, <MFMA_I32_32x32x16_I8>, <MFMA_F64_16x16x4_F64>, <MFMA_F32_16x16x4_F32>, <MFMA_F32_16x16x16_F16>, <MFMA_F32_32x32x8_F16>, <MFMA_F32_4x4x4x16B_F16>, <MFMA_F32_16x16x4x4B_F16>, <MFMA_F32_32x32x4x2B_F16>, <MFMA_F32_4x4x4x16B_BF16>, <MFMA_F32_16x16x4x4B_BF16>, <MFMA_F32_32x32x4x2B_BF16>, <MFMA_F32_4x4x1x16B_F32>, <MFMA_F32_16x16x1x4B_F32>, <MFMA_F32_32x32x1x2B_F32>, <MFMA_F64_4x4x4x4B_F64>, <MFMA_I32_4x4x4x16B_I8>, <MFMA_I32_16x16x4x4B_I8>, <MFMA_I32_32x32x4x2B_I8>], subgroup_size_choices = [64], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 65536, max_workgroup_counts = [2147483647, 2147483647, 2147483647], max_load_instruction_bits = 128, simds_per_wgp = 4, vgpr_space_bits = 16384, dma_sizes = [32], workgroup_memory_bank_count = 32>>, ukernels = "none"}>
#map = affine_map<(d0, d1, d2) -> ()>
#map1 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map2 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#map3 = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#map4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#map5 = affine_map<(d0, d1, d2) -> (d0, d1)>
#map6 = affine_map<(d0, d1) -> (d0, d1)>
#map7 = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
#nested = #iree_vector_ext.nested_layout<subgroup_tile = [1, 4, 1], batch_tile = [1, 1, 2], outer_tile = [1, 1, 1], thread_tile = [1, 16, 4], element_tile = [1, 1, 8], subgroup_strides = [0, 1, 0], thread_strides = [0, 1, 16]>
#nested1 = #iree_vector_ext.nested_layout<subgroup_tile = [1, 4, 1], batch_tile = [1, 1, 4], outer_tile = [1, 1, 1], thread_tile = [1, 16, 4], element_tile = [1, 1, 4], subgroup_strides = [0, 1, 0], thread_strides = [0, 1, 16]>
#nested2 = #iree_vector_ext.nested_layout<subgroup_tile = [1, 1, 1], batch_tile = [1, 4, 2], outer_tile = [1, 1, 1], thread_tile = [1, 16, 4], element_tile = [1, 1, 8], subgroup_strides = [0, 0, 0], thread_strides = [0, 1, 16]>
#nested3 = #iree_vector_ext.nested_layout<subgroup_tile = [1, 1, 1], batch_tile = [1, 4, 4], outer_tile = [1, 1, 1], thread_tile = [1, 4, 16], element_tile = [1, 4, 1], subgroup_strides = [0, 0, 0], thread_strides = [0, 16, 1]>
#pipeline_layout = #hal.pipeline.layout<bindings = [#hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, Indirect>], flags = Indirect>
#translation = #iree_codegen.translation_info<pipeline = #iree_gpu.pipeline<VectorDistribute> workgroup_size = [256, 1, 1] subgroup_size = 64, {iree_codegen.denormal_fp_math_f32 = #iree_codegen.denormal_fp_math<"preserve-sign">}>
module {
  hal.executable private @attention_dispatch_0 {
    hal.executable.variant public @rocm_hsaco_fb target(#executable_target_rocm_hsaco_fb) {
      hal.executable.export public @attention_dispatch_0_attention_2x128x64x128x64 ordinal(0) layout(#pipeline_layout) count(%arg0: !hal.device) -> (index, index, index) {
        %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice()
        hal.return %x, %y, %z : index, index, index
      }
      builtin.module {
        func.func @attention_dispatch_0_attention_2x128x64x128x64() attributes {translation_info = #translation} {
          %cst = arith.constant 1.802980e-01 : f16
          %c64 = arith.constant 64 : index
          %c128 = arith.constant 128 : index
          %cst_0 = arith.constant 1.000000e+00 : f32
          %cst_1 = arith.constant -3.40282347E+38 : f32
          %cst_2 = arith.constant 0.000000e+00 : f32
          %c0 = arith.constant 0 : index
          %0 = hal.interface.binding.subspan layout(#pipeline_layout) binding(0) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %1 = amdgpu.fat_raw_buffer_cast %0 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %2 = hal.interface.binding.subspan layout(#pipeline_layout) binding(1) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %3 = amdgpu.fat_raw_buffer_cast %2 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %4 = hal.interface.binding.subspan layout(#pipeline_layout) binding(2) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %5 = amdgpu.fat_raw_buffer_cast %4 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %6 = hal.interface.binding.subspan layout(#pipeline_layout) binding(3) alignment(64) offset(%c0) flags(Indirect) : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %7 = amdgpu.fat_raw_buffer_cast %6 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %8 = iree_codegen.load_from_buffer %1 : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<2x128x64xf16>
          %9 = iree_codegen.load_from_buffer %3 : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<2x128x64xf16>
          %10 = iree_codegen.load_from_buffer %5 : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<2x128x64xf16>
          %11 = tensor.empty() : tensor<2x128x64xf16>
          %12 = scf.forall (%arg0, %arg1) = (0, 0) to (2, 128) step (1, 64) shared_outs(%arg2 = %11) -> (tensor<2x128x64xf16>) {
            %extracted_slice = tensor.extract_slice %8[%arg0, %arg1, 0] [1, 64, 64] [1, 1, 1] : tensor<2x128x64xf16> to tensor<1x64x64xf16>
            %extracted_slice_3 = tensor.extract_slice %arg2[%arg0, %arg1, 0] [1, 64, 64] [1, 1, 1] : tensor<2x128x64xf16> to tensor<1x64x64xf16>
            %13 = tensor.empty() : tensor<1x64x64xf32>
            %14 = linalg.fill ins(%cst_2 : f32) outs(%13 : tensor<1x64x64xf32>) -> tensor<1x64x64xf32>
            %15 = tensor.empty() : tensor<1x64xf32>
            %16 = linalg.fill ins(%cst_1 : f32) outs(%15 : tensor<1x64xf32>) -> tensor<1x64xf32>
            %17 = linalg.fill ins(%cst_2 : f32) outs(%15 : tensor<1x64xf32>) -> tensor<1x64xf32>
            %18 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%cst : f16) outs(%extracted_slice : tensor<1x64x64xf16>) {
            ^bb0(%in: f16, %out: f16):
              %28 = arith.mulf %in, %out : f16
              linalg.yield %28 : f16
            } -> tensor<1x64x64xf16>
            %19 = iree_vector_ext.to_layout %18 to layout(#nested) <shared_memory_conversion = #iree_gpu.derived_thread_config> : tensor<1x64x64xf16>
            %20 = iree_vector_ext.to_layout %14 to layout(#nested1) : tensor<1x64x64xf32>
            %21 = tensor.empty() : tensor<1x4x2x16x32xf16>
            %pack = linalg.pack %19 inner_dims_pos = [1, 2] inner_tiles = [16, 32] into %21 : tensor<1x64x64xf16> -> tensor<1x4x2x16x32xf16>
            %22 = tensor.empty() : tensor<1x4x2x32x16xf16>
            %23 = tensor.empty() : tensor<1x4x4x16x16xf32>
            %pack_4 = linalg.pack %20 inner_dims_pos = [1, 2] inner_tiles = [16, 16] into %23 : tensor<1x64x64xf32> -> tensor<1x4x4x16x16xf32>
            %24 = tensor.empty() : tensor<1x64x64xf16>
            %25 = tensor.empty() : tensor<1x4x4x16x16xf16>
            %26:3 = scf.for %arg3 = %c0 to %c128 step %c64 iter_args(%arg4 = %14, %arg5 = %16, %arg6 = %17) -> (tensor<1x64x64xf32>, tensor<1x64xf32>, tensor<1x64xf32>) {
              %extracted_slice_5 = tensor.extract_slice %9[%arg0, %arg3, 0] [1, 64, 64] [1, 1, 1] : tensor<2x128x64xf16> to tensor<1x64x64xf16>
              %extracted_slice_6 = tensor.extract_slice %10[%arg0, %arg3, 0] [1, 64, 64] [1, 1, 1] : tensor<2x128x64xf16> to tensor<1x64x64xf16>
              %28 = iree_vector_ext.to_layout %extracted_slice_5 to layout(#nested2) <shared_memory_conversion = #iree_gpu.derived_thread_config> : tensor<1x64x64xf16>
              %pack_7 = linalg.pack %28 inner_dims_pos = [2, 1] inner_tiles = [32, 16] into %22 : tensor<1x64x64xf16> -> tensor<1x4x2x32x16xf16>
              %29 = iree_codegen.inner_tiled ins(%pack, %pack_7) outs(%pack_4) <indexing_maps = [#map2, #map3, #map4], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = false, opaque = true>> {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, promote_operands = [0, 1], promotion_types = [#iree_gpu.derived_thread_config, #iree_gpu.derived_thread_config], subgroup_basis = [[1, 4, 1, 1, 1], [0, 1, 2, 3]]}>} : tensor<1x4x2x16x32xf16>, tensor<1x4x2x32x16xf16> into tensor<1x4x4x16x16xf32>
              %unpack = linalg.unpack %29 inner_dims_pos = [1, 2] inner_tiles = [16, 16] into %20 : tensor<1x4x4x16x16xf32> -> tensor<1x64x64xf32>
              %30 = iree_vector_ext.to_layout %unpack to layout(#nested1) : tensor<1x64x64xf32>
              %31 = linalg.generic {indexing_maps = [#map1, #map5], iterator_types = ["parallel", "parallel", "reduction"]} ins(%30 : tensor<1x64x64xf32>) outs(%arg5 : tensor<1x64xf32>) {
              ^bb0(%in: f32, %out: f32):
                %43 = arith.maximumf %in, %out : f32
                linalg.yield %43 : f32
              } -> tensor<1x64xf32>
              %32 = linalg.generic {indexing_maps = [#map6, #map6], iterator_types = ["parallel", "parallel"]} ins(%31 : tensor<1x64xf32>) outs(%arg5 : tensor<1x64xf32>) {
              ^bb0(%in: f32, %out: f32):
                %43 = arith.subf %out, %in : f32
                %44 = math.exp2 %43 : f32
                linalg.yield %44 : f32
              } -> tensor<1x64xf32>
              %33 = linalg.generic {indexing_maps = [#map6, #map6], iterator_types = ["parallel", "parallel"]} ins(%32 : tensor<1x64xf32>) outs(%arg6 : tensor<1x64xf32>) {
              ^bb0(%in: f32, %out: f32):
                %43 = arith.mulf %in, %out : f32
                linalg.yield %43 : f32
              } -> tensor<1x64xf32>
              %34 = linalg.generic {indexing_maps = [#map5, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%31 : tensor<1x64xf32>) outs(%30 : tensor<1x64x64xf32>) {
              ^bb0(%in: f32, %out: f32):
                %43 = arith.subf %out, %in : f32
                %44 = math.exp2 %43 : f32
                linalg.yield %44 : f32
              } -> tensor<1x64x64xf32>
              %35 = linalg.generic {indexing_maps = [#map1, #map5], iterator_types = ["parallel", "parallel", "reduction"]} ins(%34 : tensor<1x64x64xf32>) outs(%33 : tensor<1x64xf32>) {
              ^bb0(%in: f32, %out: f32):
                %43 = arith.addf %in, %out : f32
                linalg.yield %43 : f32
              } -> tensor<1x64xf32>
              %36 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%34 : tensor<1x64x64xf32>) outs(%24 : tensor<1x64x64xf16>) {
              ^bb0(%in: f32, %out: f16):
                %43 = arith.truncf %in : f32 to f16
                linalg.yield %43 : f16
              } -> tensor<1x64x64xf16>
              %37 = linalg.generic {indexing_maps = [#map5, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%32 : tensor<1x64xf32>) outs(%arg4 : tensor<1x64x64xf32>) {
              ^bb0(%in: f32, %out: f32):
                %43 = arith.mulf %in, %out : f32
                linalg.yield %43 : f32
              } -> tensor<1x64x64xf32>
              %38 = iree_vector_ext.to_layout %36 to layout(#nested1) : tensor<1x64x64xf16>
              %39 = iree_vector_ext.to_layout %extracted_slice_6 to layout(#nested3) <shared_memory_conversion = #iree_gpu.derived_thread_config> : tensor<1x64x64xf16>
              %40 = iree_vector_ext.to_layout %37 to layout(#nested1) : tensor<1x64x64xf32>
              %pack_8 = linalg.pack %38 inner_dims_pos = [1, 2] inner_tiles = [16, 16] into %25 : tensor<1x64x64xf16> -> tensor<1x4x4x16x16xf16>
              %pack_9 = linalg.pack %39 inner_dims_pos = [1, 2] inner_tiles = [16, 16] into %25 : tensor<1x64x64xf16> -> tensor<1x4x4x16x16xf16>
              %pack_10 = linalg.pack %40 inner_dims_pos = [1, 2] inner_tiles = [16, 16] into %23 : tensor<1x64x64xf32> -> tensor<1x4x4x16x16xf32>
              %41 = iree_codegen.inner_tiled ins(%pack_8, %pack_9) outs(%pack_10) <indexing_maps = [#map2, #map7, #map4], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = false, opaque = true>> {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, promote_operands = [1], promotion_types = [#iree_gpu.derived_thread_config], subgroup_basis = [[1, 4, 1, 1, 1], [0, 1, 3, 4]]}>} : tensor<1x4x4x16x16xf16>, tensor<1x4x4x16x16xf16> into tensor<1x4x4x16x16xf32>
              %unpack_11 = linalg.unpack %41 inner_dims_pos = [1, 2] inner_tiles = [16, 16] into %40 : tensor<1x4x4x16x16xf32> -> tensor<1x64x64xf32>
              %42 = iree_vector_ext.to_layout %unpack_11 to layout(#nested1) : tensor<1x64x64xf32>
              scf.yield %42, %31, %35 : tensor<1x64x64xf32>, tensor<1x64xf32>, tensor<1x64xf32>
            }
            %27 = linalg.generic {indexing_maps = [#map5, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%26#2, %26#0 : tensor<1x64xf32>, tensor<1x64x64xf32>) outs(%extracted_slice_3 : tensor<1x64x64xf16>) {
            ^bb0(%in: f32, %in_5: f32, %out: f16):
              %28 = arith.divf %cst_0, %in : f32
              %29 = arith.mulf %28, %in_5 : f32
              %30 = arith.truncf %29 : f32 to f16
              linalg.yield %30 : f16
            } -> tensor<1x64x64xf16>
            scf.forall.in_parallel {
              tensor.parallel_insert_slice %27 into %arg2[%arg0, %arg1, 0] [1, 64, 64] [1, 1, 1] : tensor<1x64x64xf16> into tensor<2x128x64xf16>
            }
          } {mapping = [#iree_codegen.workgroup_mapping<y>, #iree_codegen.workgroup_mapping<x>]}
          iree_codegen.store_to_buffer %12, %7 : tensor<2x128x64xf16> into memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
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
