#executable_target_cuda_nvptx_fb = #hal.executable.target<"cuda", "cuda-nvptx-fb", {iree_codegen.target_info = #iree_gpu.target<arch = "sm_89", features = "+ptx84", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<NV_MMA_SYNC_F32_16x8x16_F16>, <NV_MMA_SYNC_F16_16x8x16_F16>, <NV_MMA_SYNC_F32_16x8x16_BF16>, <NV_MMA_SYNC_F32_16x8x32_F8E4M3FN>, <NV_MMA_SYNC_F32_16x8x32_F8E5M2>, <NV_WMMA_F32_16x16x16_F16>, <NV_WMMA_F16_16x16x16_F16>], subgroup_size_choices = [32], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 101376, max_workgroup_counts = [2147483647, 65535, 65535]>>}>
#map = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map1 = affine_map<(d0, d1, d2) -> (d0, d2, d1)>
#map2 = affine_map<(d0, d1, d2) -> ()>
#map3 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#map4 = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#map5 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#map6 = affine_map<(d0, d1, d2) -> (d0, d1)>
#map7 = affine_map<(d0, d1) -> (d0, d1)>
#pipeline_layout = #hal.pipeline.layout<bindings = [#hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, Indirect>], flags = Indirect>
#translation = #iree_codegen.translation_info<pipeline = #iree_codegen.no_pipeline workgroup_size = [32, 4, 1] subgroup_size = 32, {iree_codegen.denormal_fp_math_f32 = #iree_codegen.denormal_fp_math<"preserve-sign">}>
module {
  hal.executable private @attention_dispatch_0 {
    hal.executable.variant public @cuda_nvptx_fb target(#executable_target_cuda_nvptx_fb) {
      hal.executable.export public @attention_dispatch_0_attention_2x64x16x128x16 ordinal(0) layout(#pipeline_layout) count(%arg0: !hal.device) -> (index, index, index) {
        %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice()
        hal.return %x, %y, %z : index, index, index
      }
      builtin.module {
        func.func @attention_dispatch_0_attention_2x64x16x128x16() attributes {nvvm.minctasm = 2 : i32, translation_info = #translation} {
          %cst = arith.constant 3.605960e-01 : f16
          %c64 = arith.constant 64 : index
          %c128 = arith.constant 128 : index
          %cst_0 = arith.constant 1.000000e+00 : f32
          %cst_1 = arith.constant -3.40282347E+38 : f32
          %cst_2 = arith.constant 0.000000e+00 : f32
          %c0_i32 = arith.constant 0 : i32
          %cst_3 = arith.constant 1.562500e-02 : f32
          %cst_4 = arith.constant 0x7FC00000 : f32
          %c3_i32 = arith.constant 3 : i32
          %c15_i32 = arith.constant 15 : i32
          %c7_i32 = arith.constant 7 : i32
          %c1_i32 = arith.constant 1 : i32
          %c120_i32 = arith.constant 120 : i32
          %c23_i32 = arith.constant 23 : i32
          %c20_i32 = arith.constant 20 : i32
          %c0 = arith.constant 0 : index
          %0 = hal.interface.binding.subspan layout(#pipeline_layout) binding(0) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x128x16xf8E4M3FN, #hal.descriptor_type<storage_buffer>>
          %1 = hal.interface.binding.subspan layout(#pipeline_layout) binding(1) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x128x16xf8E4M3FN, #hal.descriptor_type<storage_buffer>>
          %2 = hal.interface.binding.subspan layout(#pipeline_layout) binding(2) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x64x16xf16, #hal.descriptor_type<storage_buffer>>
          %3 = hal.interface.binding.subspan layout(#pipeline_layout) binding(3) alignment(64) offset(%c0) flags(Indirect) : memref<2x64x16xf16, #hal.descriptor_type<storage_buffer>>
          %4 = iree_codegen.load_from_buffer %0 : memref<2x128x16xf8E4M3FN, #hal.descriptor_type<storage_buffer>> -> tensor<2x128x16xf8E4M3FN>
          %5 = iree_codegen.load_from_buffer %1 : memref<2x128x16xf8E4M3FN, #hal.descriptor_type<storage_buffer>> -> tensor<2x128x16xf8E4M3FN>
          %6 = iree_codegen.load_from_buffer %2 : memref<2x64x16xf16, #hal.descriptor_type<storage_buffer>> -> tensor<2x64x16xf16>
          %7 = tensor.empty() : tensor<2x64x16xf16>
          %8 = scf.forall (%arg0) in (2) shared_outs(%arg1 = %7) -> (tensor<2x64x16xf16>) {
            %extracted_slice = tensor.extract_slice %arg1[%arg0, 0, 0] [1, 64, 16] [1, 1, 1] : tensor<2x64x16xf16> to tensor<1x64x16xf16>
            %9 = scf.forall (%arg2) = (0) to (64) step (16) shared_outs(%arg3 = %extracted_slice) -> (tensor<1x64x16xf16>) {
              %extracted_slice_5 = tensor.extract_slice %6[%arg0, %arg2, 0] [1, 16, 16] [1, 1, 1] : tensor<2x64x16xf16> to tensor<1x16x16xf16>
              %10 = tensor.empty() : tensor<1x16x16xf32>
              %11 = linalg.fill ins(%cst_2 : f32) outs(%10 : tensor<1x16x16xf32>) -> tensor<1x16x16xf32>
              %12 = tensor.empty() : tensor<1x16xf32>
              %13 = linalg.fill ins(%cst_1 : f32) outs(%12 : tensor<1x16xf32>) -> tensor<1x16xf32>
              %14 = linalg.fill ins(%cst_2 : f32) outs(%12 : tensor<1x16xf32>) -> tensor<1x16xf32>
              %15:3 = scf.for %arg4 = %c0 to %c128 step %c64 iter_args(%arg5 = %11, %arg6 = %13, %arg7 = %14) -> (tensor<1x16x16xf32>, tensor<1x16xf32>, tensor<1x16xf32>) {
                %extracted_slice_7 = tensor.extract_slice %4[%arg0, %arg4, 0] [1, 64, 16] [1, 1, 1] : tensor<2x128x16xf8E4M3FN> to tensor<1x64x16xf8E4M3FN>
                %17 = tensor.empty() : tensor<1x64x16xf16>
                %18 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%extracted_slice_7 : tensor<1x64x16xf8E4M3FN>) outs(%17 : tensor<1x64x16xf16>) {
                ^bb0(%in: f8E4M3FN, %out: f16):
                  %33 = arith.bitcast %in : f8E4M3FN to i8
                  %34 = arith.extui %33 : i8 to i32
                  %35 = arith.shrui %34, %c3_i32 : i32
                  %36 = arith.andi %35, %c15_i32 : i32
                  %37 = arith.andi %34, %c7_i32 : i32
                  %38 = arith.cmpi eq, %36, %c0_i32 : i32
                  %39 = arith.select %38, %c1_i32, %36 : i32
                  %40 = arith.addi %39, %c120_i32 : i32
                  %41 = arith.shli %40, %c23_i32 : i32
                  %42 = arith.shli %37, %c20_i32 : i32
                  %43 = arith.ori %41, %42 : i32
                  %44 = arith.bitcast %43 : i32 to f32
                  %45 = arith.subf %44, %cst_3 : f32
                  %46 = arith.select %38, %45, %44 : f32
                  %47 = arith.shrui %34, %c7_i32 : i32
                  %48 = arith.cmpi eq, %47, %c1_i32 : i32
                  %49 = arith.negf %46 : f32
                  %50 = arith.select %48, %49, %46 : f32
                  %51 = arith.cmpi eq, %36, %c15_i32 : i32
                  %52 = arith.cmpi eq, %37, %c7_i32 : i32
                  %53 = arith.andi %51, %52 : i1
                  %54 = arith.select %53, %cst_4, %50 : f32
                  %55 = arith.truncf %54 : f32 to f16
                  linalg.yield %55 : f16
                } -> tensor<1x64x16xf16>
                %extracted_slice_8 = tensor.extract_slice %5[%arg0, %arg4, 0] [1, 64, 16] [1, 1, 1] : tensor<2x128x16xf8E4M3FN> to tensor<1x64x16xf8E4M3FN>
                %19 = tensor.empty() : tensor<1x16x64xf16>
                %20 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%extracted_slice_8 : tensor<1x64x16xf8E4M3FN>) outs(%19 : tensor<1x16x64xf16>) {
                ^bb0(%in: f8E4M3FN, %out: f16):
                  %33 = arith.bitcast %in : f8E4M3FN to i8
                  %34 = arith.extui %33 : i8 to i32
                  %35 = arith.shrui %34, %c3_i32 : i32
                  %36 = arith.andi %35, %c15_i32 : i32
                  %37 = arith.andi %34, %c7_i32 : i32
                  %38 = arith.cmpi eq, %36, %c0_i32 : i32
                  %39 = arith.select %38, %c1_i32, %36 : i32
                  %40 = arith.addi %39, %c120_i32 : i32
                  %41 = arith.shli %40, %c23_i32 : i32
                  %42 = arith.shli %37, %c20_i32 : i32
                  %43 = arith.ori %41, %42 : i32
                  %44 = arith.bitcast %43 : i32 to f32
                  %45 = arith.subf %44, %cst_3 : f32
                  %46 = arith.select %38, %45, %44 : f32
                  %47 = arith.shrui %34, %c7_i32 : i32
                  %48 = arith.cmpi eq, %47, %c1_i32 : i32
                  %49 = arith.negf %46 : f32
                  %50 = arith.select %48, %49, %46 : f32
                  %51 = arith.cmpi eq, %36, %c15_i32 : i32
                  %52 = arith.cmpi eq, %37, %c7_i32 : i32
                  %53 = arith.andi %51, %52 : i1
                  %54 = arith.select %53, %cst_4, %50 : f32
                  %55 = arith.truncf %54 : f32 to f16
                  linalg.yield %55 : f16
                } -> tensor<1x16x64xf16>
                %21 = linalg.generic {indexing_maps = [#map2, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%cst : f16) outs(%extracted_slice_5 : tensor<1x16x16xf16>) {
                ^bb0(%in: f16, %out: f16):
                  %33 = arith.mulf %in, %out : f16
                  linalg.yield %33 : f16
                } -> tensor<1x16x16xf16>
                %22 = tensor.empty() : tensor<1x16x64xf32>
                %23 = linalg.fill ins(%cst_2 : f32) outs(%22 : tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
                %24 = linalg.generic {indexing_maps = [#map3, #map4, #map5], iterator_types = ["parallel", "parallel", "reduction", "parallel"]} ins(%21, %18 : tensor<1x16x16xf16>, tensor<1x64x16xf16>) outs(%23 : tensor<1x16x64xf32>) attrs =  {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<NV_MMA_SYNC_F32_16x8x16_F16>, promote_operands = [1], promotion_types = [#iree_gpu.derived_thread_config], subgroup_basis = [[1, 1, 1, 1, 1], [0, 1, 2, 3]]}>} {
                ^bb0(%in: f16, %in_9: f16, %out: f32):
                  %33 = arith.extf %in : f16 to f32
                  %34 = arith.extf %in_9 : f16 to f32
                  %35 = arith.mulf %33, %34 : f32
                  %36 = arith.addf %35, %out : f32
                  linalg.yield %36 : f32
                } -> tensor<1x16x64xf32>
                %25 = linalg.generic {indexing_maps = [#map, #map6], iterator_types = ["parallel", "parallel", "reduction"]} ins(%24 : tensor<1x16x64xf32>) outs(%arg6 : tensor<1x16xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %33 = arith.maximumf %in, %out : f32
                  linalg.yield %33 : f32
                } -> tensor<1x16xf32>
                %26 = linalg.generic {indexing_maps = [#map7, #map7], iterator_types = ["parallel", "parallel"]} ins(%25 : tensor<1x16xf32>) outs(%arg6 : tensor<1x16xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %33 = arith.subf %out, %in : f32
                  %34 = math.exp2 %33 : f32
                  linalg.yield %34 : f32
                } -> tensor<1x16xf32>
                %27 = linalg.generic {indexing_maps = [#map7, #map7], iterator_types = ["parallel", "parallel"]} ins(%26 : tensor<1x16xf32>) outs(%arg7 : tensor<1x16xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %33 = arith.mulf %in, %out : f32
                  linalg.yield %33 : f32
                } -> tensor<1x16xf32>
                %28 = linalg.generic {indexing_maps = [#map6, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%25 : tensor<1x16xf32>) outs(%24 : tensor<1x16x64xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %33 = arith.subf %out, %in : f32
                  %34 = math.exp2 %33 : f32
                  linalg.yield %34 : f32
                } -> tensor<1x16x64xf32>
                %29 = linalg.generic {indexing_maps = [#map, #map6], iterator_types = ["parallel", "parallel", "reduction"]} ins(%28 : tensor<1x16x64xf32>) outs(%27 : tensor<1x16xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %33 = arith.addf %in, %out : f32
                  linalg.yield %33 : f32
                } -> tensor<1x16xf32>
                %30 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%28 : tensor<1x16x64xf32>) outs(%19 : tensor<1x16x64xf16>) {
                ^bb0(%in: f32, %out: f16):
                  %33 = arith.truncf %in : f32 to f16
                  linalg.yield %33 : f16
                } -> tensor<1x16x64xf16>
                %31 = linalg.generic {indexing_maps = [#map6, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%26 : tensor<1x16xf32>) outs(%arg5 : tensor<1x16x16xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %33 = arith.mulf %in, %out : f32
                  linalg.yield %33 : f32
                } -> tensor<1x16x16xf32>
                %32 = linalg.generic {indexing_maps = [#map3, #map4, #map5], iterator_types = ["parallel", "parallel", "reduction", "parallel"]} ins(%30, %20 : tensor<1x16x64xf16>, tensor<1x16x64xf16>) outs(%31 : tensor<1x16x16xf32>) attrs =  {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<NV_MMA_SYNC_F32_16x8x16_F16>, promote_operands = [1], promotion_types = [#iree_gpu.derived_thread_config], subgroup_basis = [[1, 1, 1, 1, 1], [0, 1, 3, 4]]}>} {
                ^bb0(%in: f16, %in_9: f16, %out: f32):
                  %33 = arith.extf %in : f16 to f32
                  %34 = arith.extf %in_9 : f16 to f32
                  %35 = arith.mulf %33, %34 : f32
                  %36 = arith.addf %35, %out : f32
                  linalg.yield %36 : f32
                } -> tensor<1x16x16xf32>
                scf.yield %32, %25, %29 : tensor<1x16x16xf32>, tensor<1x16xf32>, tensor<1x16xf32>
              }
              %extracted_slice_6 = tensor.extract_slice %arg3[0, %arg2, 0] [1, 16, 16] [1, 1, 1] : tensor<1x64x16xf16> to tensor<1x16x16xf16>
              %16 = linalg.generic {indexing_maps = [#map6, #map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%15#2, %15#0 : tensor<1x16xf32>, tensor<1x16x16xf32>) outs(%extracted_slice_6 : tensor<1x16x16xf16>) {
              ^bb0(%in: f32, %in_7: f32, %out: f16):
                %17 = arith.divf %cst_0, %in : f32
                %18 = arith.mulf %17, %in_7 : f32
                %19 = arith.truncf %18 : f32 to f16
                linalg.yield %19 : f16
              } -> tensor<1x16x16xf16>
              scf.forall.in_parallel {
                tensor.parallel_insert_slice %16 into %arg3[0, %arg2, 0] [1, 16, 16] [1, 1, 1] : tensor<1x16x16xf16> into tensor<1x64x16xf16>
              }
            } {mapping = [#gpu.warp<linear_dim_0>]}
            scf.forall.in_parallel {
              tensor.parallel_insert_slice %9 into %arg1[%arg0, 0, 0] [1, 64, 16] [1, 1, 1] : tensor<1x64x16xf16> into tensor<2x64x16xf16>
            }
          } {mapping = [#iree_codegen.workgroup_mapping<x>]}
          iree_codegen.store_to_buffer %8, %3 : tensor<2x64x16xf16> into memref<2x64x16xf16, #hal.descriptor_type<storage_buffer>>
          return
        }
        iree_codegen.dispatch_config @attention_dispatch_0_attention_2x64x16x128x16 {
        ^bb0(%arg0: !hal.device):
          %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice()
          iree_codegen.yield %x, %y, %z : index, index, index
        }
      }
    }
  }
}
