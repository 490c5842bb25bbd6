#executable_target_cuda_nvptx_fb = #hal.executable.target<"cuda", "cuda-nvptx-fb", {iree_codegen.target_info = #iree_gpu.target<arch = "sm_89", features = "+ptx84", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<NV_MMA_SYNC_F32_16x8x16_F16>, <NV_MMA_SYNC_F16_16x8x16_F16>, <NV_MMA_SYNC_F32_16x8x16_BF16>, <NV_MMA_SYNC_F32_16x8x32_F8E4M3FN>, <NV_MMA_SYNC_F32_16x8x32_F8E5M2>, <NV_WMMA_F32_16x16x16_F16>, <NV_WMMA_F16_16x16x16_F16>], subgroup_size_choices = [32], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 101376, max_workgroup_counts = [2147483647, 65535, 65535]>>}>
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#map2 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#map3 = affine_map<(d0, d1, d2) -> ()>
#map4 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map5 = affine_map<(d0, d1, d2) -> (d0, d1)>
#map6 = affine_map<(d0, d1) -> (d0, d1)>
#map7 = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
#pipeline_layout = #hal.pipeline.layout<bindings = [#hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, Indirect>], flags = Indirect>
#translation = #iree_codegen.translation_info<pipeline = #iree_codegen.no_pipeline workgroup_size = [32, 4, 1] subgroup_size = 32, {iree_codegen.denormal_fp_math_f32 = #iree_codegen.denormal_fp_math<"preserve-sign">}>
module {
  hal.executable private @attention_dispatch_0 {
    hal.executable.variant public @cuda_nvptx_fb target(#executable_target_cuda_nvptx_fb) {
      hal.executable.export public @attention_dispatch_0_attention_2x64x64x128x64 ordinal(0) layout(#pipeline_layout) count(%arg0: !hal.device) -> (index, index, index) {
        %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice()
        hal.return %x, %y, %z : index, index, index
      }
      builtin.module {
        func.func @attention_dispatch_0_attention_2x64x64x128x64() attributes {nvvm.minctasm = 2 : i32, translation_info = #translation} {
          %cst = arith.constant 0.180336878 : f32
          %cst_0 = arith.constant 4.480000e+02 : f32
          %cst_1 = arith.constant 0.00223214296 : f32
          %c64 = arith.constant 64 : index
          %c128 = arith.constant 128 : index
          %cst_2 = arith.constant 1.000000e+00 : f32
          %cst_3 = arith.constant -3.40282347E+38 : f32
          %cst_4 = arith.constant 0.000000e+00 : f32
          %c0 = arith.constant 0 : index
          %0 = hal.interface.binding.subspan layout(#pipeline_layout) binding(0) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x64x64xf8E4M3FN, #hal.descriptor_type<storage_buffer>>
          %1 = hal.interface.binding.subspan layout(#pipeline_layout) binding(1) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x128x64xf8E4M3FN, #hal.descriptor_type<storage_buffer>>
          %2 = hal.interface.binding.subspan layout(#pipeline_layout) binding(2) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x128x64xf8E4M3FN, #hal.descriptor_type<storage_buffer>>
          %3 = hal.interface.binding.subspan layout(#pipeline_layout) binding(3) alignment(64) offset(%c0) flags(Indirect) : memref<2x64x64xf32, #hal.descriptor_type<storage_buffer>>
          %4 = iree_codegen.load_from_buffer %0 : memref<2x64x64xf8E4M3FN, #hal.descriptor_type<storage_buffer>> -> tensor<2x64x64xf8E4M3FN>
          %5 = iree_codegen.load_from_buffer %1 : memref<2x128x64xf8E4M3FN, #hal.descriptor_type<storage_buffer>> -> tensor<2x128x64xf8E4M3FN>
          %6 = iree_codegen.load_from_buffer %2 : memref<2x128x64xf8E4M3FN, #hal.descriptor_type<storage_buffer>> -> tensor<2x128x64xf8E4M3FN>
          %7 = tensor.empty() : tensor<2x64x64xf32>
          %8 = scf.forall (%arg0) in (2) shared_outs(%arg1 = %7) -> (tensor<2x64x64xf32>) {
            %extracted_slice = tensor.extract_slice %arg1[%arg0, 0, 0] [1, 64, 64] [1, 1, 1] : tensor<2x64x64xf32> to tensor<1x64x64xf32>
            %9 = scf.forall (%arg2) = (0) to (64) step (16) shared_outs(%arg3 = %extracted_slice) -> (tensor<1x64x64xf32>) {
              %extracted_slice_5 = tensor.extract_slice %4[%arg0, %arg2, 0] [1, 16, 64] [1, 1, 1] : tensor<2x64x64xf8E4M3FN> to tensor<1x16x64xf8E4M3FN>
              %10 = tensor.empty() : tensor<1x16x64xf32>
              %11 = linalg.fill ins(%cst_4 : f32) outs(%10 : tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
              %12 = tensor.empty() : tensor<1x16xf32>
              %13 = linalg.fill ins(%cst_3 : f32) outs(%12 : tensor<1x16xf32>) -> tensor<1x16xf32>
              %14 = linalg.fill ins(%cst_4 : f32) outs(%12 : tensor<1x16xf32>) -> tensor<1x16xf32>
              %15:3 = scf.for %arg4 = %c0 to %c128 step %c64 iter_args(%arg5 = %11, %arg6 = %13, %arg7 = %14) -> (tensor<1x16x64xf32>, tensor<1x16xf32>, tensor<1x16xf32>) {
                %extracted_slice_7 = tensor.extract_slice %5[%arg0, %arg4, 0] [1, 64, 64] [1, 1, 1] : tensor<2x128x64xf8E4M3FN> to tensor<1x64x64xf8E4M3FN>
                %extracted_slice_8 = tensor.extract_slice %6[%arg0, %arg4, 0] [1, 64, 64] [1, 1, 1] : tensor<2x128x64xf8E4M3FN> to tensor<1x64x64xf8E4M3FN>
                %17 = linalg.generic {indexing_maps = [#map, #map1, #map2], iterator_types = ["parallel", "parallel", "reduction", "parallel"]} ins(%extracted_slice_5, %extracted_slice_7 : tensor<1x16x64xf8E4M3FN>, tensor<1x64x64xf8E4M3FN>) outs(%11 : tensor<1x16x64xf32>) attrs =  {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<NV_MMA_SYNC_F32_16x8x32_F8E4M3FN>, promote_operands = [1], promotion_types = [#iree_gpu.derived_thread_config], subgroup_basis = [[1, 1, 1, 1, 1], [0, 1, 2, 3]]}>} {
                ^bb0(%in: f8E4M3FN, %in_9: f8E4M3FN, %out: f32):
                  %29 = arith.extf %in : f8E4M3FN to f32
                  %30 = arith.extf %in_9 : f8E4M3FN to f32
                  %31 = arith.mulf %29, %30 : f32
                  %32 = arith.addf %31, %out : f32
                  linalg.yield %32 : f32
                } -> tensor<1x16x64xf32>
                %18 = linalg.generic {indexing_maps = [#map3, #map4], iterator_types = ["parallel", "parallel", "parallel"]} ins(%cst : f32) outs(%17 : tensor<1x16x64xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %29 = arith.mulf %in, %out : f32
                  linalg.yield %29 : f32
                } -> tensor<1x16x64xf32>
                %19 = linalg.generic {indexing_maps = [#map3, #map4], iterator_types = ["parallel", "parallel", "parallel"]} ins(%cst_1 : f32) outs(%18 : tensor<1x16x64xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %29 = arith.addf %in, %out : f32
                  linalg.yield %29 : f32
                } -> tensor<1x16x64xf32>
                %20 = linalg.generic {indexing_maps = [#map4, #map5], iterator_types = ["parallel", "parallel", "reduction"]} ins(%19 : tensor<1x16x64xf32>) outs(%arg6 : tensor<1x16xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %29 = arith.maximumf %in, %out : f32
                  linalg.yield %29 : f32
                } -> tensor<1x16xf32>
                %21 = linalg.generic {indexing_maps = [#map6, #map6], iterator_types = ["parallel", "parallel"]} ins(%20 : tensor<1x16xf32>) outs(%arg6 : tensor<1x16xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %29 = arith.subf %out, %in : f32
                  %30 = math.exp2 %29 : f32
                  linalg.yield %30 : f32
                } -> tensor<1x16xf32>
                %22 = linalg.generic {indexing_maps = [#map6, #map6], iterator_types = ["parallel", "parallel"]} ins(%21 : tensor<1x16xf32>) outs(%arg7 : tensor<1x16xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %29 = arith.mulf %in, %out : f32
                  linalg.yield %29 : f32
                } -> tensor<1x16xf32>
                %23 = linalg.generic {indexing_maps = [#map5, #map4], iterator_types = ["parallel", "parallel", "parallel"]} ins(%20 : tensor<1x16xf32>) outs(%19 : tensor<1x16x64xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %29 = arith.subf %out, %in : f32
                  %30 = math.exp2 %29 : f32
                  linalg.yield %30 : f32
                } -> tensor<1x16x64xf32>
                %24 = linalg.generic {indexing_maps = [#map4, #map5], iterator_types = ["parallel", "parallel", "reduction"]} ins(%23 : tensor<1x16x64xf32>) outs(%22 : tensor<1x16xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %29 = arith.addf %in, %out : f32
                  linalg.yield %29 : f32
                } -> tensor<1x16xf32>
                %25 = tensor.empty() : tensor<1x16x64xf8E4M3FN>
                %26 = linalg.generic {indexing_maps = [#map4, #map4], iterator_types = ["parallel", "parallel", "parallel"]} ins(%23 : tensor<1x16x64xf32>) outs(%25 : tensor<1x16x64xf8E4M3FN>) {
                ^bb0(%in: f32, %out: f8E4M3FN):
                  %29 = arith.minimumf %in, %cst_0 : f32
                  %30 = arith.bitcast %29 : f32 to i32
                  %c24_i32 = arith.constant 24 : i32
                  %31 = arith.shrui %30, %c24_i32 : i32
                  %c128_i32 = arith.constant 128 : i32
                  %32 = arith.andi %31, %c128_i32 : i32
                  %c2147483647_i32 = arith.constant 2147483647 : i32
                  %33 = arith.andi %30, %c2147483647_i32 : i32
                  %c23_i32 = arith.constant 23 : i32
                  %34 = arith.shrui %33, %c23_i32 : i32
                  %c120_i32 = arith.constant 120 : i32
                  %35 = arith.subi %34, %c120_i32 : i32
                  %c20_i32 = arith.constant 20 : i32
                  %36 = arith.shrui %33, %c20_i32 : i32
                  %37 = arith.shli %36, %c20_i32 : i32
                  %38 = arith.subi %33, %37 : i32
                  %c1_i32 = arith.constant 1 : i32
                  %c1_i32_9 = arith.constant 1 : i32
                  %39 = arith.subi %c20_i32, %c1_i32_9 : i32
                  %40 = arith.shli %c1_i32, %39 : i32
                  %41 = arith.cmpi eq, %38, %40 : i32
                  %c1_i32_10 = arith.constant 1 : i32
                  %42 = arith.andi %36, %c1_i32_10 : i32
                  %c1_i32_11 = arith.constant 1 : i32
                  %43 = arith.cmpi eq, %42, %c1_i32_11 : i32
                  %44 = arith.andi %41, %43 : i1
                  %45 = arith.cmpi ugt, %38, %40 : i32
                  %46 = arith.ori %45, %44 : i1
                  %47 = arith.extui %46 : i1 to i32
                  %48 = arith.addi %36, %47 : i32
                  %c960_i32 = arith.constant 960 : i32
                  %49 = arith.subi %48, %c960_i32 : i32
                  %c8388607_i32 = arith.constant 8388607 : i32
                  %50 = arith.andi %33, %c8388607_i32 : i32
                  %c8388608_i32 = arith.constant 8388608 : i32
                  %51 = arith.ori %50, %c8388608_i32 : i32
                  %c21_i32 = arith.constant 21 : i32
                  %52 = arith.subi %c21_i32, %35 : i32
                  %c1_i32_12 = arith.constant 1 : i32
                  %53 = arith.maxsi %52, %c1_i32_12 : i32
                  %c31_i32 = arith.constant 31 : i32
                  %54 = arith.minsi %53, %c31_i32 : i32
                  %c1_i32_13 = arith.constant 1 : i32
                  %55 = arith.cmpi sge, %35, %c1_i32_13 : i32
                  %56 = arith.shrui %51, %54 : i32
                  %57 = arith.shli %56, %54 : i32
                  %58 = arith.subi %51, %57 : i32
                  %c1_i32_14 = arith.constant 1 : i32
                  %c1_i32_15 = arith.constant 1 : i32
                  %59 = arith.subi %54, %c1_i32_15 : i32
                  %60 = arith.shli %c1_i32_14, %59 : i32
                  %61 = arith.cmpi eq, %58, %60 : i32
                  %c1_i32_16 = arith.constant 1 : i32
                  %62 = arith.andi %56, %c1_i32_16 : i32
                  %c1_i32_17 = arith.constant 1 : i32
                  %63 = arith.cmpi eq, %62, %c1_i32_17 : i32
                  %64 = arith.andi %61, %63 : i1
                  %65 = arith.cmpi ugt, %58, %60 : i32
                  %66 = arith.ori %65, %64 : i1
                  %67 = arith.extui %66 : i1 to i32
                  %68 = arith.addi %56, %67 : i32
                  %69 = arith.select %55, %49, %68 : i32
                  %c126_i32 = arith.constant 126 : i32
                  %70 = arith.cmpi ugt, %69, %c126_i32 : i32
                  %c127_i32 = arith.constant 127 : i32
                  %71 = arith.select %70, %c127_i32, %69 : i32
                  %c2139095040_i32 = arith.constant 2139095040 : i32
                  %72 = arith.cmpi ugt, %33, %c2139095040_i32 : i32
                  %c127_i32_18 = arith.constant 127 : i32
                  %73 = arith.select %72, %c127_i32_18, %71 : i32
                  %74 = arith.ori %73, %32 : i32
                  %75 = arith.trunci %74 : i32 to i8
                  %76 = arith.bitcast %75 : i8 to f8E4M3FN
                  linalg.yield %76 : f8E4M3FN
                } -> tensor<1x16x64xf8E4M3FN>
                %27 = linalg.generic {indexing_maps = [#map5, #map4], iterator_types = ["parallel", "parallel", "parallel"]} ins(%21 : tensor<1x16xf32>) outs(%arg5 : tensor<1x16x64xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %29 = arith.mulf %in, %out : f32
                  linalg.yield %29 : f32
                } -> tensor<1x16x64xf32>
                %28 = linalg.generic {indexing_maps = [#map, #map7, #map2], iterator_types = ["parallel", "parallel", "reduction", "parallel"]} ins(%26, %extracted_slice_8 : tensor<1x16x64xf8E4M3FN>, tensor<1x64x64xf8E4M3FN>) outs(%27 : tensor<1x16x64xf32>) attrs =  {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<NV_MMA_SYNC_F32_16x8x32_F8E4M3FN>, promote_operands = [1], promotion_types = [#iree_gpu.derived_thread_config], subgroup_basis = [[1, 1, 1, 1, 1], [0, 1, 3, 4]]}>} {
                ^bb0(%in: f8E4M3FN, %in_9: f8E4M3FN, %out: f32):
                  %29 = arith.extf %in : f8E4M3FN to f32
                  %30 = arith.extf %in_9 : f8E4M3FN to f32
                  %31 = arith.mulf %29, %30 : f32
                  %32 = arith.addf %31, %out : f32
                  linalg.yield %32 : f32
                } -> tensor<1x16x64xf32>
                scf.yield %28, %20, %24 : tensor<1x16x64xf32>, tensor<1x16xf32>, tensor<1x16xf32>
              }
              %extracted_slice_6 = tensor.extract_slice %arg3[0, %arg2, 0] [1, 16, 64] [1, 1, 1] : tensor<1x64x64xf32> to tensor<1x16x64xf32>
              %16 = linalg.generic {indexing_maps = [#map5, #map4, #map4], iterator_types = ["parallel", "parallel", "parallel"]} ins(%15#2, %15#0 : tensor<1x16xf32>, tensor<1x16x64xf32>) outs(%extracted_slice_6 : tensor<1x16x64xf32>) {
              ^bb0(%in: f32, %in_7: f32, %out: f32):
                %17 = arith.divf %cst_2, %in : f32
                %18 = arith.mulf %17, %in_7 : f32
                linalg.yield %18 : f32
              } -> tensor<1x16x64xf32>
              scf.forall.in_parallel {
                tensor.parallel_insert_slice %16 into %arg3[0, %arg2, 0] [1, 16, 64] [1, 1, 1] : tensor<1x16x64xf32> into tensor<1x64x64xf32>
              }
            } {mapping = [#gpu.warp<linear_dim_0>]}
            scf.forall.in_parallel {
              tensor.parallel_insert_slice %9 into %arg1[%arg0, 0, 0] [1, 64, 64] [1, 1, 1] : tensor<1x64x64xf32> into tensor<2x64x64xf32>
            }
          } {mapping = [#iree_codegen.workgroup_mapping<x>]}
          iree_codegen.store_to_buffer %8, %3 : tensor<2x64x64xf32> into memref<2x64x64xf32, #hal.descriptor_type<storage_buffer>>
          return
        }
        iree_codegen.dispatch_config @attention_dispatch_0_attention_2x64x64x128x64 {
        ^bb0(%arg0: !hal.device):
          %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice()
          iree_codegen.yield %x, %y, %z : index, index, index
        }
      }
    }
  }
}
