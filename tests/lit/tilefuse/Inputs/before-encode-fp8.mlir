#executable_target_rocm_hsaco_fb = #hal.executable.target<"rocm", "rocm-hsaco-fb", {abi = "hip", iree.encoding.resolver = #iree_gpu.gpu_encoding_resolver<>, iree_codegen.default_tuning_spec = #rocm.builtin.tuning_module<"iree_default_tuning_spec_gfx942.mlir">, iree_codegen.target_info = #iree_gpu.target<arch = "gfx942", features = "", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<MFMA_F32_16x16x16_BF16>, <MFMA_F32_32x32x8_BF16>, <MFMA_F32_16x16x32_F8E5M2FNUZ>, <MFMA_F32_16x16x32_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_I32_16x16x32_I8>, <MFMA_I32_32x32x16_I8>, <MFMA_F64_16x16x4_F64>, <MFMA_F32_16x16x4_F32>, <MFMA_F32_16x16x16_F16>, <MFMA_F32_32x32x8_F16>, <MFMA_F32_4x4x4x16B_F16>, <MFMA_F32_16x16x4x4B_F16>, <MFMA_F32_32x32x4x2B_F16>, <MFMA_F32_4x4x4x16B_BF16>, <MFMA_F32_16x16x4x4B_BF16>, <MFMA_F32_32x32x4x2B_BF16>, <MFMA_F32_4x4x1x16B_F32>, <MFMA_F32_16x16x1x4B_F32>, <MFMA_F32_32x32x1x2B_F32>, <MFMA_F64_4x4x4x4B_F64>, <MFMA_I32_4x4x4x16B_I8>, <MFMA_I32_16x16x4x4B_I8>, <MFMA_I32_32x32x4x2B_I8>], subgroup_size_choices = [64], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 65536, max_workgroup_counts = [2147483647, 2147483647, 2147483647], max_load_instruction_bits = 128, simds_per_wgp = 4, vgpr_space_bits = 16384, dma_sizes = [32], workgroup_memory_bank_count = 32>>, ukernels = "none"}>
#map = affine_map<()[s0, s1] -> (s0 + s1)>
#map1 = affine_map<(d0, d1, d2) -> ()>
#map2 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map3 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#map4 = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#map5 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#map6 = affine_map<(d0, d1, d2) -> (d0, d1)>
#map7 = affine_map<(d0, d1) -> (d0, d1)>
#map8 = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
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
            %extracted_slice = tensor.extract_slice %arg2[%arg0, %arg1, 0] [1, 64, 64] [1, 1, 1] : tensor<2x128x64xf16> to tensor<1x64x64xf16>
            %13 = scf.forall (%arg3) = (0) to (64) step (16) shared_outs(%arg4 = %extracted_slice) -> (tensor<1x64x64xf16>) {
              %14 = affine.apply #map()[%arg3, %arg1]
              %extracted_slice_3 = tensor.extract_slice %8[%arg0, %14, 0] [1, 16, 64] [1, 1, 1] : tensor<2x128x64xf16> to tensor<1x16x64xf16>
              %15 = tensor.empty() : tensor<1x16x64xf32>
              %16 = linalg.fill ins(%cst_2 : f32) outs(%15 : tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
              %17 = tensor.empty() : tensor<1x16xf32>
              %18 = linalg.fill ins(%cst_1 : f32) outs(%17 : tensor<1x16xf32>) -> tensor<1x16xf32>
              %19 = linalg.fill ins(%cst_2 : f32) outs(%17 : tensor<1x16xf32>) -> tensor<1x16xf32>
              %20:3 = scf.for %arg5 = %c0 to %c128 step %c64 iter_args(%arg6 = %16, %arg7 = %18, %arg8 = %19) -> (tensor<1x16x64xf32>, tensor<1x16xf32>, tensor<1x16xf32>) {
                %extracted_slice_5 = tensor.extract_slice %9[%arg0, %arg5, 0] [1, 64, 64] [1, 1, 1] : tensor<2x128x64xf16> to tensor<1x64x64xf16>
                %extracted_slice_6 = tensor.extract_slice %10[%arg0, %arg5, 0] [1, 64, 64] [1, 1, 1] : tensor<2x128x64xf16> to tensor<1x64x64xf16>
                %22 = linalg.generic {indexing_maps = [#map1, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%cst : f16) outs(%extracted_slice_3 : tensor<1x16x64xf16>) {
                ^bb0(%in: f16, %out: f16):
                  %33 = arith.mulf %in, %out : f16
                  linalg.yield %33 : f16
                } -> tensor<1x16x64xf16>
                %23 = linalg.generic {indexing_maps = [#map3, #map4, #map5], iterator_types = ["parallel", "parallel", "reduction", "parallel"]} ins(%22, %extracted_slice_5 : tensor<1x16x64xf16>, tensor<1x64x64xf16>) outs(%16 : tensor<1x16x64xf32>) attrs =  {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, promote_operands = [1], promotion_types = [#iree_gpu.derived_thread_config], subgroup_basis = [[1, 1, 1, 1, 1], [0, 1, 2, 3]]}>} {
                ^bb0(%in: f16, %in_7: f16, %out: f32):
                  %33 = arith.extf %in : f16 to f32
                  %34 = arith.extf %in_7 : f16 to f32
                  %35 = arith.mulf %33, %34 : f32
                  %36 = arith.addf %35, %out : f32
                  linalg.yield %36 : f32
                } -> tensor<1x16x64xf32>
                %24 = linalg.generic {indexing_maps = [#map2, #map6], iterator_types = ["parallel", "parallel", "reduction"]} ins(%23 : tensor<1x16x64xf32>) outs(%arg7 : tensor<1x16xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %33 = arith.maximumf %in, %out : f32
                  linalg.yield %33 : f32
                } -> tensor<1x16xf32>
                %25 = linalg.generic {indexing_maps = [#map7, #map7], iterator_types = ["parallel", "parallel"]} ins(%24 : tensor<1x16xf32>) outs(%arg7 : tensor<1x16xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %33 = arith.subf %out, %in : f32
                  %34 = math.exp2 %33 : f32
                  linalg.yield %34 : f32
                } -> tensor<1x16xf32>
                %26 = linalg.generic {indexing_maps = [#map7, #map7], iterator_types = ["parallel", "parallel"]} ins(%25 : tensor<1x16xf32>) outs(%arg8 : tensor<1x16xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %33 = arith.mulf %in, %out : f32
                  linalg.yield %33 : f32
                } -> tensor<1x16xf32>
                %27 = linalg.generic {indexing_maps = [#map6, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%24 : tensor<1x16xf32>) outs(%23 : tensor<1x16x64xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %33 = arith.subf %out, %in : f32
                  %34 = math.exp2 %33 : f32
                  linalg.yield %34 : f32
                } -> tensor<1x16x64xf32>
                %28 = linalg.generic {indexing_maps = [#map2, #map6], iterator_types = ["parallel", "parallel", "reduction"]} ins(%27 : tensor<1x16x64xf32>) outs(%26 : tensor<1x16xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %33 = arith.addf %in, %out : f32
                  linalg.yield %33 : f32
                } -> tensor<1x16xf32>
                %29 = tensor.empty() : tensor<1x16x64xf16>
                %30 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%27 : tensor<1x16x64xf32>) outs(%29 : tensor<1x16x64xf16>) {
                ^bb0(%in: f32, %out: f16):
                  %33 = arith.truncf %in : f32 to f16
                  linalg.yield %33 : f16
                } -> tensor<1x16x64xf16>
                %31 = linalg.generic {indexing_maps = [#map6, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%25 : tensor<1x16xf32>) outs(%arg6 : tensor<1x16x64xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %33 = arith.mulf %in, %out : f32
                  linalg.yield %33 : f32
                } -> tensor<1x16x64xf32>
                %32 = linalg.generic {indexing_maps = [#map3, #map8, #map5], iterator_types = ["parallel", "parallel", "reduction", "parallel"]} ins(%30, %extracted_slice_6 : tensor<1x16x64xf16>, tensor<1x64x64xf16>) outs(%31 : tensor<1x16x64xf32>) attrs =  {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, promote_operands = [1], promotion_types = [#iree_gpu.derived_thread_config], subgroup_basis = [[1, 1, 1, 1, 1], [0, 1, 3, 4]]}>} {
                ^bb0(%in: f16, %in_7: f16, %out: f32):
                  %33 = arith.extf %in : f16 to f32
                  %34 = arith.extf %in_7 : f16 to f32
                  %35 = arith.mulf %33, %34 : f32
                  %36 = arith.addf %35, %out : f32
                  linalg.yield %36 : f32
                } -> tensor<1x16x64xf32>
                scf.yield %32, %24, %28 : tensor<1x16x64xf32>, tensor<1x16xf32>, tensor<1x16xf32>
              }
              %extracted_slice_4 = tensor.extract_slice %arg4[0, %arg3, 0] [1, 16, 64] [1, 1, 1] : tensor<1x64x64xf16> to tensor<1x16x64xf16>
              %21 = linalg.generic {indexing_maps = [#map6, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%20#2, %20#0 : tensor<1x16xf32>, tensor<1x16x64xf32>) outs(%extracted_slice_4 : tensor<1x16x64xf16>) {
              ^bb0(%in: f32, %in_5: f32, %out: f16):
                %22 = arith.divf %cst_0, %in : f32
                %23 = arith.mulf %22, %in_5 : f32
                %24 = arith.truncf %23 : f32 to f16
                linalg.yield %24 : f16
              } -> tensor<1x16x64xf16>
              scf.forall.in_parallel {
                tensor.parallel_insert_slice %21 into %arg4[0, %arg3, 0] [1, 16, 64] [1, 1, 1] : tensor<1x16x64xf16> into tensor<1x64x64xf16>
              }
            } {mapping = [#gpu.warp<linear_dim_0>]}
            scf.forall.in_parallel {
              tensor.parallel_insert_slice %13 into %arg2[%arg0, %arg1, 0] [1, 64, 64] [1, 1, 1] : tensor<1x64x64xf16> into tensor<2x128x64xf16>
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
