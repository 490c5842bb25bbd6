#executable_target_rocm_hsaco_fb = #hal.executable.target<"rocm", "rocm-hsaco-fb", {abi = "hip", iree.encoding.resolver = #iree_gpu.gpu_encoding_resolver<>, iree_codegen.default_tuning_spec = #rocm.builtin.tuning_module<"iree_default_tuning_spec_gfx942.mlir">, iree_codegen.target_info = #iree_gpu.target<arch = "gfx942", features = "", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<MFMA_F32_16x16x16_BF16>, <MFMA_F32_32x32x8_BF16>, <MFMA_F32_16x16x32_F8E5M2FNUZ>, <MFMA_F32_16x16x32_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_I32_16x16x32_I8>, <MFMA_I32_32x32x16_I8>, <MFMA_F64_16x16x4_F64>, <MFMA_F32_16x16x4_F32>, <MFMA_F32_16x16x16_F16>, <MFMA_F32_32x32x8_F16>, <MFMA_F32_4x4x4x16B_F16>, <MFMA_F32_16x16x4x4B_F16>, <MFMA_F32_32x32x4x2B_F16>, <MFMA_F32_4x4x4x16B_BF16>, <MFMA_F32_16x16x4x4B_BF16>, <MFMA_F32_32x32x4x2B_BF16>, <MFMA_F32_4x4x1x16B_F32>, <MFMA_F32_16x16x1x4B_F32>, <MFMA_F32_32x32x1x2B_F32>, <MFMA_F64_4x4x4x4B_F64>, <MFMA_I32_4x4x4x16B_I8>, <MFMA_I32_16x16x4x4B_I8>, <MFMA_I32_32x32x4x2B_I8>], subgroup_size_choices = [64], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 65536, max_workgroup_counts = [2147483647, 2147483647, 2147483647], max_load_instruction_bits = 128, simds_per_wgp = 4, vgpr_space_bits = 16384, dma_sizes = [32], workgroup_memory_bank_count = 32>>, ukernels = "none"}>
#map = affine_map<(d0)[s0] -> (-d0 + s0, 64)>
#map1 = affine_map<(d0)[s0] -> (-d0 + s0, 16)>
#map2 = affine_map<()[s0, s1] -> (s0 + s1)>
#map3 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>
#map4 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d2)>
#map5 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d4)>
#map6 = affine_map<(d0, d1, d2, d3, d4) -> ()>
#map7 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4)>
#map8 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1)>
#map9 = affine_map<(d0, d1, d2) -> (d0, d1)>
#map10 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#pipeline_layout = #hal.pipeline.layout<constants = 2, bindings = [#hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, Indirect>], flags = Indirect>
#translation = #iree_codegen.translation_info<pipeline = #iree_codegen.no_pipeline workgroup_size = [64, 4, 1] subgroup_size = 64, {iree_codegen.denormal_fp_math_f32 = #iree_codegen.denormal_fp_math<"preserve-sign">}>
module {
  hal.executable private @attention_dispatch_0 {
    hal.executable.variant public @rocm_hsaco_fb target(#executable_target_rocm_hsaco_fb) {
      hal.executable.export public @attention_dispatch_0_attention_2xDx64x64x64 ordinal(0) layout(#pipeline_layout) count(%arg0: !hal.device, %arg1: index) -> (index, index, index) {
        %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice(%arg1)
        hal.return %x, %y, %z : index, index, index
      }
      builtin.module {
        func.func @attention_dispatch_0_attention_2xDx64x64x64() attributes {translation_info = #translation} {
          %cst = arith.constant 1.000000e+00 : f32
          %cst_0 = arith.constant -3.40282347E+38 : f32
          %cst_1 = arith.constant 0.000000e+00 : f32
          %c32_i64 = arith.constant 32 : i64
          %cst_2 = arith.constant 1.250000e-01 : f16
          %c0 = arith.constant 0 : index
          %0 = hal.interface.constant.load layout(#pipeline_layout) ordinal(0) : i32
          %1 = hal.interface.constant.load layout(#pipeline_layout) ordinal(1) : i32
          %2 = arith.extui %0 : i32 to i64
          %3 = arith.extui %1 : i32 to i64
          %4 = arith.shli %3, %c32_i64 : i64
          %5 = arith.ori %2, %4 : i64
          %6 = arith.index_castui %5 : i64 to index
          %7 = util.assume.int %6<umin = 0, umax = 9007199254740991> : index
          %8 = hal.interface.binding.subspan layout(#pipeline_layout) binding(1) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x64x64xf16, #hal.descriptor_type<storage_buffer>>
          %9 = amdgpu.fat_raw_buffer_cast %8 resetOffset : memref<2x64x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x64x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %10 = hal.interface.binding.subspan layout(#pipeline_layout) binding(2) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x64x64xf16, #hal.descriptor_type<storage_buffer>>
          %11 = amdgpu.fat_raw_buffer_cast %10 resetOffset : memref<2x64x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x64x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %12 = iree_tensor_ext.dispatch.workload.ordinal %7, 0 : index
          %13 = hal.interface.binding.subspan layout(#pipeline_layout) binding(0) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x?x64xf16, #hal.descriptor_type<storage_buffer>>{%12}
          %14 = hal.interface.binding.subspan layout(#pipeline_layout) binding(3) alignment(64) offset(%c0) flags(Indirect) : memref<2x?x64xf16, #hal.descriptor_type<storage_buffer>>{%12}
          %15 = iree_codegen.load_from_buffer %13 : memref<2x?x64xf16, #hal.descriptor_type<storage_buffer>> -> tensor<2x?x64xf16>
          %16 = iree_codegen.load_from_buffer %9 : memref<2x64x64xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<2x64x64xf16>
          %17 = iree_codegen.load_from_buffer %11 : memref<2x64x64xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<2x64x64xf16>
          %18 = tensor.empty(%12) : tensor<2x?x64xf16>
          %19 = scf.forall (%arg0, %arg1) = (0, 0) to (2, %12) step (1, 64) shared_outs(%arg2 = %18) -> (tensor<2x?x64xf16>) {
            %20 = affine.min #map(%arg1)[%12]
            %extracted_slice = tensor.extract_slice %16[%arg0, 0, 0] [1, 64, 64] [1, 1, 1] : tensor<2x64x64xf16> to tensor<1x64x64xf16>
            %extracted_slice_3 = tensor.extract_slice %17[%arg0, 0, 0] [1, 64, 64] [1, 1, 1] : tensor<2x64x64xf16> to tensor<1x64x64xf16>
            %21 = tensor.empty(%20) : tensor<1x?x64xf32>
            %22 = tensor.empty(%20) : tensor<1x?xf32>
            %extracted_slice_4 = tensor.extract_slice %arg2[%arg0, %arg1, 0] [1, %20, 64] [1, 1, 1] : tensor<2x?x64xf16> to tensor<1x?x64xf16>
            %23 = scf.forall (%arg3) = (0) to (%20) step (16) shared_outs(%arg4 = %extracted_slice_4) -> (tensor<1x?x64xf16>) {
              %24 = affine.min #map1(%arg3)[%20]
              %25 = affine.apply #map2()[%arg3, %arg1]
              %extracted_slice_5 = tensor.extract_slice %15[%arg0, %25, 0] [1, %24, 64] [1, 1, 1] : tensor<2x?x64xf16> to tensor<1x?x64xf16>
              %extracted_slice_6 = tensor.extract_slice %21[0, %arg3, 0] [1, %24, 64] [1, 1, 1] : tensor<1x?x64xf32> to tensor<1x?x64xf32>
              %26 = linalg.fill ins(%cst_1 : f32) outs(%extracted_slice_6 : tensor<1x?x64xf32>) -> tensor<1x?x64xf32>
              %extracted_slice_7 = tensor.extract_slice %22[0, %arg3] [1, %24] [1, 1] : tensor<1x?xf32> to tensor<1x?xf32>
              %27 = linalg.fill ins(%cst_0 : f32) outs(%extracted_slice_7 : tensor<1x?xf32>) -> tensor<1x?xf32>
              %28 = linalg.fill ins(%cst_1 : f32) outs(%extracted_slice_7 : tensor<1x?xf32>) -> tensor<1x?xf32>
              %29:3 = iree_linalg_ext.online_attention <indexing_maps = [#map3, #map4, #map5, #map6, #map7, #map8, #map8], decomposition_config = {pv_attrs = {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, promote_operands = [1], promotion_types = [#iree_gpu.derived_thread_config], subgroup_basis = [[1, 1, 1, 1, 1], [0, 1, 3, 4]]}>}, qk_attrs = {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, promote_operands = [1], promotion_types = [#iree_gpu.derived_thread_config], subgroup_basis = [[1, 1, 1, 1, 1], [0, 1, 2, 3]]}>}}> {lowering_config = #iree_gpu.lowering_config<{reduction = [0, 0, 0, 64, 0], subgroup = [0, 16, 0, 0, 0], workgroup = [1, 64, 0, 0, 64]}>} ins(%extracted_slice_5, %extracted_slice, %extracted_slice_3, %cst_2 : tensor<1x?x64xf16>, tensor<1x64x64xf16>, tensor<1x64x64xf16>, f16) outs(%26, %27, %28 : tensor<1x?x64xf32>, tensor<1x?xf32>, tensor<1x?xf32>) {
              ^bb0(%arg5: f32):
                iree_linalg_ext.yield %arg5 : f32
              } -> tensor<1x?x64xf32>, tensor<1x?xf32>, tensor<1x?xf32>
              %extracted_slice_8 = tensor.extract_slice %arg4[0, %arg3, 0] [1, %24, 64] [1, 1, 1] : tensor<1x?x64xf16> to tensor<1x?x64xf16>
              %30 = linalg.generic {indexing_maps = [#map9, #map10, #map10], iterator_types = ["parallel", "parallel", "parallel"]} ins(%29#2, %29#0 : tensor<1x?xf32>, tensor<1x?x64xf32>) outs(%extracted_slice_8 : tensor<1x?x64xf16>) {
              ^bb0(%in: f32, %in_9: f32, %out: f16):
                %31 = arith.divf %cst, %in : f32
                %32 = arith.mulf %31, %in_9 : f32
                %33 = arith.truncf %32 : f32 to f16
                linalg.yield %33 : f16
              } -> tensor<1x?x64xf16>
              scf.forall.in_parallel {
                tensor.parallel_insert_slice %30 into %arg4[0, %arg3, 0] [1, %24, 64] [1, 1, 1] : tensor<1x?x64xf16> into tensor<1x?x64xf16>
              }
            } {mapping = [#gpu.warp<linear_dim_0>]}
            scf.forall.in_parallel {
              tensor.parallel_insert_slice %23 into %arg2[%arg0, %arg1, 0] [1, %20, 64] [1, 1, 1] : tensor<1x?x64xf16> into tensor<2x?x64xf16>
            }
          } {mapping = [#iree_codegen.workgroup_mapping<y>, #iree_codegen.workgroup_mapping<x>]}
          iree_codegen.store_to_buffer %19, %14 : tensor<2x?x64xf16> into memref<2x?x64xf16, #hal.descriptor_type<storage_buffer>>
          return
        }
        iree_codegen.dispatch_config @attention_dispatch_0_attention_2xDx64x64x64 {
        ^bb0(%arg0: !hal.device, %arg1: index):
          %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice(%arg1)
          iree_codegen.yield %x, %y, %z : index, index, index
        }
      }
    }
  }
}
