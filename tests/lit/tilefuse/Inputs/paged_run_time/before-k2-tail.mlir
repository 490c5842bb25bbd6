#executable_target_rocm_hsaco_fb = #hal.executable.target<"rocm", "rocm-hsaco-fb", {abi = "hip", iree.encoding.resolver = #iree_gpu.gpu_encoding_resolver<>, iree_codegen.default_tuning_spec = #rocm.builtin.tuning_module<"iree_default_tuning_spec_gfx942.mlir">, iree_codegen.target_info = #iree_gpu.target<arch = "gfx942", features = "", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<MFMA_F32_16x16x16_BF16>, <MFMA_F32_32x32x8_BF16>, <MFMA_F32_16x16x32_F8E5M2FNUZ>, <MFMA_F32_16x16x32_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_I32_16x16x32_I8>, <MFMA_I32_32x32x16_I8>, <MFMA_F64_16x16x4_F64>, <MFMA_F32_16x16x4_F32>, <MFMA_F32_16x16x16_F16>, <MFMA_F32_32x32x8_F16>, <MFMA_F32_4x4x4x16B_F16>, <MFMA_F32_16x16x4x4B_F16>, <MFMA_F32_32x32x4x2B_F16>, <MFMA_F32_4x4x4x16B_BF16>, <MFMA_F32_16x16x4x4B_BF16>, <MFMA_F32_32x32x4x2B_BF16>, <MFMA_F32_4x4x1x16B_F32>, <MFMA_F32_16x16x1x4B_F32>, <MFMA_F32_32x32x1x2B_F32>, <MFMA_F64_4x4x4x4B_F64>, <MFMA_I32_4x4x4x16B_I8>, <MFMA_I32_16x16x4x4B_I8>, <MFMA_I32_32x32x4x2B_I8>], subgroup_size_choices = [64], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 65536, max_workgroup_counts = [2147483647, 2147483647, 2147483647], max_load_instruction_bits = 128, simds_per_wgp = 4, vgpr_space_bits = 16384, dma_sizes = [32], workgroup_memory_bank_count = 32>>, ukernels = "none"}>
#map = affine_map<(d0)[s0] -> (d0 * (s0 ceildiv 32), s0)>
#map1 = affine_map<(d0)[s0] -> (s0 ceildiv 32, -d0 + s0)>
#map2 = affine_map<(d0)[s0] -> (-d0 + s0, 8)>
#map3 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
#map4 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d1, d6, d3)>
#map5 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d1, d6, d5)>
#map6 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> ()>
#map7 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d5)>
#map8 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2)>
#map9 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map10 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#pipeline_layout = #hal.pipeline.layout<constants = 2, bindings = [#hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, Indirect>, #hal.pipeline.binding<storage_buffer, Indirect>], flags = Indirect>
#translation = #iree_codegen.translation_info<pipeline = #iree_codegen.no_pipeline workgroup_size = [64, 1, 1] subgroup_size = 64, {iree_codegen.denormal_fp_math_f32 = #iree_codegen.denormal_fp_math<"preserve-sign">}>
module {
  hal.executable private @attention_dispatch_0 {
    hal.executable.variant public @rocm_hsaco_fb target(#executable_target_rocm_hsaco_fb) {
      hal.executable.export public @attention_dispatch_0_online_attention_2x2x4x64xDx64x8 ordinal(0) layout(#pipeline_layout) count(%arg0: !hal.device, %arg1: index) -> (index, index, index) {
        %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice(%arg1)
        %result_x, %result_y, %result_z = iree_tensor_ext.dispatch.workgroup_count_split_reduction_modifier workgroups(%x, %y, %z) workload(%arg1)
        hal.return %result_x, %result_y, %result_z : index, index, index
      }
      builtin.module {
        func.func @attention_dispatch_0_online_attention_2x2x4x64xDx64x8() attributes {translation_info = #translation} {
          %c8 = arith.constant 8 : index
          %cst = arith.constant 0.000000e+00 : f16
          %c32_i64 = arith.constant 32 : i64
          %cst_0 = arith.constant 0.000000e+00 : f32
          %cst_1 = arith.constant -3.40282347E+38 : f32
          %cst_2 = arith.constant 1.250000e-01 : f16
          %c4 = arith.constant 4 : index
          %c0 = arith.constant 0 : index
          %c131072 = arith.constant 131072 : index
          %0 = hal.interface.constant.load layout(#pipeline_layout) ordinal(0) : i32
          %1 = hal.interface.constant.load layout(#pipeline_layout) ordinal(1) : i32
          %2 = arith.extui %0 : i32 to i64
          %3 = arith.extui %1 : i32 to i64
          %4 = arith.shli %3, %c32_i64 : i64
          %5 = arith.ori %2, %4 : i64
          %6 = arith.index_castui %5 : i64 to index
          %7 = util.assume.int %6<umin = 0, umax = 9007199254740991> : index
          %8 = hal.interface.binding.subspan layout(#pipeline_layout) binding(1) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<128x2x8x64xf16, #hal.descriptor_type<storage_buffer>>
          %9 = amdgpu.fat_raw_buffer_cast %8 resetOffset : memref<128x2x8x64xf16, #hal.descriptor_type<storage_buffer>> to memref<128x2x8x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %10 = hal.interface.binding.subspan layout(#pipeline_layout) binding(2) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<128x2x8x64xf16, #hal.descriptor_type<storage_buffer>>
          %11 = amdgpu.fat_raw_buffer_cast %10 resetOffset : memref<128x2x8x64xf16, #hal.descriptor_type<storage_buffer>> to memref<128x2x8x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %12 = hal.interface.binding.subspan layout(#pipeline_layout) binding(3) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x2x4x64xf16, #hal.descriptor_type<storage_buffer>>
          %13 = amdgpu.fat_raw_buffer_cast %12 resetOffset : memref<2x2x4x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x2x4x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %14 = hal.interface.binding.subspan layout(#pipeline_layout) binding(4) alignment(64) offset(%c0) flags(Indirect) : memref<2x2x128x64xf32, #hal.descriptor_type<storage_buffer>>
          %15 = amdgpu.fat_raw_buffer_cast %14 resetOffset : memref<2x2x128x64xf32, #hal.descriptor_type<storage_buffer>> to memref<2x2x128x64xf32, #amdgpu.address_space<fat_raw_buffer>>
          %16 = hal.interface.binding.subspan layout(#pipeline_layout) binding(5) alignment(64) offset(%c131072) flags(Indirect) : memref<2x2x128x64xf32, strided<[16384, 8192, 64, 1], offset: ?>, #hal.descriptor_type<storage_buffer>>
          %17 = amdgpu.fat_raw_buffer_cast %16 resetOffset : memref<2x2x128x64xf32, strided<[16384, 8192, 64, 1], offset: ?>, #hal.descriptor_type<storage_buffer>> to memref<2x2x128x64xf32, #amdgpu.address_space<fat_raw_buffer>>
          %18 = iree_tensor_ext.dispatch.workload.ordinal %7, 0 : index
          %19 = hal.interface.binding.subspan layout(#pipeline_layout) binding(0) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x?xi64, #hal.descriptor_type<storage_buffer>>{%18}
          %20 = iree_codegen.load_from_buffer %9 : memref<128x2x8x64xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<128x2x8x64xf16>
          %21 = iree_codegen.load_from_buffer %11 : memref<128x2x8x64xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<128x2x8x64xf16>
          %22 = iree_codegen.load_from_buffer %13 : memref<2x2x4x64xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<2x2x4x64xf16>
          %23 = tensor.empty() : tensor<2x2x128x64xf32>
          %24:2 = scf.forall (%arg0) in (32) shared_outs(%arg1 = %23, %arg2 = %23) -> (tensor<2x2x128x64xf32>, tensor<2x2x128x64xf32>) {
            %25 = affine.min #map(%arg0)[%18]
            %26 = affine.min #map1(%25)[%18]
            %subview = memref.subview %19[0, %25] [2, %26] [1, 1] : memref<2x?xi64, #hal.descriptor_type<storage_buffer>> to memref<2x?xi64, strided<[?, 1], offset: ?>, #hal.descriptor_type<storage_buffer>>
            %27 = iree_codegen.load_from_buffer %subview : memref<2x?xi64, strided<[?, 1], offset: ?>, #hal.descriptor_type<storage_buffer>> -> tensor<2x?xi64>
            %28 = tensor.empty() : tensor<2x2x4x64xf32>
            %29 = arith.muli %arg0, %c4 overflow<nsw> : index
            %30:2 = scf.forall (%arg3, %arg4, %arg5) = (0, 0, 0) to (2, 2, 4) step (1, 1, 16) shared_outs(%arg6 = %28, %arg7 = %28) -> (tensor<2x2x4x64xf32>, tensor<2x2x4x64xf32>) {
              %extracted_slice = tensor.extract_slice %arg6[%arg3, %arg4, 0, 0] [1, 1, 4, 64] [1, 1, 1, 1] : tensor<2x2x4x64xf32> to tensor<1x1x4x64xf32>
              %extracted_slice_3 = tensor.extract_slice %arg7[%arg3, %arg4, 0, 0] [1, 1, 4, 64] [1, 1, 1, 1] : tensor<2x2x4x64xf32> to tensor<1x1x4x64xf32>
              %31:2 = scf.forall (%arg8) = (0) to (4) step (16) shared_outs(%arg9 = %extracted_slice, %arg10 = %extracted_slice_3) -> (tensor<1x1x4x64xf32>, tensor<1x1x4x64xf32>) {
                %extracted_slice_4 = tensor.extract_slice %22[%arg3, %arg4, 0, 0] [1, 1, 4, 64] [1, 1, 1, 1] : tensor<2x2x4x64xf16> to tensor<1x1x4x64xf16>
                %32 = tensor.empty() : tensor<1x1x16x64xf32>
                %33 = linalg.fill ins(%cst_0 : f32) outs(%32 : tensor<1x1x16x64xf32>) -> tensor<1x1x16x64xf32>
                %34 = tensor.empty() : tensor<1x1x16xf32>
                %35 = linalg.fill ins(%cst_1 : f32) outs(%34 : tensor<1x1x16xf32>) -> tensor<1x1x16xf32>
                %36 = linalg.fill ins(%cst_0 : f32) outs(%34 : tensor<1x1x16xf32>) -> tensor<1x1x16xf32>
                %padded = tensor.pad %extracted_slice_4 low[0, 0, 0, 0] high[0, 0, 12, 0] {
                ^bb0(%arg11: index, %arg12: index, %arg13: index, %arg14: index):
                  tensor.yield %cst : f16
                } : tensor<1x1x4x64xf16> to tensor<1x1x16x64xf16>
                %37:3 = scf.for %arg11 = %c0 to %26 step %c8 iter_args(%arg12 = %33, %arg13 = %35, %arg14 = %36) -> (tensor<1x1x16x64xf32>, tensor<1x1x16xf32>, tensor<1x1x16xf32>) {
                  %39 = affine.min #map2(%arg11)[%26]
                  %40 = tensor.empty(%39) : tensor<1x?x1x8x64xf16>
                  %extracted_slice_7 = tensor.extract_slice %27[%arg3, %arg11] [1, %39] [1, 1] : tensor<2x?xi64> to tensor<1x?xi64>
                  %extracted_slice_8 = tensor.extract_slice %20[0, %arg4, 0, 0] [128, 1, 8, 64] [1, 1, 1, 1] : tensor<128x2x8x64xf16> to tensor<128x1x8x64xf16>
                  %41 = iree_linalg_ext.gather dimension_map = [0] ins(%extracted_slice_8, %extracted_slice_7 : tensor<128x1x8x64xf16>, tensor<1x?xi64>) outs(%40 : tensor<1x?x1x8x64xf16>) -> tensor<1x?x1x8x64xf16>
                  %extracted_slice_9 = tensor.extract_slice %21[0, %arg4, 0, 0] [128, 1, 8, 64] [1, 1, 1, 1] : tensor<128x2x8x64xf16> to tensor<128x1x8x64xf16>
                  %42 = iree_linalg_ext.gather dimension_map = [0] ins(%extracted_slice_9, %extracted_slice_7 : tensor<128x1x8x64xf16>, tensor<1x?xi64>) outs(%40 : tensor<1x?x1x8x64xf16>) -> tensor<1x?x1x8x64xf16>
                  %43:3 = iree_linalg_ext.online_attention <indexing_maps = [#map3, #map4, #map5, #map6, #map7, #map8, #map8], decomposition_config = {pv_attrs = {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, subgroup_basis = [[1, 1, 1, 1, 1, 1, 1], [0, 1, 2, 4, 5, 6]]}>}, qk_attrs = {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, subgroup_basis = [[1, 1, 1, 1, 1, 1, 1], [0, 1, 2, 3, 4, 6]]}>}}> {lowering_config = #iree_gpu.lowering_config<{k2_splits = 32 : i64, reduction = [0, 0, 0, 0, 8, 0, 8], subgroup = [0, 0, 16, 0, 0, 0, 0], workgroup = [1, 1, 16, 0, 0, 64, 0]}>} ins(%padded, %41, %42, %cst_2 : tensor<1x1x16x64xf16>, tensor<1x?x1x8x64xf16>, tensor<1x?x1x8x64xf16>, f16) outs(%arg12, %arg13, %arg14 : tensor<1x1x16x64xf32>, tensor<1x1x16xf32>, tensor<1x1x16xf32>) {
                  ^bb0(%arg15: f32):
                    iree_linalg_ext.yield %arg15 : f32
                  } -> tensor<1x1x16x64xf32>, tensor<1x1x16xf32>, tensor<1x1x16xf32>
                  scf.yield %43#0, %43#1, %43#2 : tensor<1x1x16x64xf32>, tensor<1x1x16xf32>, tensor<1x1x16xf32>
                }
                %38:2 = linalg.generic {indexing_maps = [#map9, #map10, #map10, #map9, #map9], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%37#0, %37#1, %37#2 : tensor<1x1x16x64xf32>, tensor<1x1x16xf32>, tensor<1x1x16xf32>) outs(%32, %32 : tensor<1x1x16x64xf32>, tensor<1x1x16x64xf32>) {
                ^bb0(%in: f32, %in_7: f32, %in_8: f32, %out: f32, %out_9: f32):
                  %39 = arith.cmpf ogt, %in_8, %cst_0 : f32
                  %40 = arith.divf %in, %in_8 : f32
                  %41 = arith.select %39, %40, %cst_0 : f32
                  %42 = math.log2 %in_8 : f32
                  %43 = arith.addf %in_7, %42 : f32
                  linalg.yield %41, %43 : f32, f32
                } -> (tensor<1x1x16x64xf32>, tensor<1x1x16x64xf32>)
                %extracted_slice_5 = tensor.extract_slice %38#1[0, 0, 0, 0] [1, 1, 4, 64] [1, 1, 1, 1] : tensor<1x1x16x64xf32> to tensor<1x1x4x64xf32>
                %extracted_slice_6 = tensor.extract_slice %38#0[0, 0, 0, 0] [1, 1, 4, 64] [1, 1, 1, 1] : tensor<1x1x16x64xf32> to tensor<1x1x4x64xf32>
                scf.forall.in_parallel {
                  tensor.parallel_insert_slice %extracted_slice_6 into %arg9[0, 0, 0, 0] [1, 1, 4, 64] [1, 1, 1, 1] : tensor<1x1x4x64xf32> into tensor<1x1x4x64xf32>
                  tensor.parallel_insert_slice %extracted_slice_5 into %arg10[0, 0, 0, 0] [1, 1, 4, 64] [1, 1, 1, 1] : tensor<1x1x4x64xf32> into tensor<1x1x4x64xf32>
                }
              } {mapping = [#gpu.warp<linear_dim_0>]}
              scf.forall.in_parallel {
                tensor.parallel_insert_slice %31#0 into %arg6[%arg3, %arg4, 0, 0] [1, 1, 4, 64] [1, 1, 1, 1] : tensor<1x1x4x64xf32> into tensor<2x2x4x64xf32>
                tensor.parallel_insert_slice %31#1 into %arg7[%arg3, %arg4, 0, 0] [1, 1, 4, 64] [1, 1, 1, 1] : tensor<1x1x4x64xf32> into tensor<2x2x4x64xf32>
              }
            } {mapping = [#iree_codegen.workgroup_mapping<z>, #iree_codegen.workgroup_mapping<y>, #iree_codegen.workgroup_mapping<x>]}
            scf.forall.in_parallel {
              tensor.parallel_insert_slice %30#0 into %arg1[0, 0, %29, 0] [2, 2, 4, 64] [1, 1, 1, 1] : tensor<2x2x4x64xf32> into tensor<2x2x128x64xf32>
              tensor.parallel_insert_slice %30#1 into %arg2[0, 0, %29, 0] [2, 2, 4, 64] [1, 1, 1, 1] : tensor<2x2x4x64xf32> into tensor<2x2x128x64xf32>
            }
          } {mapping = [#iree_linalg_ext.split_reduction_mapping<0>]}
          iree_codegen.store_to_buffer %24#0, %15 : tensor<2x2x128x64xf32> into memref<2x2x128x64xf32, #amdgpu.address_space<fat_raw_buffer>>
          iree_codegen.store_to_buffer %24#1, %17 : tensor<2x2x128x64xf32> into memref<2x2x128x64xf32, #amdgpu.address_space<fat_raw_buffer>>
          return
        }
        iree_codegen.dispatch_config @attention_dispatch_0_online_attention_2x2x4x64xDx64x8 {
        ^bb0(%arg0: !hal.device, %arg1: index):
          %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice(%arg1)
          %result_x, %result_y, %result_z = iree_tensor_ext.dispatch.workgroup_count_split_reduction_modifier workgroups(%x, %y, %z) workload(%arg1)
          iree_codegen.yield %result_x, %result_y, %result_z : index, index, index
        }
      }
    }
  }
}
