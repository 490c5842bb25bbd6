#executable_target_rocm_hsaco_fb = #hal.executable.target<"rocm", "rocm-hsaco-fb", {abi = "hip", iree.encoding.resolver = #iree_gpu.gpu_encoding_resolver<>, iree_codegen.default_tuning_spec = #rocm.builtin.tuning_module<"iree_default_tuning_spec_gfx942.mlir">, iree_codegen.target_info = #iree_gpu.target<arch = "gfx942", features = "", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<MFMA_F32_16x16x16_BF16>, <MFMA_F32_32x32x8_BF16>, <MFMA_F32_16x16x32_F8E5M2FNUZ>, <MFMA_F32_16x16x32_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_I32_16x16x32_I8>, <MFMA_I32_32x32x16_I8>, <MFMA_F64_16x16x4_F64>, <MFMA_F32_16x16x4_F32>, <MFMA_F32_16x16x16_F16>, <MFMA_F32_32x32x8_F16>, <MFMA_F32_4x4x4x16B_F16>, <MFMA_F32_16x16x4x4B_F16>, <MFMA_F32_32x32x4x2B_F16>, <MFMA_F32_4x4x4x16B_BF16>, <MFMA_F32_16x16x4x4B_BF16>, <MFMA_F32_32x32x4x2B_BF16>, <MFMA_F32_4x4x1x16B_F32>, <MFMA_F32_16x16x1x4B_F32>, <MFMA_F32_32x32x1x2B_F32>, <MFMA_F64_4x4x4x4B_F64>, <MFMA_I32_4x4x4x16B_I8>, <MFMA_I32_16x16x4x4B_I8>, <MFMA_I32_32x32x4x2B_I8>], subgroup_size_choices = [64], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 65536, max_workgroup_counts = [2147483647, 2147483647, 2147483647], max_load_instruction_bits = 128, simds_per_wgp = 4, vgpr_space_bits = 16384, dma_sizes = [32], workgroup_memory_bank_count = 32>>, ukernels = "none"}>
#map = affine_map<(d0, d1, d2, d3) -> ()>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map2 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
#map3 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d5, d4, d1, d3)>
#map4 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d5, d2, d4)>
#map5 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4, d2, d3)>
#map6 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4, d2)>
#map7 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3, d2)>
#map8 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d5, d2, d3)>
#map9 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d5, d3, d1, d4)>
#map10 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
#map11 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
#pipeline_layout = #hal.pipeline.layout<bindings = [#hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, Indirect>, #hal.pipeline.binding<storage_buffer, Indirect>], flags = Indirect>
#translation = #iree_codegen.translation_info<pipeline = #iree_codegen.no_pipeline workgroup_size = [64, 1, 1] subgroup_size = 64, {iree_codegen.denormal_fp_math_f32 = #iree_codegen.denormal_fp_math<"preserve-sign">}>
module {
  hal.executable private @attention_dispatch_0 {
    hal.executable.variant public @rocm_hsaco_fb target(#executable_target_rocm_hsaco_fb) {
      hal.executable.export public @attention_dispatch_0_online_attention_2x2x4x64x16x64x8 ordinal(0) layout(#pipeline_layout) count(%arg0: !hal.device) -> (index, index, index) {
        %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice()
        hal.return %x, %y, %z : index, index, index
      }
      builtin.module {
        func.func @attention_dispatch_0_online_attention_2x2x4x64x16x64x8() attributes {translation_info = #translation} {
          %cst = arith.constant 1.802980e-01 : f16
          %cst_0 = arith.constant 0.000000e+00 : f16
          %cst_1 = arith.constant -3.40282347E+38 : f32
          %cst_2 = arith.constant 0.000000e+00 : f32
          %c0 = arith.constant 0 : index
          %c32768 = arith.constant 32768 : index
          %0 = hal.interface.binding.subspan layout(#pipeline_layout) binding(0) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<512x2x64xf16, #hal.descriptor_type<storage_buffer>>
          %1 = amdgpu.fat_raw_buffer_cast %0 resetOffset : memref<512x2x64xf16, #hal.descriptor_type<storage_buffer>> to memref<512x2x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %2 = hal.interface.binding.subspan layout(#pipeline_layout) binding(1) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x8x16xi64, #hal.descriptor_type<storage_buffer>>
          %3 = amdgpu.fat_raw_buffer_cast %2 resetOffset : memref<2x8x16xi64, #hal.descriptor_type<storage_buffer>> to memref<2x8x16xi64, #amdgpu.address_space<fat_raw_buffer>>
          %4 = hal.interface.binding.subspan layout(#pipeline_layout) binding(2) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<512x2x64xf16, #hal.descriptor_type<storage_buffer>>
          %5 = amdgpu.fat_raw_buffer_cast %4 resetOffset : memref<512x2x64xf16, #hal.descriptor_type<storage_buffer>> to memref<512x2x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %6 = hal.interface.binding.subspan layout(#pipeline_layout) binding(3) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x2x4x64xf16, #hal.descriptor_type<storage_buffer>>
          %7 = amdgpu.fat_raw_buffer_cast %6 resetOffset : memref<2x2x4x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x2x4x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %8 = hal.interface.binding.subspan layout(#pipeline_layout) binding(4) alignment(64) offset(%c0) flags(Indirect) : memref<2x2x8x4x64xf32, #hal.descriptor_type<storage_buffer>>
          %9 = amdgpu.fat_raw_buffer_cast %8 resetOffset : memref<2x2x8x4x64xf32, #hal.descriptor_type<storage_buffer>> to memref<2x2x8x4x64xf32, #amdgpu.address_space<fat_raw_buffer>>
          %10 = hal.interface.binding.subspan layout(#pipeline_layout) binding(5) alignment(64) offset(%c32768) flags(Indirect) : memref<2x2x8x4x64xf32, strided<[4096, 2048, 256, 64, 1], offset: ?>, #hal.descriptor_type<storage_buffer>>
          %11 = amdgpu.fat_raw_buffer_cast %10 resetOffset : memref<2x2x8x4x64xf32, strided<[4096, 2048, 256, 64, 1], offset: ?>, #hal.descriptor_type<storage_buffer>> to memref<2x2x8x4x64xf32, #amdgpu.address_space<fat_raw_buffer>>
          %12 = iree_codegen.load_from_buffer %1 : memref<512x2x64xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<512x2x64xf16>
          %13 = iree_codegen.load_from_buffer %3 : memref<2x8x16xi64, #amdgpu.address_space<fat_raw_buffer>> -> tensor<2x8x16xi64>
          %14 = iree_codegen.load_from_buffer %5 : memref<512x2x64xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<512x2x64xf16>
          %15 = iree_codegen.load_from_buffer %7 : memref<2x2x4x64xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<2x2x4x64xf16>
          %16 = tensor.empty() : tensor<2x2x8x4x64xf32>
          %17:2 = scf.forall (%arg0, %arg1, %arg2, %arg3, %arg4) = (0, 0, 0, 0, 0) to (2, 2, 4, 64, 8) step (1, 1, 16, 16, 1) shared_outs(%arg5 = %16, %arg6 = %16) -> (tensor<2x2x8x4x64xf32>, tensor<2x2x8x4x64xf32>) {
            %extracted_slice = tensor.extract_slice %12[0, %arg1, 0] [512, 1, 64] [1, 1, 1] : tensor<512x2x64xf16> to tensor<512x1x64xf16>
            %extracted_slice_3 = tensor.extract_slice %14[0, %arg1, %arg3] [512, 1, 16] [1, 1, 1] : tensor<512x2x64xf16> to tensor<512x1x16xf16>
            %extracted_slice_4 = tensor.extract_slice %arg5[%arg0, %arg1, %arg4, 0, %arg3] [1, 1, 1, 4, 16] [1, 1, 1, 1, 1] : tensor<2x2x8x4x64xf32> to tensor<1x1x1x4x16xf32>
            %extracted_slice_5 = tensor.extract_slice %arg6[%arg0, %arg1, %arg4, 0, %arg3] [1, 1, 1, 4, 16] [1, 1, 1, 1, 1] : tensor<2x2x8x4x64xf32> to tensor<1x1x1x4x16xf32>
            %18:2 = scf.forall (%arg7) = (0) to (4) step (16) shared_outs(%arg8 = %extracted_slice_4, %arg9 = %extracted_slice_5) -> (tensor<1x1x1x4x16xf32>, tensor<1x1x1x4x16xf32>) {
              %extracted_slice_6 = tensor.extract_slice %15[%arg0, %arg1, 0, 0] [1, 1, 4, 64] [1, 1, 1, 1] : tensor<2x2x4x64xf16> to tensor<1x1x4x64xf16>
              %19 = tensor.empty() : tensor<1x1x1x16x16xf32>
              %20 = linalg.fill ins(%cst_2 : f32) outs(%19 : tensor<1x1x1x16x16xf32>) -> tensor<1x1x1x16x16xf32>
              %21 = tensor.empty() : tensor<1x1x1x16xf32>
              %22 = linalg.fill ins(%cst_1 : f32) outs(%21 : tensor<1x1x1x16xf32>) -> tensor<1x1x1x16xf32>
              %23 = linalg.fill ins(%cst_2 : f32) outs(%21 : tensor<1x1x1x16xf32>) -> tensor<1x1x1x16xf32>
              %padded = tensor.pad %extracted_slice_6 low[0, 0, 0, 0] high[0, 0, 12, 0] {
              ^bb0(%arg10: index, %arg11: index, %arg12: index, %arg13: index):
                tensor.yield %cst_0 : f16
              } : tensor<1x1x4x64xf16> to tensor<1x1x16x64xf16>
              %24 = tensor.empty() : tensor<1x1x16x1x64xf16>
              %extracted_slice_7 = tensor.extract_slice %13[%arg0, %arg4, 0] [1, 1, 16] [1, 1, 1] : tensor<2x8x16xi64> to tensor<1x1x16xi64>
              %25 = iree_linalg_ext.gather dimension_map = [0] ins(%extracted_slice, %extracted_slice_7 : tensor<512x1x64xf16>, tensor<1x1x16xi64>) outs(%24 : tensor<1x1x16x1x64xf16>) -> tensor<1x1x16x1x64xf16>
              %26 = tensor.empty() : tensor<1x1x16x1x16xf16>
              %27 = iree_linalg_ext.gather dimension_map = [0] ins(%extracted_slice_3, %extracted_slice_7 : tensor<512x1x16xf16>, tensor<1x1x16xi64>) outs(%26 : tensor<1x1x16x1x16xf16>) -> tensor<1x1x16x1x16xf16>
              %28 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%cst : f16) outs(%padded : tensor<1x1x16x64xf16>) {
              ^bb0(%in: f16, %out: f16):
                %40 = arith.mulf %in, %out : f16
                linalg.yield %40 : f16
              } -> tensor<1x1x16x64xf16>
              %29 = linalg.generic {indexing_maps = [#map2, #map3, #map4], iterator_types = ["parallel", "parallel", "parallel", "reduction", "parallel", "parallel"]} ins(%28, %25 : tensor<1x1x16x64xf16>, tensor<1x1x16x1x64xf16>) outs(%20 : tensor<1x1x1x16x16xf32>) attrs =  {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, subgroup_basis = [[1, 1, 1, 1, 1, 1, 1], [0, 1, 2, 3, 4, 6]]}>} {
              ^bb0(%in: f16, %in_10: f16, %out: f32):
                %40 = arith.extf %in : f16 to f32
                %41 = arith.extf %in_10 : f16 to f32
                %42 = arith.mulf %40, %41 : f32
                %43 = arith.addf %42, %out : f32
                linalg.yield %43 : f32
              } -> tensor<1x1x1x16x16xf32>
              %30 = linalg.generic {indexing_maps = [#map5, #map6], iterator_types = ["parallel", "parallel", "parallel", "reduction", "parallel"]} ins(%29 : tensor<1x1x1x16x16xf32>) outs(%22 : tensor<1x1x1x16xf32>) {
              ^bb0(%in: f32, %out: f32):
                %40 = arith.maximumf %in, %out : f32
                linalg.yield %40 : f32
              } -> tensor<1x1x1x16xf32>
              %31 = linalg.generic {indexing_maps = [#map7, #map7], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%30 : tensor<1x1x1x16xf32>) outs(%22 : tensor<1x1x1x16xf32>) {
              ^bb0(%in: f32, %out: f32):
                %40 = arith.subf %out, %in : f32
                %41 = math.exp2 %40 : f32
                linalg.yield %41 : f32
              } -> tensor<1x1x1x16xf32>
              %32 = linalg.generic {indexing_maps = [#map7, #map7], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%31 : tensor<1x1x1x16xf32>) outs(%23 : tensor<1x1x1x16xf32>) {
              ^bb0(%in: f32, %out: f32):
                %40 = arith.mulf %in, %out : f32
                linalg.yield %40 : f32
              } -> tensor<1x1x1x16xf32>
              %33 = linalg.generic {indexing_maps = [#map6, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%30 : tensor<1x1x1x16xf32>) outs(%29 : tensor<1x1x1x16x16xf32>) {
              ^bb0(%in: f32, %out: f32):
                %40 = arith.subf %out, %in : f32
                %41 = math.exp2 %40 : f32
                linalg.yield %41 : f32
              } -> tensor<1x1x1x16x16xf32>
              %34 = linalg.generic {indexing_maps = [#map5, #map6], iterator_types = ["parallel", "parallel", "parallel", "reduction", "parallel"]} ins(%33 : tensor<1x1x1x16x16xf32>) outs(%32 : tensor<1x1x1x16xf32>) {
              ^bb0(%in: f32, %out: f32):
                %40 = arith.addf %in, %out : f32
                linalg.yield %40 : f32
              } -> tensor<1x1x1x16xf32>
              %35 = tensor.empty() : tensor<1x1x1x16x16xf16>
              %36 = linalg.generic {indexing_maps = [#map5, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%33 : tensor<1x1x1x16x16xf32>) outs(%35 : tensor<1x1x1x16x16xf16>) {
              ^bb0(%in: f32, %out: f16):
                %40 = arith.truncf %in : f32 to f16
                linalg.yield %40 : f16
              } -> tensor<1x1x1x16x16xf16>
              %37 = linalg.generic {indexing_maps = [#map6, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%31 : tensor<1x1x1x16xf32>) outs(%20 : tensor<1x1x1x16x16xf32>) {
              ^bb0(%in: f32, %out: f32):
                %40 = arith.mulf %in, %out : f32
                linalg.yield %40 : f32
              } -> tensor<1x1x1x16x16xf32>
              %38 = linalg.generic {indexing_maps = [#map8, #map9, #map4], iterator_types = ["parallel", "parallel", "parallel", "reduction", "parallel", "parallel"]} ins(%36, %27 : tensor<1x1x1x16x16xf16>, tensor<1x1x16x1x16xf16>) outs(%37 : tensor<1x1x1x16x16xf32>) attrs =  {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, subgroup_basis = [[1, 1, 1, 1, 1, 1, 1], [0, 1, 2, 4, 5, 6]]}>} {
              ^bb0(%in: f16, %in_10: f16, %out: f32):
                %40 = arith.extf %in : f16 to f32
                %41 = arith.extf %in_10 : f16 to f32
                %42 = arith.mulf %40, %41 : f32
                %43 = arith.addf %42, %out : f32
                linalg.yield %43 : f32
              } -> tensor<1x1x1x16x16xf32>
              %39:2 = linalg.generic {indexing_maps = [#map10, #map11, #map11, #map10, #map10], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%38, %30, %34 : tensor<1x1x1x16x16xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>) outs(%19, %19 : tensor<1x1x1x16x16xf32>, tensor<1x1x1x16x16xf32>) {
              ^bb0(%in: f32, %in_10: f32, %in_11: f32, %out: f32, %out_12: f32):
                %40 = arith.cmpf ogt, %in_11, %cst_2 : f32
                %41 = arith.divf %in, %in_11 : f32
                %42 = arith.select %40, %41, %cst_2 : f32
                %43 = math.log2 %in_11 : f32
                %44 = arith.addf %in_10, %43 : f32
                linalg.yield %42, %44 : f32, f32
              } -> (tensor<1x1x1x16x16xf32>, tensor<1x1x1x16x16xf32>)
              %extracted_slice_8 = tensor.extract_slice %39#1[0, 0, 0, 0, 0] [1, 1, 1, 4, 16] [1, 1, 1, 1, 1] : tensor<1x1x1x16x16xf32> to tensor<1x1x1x4x16xf32>
              %extracted_slice_9 = tensor.extract_slice %39#0[0, 0, 0, 0, 0] [1, 1, 1, 4, 16] [1, 1, 1, 1, 1] : tensor<1x1x1x16x16xf32> to tensor<1x1x1x4x16xf32>
              scf.forall.in_parallel {
                tensor.parallel_insert_slice %extracted_slice_9 into %arg8[0, 0, 0, 0, 0] [1, 1, 1, 4, 16] [1, 1, 1, 1, 1] : tensor<1x1x1x4x16xf32> into tensor<1x1x1x4x16xf32>
                tensor.parallel_insert_slice %extracted_slice_8 into %arg9[0, 0, 0, 0, 0] [1, 1, 1, 4, 16] [1, 1, 1, 1, 1] : tensor<1x1x1x4x16xf32> into tensor<1x1x1x4x16xf32>
              }
            } {mapping = [#gpu.warp<linear_dim_0>]}
            scf.forall.in_parallel {
              tensor.parallel_insert_slice %18#0 into %arg5[%arg0, %arg1, %arg4, 0, %arg3] [1, 1, 1, 4, 16] [1, 1, 1, 1, 1] : tensor<1x1x1x4x16xf32> into tensor<2x2x8x4x64xf32>
              tensor.parallel_insert_slice %18#1 into %arg6[%arg0, %arg1, %arg4, 0, %arg3] [1, 1, 1, 4, 16] [1, 1, 1, 1, 1] : tensor<1x1x1x4x16xf32> into tensor<2x2x8x4x64xf32>
            }
          } {mapping = [#iree_codegen.workgroup_mapping<z:2>, #iree_codegen.workgroup_mapping<z:1>, #iree_codegen.workgroup_mapping<z>, #iree_codegen.workgroup_mapping<y>, #iree_codegen.workgroup_mapping<x>]}
          iree_codegen.store_to_buffer %17#0, %9 : tensor<2x2x8x4x64xf32> into memref<2x2x8x4x64xf32, #amdgpu.address_space<fat_raw_buffer>>
          iree_codegen.store_to_buffer %17#1, %11 : tensor<2x2x8x4x64xf32> into memref<2x2x8x4x64xf32, #amdgpu.address_space<fat_raw_buffer>>
          return
        }
        iree_codegen.dispatch_config @attention_dispatch_0_online_attention_2x2x4x64x16x64x8 {
        ^bb0(%arg0: !hal.device):
          %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice()
          iree_codegen.yield %x, %y, %z : index, index, index
        }
      }
    }
  }
}
