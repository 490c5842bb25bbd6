#executable_target_rocm_hsaco_fb = #hal.executable.target<"rocm", "rocm-hsaco-fb", {abi = "hip", iree.encoding.resolver = #iree_gpu.gpu_encoding_resolver<>, iree_codegen.default_tuning_spec = #rocm.builtin.tuning_module<"iree_default_tuning_spec_gfx942.mlir">, iree_codegen.target_info = #iree_gpu.target<arch = "gfx942", features = "", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<MFMA_F32_16x16x16_BF16>, <MFMA_F32_32x32x8_BF16>, <MFMA_F32_16x16x32_F8E5M2FNUZ>, <MFMA_F32_16x16x32_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_I32_16x16x32_I8>, <MFMA_I32_32x32x16_I8>, <MFMA_F64_16x16x4_F64>, <MFMA_F32_16x16x4_F32>, <MFMA_F32_16x16x16_F16>, <MFMA_F32_32x32x8_F16>, <MFMA_F32_4x4x4x16B_F16>, <MFMA_F32_16x16x4x4B_F16>, <MFMA_F32_32x32x4x2B_F16>, <MFMA_F32_4x4x4x16B_BF16>, <MFMA_F32_16x16x4x4B_BF16>, <MFMA_F32_32x32x4x2B_BF16>, <MFMA_F32_4x4x1x16B_F32>, <MFMA_F32_16x16x1x4B_F32>, <MFMA_F32_32x32x1x2B_F32>, <MFMA_F64_4x4x4x4B_F64>, <MFMA_I32_4x4x4x16B_I8>, <MFMA_I32_16x16x4x4B_I8>, <MFMA_I32_32x32x4x2B_I8>], subgroup_size_choices = [64], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 65536, max_workgroup_counts = [2147483647, 2147483647, 2147483647], max_load_instruction_bits = 128, simds_per_wgp = 4, vgpr_space_bits = 16384, dma_sizes = [32], workgroup_memory_bank_count = 32>>, ukernels = "none"}>
#map = affine_map<(d0)[s0] -> (-d0 + s0, 64)>
#map1 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map2 = affine_map<(d0, d1, d2) -> (d0, d2, d1)>
#map3 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>
#map4 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d2)>
#map5 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d4, d3)>
#map6 = affine_map<(d0, d1, d2, d3, d4) -> ()>
#map7 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4)>
#map8 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1)>
#map9 = affine_map<(d0, d1, d2) -> (d0, d1)>
#pipeline_layout = #hal.pipeline.layout<constants = 4, bindings = [#hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, Indirect>], flags = Indirect>
#translation = #iree_codegen.translation_info<pipeline = #iree_codegen.no_pipeline workgroup_size = [64, 4, 1] subgroup_size = 64, {iree_codegen.denormal_fp_math_f32 = #iree_codegen.denormal_fp_math<"preserve-sign">}>
module {
  hal.executable private @attention_dispatch_0 {
    hal.executable.variant public @rocm_hsaco_fb target(#executable_target_rocm_hsaco_fb) {
      hal.executable.export public @attention_dispatch_0_attention_2x64x64xDx64 ordinal(0) layout(#pipeline_layout) count(%arg0: !hal.device, %arg1: index, %arg2: index) -> (index, index, index) {
        %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice(%arg1, %arg2)
        hal.return %x, %y, %z : index, index, index
      }
      builtin.module {
        func.func @attention_dispatch_0_attention_2x64x64xDx64() attributes {translation_info = #translation} {
          %c64 = arith.constant 64 : index
          %cst = arith.constant 1.000000e+00 : f32
          %cst_0 = arith.constant -3.40282347E+38 : f32
          %cst_1 = arith.constant 0.000000e+00 : f32
          %c32_i64 = arith.constant 32 : i64
          %cst_2 = arith.constant 1.250000e-01 : f16
          %c0 = arith.constant 0 : index
          %0 = hal.interface.constant.load layout(#pipeline_layout) ordinal(0) : i32
          %1 = hal.interface.constant.load layout(#pipeline_layout) ordinal(1) : i32
          %2 = hal.interface.constant.load layout(#pipeline_layout) ordinal(2) : i32
          %3 = hal.interface.constant.load layout(#pipeline_layout) ordinal(3) : i32
          %4 = arith.extui %0 : i32 to i64
          %5 = arith.extui %1 : i32 to i64
          %6 = arith.shli %5, %c32_i64 : i64
          %7 = arith.ori %4, %6 : i64
          %8 = arith.index_castui %7 : i64 to index
          %9 = arith.extui %2 : i32 to i64
          %10 = arith.extui %3 : i32 to i64
          %11 = arith.shli %10, %c32_i64 : i64
          %12 = arith.ori %9, %11 : i64
          %13 = arith.index_castui %12 : i64 to index
          %14:2 = util.assume.int 
              %8<umin = 0, umax = 9007199254740991>, 
              %13<umin = 0, umax = 9007199254740991>
            : index, index
          %15 = hal.interface.binding.subspan layout(#pipeline_layout) binding(2) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x64x64xf16, #hal.descriptor_type<storage_buffer>>
          %16 = amdgpu.fat_raw_buffer_cast %15 resetOffset : memref<2x64x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x64x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %17 = hal.interface.binding.subspan layout(#pipeline_layout) binding(3) alignment(64) offset(%c0) flags(Indirect) : memref<2x64x64xf16, #hal.descriptor_type<storage_buffer>>
          %18 = amdgpu.fat_raw_buffer_cast %17 resetOffset : memref<2x64x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x64x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %19 = iree_tensor_ext.dispatch.workload.ordinal %14#0, 0 : index
          %20 = iree_tensor_ext.dispatch.workload.ordinal %14#1, 1 : index
          %21 = hal.interface.binding.subspan layout(#pipeline_layout) binding(0) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x?x64xf8E4M3FNUZ, #hal.descriptor_type<storage_buffer>>{%20}
          %22 = hal.interface.binding.subspan layout(#pipeline_layout) binding(1) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x?x64xf8E4M3FNUZ, #hal.descriptor_type<storage_buffer>>{%19}
          %23 = iree_codegen.load_from_buffer %21 : memref<2x?x64xf8E4M3FNUZ, #hal.descriptor_type<storage_buffer>> -> tensor<2x?x64xf8E4M3FNUZ>
          %24 = iree_codegen.load_from_buffer %22 : memref<2x?x64xf8E4M3FNUZ, #hal.descriptor_type<storage_buffer>> -> tensor<2x?x64xf8E4M3FNUZ>
          %25 = iree_codegen.load_from_buffer %16 : memref<2x64x64xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<2x64x64xf16>
          %26 = tensor.empty() : tensor<2x64x64xf16>
          %27 = scf.forall (%arg0) in (2) shared_outs(%arg1 = %26) -> (tensor<2x64x64xf16>) {
            %extracted_slice = tensor.extract_slice %arg1[%arg0, 0, 0] [1, 64, 64] [1, 1, 1] : tensor<2x64x64xf16> to tensor<1x64x64xf16>
            %28 = scf.forall (%arg2) = (0) to (64) step (16) shared_outs(%arg3 = %extracted_slice) -> (tensor<1x64x64xf16>) {
              %extracted_slice_3 = tensor.extract_slice %25[%arg0, %arg2, 0] [1, 16, 64] [1, 1, 1] : tensor<2x64x64xf16> to tensor<1x16x64xf16>
              %29 = tensor.empty() : tensor<1x16x64xf32>
              %30 = linalg.fill ins(%cst_1 : f32) outs(%29 : tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
              %31 = tensor.empty() : tensor<1x16xf32>
              %32 = linalg.fill ins(%cst_0 : f32) outs(%31 : tensor<1x16xf32>) -> tensor<1x16xf32>
              %33 = linalg.fill ins(%cst_1 : f32) outs(%31 : tensor<1x16xf32>) -> tensor<1x16xf32>
              %34:3 = scf.for %arg4 = %c0 to %20 step %c64 iter_args(%arg5 = %30, %arg6 = %32, %arg7 = %33) -> (tensor<1x16x64xf32>, tensor<1x16xf32>, tensor<1x16xf32>) {
                %36 = affine.min #map(%arg4)[%20]
                %extracted_slice_5 = tensor.extract_slice %23[%arg0, %arg4, 0] [1, %36, 64] [1, 1, 1] : tensor<2x?x64xf8E4M3FNUZ> to tensor<1x?x64xf8E4M3FNUZ>
                %37 = tensor.empty(%36) : tensor<1x?x64xf16>
                %38 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%extracted_slice_5 : tensor<1x?x64xf8E4M3FNUZ>) outs(%37 : tensor<1x?x64xf16>) {
                ^bb0(%in: f8E4M3FNUZ, %out: f16):
                  %42 = arith.extf %in : f8E4M3FNUZ to f16
                  linalg.yield %42 : f16
                } -> tensor<1x?x64xf16>
                %extracted_slice_6 = tensor.extract_slice %24[%arg0, %arg4, 0] [1, %36, 64] [1, 1, 1] : tensor<2x?x64xf8E4M3FNUZ> to tensor<1x?x64xf8E4M3FNUZ>
                %39 = tensor.empty(%36) : tensor<1x64x?xf16>
                %40 = linalg.generic {indexing_maps = [#map1, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%extracted_slice_6 : tensor<1x?x64xf8E4M3FNUZ>) outs(%39 : tensor<1x64x?xf16>) {
                ^bb0(%in: f8E4M3FNUZ, %out: f16):
                  %42 = arith.extf %in : f8E4M3FNUZ to f16
                  linalg.yield %42 : f16
                } -> tensor<1x64x?xf16>
                %41:3 = iree_linalg_ext.online_attention <indexing_maps = [#map3, #map4, #map5, #map6, #map7, #map8, #map8], decomposition_config = {pv_attrs = {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, subgroup_basis = [[1, 1, 1, 1, 1], [0, 1, 3, 4]]}>}, qk_attrs = {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, subgroup_basis = [[1, 1, 1, 1, 1], [0, 1, 2, 3]]}>}}> {lowering_config = #iree_gpu.lowering_config<{reduction = [0, 0, 0, 64, 0], subgroup = [0, 16, 0, 0, 0], workgroup = [1, 64, 0, 0, 64]}>} ins(%extracted_slice_3, %38, %40, %cst_2 : tensor<1x16x64xf16>, tensor<1x?x64xf16>, tensor<1x64x?xf16>, f16) outs(%arg5, %arg6, %arg7 : tensor<1x16x64xf32>, tensor<1x16xf32>, tensor<1x16xf32>) {
                ^bb0(%arg8: f32):
                  iree_linalg_ext.yield %arg8 : f32
                } -> tensor<1x16x64xf32>, tensor<1x16xf32>, tensor<1x16xf32>
                scf.yield %41#0, %41#1, %41#2 : tensor<1x16x64xf32>, tensor<1x16xf32>, tensor<1x16xf32>
              }
              %extracted_slice_4 = tensor.extract_slice %arg3[0, %arg2, 0] [1, 16, 64] [1, 1, 1] : tensor<1x64x64xf16> to tensor<1x16x64xf16>
              %35 = linalg.generic {indexing_maps = [#map9, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%34#2, %34#0 : tensor<1x16xf32>, tensor<1x16x64xf32>) outs(%extracted_slice_4 : tensor<1x16x64xf16>) {
              ^bb0(%in: f32, %in_5: f32, %out: f16):
                %36 = arith.divf %cst, %in : f32
                %37 = arith.mulf %36, %in_5 : f32
                %38 = arith.truncf %37 : f32 to f16
                linalg.yield %38 : f16
              } -> tensor<1x16x64xf16>
              scf.forall.in_parallel {
                tensor.parallel_insert_slice %35 into %arg3[0, %arg2, 0] [1, 16, 64] [1, 1, 1] : tensor<1x16x64xf16> into tensor<1x64x64xf16>
              }
            } {mapping = [#gpu.warp<linear_dim_0>]}
            scf.forall.in_parallel {
              tensor.parallel_insert_slice %28 into %arg1[%arg0, 0, 0] [1, 64, 64] [1, 1, 1] : tensor<1x64x64xf16> into tensor<2x64x64xf16>
            }
          } {mapping = [#iree_codegen.workgroup_mapping<x>]}
          iree_codegen.store_to_buffer %27, %18 : tensor<2x64x64xf16> into memref<2x64x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          return
        }
        iree_codegen.dispatch_config @attention_dispatch_0_attention_2x64x64xDx64 {
        ^bb0(%arg0: !hal.device, %arg1: index, %arg2: index):
          %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice(%arg1, %arg2)
          iree_codegen.yield %x, %y, %z : index, index, index
        }
      }
    }
  }
}
