#executable_target_rocm_hsaco_fb = #hal.executable.target<"rocm", "rocm-hsaco-fb", {abi = "hip", iree.encoding.resolver = #iree_gpu.gpu_encoding_resolver<>, iree_codegen.default_tuning_spec = #rocm.builtin.tuning_module<"iree_default_tuning_spec_gfx942.mlir">, iree_codegen.target_info = #iree_gpu.target<arch = "gfx942", features = "", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<MFMA_F32_16x16x16_BF16>, <MFMA_F32_32x32x8_BF16>, <MFMA_F32_16x16x32_F8E5M2FNUZ>, <MFMA_F32_16x16x32_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_I32_16x16x32_I8>, <MFMA_I32_32x32x16_I8>, <MFMA_F64_16x16x4_F64>, <MFMA_F32_16x16x4_F32>, <MFMA_F32_16x16x16_F16>, <MFMA_F32_32x32x8_F16>, <MFMA_F32_4x4x4x16B_F16>, <MFMA_F32_16x16x4x4B_F16>, <MFMA_F32_32x32x4x2B_F16>, <MFMA_F32_4x4x4x16B_BF16>, <MFMA_F32_16x16x4x4B_BF16>, <MFMA_F32_32x32x4x2B_BF16>, <MFMA_F32_4x4x1x16B_F32>, <MFMA_F32_16x16x1x4B_F32>, <MFMA_F32_32x32x1x2B_F32>, <MFMA_F64_4x4x4x4B_F64>, <MFMA_I32_4x4x4x16B_I8>, <MFMA_I32_16x16x4x4B_I8>, <MFMA_I32_32x32x4x2B_I8>], subgroup_size_choices = [64], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 65536, max_workgroup_counts = [2147483647, 2147483647, 2147483647], max_load_instruction_bits = 128, simds_per_wgp = 4, vgpr_space_bits = 16384, dma_sizes = [32], workgroup_memory_bank_count = 32>>, ukernels = "none"}>
#map = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3)>
#map1 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d6, d4, d1, d7, d3)>
#map2 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d6, d4, d1, d7, d5)>
#map3 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> ()>
#map4 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d6, d2, d5)>
#map5 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d6, d2)>
#map6 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
#map7 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
#map8 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4, d2, d3)>
#map9 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#pipeline_layout = #hal.pipeline.layout<bindings = [#hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, Indirect>], flags = Indirect>
#translation = #iree_codegen.translation_info<pipeline = #iree_codegen.no_pipeline workgroup_size = [256, 1, 1] subgroup_size = 64, {iree_codegen.denormal_fp_math_f32 = #iree_codegen.denormal_fp_math<"preserve-sign">}>
module {
  hal.executable private @attention_dispatch_0 {
    hal.executable.variant public @rocm_hsaco_fb target(#executable_target_rocm_hsaco_fb) {
      hal.executable.export public @attention_dispatch_0_online_attention_1x2x4x64x4x64x4x16 ordinal(0) layout(#pipeline_layout) count(%arg0: !hal.device) -> (index, index, index) {
        %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice()
        hal.return %x, %y, %z : index, index, index
      }
      builtin.module {
        func.func @attention_dispatch_0_online_attention_1x2x4x64x4x64x4x16() attributes {translation_info = #translation} {
          %cst = arith.constant 0.000000e+00 : f32
          %cst_0 = arith.constant -3.40282347E+38 : f32
          %cst_1 = arith.constant 1.250000e-01 : f16
          %c0 = arith.constant 0 : index
          %0 = hal.interface.binding.subspan layout(#pipeline_layout) binding(0) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<4x4xi64, #hal.descriptor_type<storage_buffer>>
          %1 = amdgpu.fat_raw_buffer_cast %0 resetOffset : memref<4x4xi64, #hal.descriptor_type<storage_buffer>> to memref<4x4xi64, #amdgpu.address_space<fat_raw_buffer>>
          %2 = hal.interface.binding.subspan layout(#pipeline_layout) binding(1) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<32x2x16x64xf16, #hal.descriptor_type<storage_buffer>>
          %3 = amdgpu.fat_raw_buffer_cast %2 resetOffset : memref<32x2x16x64xf16, #hal.descriptor_type<storage_buffer>> to memref<32x2x16x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %4 = hal.interface.binding.subspan layout(#pipeline_layout) binding(2) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<32x2x16x64xf16, #hal.descriptor_type<storage_buffer>>
          %5 = amdgpu.fat_raw_buffer_cast %4 resetOffset : memref<32x2x16x64xf16, #hal.descriptor_type<storage_buffer>> to memref<32x2x16x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %6 = hal.interface.binding.subspan layout(#pipeline_layout) binding(3) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<1x2x4x64xf16, #hal.descriptor_type<storage_buffer>>
          %7 = amdgpu.fat_raw_buffer_cast %6 resetOffset : memref<1x2x4x64xf16, #hal.descriptor_type<storage_buffer>> to memref<1x2x4x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %8 = hal.interface.binding.subspan layout(#pipeline_layout) binding(4) alignment(64) offset(%c0) flags(Indirect) : memref<1x2x4x64xf16, #hal.descriptor_type<storage_buffer>>
          %9 = amdgpu.fat_raw_buffer_cast %8 resetOffset : memref<1x2x4x64xf16, #hal.descriptor_type<storage_buffer>> to memref<1x2x4x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %10 = iree_codegen.load_from_buffer %3 : memref<32x2x16x64xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<32x2x16x64xf16>
          %11 = iree_codegen.load_from_buffer %5 : memref<32x2x16x64xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<32x2x16x64xf16>
          %12 = iree_codegen.load_from_buffer %7 : memref<1x2x4x64xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<1x2x4x64xf16>
          %13 = iree_codegen.load_from_buffer %1 : memref<4x4xi64, #amdgpu.address_space<fat_raw_buffer>> -> tensor<4x4xi64>
          %expanded = tensor.expand_shape %13 [[0, 1], [2]] output_shape [1, 4, 4] : tensor<4x4xi64> into tensor<1x4x4xi64>
          %14 = tensor.empty() : tensor<1x2x4x64xf32>
          %15 = linalg.fill ins(%cst_0 : f32) outs(%14 : tensor<1x2x4x64xf32>) -> tensor<1x2x4x64xf32>
          %16 = linalg.fill ins(%cst : f32) outs(%14 : tensor<1x2x4x64xf32>) -> tensor<1x2x4x64xf32>
          %17 = tensor.empty() : tensor<1x2x4x64xf16>
          %18 = scf.forall (%arg0, %arg1) = (0, 0) to (2, 4) step (1, 16) shared_outs(%arg2 = %17) -> (tensor<1x2x4x64xf16>) {
            %extracted_slice = tensor.extract_slice %12[0, %arg0, 0, 0] [1, 1, 4, 64] [1, 1, 1, 1] : tensor<1x2x4x64xf16> to tensor<1x1x4x64xf16>
            %19 = tensor.empty() : tensor<1x4x4x1x16x64xf16>
            %extracted_slice_2 = tensor.extract_slice %10[0, %arg0, 0, 0] [32, 1, 16, 64] [1, 1, 1, 1] : tensor<32x2x16x64xf16> to tensor<32x1x16x64xf16>
            %20 = iree_linalg_ext.gather dimension_map = [0] ins(%extracted_slice_2, %expanded : tensor<32x1x16x64xf16>, tensor<1x4x4xi64>) outs(%19 : tensor<1x4x4x1x16x64xf16>) -> tensor<1x4x4x1x16x64xf16>
            %extracted_slice_3 = tensor.extract_slice %11[0, %arg0, 0, 0] [32, 1, 16, 64] [1, 1, 1, 1] : tensor<32x2x16x64xf16> to tensor<32x1x16x64xf16>
            %21 = iree_linalg_ext.gather dimension_map = [0] ins(%extracted_slice_3, %expanded : tensor<32x1x16x64xf16>, tensor<1x4x4xi64>) outs(%19 : tensor<1x4x4x1x16x64xf16>) -> tensor<1x4x4x1x16x64xf16>
            %22 = tensor.empty() : tensor<1x1x4x4x64xf32>
            %23 = linalg.fill ins(%cst : f32) outs(%22 : tensor<1x1x4x4x64xf32>) -> tensor<1x1x4x4x64xf32>
            %24 = tensor.empty() : tensor<1x1x4x4xf32>
            %25 = linalg.fill ins(%cst_0 : f32) outs(%24 : tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
            %26 = linalg.fill ins(%cst : f32) outs(%24 : tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
            %27:3 = iree_linalg_ext.online_attention <indexing_maps = [#map, #map1, #map2, #map3, #map4, #map5, #map5], decomposition_config = {pv_attrs = {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, subgroup_basis = [[1, 1, 1, 1, 1, 1, 1, 1], [0, 1, 2, 4, 5, 6, 7]]}>}, qk_attrs = {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, subgroup_basis = [[1, 1, 1, 1, 1, 1, 1, 1], [0, 1, 2, 3, 4, 6, 7]]}>}}> {lowering_config = #iree_gpu.lowering_config<{k2_split_place = "subgroups", k2_splits = 4 : i64, reduction = [0, 0, 0, 0, 4, 0, 0, 16], subgroup = [0, 0, 16, 0, 0, 0, 1, 0], workgroup = [1, 1, 16, 0, 0, 64, 4, 0]}>} ins(%extracted_slice, %20, %21, %cst_1 : tensor<1x1x4x64xf16>, tensor<1x4x4x1x16x64xf16>, tensor<1x4x4x1x16x64xf16>, f16) outs(%23, %25, %26 : tensor<1x1x4x4x64xf32>, tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>) {
            ^bb0(%arg3: f32):
              iree_linalg_ext.yield %arg3 : f32
            } -> tensor<1x1x4x4x64xf32>, tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>
            %28:2 = linalg.generic {indexing_maps = [#map6, #map7, #map7, #map6, #map6], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%27#0, %27#1, %27#2 : tensor<1x1x4x4x64xf32>, tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>) outs(%22, %22 : tensor<1x1x4x4x64xf32>, tensor<1x1x4x4x64xf32>) {
            ^bb0(%in: f32, %in_7: f32, %in_8: f32, %out: f32, %out_9: f32):
              %32 = arith.cmpf ogt, %in_8, %cst : f32
              %33 = arith.divf %in, %in_8 : f32
              %34 = arith.select %32, %33, %cst : f32
              %35 = math.log2 %in_8 : f32
              %36 = arith.addf %in_7, %35 : f32
              linalg.yield %34, %36 : f32, f32
            } -> (tensor<1x1x4x4x64xf32>, tensor<1x1x4x4x64xf32>)
            %extracted_slice_4 = tensor.extract_slice %15[0, %arg0, 0, 0] [1, 1, 4, 64] [1, 1, 1, 1] : tensor<1x2x4x64xf32> to tensor<1x1x4x64xf32>
            %29 = linalg.generic {indexing_maps = [#map8, #map7], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%28#1 : tensor<1x1x4x4x64xf32>) outs(%extracted_slice_4 : tensor<1x1x4x64xf32>) {
            ^bb0(%in: f32, %out: f32):
              %32 = arith.maximumf %out, %in : f32
              linalg.yield %32 : f32
            } -> tensor<1x1x4x64xf32>
            %extracted_slice_5 = tensor.extract_slice %16[0, %arg0, 0, 0] [1, 1, 4, 64] [1, 1, 1, 1] : tensor<1x2x4x64xf32> to tensor<1x1x4x64xf32>
            %30:2 = linalg.generic {indexing_maps = [#map8, #map8, #map7, #map7, #map7], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%28#0, %28#1, %29 : tensor<1x1x4x4x64xf32>, tensor<1x1x4x4x64xf32>, tensor<1x1x4x64xf32>) outs(%extracted_slice_5, %extracted_slice_5 : tensor<1x1x4x64xf32>, tensor<1x1x4x64xf32>) {
            ^bb0(%in: f32, %in_7: f32, %in_8: f32, %out: f32, %out_9: f32):
              %32 = arith.subf %in_7, %in_8 : f32
              %33 = math.exp2 %32 : f32
              %34 = arith.addf %out, %33 : f32
              %35 = arith.mulf %in, %33 : f32
              %36 = arith.addf %out_9, %35 : f32
              linalg.yield %34, %36 : f32, f32
            } -> (tensor<1x1x4x64xf32>, tensor<1x1x4x64xf32>)
            %extracted_slice_6 = tensor.extract_slice %arg2[0, %arg0, 0, 0] [1, 1, 4, 64] [1, 1, 1, 1] : tensor<1x2x4x64xf16> to tensor<1x1x4x64xf16>
            %31 = linalg.generic {indexing_maps = [#map9, #map9, #map9], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%30#1, %30#0 : tensor<1x1x4x64xf32>, tensor<1x1x4x64xf32>) outs(%extracted_slice_6 : tensor<1x1x4x64xf16>) attrs =  {lowering_config = #iree_gpu.lowering_config<{thread = [1, 1, 1, 4]}>} {
            ^bb0(%in: f32, %in_7: f32, %out: f16):
              %32 = arith.divf %in, %in_7 : f32
              %33 = arith.truncf %32 : f32 to f16
              linalg.yield %33 : f16
            } -> tensor<1x1x4x64xf16>
            scf.forall.in_parallel {
              tensor.parallel_insert_slice %31 into %arg2[0, %arg0, 0, 0] [1, 1, 4, 64] [1, 1, 1, 1] : tensor<1x1x4x64xf16> into tensor<1x2x4x64xf16>
            }
          } {mapping = [#iree_codegen.workgroup_mapping<y>, #iree_codegen.workgroup_mapping<x>]}
          iree_codegen.store_to_buffer %18, %9 : tensor<1x2x4x64xf16> into memref<1x2x4x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          return
        }
        iree_codegen.dispatch_config @attention_dispatch_0_online_attention_1x2x4x64x4x64x4x16 {
        ^bb0(%arg0: !hal.device):
          %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice()
          iree_codegen.yield %x, %y, %z : index, index, index
        }
      }
    }
  }
}
