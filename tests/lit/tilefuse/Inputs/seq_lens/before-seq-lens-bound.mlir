#executable_target_rocm_hsaco_fb = #hal.executable.target<"rocm", "rocm-hsaco-fb", {abi = "hip", iree.encoding.resolver = #iree_gpu.gpu_encoding_resolver<>, iree_codegen.default_tuning_spec = #rocm.builtin.tuning_module<"iree_default_tuning_spec_gfx942.mlir">, iree_codegen.target_info = #iree_gpu.target<arch = "gfx942", features = "", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<MFMA_F32_16x16x16_BF16>, <MFMA_F32_32x32x8_BF16>, <MFMA_F32_16x16x32_F8E5M2FNUZ>, <MFMA_F32_16x16x32_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_I32_16x16x32_I8>, <MFMA_I32_32x32x16_I8>, <MFMA_F64_16x16x4_F64>, <MFMA_F32_16x16x4_F32>, <MFMA_F32_16x16x16_F16>, <MFMA_F32_32x32x8_F16>, <MFMA_F32_4x4x4x16B_F16>, <MFMA_F32_16x16x4x4B_F16>, <MFMA_F32_32x32x4x2B_F16>, <MFMA_F32_4x4x4x16B_BF16>, <MFMA_F32_16x16x4x4B_BF16>, <MFMA_F32_32x32x4x2B_BF16>, <MFMA_F32_4x4x1x16B_F32>, <MFMA_F32_16x16x1x4B_F32>, <MFMA_F32_32x32x1x2B_F32>, <MFMA_F64_4x4x4x4B_F64>, <MFMA_I32_4x4x4x16B_I8>, <MFMA_I32_16x16x4x4B_I8>, <MFMA_I32_32x32x4x2B_I8>], subgroup_size_choices = [64], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 65536, max_workgroup_counts = [2147483647, 2147483647, 2147483647], max_load_instruction_bits = 128, simds_per_wgp = 4, vgpr_space_bits = 16384, dma_sizes = [32], workgroup_memory_bank_count = 32>>, ukernels = "none"}>
#map = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3)>
#map1 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d6, d4, d1, d7, d3)>
#map2 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d6, d4, d1, d7, d5)>
#map3 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> ()>
#map4 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d2, d6, d4, d7)>
#map5 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d6, d2, d5)>
#map6 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d6, d2)>
#map7 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
#map8 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
#pipeline_layout = #hal.pipeline.layout<bindings = [#hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, Indirect>, #hal.pipeline.binding<storage_buffer, Indirect>], flags = Indirect>
#translation = #iree_codegen.translation_info<pipeline = #iree_codegen.no_pipeline workgroup_size = [64, 1, 1] subgroup_size = 64, {iree_codegen.denormal_fp_math_f32 = #iree_codegen.denormal_fp_math<"preserve-sign">}>
module {
  hal.executable private @attention_dispatch_2 {
    hal.executable.variant public @rocm_hsaco_fb target(#executable_target_rocm_hsaco_fb) {
      hal.executable.export public @attention_dispatch_2_online_attention_3x2x4x64x4x64x8x32 ordinal(0) layout(#pipeline_layout) count(%arg0: !hal.device) -> (index, index, index) {
        %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice()
        hal.return %x, %y, %z : index, index, index
      }
      builtin.module {
        func.func @attention_dispatch_2_online_attention_3x2x4x64x4x64x8x32() attributes {translation_info = #translation} {
          %c1 = arith.constant 1 : index
          %c4 = arith.constant 4 : index
          %cst = arith.constant 0.000000e+00 : f16
          %cst_0 = arith.constant 1.250000e-01 : f16
          %cst_1 = arith.constant -3.40282347E+38 : f32
          %cst_2 = arith.constant 0.000000e+00 : f32
          %c0 = arith.constant 0 : index
          %c6144 = arith.constant 6144 : index
          %c30720 = arith.constant 30720 : index
          %c79872 = arith.constant 79872 : index
          %0 = hal.interface.binding.subspan layout(#pipeline_layout) binding(0) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<192x2x32x64xf16, #hal.descriptor_type<storage_buffer>>
          %1 = amdgpu.fat_raw_buffer_cast %0 resetOffset : memref<192x2x32x64xf16, #hal.descriptor_type<storage_buffer>> to memref<192x2x32x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %2 = hal.interface.binding.subspan layout(#pipeline_layout) binding(1) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<3x8x4xi64, #hal.descriptor_type<storage_buffer>>
          %3 = amdgpu.fat_raw_buffer_cast %2 resetOffset : memref<3x8x4xi64, #hal.descriptor_type<storage_buffer>> to memref<3x8x4xi64, #amdgpu.address_space<fat_raw_buffer>>
          %4 = hal.interface.binding.subspan layout(#pipeline_layout) binding(2) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<192x2x32x64xf16, #hal.descriptor_type<storage_buffer>>
          %5 = amdgpu.fat_raw_buffer_cast %4 resetOffset : memref<192x2x32x64xf16, #hal.descriptor_type<storage_buffer>> to memref<192x2x32x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %6 = hal.interface.binding.subspan layout(#pipeline_layout) binding(3) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<3x2x4x64xf16, #hal.descriptor_type<storage_buffer>>
          %7 = amdgpu.fat_raw_buffer_cast %6 resetOffset : memref<3x2x4x64xf16, #hal.descriptor_type<storage_buffer>> to memref<3x2x4x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %8 = hal.interface.binding.subspan layout(#pipeline_layout) binding(4) alignment(64) offset(%c6144) flags("ReadOnly|Indirect") : memref<3x4x8x4x32xf16, strided<[4096, 1024, 128, 32, 1], offset: ?>, #hal.descriptor_type<storage_buffer>>
          %9 = amdgpu.fat_raw_buffer_cast %8 resetOffset : memref<3x4x8x4x32xf16, strided<[4096, 1024, 128, 32, 1], offset: ?>, #hal.descriptor_type<storage_buffer>> to memref<3x4x8x4x32xf16, #amdgpu.address_space<fat_raw_buffer>>
          %10 = hal.interface.binding.subspan layout(#pipeline_layout) binding(5) alignment(64) offset(%c30720) flags(Indirect) : memref<3x2x8x4x64xf32, strided<[4096, 2048, 256, 64, 1], offset: ?>, #hal.descriptor_type<storage_buffer>>
          %11 = amdgpu.fat_raw_buffer_cast %10 resetOffset : memref<3x2x8x4x64xf32, strided<[4096, 2048, 256, 64, 1], offset: ?>, #hal.descriptor_type<storage_buffer>> to memref<3x2x8x4x64xf32, #amdgpu.address_space<fat_raw_buffer>>
          %12 = hal.interface.binding.subspan layout(#pipeline_layout) binding(6) alignment(64) offset(%c79872) flags(Indirect) : memref<3x2x8x4x64xf32, strided<[4096, 2048, 256, 64, 1], offset: ?>, #hal.descriptor_type<storage_buffer>>
          %13 = amdgpu.fat_raw_buffer_cast %12 resetOffset : memref<3x2x8x4x64xf32, strided<[4096, 2048, 256, 64, 1], offset: ?>, #hal.descriptor_type<storage_buffer>> to memref<3x2x8x4x64xf32, #amdgpu.address_space<fat_raw_buffer>>
          %14 = iree_codegen.load_from_buffer %1 : memref<192x2x32x64xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<192x2x32x64xf16>
          %15 = iree_codegen.load_from_buffer %3 : memref<3x8x4xi64, #amdgpu.address_space<fat_raw_buffer>> -> tensor<3x8x4xi64>
          %16 = iree_codegen.load_from_buffer %5 : memref<192x2x32x64xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<192x2x32x64xf16>
          %17 = iree_codegen.load_from_buffer %7 : memref<3x2x4x64xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<3x2x4x64xf16>
          %18 = iree_codegen.load_from_buffer %9 : memref<3x4x8x4x32xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<3x4x8x4x32xf16>
          %19 = tensor.empty() : tensor<3x2x8x4x64xf32>
          %20:2 = scf.forall (%arg0, %arg1, %arg2, %arg3) = (0, 0, 0, 0) to (3, 2, 4, 8) step (1, 1, 16, 1) shared_outs(%arg4 = %19, %arg5 = %19) -> (tensor<3x2x8x4x64xf32>, tensor<3x2x8x4x64xf32>) {
            %extracted_slice = tensor.extract_slice %arg4[%arg0, %arg1, %arg3, 0, 0] [1, 1, 1, 4, 64] [1, 1, 1, 1, 1] : tensor<3x2x8x4x64xf32> to tensor<1x1x1x4x64xf32>
            %extracted_slice_3 = tensor.extract_slice %arg5[%arg0, %arg1, %arg3, 0, 0] [1, 1, 1, 4, 64] [1, 1, 1, 1, 1] : tensor<3x2x8x4x64xf32> to tensor<1x1x1x4x64xf32>
            %21:2 = scf.forall (%arg6) = (0) to (4) step (16) shared_outs(%arg7 = %extracted_slice, %arg8 = %extracted_slice_3) -> (tensor<1x1x1x4x64xf32>, tensor<1x1x1x4x64xf32>) {
              %extracted_slice_4 = tensor.extract_slice %17[%arg0, %arg1, 0, 0] [1, 1, 4, 64] [1, 1, 1, 1] : tensor<3x2x4x64xf16> to tensor<1x1x4x64xf16>
              %22 = tensor.empty() : tensor<1x1x1x16x64xf32>
              %23 = linalg.fill ins(%cst_2 : f32) outs(%22 : tensor<1x1x1x16x64xf32>) -> tensor<1x1x1x16x64xf32>
              %24 = tensor.empty() : tensor<1x1x1x16xf32>
              %25 = linalg.fill ins(%cst_1 : f32) outs(%24 : tensor<1x1x1x16xf32>) -> tensor<1x1x1x16xf32>
              %26 = linalg.fill ins(%cst_2 : f32) outs(%24 : tensor<1x1x1x16xf32>) -> tensor<1x1x1x16xf32>
              %padded = tensor.pad %extracted_slice_4 low[0, 0, 0, 0] high[0, 0, 12, 0] {
              ^bb0(%arg9: index, %arg10: index, %arg11: index, %arg12: index):
                tensor.yield %cst : f16
              } : tensor<1x1x4x64xf16> to tensor<1x1x16x64xf16>
              %27:3 = scf.for %arg9 = %c0 to %c4 step %c1 iter_args(%arg10 = %23, %arg11 = %25, %arg12 = %26) -> (tensor<1x1x1x16x64xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>) {
                %extracted_slice_7 = tensor.extract_slice %15[%arg0, %arg3, %arg9] [1, 1, 1] [1, 1, 1] : tensor<3x8x4xi64> to tensor<1x1x1xi64>
                %extracted_slice_8 = tensor.extract_slice %14[0, %arg1, 0, 0] [192, 1, 32, 64] [1, 1, 1, 1] : tensor<192x2x32x64xf16> to tensor<192x1x32x64xf16>
                %extracted = tensor.extract %extracted_slice_7[%c0, %c0, %c0] : tensor<1x1x1xi64>
                %29 = arith.index_cast %extracted : i64 to index
                %extracted_slice_9 = tensor.extract_slice %extracted_slice_8[%29, 0, 0, 0] [1, 1, 32, 64] [1, 1, 1, 1] : tensor<192x1x32x64xf16> to tensor<1x1x32x64xf16>
                %expanded = tensor.expand_shape %extracted_slice_9 [[0, 1, 2], [3], [4], [5]] output_shape [1, 1, 1, 1, 32, 64] : tensor<1x1x32x64xf16> into tensor<1x1x1x1x32x64xf16>
                %extracted_slice_10 = tensor.extract_slice %16[0, %arg1, 0, 0] [192, 1, 32, 64] [1, 1, 1, 1] : tensor<192x2x32x64xf16> to tensor<192x1x32x64xf16>
                %extracted_slice_11 = tensor.extract_slice %extracted_slice_10[%29, 0, 0, 0] [1, 1, 32, 64] [1, 1, 1, 1] : tensor<192x1x32x64xf16> to tensor<1x1x32x64xf16>
                %expanded_12 = tensor.expand_shape %extracted_slice_11 [[0, 1, 2], [3], [4], [5]] output_shape [1, 1, 1, 1, 32, 64] : tensor<1x1x32x64xf16> into tensor<1x1x1x1x32x64xf16>
                %extracted_slice_13 = tensor.extract_slice %18[%arg0, 0, %arg3, %arg9, 0] [1, 4, 1, 1, 32] [1, 1, 1, 1, 1] : tensor<3x4x8x4x32xf16> to tensor<1x4x1x1x32xf16>
                %padded_14 = tensor.pad %extracted_slice_13 low[0, 0, 0, 0, 0] high[0, 12, 0, 0, 0] {
                ^bb0(%arg13: index, %arg14: index, %arg15: index, %arg16: index, %arg17: index):
                  tensor.yield %cst : f16
                } : tensor<1x4x1x1x32xf16> to tensor<1x16x1x1x32xf16>
                %30:3 = iree_linalg_ext.online_attention <indexing_maps = [#map, #map1, #map2, #map3, #map4, #map5, #map6, #map6], decomposition_config = {pv_attrs = {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, subgroup_basis = [[1, 1, 1, 1, 1, 1, 1, 1], [0, 1, 2, 4, 5, 6, 7]]}>}, qk_attrs = {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, subgroup_basis = [[1, 1, 1, 1, 1, 1, 1, 1], [0, 1, 2, 3, 4, 6, 7]]}>}}> {lowering_config = #iree_gpu.lowering_config<{k2_splits = 8 : i64, reduction = [0, 0, 0, 0, 1, 0, 0, 32], subgroup = [0, 0, 16, 0, 0, 0, 0, 0], workgroup = [1, 1, 16, 0, 0, 64, 1, 0]}>, tilefuse.key_lengths} ins(%padded, %expanded, %expanded_12, %cst_0, %padded_14 : tensor<1x1x16x64xf16>, tensor<1x1x1x1x32x64xf16>, tensor<1x1x1x1x32x64xf16>, f16, tensor<1x16x1x1x32xf16>) outs(%arg10, %arg11, %arg12 : tensor<1x1x1x16x64xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>) {
                ^bb0(%arg13: f32):
                  iree_linalg_ext.yield %arg13 : f32
                } -> tensor<1x1x1x16x64xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>
                scf.yield %30#0, %30#1, %30#2 : tensor<1x1x1x16x64xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>
              }
              %28:2 = linalg.generic {indexing_maps = [#map7, #map8, #map8, #map7, #map7], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%27#0, %27#1, %27#2 : tensor<1x1x1x16x64xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>) outs(%22, %22 : tensor<1x1x1x16x64xf32>, tensor<1x1x1x16x64xf32>) {
              ^bb0(%in: f32, %in_7: f32, %in_8: f32, %out: f32, %out_9: f32):
                %29 = arith.cmpf ogt, %in_8, %cst_2 : f32
                %30 = arith.divf %in, %in_8 : f32
                %31 = arith.select %29, %30, %cst_2 : f32
                %32 = math.log2 %in_8 : f32
                %33 = arith.addf %in_7, %32 : f32
                linalg.yield %31, %33 : f32, f32
              } -> (tensor<1x1x1x16x64xf32>, tensor<1x1x1x16x64xf32>)
              %extracted_slice_5 = tensor.extract_slice %28#1[0, 0, 0, 0, 0] [1, 1, 1, 4, 64] [1, 1, 1, 1, 1] : tensor<1x1x1x16x64xf32> to tensor<1x1x1x4x64xf32>
              %extracted_slice_6 = tensor.extract_slice %28#0[0, 0, 0, 0, 0] [1, 1, 1, 4, 64] [1, 1, 1, 1, 1] : tensor<1x1x1x16x64xf32> to tensor<1x1x1x4x64xf32>
              scf.forall.in_parallel {
                tensor.parallel_insert_slice %extracted_slice_6 into %arg7[0, 0, 0, 0, 0] [1, 1, 1, 4, 64] [1, 1, 1, 1, 1] : tensor<1x1x1x4x64xf32> into tensor<1x1x1x4x64xf32>
                tensor.parallel_insert_slice %extracted_slice_5 into %arg8[0, 0, 0, 0, 0] [1, 1, 1, 4, 64] [1, 1, 1, 1, 1] : tensor<1x1x1x4x64xf32> into tensor<1x1x1x4x64xf32>
              }
            } {mapping = [#gpu.warp<linear_dim_0>]}
            scf.forall.in_parallel {
              tensor.parallel_insert_slice %21#0 into %arg4[%arg0, %arg1, %arg3, 0, 0] [1, 1, 1, 4, 64] [1, 1, 1, 1, 1] : tensor<1x1x1x4x64xf32> into tensor<3x2x8x4x64xf32>
              tensor.parallel_insert_slice %21#1 into %arg5[%arg0, %arg1, %arg3, 0, 0] [1, 1, 1, 4, 64] [1, 1, 1, 1, 1] : tensor<1x1x1x4x64xf32> into tensor<3x2x8x4x64xf32>
            }
          } {mapping = [#iree_codegen.workgroup_mapping<z:1>, #iree_codegen.workgroup_mapping<z>, #iree_codegen.workgroup_mapping<y>, #iree_codegen.workgroup_mapping<x>]}
          iree_codegen.store_to_buffer %20#0, %11 : tensor<3x2x8x4x64xf32> into memref<3x2x8x4x64xf32, #amdgpu.address_space<fat_raw_buffer>>
          iree_codegen.store_to_buffer %20#1, %13 : tensor<3x2x8x4x64xf32> into memref<3x2x8x4x64xf32, #amdgpu.address_space<fat_raw_buffer>>
          return
        }
        iree_codegen.dispatch_config @attention_dispatch_2_online_attention_3x2x4x64x4x64x8x32 {
        ^bb0(%arg0: !hal.device):
          %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice()
          iree_codegen.yield %x, %y, %z : index, index, index
        }
      }
    }
  }
}
