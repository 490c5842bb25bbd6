#executable_target_rocm_hsaco_fb = #hal.executable.target<"rocm", "rocm-hsaco-fb", {abi = "hip", iree.encoding.resolver = #iree_gpu.gpu_encoding_resolver<>, iree_codegen.default_tuning_spec = #rocm.builtin.tuning_module<"iree_default_tuning_spec_gfx942.mlir">, iree_codegen.target_info = #iree_gpu.target<arch = "gfx942", features = "", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<MFMA_F32_16x16x16_BF16>, <MFMA_F32_32x32x8_BF16>, <MFMA_F32_16x16x32_F8E5M2FNUZ>, <MFMA_F32_16x16x32_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_I32_16x16x32_I8>, <MFMA_I32_32x32x16_I8>, <MFMA_F64_16x16x4_F64>, <MFMA_F32_16x16x4_F32>, <MFMA_F32_16x16x16_F16>, <MFMA_F32_32x32x8_F16>, <MFMA_F32_4x4x4x16B_F16>, <MFMA_F32_16x16x4x4B_F16>, <MFMA_F32_32x32x4x2B_F16>, <MFMA_F32_4x4x4x16B_BF16>, <MFMA_F32_16x16x4x4B_BF16>, <MFMA_F32_32x32x4x2B_BF16>, <MFMA_F32_4x4x1x16B_F32>, <MFMA_F32_16x16x1x4B_F32>, <MFMA_F32_32x32x1x2B_F32>, <MFMA_F64_4x4x4x4B_F64>, <MFMA_I32_4x4x4x16B_I8>, <MFMA_I32_16x16x4x4B_I8>, <MFMA_I32_32x32x4x2B_I8>], subgroup_size_choices = [64], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 65536, max_workgroup_counts = [2147483647, 2147483647, 2147483647], max_load_instruction_bits = 128, simds_per_wgp = 4, vgpr_space_bits = 16384, dma_sizes = [32], workgroup_memory_bank_count = 32>>, ukernels = "none"}>
#map = affine_map<(d0) -> (-d0 + 72, 16)>
#map1 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2)>
#map2 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d5, d3, d2)>
#map3 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d5, d3, d4)>
#map4 = affine_map<(d0, d1, d2, d3, d4, d5) -> ()>
#map5 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d5, d1, d4)>
#map6 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d5, d1)>
#map7 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map8 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#pipeline_layout = #hal.pipeline.layout<bindings = [#hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, Indirect>, #hal.pipeline.binding<storage_buffer, Indirect>], flags = Indirect>
#translation = #iree_codegen.translation_info<pipeline = #iree_codegen.no_pipeline workgroup_size = [64, 1, 1] subgroup_size = 64, {iree_codegen.denormal_fp_math_f32 = #iree_codegen.denormal_fp_math<"preserve-sign">}>
module {
  hal.executable private @attention_dispatch_0 {
    hal.executable.variant public @rocm_hsaco_fb target(#executable_target_rocm_hsaco_fb) {
      hal.executable.export public @attention_dispatch_0_online_attention_2x4x72x16x72x32 ordinal(0) layout(#pipeline_layout) count(%arg0: !hal.device) -> (index, index, index) {
        %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice()
        hal.return %x, %y, %z : index, index, index
      }
      builtin.module {
        func.func @attention_dispatch_0_online_attention_2x4x72x16x72x32() attributes {translation_info = #translation} {
          %cst = arith.constant 1.178590e-01 : f16
          %cst_0 = arith.constant -3.40282347E+38 : f32
          %cst_1 = arith.constant 0.000000e+00 : f32
          %c0 = arith.constant 0 : index
          %c73728 = arith.constant 73728 : index
          %0 = hal.interface.binding.subspan layout(#pipeline_layout) binding(0) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x4x72xf16, #hal.descriptor_type<storage_buffer>>
          %1 = amdgpu.fat_raw_buffer_cast %0 resetOffset : memref<2x4x72xf16, #hal.descriptor_type<storage_buffer>> to memref<2x4x72xf16, #amdgpu.address_space<fat_raw_buffer>>
          %2 = hal.interface.binding.subspan layout(#pipeline_layout) binding(1) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x32x16x72xf16, #hal.descriptor_type<storage_buffer>>
          %3 = amdgpu.fat_raw_buffer_cast %2 resetOffset : memref<2x32x16x72xf16, #hal.descriptor_type<storage_buffer>> to memref<2x32x16x72xf16, #amdgpu.address_space<fat_raw_buffer>>
          %4 = hal.interface.binding.subspan layout(#pipeline_layout) binding(2) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x32x16x72xf16, #hal.descriptor_type<storage_buffer>>
          %5 = amdgpu.fat_raw_buffer_cast %4 resetOffset : memref<2x32x16x72xf16, #hal.descriptor_type<storage_buffer>> to memref<2x32x16x72xf16, #amdgpu.address_space<fat_raw_buffer>>
          %6 = hal.interface.binding.subspan layout(#pipeline_layout) binding(3) alignment(64) offset(%c0) flags(Indirect) : memref<2x32x4x72xf32, #hal.descriptor_type<storage_buffer>>
          %7 = amdgpu.fat_raw_buffer_cast %6 resetOffset : memref<2x32x4x72xf32, #hal.descriptor_type<storage_buffer>> to memref<2x32x4x72xf32, #amdgpu.address_space<fat_raw_buffer>>
          %8 = hal.interface.binding.subspan layout(#pipeline_layout) binding(4) alignment(64) offset(%c73728) flags(Indirect) : memref<2x32x4x72xf32, strided<[9216, 288, 72, 1], offset: ?>, #hal.descriptor_type<storage_buffer>>
          %9 = amdgpu.fat_raw_buffer_cast %8 resetOffset : memref<2x32x4x72xf32, strided<[9216, 288, 72, 1], offset: ?>, #hal.descriptor_type<storage_buffer>> to memref<2x32x4x72xf32, #amdgpu.address_space<fat_raw_buffer>>
          %10 = iree_codegen.load_from_buffer %1 : memref<2x4x72xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<2x4x72xf16>
          %11 = iree_codegen.load_from_buffer %3 : memref<2x32x16x72xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<2x32x16x72xf16>
          %12 = iree_codegen.load_from_buffer %5 : memref<2x32x16x72xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<2x32x16x72xf16>
          %13 = tensor.empty() : tensor<2x32x4x72xf32>
          %14:2 = scf.forall (%arg0, %arg1, %arg2, %arg3) = (0, 0, 0, 0) to (2, 4, 72, 32) step (1, 16, 16, 1) shared_outs(%arg4 = %13, %arg5 = %13) -> (tensor<2x32x4x72xf32>, tensor<2x32x4x72xf32>) {
            %15 = affine.min #map(%arg2)
            %extracted_slice = tensor.extract_slice %11[%arg0, %arg3, 0, 0] [1, 1, 16, 72] [1, 1, 1, 1] : tensor<2x32x16x72xf16> to tensor<1x1x16x72xf16>
            %16 = tensor.empty(%15) : tensor<1x1x4x?xf32>
            %17 = tensor.empty() : tensor<1x1x4xf32>
            %extracted_slice_2 = tensor.extract_slice %arg4[%arg0, %arg3, 0, %arg2] [1, 1, 4, %15] [1, 1, 1, 1] : tensor<2x32x4x72xf32> to tensor<1x1x4x?xf32>
            %extracted_slice_3 = tensor.extract_slice %arg5[%arg0, %arg3, 0, %arg2] [1, 1, 4, %15] [1, 1, 1, 1] : tensor<2x32x4x72xf32> to tensor<1x1x4x?xf32>
            %18:2 = scf.forall (%arg6) = (0) to (4) step (16) shared_outs(%arg7 = %extracted_slice_2, %arg8 = %extracted_slice_3) -> (tensor<1x1x4x?xf32>, tensor<1x1x4x?xf32>) {
              %extracted_slice_4 = tensor.extract_slice %10[%arg0, 0, 0] [1, 4, 72] [1, 1, 1] : tensor<2x4x72xf16> to tensor<1x4x72xf16>
              %extracted_slice_5 = tensor.extract_slice %12[%arg0, %arg3, 0, %arg2] [1, 1, 16, %15] [1, 1, 1, 1] : tensor<2x32x16x72xf16> to tensor<1x1x16x?xf16>
              %extracted_slice_6 = tensor.extract_slice %16[0, 0, 0, 0] [1, 1, 4, %15] [1, 1, 1, 1] : tensor<1x1x4x?xf32> to tensor<1x1x4x?xf32>
              %19 = linalg.fill ins(%cst_1 : f32) outs(%extracted_slice_6 : tensor<1x1x4x?xf32>) -> tensor<1x1x4x?xf32>
              %20 = linalg.fill ins(%cst_0 : f32) outs(%17 : tensor<1x1x4xf32>) -> tensor<1x1x4xf32>
              %21 = linalg.fill ins(%cst_1 : f32) outs(%17 : tensor<1x1x4xf32>) -> tensor<1x1x4xf32>
              %22:3 = iree_linalg_ext.online_attention <indexing_maps = [#map1, #map2, #map3, #map4, #map5, #map6, #map6], decomposition_config = {pv_attrs = {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, subgroup_basis = [[1, 1, 1, 1, 1, 1], [0, 1, 3, 4, 5]]}>}, qk_attrs = {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, subgroup_basis = [[1, 1, 1, 1, 1, 1], [0, 1, 2, 3, 5]]}>}}> {lowering_config = #iree_gpu.lowering_config<{k2_splits = 32 : i64, kernel_heads = [80, 80], reduction = [0, 0, 0, 16, 0, 0], subgroup = [0, 16, 0, 0, 0, 0], workgroup = [1, 16, 0, 0, 16, 1]}>} ins(%extracted_slice_4, %extracted_slice, %extracted_slice_5, %cst : tensor<1x4x72xf16>, tensor<1x1x16x72xf16>, tensor<1x1x16x?xf16>, f16) outs(%19, %20, %21 : tensor<1x1x4x?xf32>, tensor<1x1x4xf32>, tensor<1x1x4xf32>) {
              ^bb0(%arg9: f32):
                iree_linalg_ext.yield %arg9 : f32
              } -> tensor<1x1x4x?xf32>, tensor<1x1x4xf32>, tensor<1x1x4xf32>
              %extracted_slice_7 = tensor.extract_slice %arg7[0, 0, 0, 0] [1, 1, 4, %15] [1, 1, 1, 1] : tensor<1x1x4x?xf32> to tensor<1x1x4x?xf32>
              %extracted_slice_8 = tensor.extract_slice %arg8[0, 0, 0, 0] [1, 1, 4, %15] [1, 1, 1, 1] : tensor<1x1x4x?xf32> to tensor<1x1x4x?xf32>
              %23:2 = linalg.generic {indexing_maps = [#map7, #map8, #map8, #map7, #map7], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%22#0, %22#1, %22#2 : tensor<1x1x4x?xf32>, tensor<1x1x4xf32>, tensor<1x1x4xf32>) outs(%extracted_slice_7, %extracted_slice_8 : tensor<1x1x4x?xf32>, tensor<1x1x4x?xf32>) {
              ^bb0(%in: f32, %in_9: f32, %in_10: f32, %out: f32, %out_11: f32):
                %24 = arith.cmpf ogt, %in_10, %cst_1 : f32
                %25 = arith.divf %in, %in_10 : f32
                %26 = arith.select %24, %25, %cst_1 : f32
                %27 = math.log2 %in_10 : f32
                %28 = arith.addf %in_9, %27 : f32
                linalg.yield %26, %28 : f32, f32
              } -> (tensor<1x1x4x?xf32>, tensor<1x1x4x?xf32>)
              scf.forall.in_parallel {
                tensor.parallel_insert_slice %23#0 into %arg7[0, 0, 0, 0] [1, 1, 4, %15] [1, 1, 1, 1] : tensor<1x1x4x?xf32> into tensor<1x1x4x?xf32>
                tensor.parallel_insert_slice %23#1 into %arg8[0, 0, 0, 0] [1, 1, 4, %15] [1, 1, 1, 1] : tensor<1x1x4x?xf32> into tensor<1x1x4x?xf32>
              }
            } {mapping = [#gpu.warp<linear_dim_0>]}
            scf.forall.in_parallel {
              tensor.parallel_insert_slice %18#0 into %arg4[%arg0, %arg3, 0, %arg2] [1, 1, 4, %15] [1, 1, 1, 1] : tensor<1x1x4x?xf32> into tensor<2x32x4x72xf32>
              tensor.parallel_insert_slice %18#1 into %arg5[%arg0, %arg3, 0, %arg2] [1, 1, 4, %15] [1, 1, 1, 1] : tensor<1x1x4x?xf32> into tensor<2x32x4x72xf32>
            }
          } {mapping = [#iree_codegen.workgroup_mapping<z:1>, #iree_codegen.workgroup_mapping<z>, #iree_codegen.workgroup_mapping<y>, #iree_codegen.workgroup_mapping<x>]}
          iree_codegen.store_to_buffer %14#0, %7 : tensor<2x32x4x72xf32> into memref<2x32x4x72xf32, #amdgpu.address_space<fat_raw_buffer>>
          iree_codegen.store_to_buffer %14#1, %9 : tensor<2x32x4x72xf32> into memref<2x32x4x72xf32, #amdgpu.address_space<fat_raw_buffer>>
          return
        }
        iree_codegen.dispatch_config @attention_dispatch_0_online_attention_2x4x72x16x72x32 {
        ^bb0(%arg0: !hal.device):
          %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice()
          iree_codegen.yield %x, %y, %z : index, index, index
        }
      }
    }
  }
}
