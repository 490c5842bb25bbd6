#executable_target_rocm_hsaco_fb = #hal.executable.target<"rocm", "rocm-hsaco-fb", {abi = "hip", iree.encoding.resolver = #iree_gpu.gpu_encoding_resolver<>, iree_codegen.default_tuning_spec = #rocm.builtin.tuning_module<"iree_default_tuning_spec_gfx942.mlir">, iree_codegen.target_info = #iree_gpu.target<arch = "gfx942", features = "", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<MFMA_F32_16x16x16_BF16>, <MFMA_F32_32x32x8_BF16>, <MFMA_F32_16x16x32_F8E5M2FNUZ>, <MFMA_F32_16x16x32_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_I32_16x16x32_I8>, <MFMA_I32_32x32x16_I8>, <MFMA_F64_16x16x4_F64>, <MFMA_F32_16x16x4_F32>, <MFMA_F32_16x16x16_F16>, <MFMA_F32_32x32x8_F16>, <MFMA_F32_4x4x4x16B_F16>, <MFMA_F32_16x16x4x4B_F16>, <MFMA_F32_32x32x4x2B_F16>, <MFMA_F32_4x4x4x16B_BF16>, <MFMA_F32_16x16x4x4B_BF16>, <MFMA_F32_32x32x4x2B_BF16>, <MFMA_F32_4x4x1x16B_F32>, <MFMA_F32_16x16x1x4B_F32>, <MFMA_F32_32x32x1x2B_F32>, <MFMA_F64_4x4x4x4B_F64>, <MFMA_I32_4x4x4x16B_I8>, <MFMA_I32_16x16x4x4B_I8>, <MFMA_I32_32x32x4x2B_I8>], subgroup_size_choices = [64], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 65536, max_workgroup_counts = [2147483647, 2147483647, 2147483647], max_load_instruction_bits = 128, simds_per_wgp = 4, vgpr_space_bits = 16384, dma_sizes = [32], workgroup_memory_bank_count = 32>>, ukernels = "none"}>
#map = affine_map<(d0, d1, d2, d3) -> (d0)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map2 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
#map3 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d1, d6, d3)>
#map4 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d1, d6, d5)>
#map5 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> ()>
#map6 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d2, d4, d6)>
#map7 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d5)>
#map8 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2)>
#map9 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#pipeline_layout = #hal.pipeline.layout<bindings = [#hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, Indirect>], flags = Indirect>
#translation = #iree_codegen.translation_info<pipeline = #iree_codegen.no_pipeline workgroup_size = [64, 1, 1] subgroup_size = 64, {iree_codegen.denormal_fp_math_f32 = #iree_codegen.denormal_fp_math<"preserve-sign">}>
module {
  hal.executable private @attention_dispatch_0 {
    hal.executable.variant public @rocm_hsaco_fb target(#executable_target_rocm_hsaco_fb) {
      hal.executable.export public @attention_dispatch_0_attention_3x1x3x64x5x64x32 ordinal(0) layout(#pipeline_layout) count(%arg0: !hal.device) -> (index, index, index) {
        %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice()
        hal.return %x, %y, %z : index, index, index
      }
      builtin.module {
        func.func @attention_dispatch_0_attention_3x1x3x64x5x64x32() attributes {translation_info = #translation} {
          %cst = arith.constant 1.000000e+00 : f32
          %cst_0 = arith.constant -3.40282347E+38 : f32
          %cst_1 = arith.constant 0.000000e+00 : f32
          %cst_2 = arith.constant 0.000000e+00 : f16
          %cst_3 = arith.constant 0xFC00 : f16
          %cst_4 = arith.constant 1.250000e-01 : f16
          %c32 = arith.constant 32 : index
          %c0 = arith.constant 0 : index
          %0 = hal.interface.binding.subspan layout(#pipeline_layout) binding(0) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<30x1x32x64xf16, #hal.descriptor_type<storage_buffer>>
          %1 = amdgpu.fat_raw_buffer_cast %0 resetOffset : memref<30x1x32x64xf16, #hal.descriptor_type<storage_buffer>> to memref<30x1x32x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %2 = hal.interface.binding.subspan layout(#pipeline_layout) binding(1) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<3x5xi64, #hal.descriptor_type<storage_buffer>>
          %3 = amdgpu.fat_raw_buffer_cast %2 resetOffset : memref<3x5xi64, #hal.descriptor_type<storage_buffer>> to memref<3x5xi64, #amdgpu.address_space<fat_raw_buffer>>
          %4 = hal.interface.binding.subspan layout(#pipeline_layout) binding(2) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<30x1x32x64xf16, #hal.descriptor_type<storage_buffer>>
          %5 = amdgpu.fat_raw_buffer_cast %4 resetOffset : memref<30x1x32x64xf16, #hal.descriptor_type<storage_buffer>> to memref<30x1x32x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %6 = hal.interface.binding.subspan layout(#pipeline_layout) binding(3) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<3xi32, #hal.descriptor_type<storage_buffer>>
          %7 = amdgpu.fat_raw_buffer_cast %6 resetOffset : memref<3xi32, #hal.descriptor_type<storage_buffer>> to memref<3xi32, #amdgpu.address_space<fat_raw_buffer>>
          %8 = hal.interface.binding.subspan layout(#pipeline_layout) binding(4) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<3x1x3x64xf16, #hal.descriptor_type<storage_buffer>>
          %9 = amdgpu.fat_raw_buffer_cast %8 resetOffset : memref<3x1x3x64xf16, #hal.descriptor_type<storage_buffer>> to memref<3x1x3x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %10 = hal.interface.binding.subspan layout(#pipeline_layout) binding(5) alignment(64) offset(%c0) flags(Indirect) : memref<3x1x3x64xf16, #hal.descriptor_type<storage_buffer>>
          %11 = amdgpu.fat_raw_buffer_cast %10 resetOffset : memref<3x1x3x64xf16, #hal.descriptor_type<storage_buffer>> to memref<3x1x3x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %12 = iree_codegen.load_from_buffer %1 : memref<30x1x32x64xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<30x1x32x64xf16>
          %13 = iree_codegen.load_from_buffer %3 : memref<3x5xi64, #amdgpu.address_space<fat_raw_buffer>> -> tensor<3x5xi64>
          %14 = iree_codegen.load_from_buffer %5 : memref<30x1x32x64xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<30x1x32x64xf16>
          %15 = iree_codegen.load_from_buffer %7 : memref<3xi32, #amdgpu.address_space<fat_raw_buffer>> -> tensor<3xi32>
          %16 = iree_codegen.load_from_buffer %9 : memref<3x1x3x64xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<3x1x3x64xf16>
          %17 = tensor.empty() : tensor<3x1x3x64xf16>
          %18 = scf.forall (%arg0, %arg1) = (0, 0) to (3, 3) step (1, 16) shared_outs(%arg2 = %17) -> (tensor<3x1x3x64xf16>) {
            %19 = tensor.empty() : tensor<1x5x1x32x64xf16>
            %extracted_slice = tensor.extract_slice %13[%arg0, 0] [1, 5] [1, 1] : tensor<3x5xi64> to tensor<1x5xi64>
            %20 = iree_linalg_ext.gather dimension_map = [0] ins(%12, %extracted_slice : tensor<30x1x32x64xf16>, tensor<1x5xi64>) outs(%19 : tensor<1x5x1x32x64xf16>) -> tensor<1x5x1x32x64xf16>
            %21 = iree_linalg_ext.gather dimension_map = [0] ins(%14, %extracted_slice : tensor<30x1x32x64xf16>, tensor<1x5xi64>) outs(%19 : tensor<1x5x1x32x64xf16>) -> tensor<1x5x1x32x64xf16>
            %extracted_slice_5 = tensor.extract_slice %15[%arg0] [1] [1] : tensor<3xi32> to tensor<1xi32>
            %22 = tensor.empty() : tensor<1x1x3x64xf32>
            %23 = tensor.empty() : tensor<1x1x3xf32>
            %extracted_slice_6 = tensor.extract_slice %arg2[%arg0, 0, 0, 0] [1, 1, 3, 64] [1, 1, 1, 1] : tensor<3x1x3x64xf16> to tensor<1x1x3x64xf16>
            %24 = scf.forall (%arg3) = (0) to (3) step (16) shared_outs(%arg4 = %extracted_slice_6) -> (tensor<1x1x3x64xf16>) {
              %extracted_slice_7 = tensor.extract_slice %16[%arg0, 0, 0, 0] [1, 1, 3, 64] [1, 1, 1, 1] : tensor<3x1x3x64xf16> to tensor<1x1x3x64xf16>
              %25 = tensor.empty() : tensor<1x3x5x32xf16>
              %26 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%extracted_slice_5 : tensor<1xi32>) outs(%25 : tensor<1x3x5x32xf16>) {
              ^bb0(%in: i32, %out: f16):
                %32 = linalg.index 2 : index
                %33 = linalg.index 3 : index
                %34 = arith.muli %32, %c32 : index
                %35 = arith.addi %34, %33 : index
                %36 = arith.index_cast %35 : index to i32
                %37 = arith.cmpi slt, %36, %in : i32
                %38 = arith.select %37, %cst_2, %cst_3 : f16
                linalg.yield %38 : f16
              } -> tensor<1x3x5x32xf16>
              %27 = linalg.fill ins(%cst_1 : f32) outs(%22 : tensor<1x1x3x64xf32>) -> tensor<1x1x3x64xf32>
              %28 = linalg.fill ins(%cst_0 : f32) outs(%23 : tensor<1x1x3xf32>) -> tensor<1x1x3xf32>
              %29 = linalg.fill ins(%cst_1 : f32) outs(%23 : tensor<1x1x3xf32>) -> tensor<1x1x3xf32>
              %30:3 = iree_linalg_ext.online_attention <indexing_maps = [#map2, #map3, #map4, #map5, #map6, #map7, #map8, #map8], decomposition_config = {pv_attrs = {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, subgroup_basis = [[1, 1, 1, 1, 1, 1, 1], [0, 1, 2, 4, 5, 6]]}>}, qk_attrs = {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, subgroup_basis = [[1, 1, 1, 1, 1, 1, 1], [0, 1, 2, 3, 4, 6]]}>}}> {lowering_config = #iree_gpu.lowering_config<{reduction = [0, 0, 0, 0, 1, 0, 32], subgroup = [0, 0, 16, 0, 0, 0, 0], workgroup = [1, 1, 16, 0, 0, 64, 0]}>, tilefuse.key_lengths} ins(%extracted_slice_7, %20, %21, %cst_4, %26 : tensor<1x1x3x64xf16>, tensor<1x5x1x32x64xf16>, tensor<1x5x1x32x64xf16>, f16, tensor<1x3x5x32xf16>) outs(%27, %28, %29 : tensor<1x1x3x64xf32>, tensor<1x1x3xf32>, tensor<1x1x3xf32>) {
              ^bb0(%arg5: f32):
                iree_linalg_ext.yield %arg5 : f32
              } -> tensor<1x1x3x64xf32>, tensor<1x1x3xf32>, tensor<1x1x3xf32>
              %31 = linalg.generic {indexing_maps = [#map9, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%30#2, %30#0 : tensor<1x1x3xf32>, tensor<1x1x3x64xf32>) outs(%arg4 : tensor<1x1x3x64xf16>) {
              ^bb0(%in: f32, %in_8: f32, %out: f16):
                %32 = arith.divf %cst, %in : f32
                %33 = arith.mulf %32, %in_8 : f32
                %34 = arith.truncf %33 : f32 to f16
                linalg.yield %34 : f16
              } -> tensor<1x1x3x64xf16>
              scf.forall.in_parallel {
                tensor.parallel_insert_slice %31 into %arg4[0, 0, 0, 0] [1, 1, 3, 64] [1, 1, 1, 1] : tensor<1x1x3x64xf16> into tensor<1x1x3x64xf16>
              }
            } {mapping = [#gpu.warp<linear_dim_0>]}
            scf.forall.in_parallel {
              tensor.parallel_insert_slice %24 into %arg2[%arg0, 0, 0, 0] [1, 1, 3, 64] [1, 1, 1, 1] : tensor<1x1x3x64xf16> into tensor<3x1x3x64xf16>
            }
          } {mapping = [#iree_codegen.workgroup_mapping<y>, #iree_codegen.workgroup_mapping<x>]}
          iree_codegen.store_to_buffer %18, %11 : tensor<3x1x3x64xf16> into memref<3x1x3x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          return
        }
        iree_codegen.dispatch_config @attention_dispatch_0_attention_3x1x3x64x5x64x32 {
        ^bb0(%arg0: !hal.device):
          %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice()
          iree_codegen.yield %x, %y, %z : index, index, index
        }
      }
    }
  }
}
