#executable_target_rocm_hsaco_fb = #hal.executable.target<"rocm", "rocm-hsaco-fb", {abi = "hip", iree.encoding.resolver = #iree_gpu.gpu_encoding_resolver<>, iree_codegen.default_tuning_spec = #rocm.builtin.tuning_module<"iree_default_tuning_spec_gfx942.mlir">, iree_codegen.target_info = #iree_gpu.target<arch = "gfx942", features = "", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<MFMA_F32_16x16x16_BF16>, <MFMA_F32_32x32x8_BF16>, <MFMA_F32_16x16x32_F8E5M2FNUZ>, <MFMA_F32_16x16x32_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_I32_16x16x32_I8>, <MFMA_I32_32x32x16_I8>, <MFMA_F64_16x16x4_F64>, <MFMA_F32_16x16x4_F32>, <MFMA_F32_16x16x16_F16>, <MFMA_F32_32x32x8_F16>, <MFMA_F32_4x4x4x16B_F16>, <MFMA_F32_16x16x4x4B_F16>, <MFMA_F32_32x32x4x2B_F16>, <MFMA_F32_4x4x4x16B_BF16>, <MFMA_F32_16x16x4x4B_BF16>, <MFMA_F32_32x32x4x2B_BF16>, <MFMA_F32_4x4x1x16B_F32>, <MFMA_F32_16x16x1x4B_F32>, <MFMA_F32_32x32x1x2B_F32>, <MFMA_F64_4x4x4x4B_F64>, <MFMA_I32_4x4x4x16B_I8>, <MFMA_I32_16x16x4x4B_I8>, <MFMA_I32_32x32x4x2B_I8>], subgroup_size_choices = [64], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 65536, max_workgroup_counts = [2147483647, 2147483647, 2147483647], max_load_instruction_bits = 128, simds_per_wgp = 4, vgpr_space_bits = 16384, dma_sizes = [32], workgroup_memory_bank_count = 32>>, ukernels = "none"}>
#map = affine_map<(d0, d1) -> ()>
#map1 = affine_map<(d0, d1) -> (d0, d1)>
#map2 = affine_map<(d0, d1, d2) -> (d0, d1)>
#map3 = affine_map<(d0, d1, d2) -> (d2, d1)>
#map4 = affine_map<(d0, d1, d2) -> (d0, d2)>
#map5 = affine_map<(d0, d1) -> (d0)>
#map6 = affine_map<(d0) -> (d0)>
#map7 = affine_map<(d0, d1, d2) -> (d1, d2)>
#pipeline_layout = #hal.pipeline.layout<bindings = [#hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, Indirect>], flags = Indirect>
#translation = #iree_codegen.translation_info<pipeline = #iree_codegen.no_pipeline workgroup_size = [64, 4, 1] subgroup_size = 64, {iree_codegen.denormal_fp_math_f32 = #iree_codegen.denormal_fp_math<"preserve-sign">}>
module {
  hal.executable private @attention_f32_dispatch_0 {
    hal.executable.variant public @rocm_hsaco_fb target(#executable_target_rocm_hsaco_fb) {
      hal.executable.export public @attention_f32_dispatch_0_attention_64x16x64x16 ordinal(0) layout(#pipeline_layout) count(%arg0: !hal.device) -> (index, index, index) {
        %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice()
        hal.return %x, %y, %z : index, index, index
      }
      builtin.module {
        func.func @attention_f32_dispatch_0_attention_64x16x64x16() attributes {translation_info = #translation} {
          %cst = arith.constant 0.360673755 : f32
          %cst_0 = arith.constant 1.000000e+00 : f32
          %cst_1 = arith.constant -3.40282347E+38 : f32
          %cst_2 = arith.constant 0.000000e+00 : f32
          %c0 = arith.constant 0 : index
          %0 = hal.interface.binding.subspan layout(#pipeline_layout) binding(0) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<64x16xf32, #hal.descriptor_type<storage_buffer>>
          %1 = amdgpu.fat_raw_buffer_cast %0 resetOffset : memref<64x16xf32, #hal.descriptor_type<storage_buffer>> to memref<64x16xf32, #amdgpu.address_space<fat_raw_buffer>>
          %2 = hal.interface.binding.subspan layout(#pipeline_layout) binding(1) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<64x16xf32, #hal.descriptor_type<storage_buffer>>
          %3 = amdgpu.fat_raw_buffer_cast %2 resetOffset : memref<64x16xf32, #hal.descriptor_type<storage_buffer>> to memref<64x16xf32, #amdgpu.address_space<fat_raw_buffer>>
          %4 = hal.interface.binding.subspan layout(#pipeline_layout) binding(2) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<64x16xf32, #hal.descriptor_type<storage_buffer>>
          %5 = amdgpu.fat_raw_buffer_cast %4 resetOffset : memref<64x16xf32, #hal.descriptor_type<storage_buffer>> to memref<64x16xf32, #amdgpu.address_space<fat_raw_buffer>>
          %6 = hal.interface.binding.subspan layout(#pipeline_layout) binding(3) alignment(64) offset(%c0) flags(Indirect) : memref<64x16xf32, #hal.descriptor_type<storage_buffer>>
          %7 = amdgpu.fat_raw_buffer_cast %6 resetOffset : memref<64x16xf32, #hal.descriptor_type<storage_buffer>> to memref<64x16xf32, #amdgpu.address_space<fat_raw_buffer>>
          %8 = iree_codegen.load_from_buffer %1 : memref<64x16xf32, #amdgpu.address_space<fat_raw_buffer>> -> tensor<64x16xf32>
          %9 = iree_codegen.load_from_buffer %3 : memref<64x16xf32, #amdgpu.address_space<fat_raw_buffer>> -> tensor<64x16xf32>
          %10 = iree_codegen.load_from_buffer %5 : memref<64x16xf32, #amdgpu.address_space<fat_raw_buffer>> -> tensor<64x16xf32>
          %11 = tensor.empty() : tensor<64x16xf32>
          %12 = scf.forall (%arg0) = (0) to (64) step (64) shared_outs(%arg1 = %11) -> (tensor<64x16xf32>) {
            %13 = scf.forall (%arg2) = (0) to (64) step (16) shared_outs(%arg3 = %arg1) -> (tensor<64x16xf32>) {
              %extracted_slice = tensor.extract_slice %8[%arg2, 0] [16, 16] [1, 1] : tensor<64x16xf32> to tensor<16x16xf32>
              %14 = tensor.empty() : tensor<16x16xf32>
              %15 = linalg.fill ins(%cst_2 : f32) outs(%14 : tensor<16x16xf32>) -> tensor<16x16xf32>
              %16 = tensor.empty() : tensor<16xf32>
              %17 = linalg.fill ins(%cst_1 : f32) outs(%16 : tensor<16xf32>) -> tensor<16xf32>
              %18 = linalg.fill ins(%cst_2 : f32) outs(%16 : tensor<16xf32>) -> tensor<16xf32>
              %19 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel"]} ins(%cst : f32) outs(%extracted_slice : tensor<16x16xf32>) {
              ^bb0(%in: f32, %out: f32):
                %31 = arith.mulf %in, %out : f32
                linalg.yield %31 : f32
              } -> tensor<16x16xf32>
              %20 = tensor.empty() : tensor<16x64xf32>
              %21 = linalg.fill ins(%cst_2 : f32) outs(%20 : tensor<16x64xf32>) -> tensor<16x64xf32>
              %22 = linalg.generic {indexing_maps = [#map2, #map3, #map4], iterator_types = ["parallel", "reduction", "parallel"]} ins(%19, %9 : tensor<16x16xf32>, tensor<64x16xf32>) outs(%21 : tensor<16x64xf32>) attrs =  {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<MFMA_F32_16x16x4_F32, col_major = true>, promote_operands = [1], promotion_types = [#iree_gpu.derived_thread_config], subgroup_basis = [[1, 1, 1, 1], [0, 1, 2]]}>} {
              ^bb0(%in: f32, %in_4: f32, %out: f32):
                %31 = arith.mulf %in, %in_4 : f32
                %32 = arith.addf %31, %out : f32
                linalg.yield %32 : f32
              } -> tensor<16x64xf32>
              %23 = linalg.generic {indexing_maps = [#map1, #map5], iterator_types = ["parallel", "reduction"]} ins(%22 : tensor<16x64xf32>) outs(%17 : tensor<16xf32>) {
              ^bb0(%in: f32, %out: f32):
                %31 = arith.maximumf %in, %out : f32
                linalg.yield %31 : f32
              } -> tensor<16xf32>
              %24 = linalg.generic {indexing_maps = [#map6, #map6], iterator_types = ["parallel"]} ins(%23 : tensor<16xf32>) outs(%17 : tensor<16xf32>) {
              ^bb0(%in: f32, %out: f32):
                %31 = arith.subf %out, %in : f32
                %32 = math.exp2 %31 : f32
                linalg.yield %32 : f32
              } -> tensor<16xf32>
              %25 = linalg.generic {indexing_maps = [#map6, #map6], iterator_types = ["parallel"]} ins(%24 : tensor<16xf32>) outs(%18 : tensor<16xf32>) {
              ^bb0(%in: f32, %out: f32):
                %31 = arith.mulf %in, %out : f32
                linalg.yield %31 : f32
              } -> tensor<16xf32>
              %26 = linalg.generic {indexing_maps = [#map5, #map1], iterator_types = ["parallel", "parallel"]} ins(%23 : tensor<16xf32>) outs(%22 : tensor<16x64xf32>) {
              ^bb0(%in: f32, %out: f32):
                %31 = arith.subf %out, %in : f32
                %32 = math.exp2 %31 : f32
                linalg.yield %32 : f32
              } -> tensor<16x64xf32>
              %27 = linalg.generic {indexing_maps = [#map1, #map5], iterator_types = ["parallel", "reduction"]} ins(%26 : tensor<16x64xf32>) outs(%25 : tensor<16xf32>) {
              ^bb0(%in: f32, %out: f32):
                %31 = arith.addf %in, %out : f32
                linalg.yield %31 : f32
              } -> tensor<16xf32>
              %28 = linalg.generic {indexing_maps = [#map5, #map1], iterator_types = ["parallel", "parallel"]} ins(%24 : tensor<16xf32>) outs(%15 : tensor<16x16xf32>) {
              ^bb0(%in: f32, %out: f32):
                %31 = arith.mulf %in, %out : f32
                linalg.yield %31 : f32
              } -> tensor<16x16xf32>
              %29 = linalg.generic {indexing_maps = [#map2, #map7, #map4], iterator_types = ["parallel", "reduction", "parallel"]} ins(%26, %10 : tensor<16x64xf32>, tensor<64x16xf32>) outs(%28 : tensor<16x16xf32>) attrs =  {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<MFMA_F32_16x16x4_F32, col_major = true>, promote_operands = [1], promotion_types = [#iree_gpu.derived_thread_config], subgroup_basis = [[1, 1, 1, 1], [0, 2, 3]]}>} {
              ^bb0(%in: f32, %in_4: f32, %out: f32):
                %31 = arith.mulf %in, %in_4 : f32
                %32 = arith.addf %31, %out : f32
                linalg.yield %32 : f32
              } -> tensor<16x16xf32>
              %extracted_slice_3 = tensor.extract_slice %arg3[%arg2, 0] [16, 16] [1, 1] : tensor<64x16xf32> to tensor<16x16xf32>
              %30 = linalg.generic {indexing_maps = [#map5, #map1, #map1], iterator_types = ["parallel", "parallel"]} ins(%27, %29 : tensor<16xf32>, tensor<16x16xf32>) outs(%extracted_slice_3 : tensor<16x16xf32>) {
              ^bb0(%in: f32, %in_4: f32, %out: f32):
                %31 = arith.divf %cst_0, %in : f32
                %32 = arith.mulf %31, %in_4 : f32
                linalg.yield %32 : f32
              } -> tensor<16x16xf32>
              scf.forall.in_parallel {
                tensor.parallel_insert_slice %30 into %arg3[%arg2, 0] [16, 16] [1, 1] : tensor<16x16xf32> into tensor<64x16xf32>
              }
            } {mapping = [#gpu.warp<linear_dim_0>]}
            scf.forall.in_parallel {
              tensor.parallel_insert_slice %13 into %arg1[0, 0] [64, 16] [1, 1] : tensor<64x16xf32> into tensor<64x16xf32>
            }
          } {mapping = [#iree_codegen.workgroup_mapping<x>]}
          iree_codegen.store_to_buffer %12, %7 : tensor<64x16xf32> into memref<64x16xf32, #amdgpu.address_space<fat_raw_buffer>>
          return
        }
        iree_codegen.dispatch_config @attention_f32_dispatch_0_attention_64x16x64x16 {
        ^bb0(%arg0: !hal.device):
          %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice()
          iree_codegen.yield %x, %y, %z : index, index, index
        }
      }
    }
  }
}
