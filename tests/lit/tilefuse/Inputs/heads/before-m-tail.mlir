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
#pipeline_layout = #hal.pipeline.layout<constants = 18, bindings = [#hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, Indirect>], flags = Indirect>
#translation = #iree_codegen.translation_info<pipeline = #iree_codegen.no_pipeline workgroup_size = [64, 4, 1] subgroup_size = 64, {iree_codegen.denormal_fp_math_f32 = #iree_codegen.denormal_fp_math<"preserve-sign">}>
module {
  hal.executable private @dynamic_attention_f16_dispatch_0 {
    hal.executable.variant public @rocm_hsaco_fb target(#executable_target_rocm_hsaco_fb) {
      hal.executable.export public @dynamic_attention_f16_dispatch_0_attention_DxDxDxDxD ordinal(0) layout(#pipeline_layout) count(%arg0: !hal.device, %arg1: index, %arg2: index, %arg3: index, %arg4: index, %arg5: index, %arg6: index, %arg7: index, %arg8: index, %arg9: index) -> (index, index, index) {
        %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice(%arg1, %arg2, %arg3, %arg4, %arg5, %arg6, %arg7, %arg8, %arg9)
        hal.return %x, %y, %z : index, index, index
      }
      builtin.module {
        func.func @dynamic_attention_f16_dispatch_0_attention_DxDxDxDxD() attributes {translation_info = #translation} {
          %cst = arith.constant 1.000000e+00 : f32
          %cst_0 = arith.constant -3.40282347E+38 : f32
          %cst_1 = arith.constant 0.000000e+00 : f32
          %c32_i64 = arith.constant 32 : i64
          %cst_2 = arith.constant 5.000000e-01 : f16
          %c0 = arith.constant 0 : index
          %0 = hal.interface.constant.load layout(#pipeline_layout) ordinal(0) : i32
          %1 = hal.interface.constant.load layout(#pipeline_layout) ordinal(1) : i32
          %2 = hal.interface.constant.load layout(#pipeline_layout) ordinal(2) : i32
          %3 = hal.interface.constant.load layout(#pipeline_layout) ordinal(3) : i32
          %4 = hal.interface.constant.load layout(#pipeline_layout) ordinal(4) : i32
          %5 = hal.interface.constant.load layout(#pipeline_layout) ordinal(5) : i32
          %6 = hal.interface.constant.load layout(#pipeline_layout) ordinal(6) : i32
          %7 = hal.interface.constant.load layout(#pipeline_layout) ordinal(7) : i32
          %8 = hal.interface.constant.load layout(#pipeline_layout) ordinal(8) : i32
          %9 = hal.interface.constant.load layout(#pipeline_layout) ordinal(9) : i32
          %10 = hal.interface.constant.load layout(#pipeline_layout) ordinal(10) : i32
          %11 = hal.interface.constant.load layout(#pipeline_layout) ordinal(11) : i32
          %12 = hal.interface.constant.load layout(#pipeline_layout) ordinal(12) : i32
          %13 = hal.interface.constant.load layout(#pipeline_layout) ordinal(13) : i32
          %14 = hal.interface.constant.load layout(#pipeline_layout) ordinal(14) : i32
          %15 = hal.interface.constant.load layout(#pipeline_layout) ordinal(15) : i32
          %16 = hal.interface.constant.load layout(#pipeline_layout) ordinal(16) : i32
          %17 = hal.interface.constant.load layout(#pipeline_layout) ordinal(17) : i32
          %18 = arith.extui %0 : i32 to i64
          %19 = arith.extui %1 : i32 to i64
          %20 = arith.shli %19, %c32_i64 : i64
          %21 = arith.ori %18, %20 : i64
          %22 = arith.index_castui %21 : i64 to index
          %23 = arith.extui %2 : i32 to i64
          %24 = arith.extui %3 : i32 to i64
          %25 = arith.shli %24, %c32_i64 : i64
          %26 = arith.ori %23, %25 : i64
          %27 = arith.index_castui %26 : i64 to index
          %28 = arith.extui %4 : i32 to i64
          %29 = arith.extui %5 : i32 to i64
          %30 = arith.shli %29, %c32_i64 : i64
          %31 = arith.ori %28, %30 : i64
          %32 = arith.index_castui %31 : i64 to index
          %33 = arith.extui %6 : i32 to i64
          %34 = arith.extui %7 : i32 to i64
          %35 = arith.shli %34, %c32_i64 : i64
          %36 = arith.ori %33, %35 : i64
          %37 = arith.index_castui %36 : i64 to index
          %38 = arith.extui %8 : i32 to i64
          %39 = arith.extui %9 : i32 to i64
          %40 = arith.shli %39, %c32_i64 : i64
          %41 = arith.ori %38, %40 : i64
          %42 = arith.index_castui %41 : i64 to index
          %43 = arith.extui %10 : i32 to i64
          %44 = arith.extui %11 : i32 to i64
          %45 = arith.shli %44, %c32_i64 : i64
          %46 = arith.ori %43, %45 : i64
          %47 = arith.index_castui %46 : i64 to index
          %48 = arith.extui %12 : i32 to i64
          %49 = arith.extui %13 : i32 to i64
          %50 = arith.shli %49, %c32_i64 : i64
          %51 = arith.ori %48, %50 : i64
          %52 = arith.index_castui %51 : i64 to index
          %53 = arith.extui %14 : i32 to i64
          %54 = arith.extui %15 : i32 to i64
          %55 = arith.shli %54, %c32_i64 : i64
          %56 = arith.ori %53, %55 : i64
          %57 = arith.index_castui %56 : i64 to index
          %58 = arith.extui %16 : i32 to i64
          %59 = arith.extui %17 : i32 to i64
          %60 = arith.shli %59, %c32_i64 : i64
          %61 = arith.ori %58, %60 : i64
          %62 = arith.index_castui %61 : i64 to index
          %63:9 = util.assume.int 
              %22<umin = 0, umax = 9007199254740991>, 
              %27<umin = 0, umax = 9007199254740991>, 
              %32<umin = 0, umax = 9007199254740991>, 
              %37<umin = 0, umax = 9007199254740991>, 
              %42<umin = 0, umax = 9007199254740991>, 
              %47<umin = 0, umax = 9007199254740991>, 
              %52<umin = 0, umax = 9007199254740991>, 
              %57<umin = 0, umax = 9007199254740991>, 
              %62<umin = 0, umax = 9007199254740991>
            : index, index, index, index, index, index, index, index, index
          %64 = iree_tensor_ext.dispatch.workload.ordinal %63#0, 0 : index
          %65 = iree_tensor_ext.dispatch.workload.ordinal %63#1, 1 : index
          %66 = iree_tensor_ext.dispatch.workload.ordinal %63#2, 2 : index
          %67 = iree_tensor_ext.dispatch.workload.ordinal %63#3, 3 : index
          %68 = iree_tensor_ext.dispatch.workload.ordinal %63#4, 4 : index
          %69 = iree_tensor_ext.dispatch.workload.ordinal %63#5, 5 : index
          %70 = iree_tensor_ext.dispatch.workload.ordinal %63#6, 6 : index
          %71 = iree_tensor_ext.dispatch.workload.ordinal %63#7, 7 : index
          %72 = iree_tensor_ext.dispatch.workload.ordinal %63#8, 8 : index
          %73 = hal.interface.binding.subspan layout(#pipeline_layout) binding(0) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<?x?x?xf16, #hal.descriptor_type<storage_buffer>>{%70, %71, %72}
          %74 = hal.interface.binding.subspan layout(#pipeline_layout) binding(1) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<?x?x?xf16, #hal.descriptor_type<storage_buffer>>{%64, %65, %66}
          %75 = hal.interface.binding.subspan layout(#pipeline_layout) binding(2) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<?x?x?xf16, #hal.descriptor_type<storage_buffer>>{%67, %68, %69}
          %76 = hal.interface.binding.subspan layout(#pipeline_layout) binding(3) alignment(64) offset(%c0) flags(Indirect) : memref<?x?x?xf16, #hal.descriptor_type<storage_buffer>>{%70, %71, %72}
          %77 = iree_codegen.load_from_buffer %73 : memref<?x?x?xf16, #hal.descriptor_type<storage_buffer>> -> tensor<?x?x?xf16>
          %78 = iree_codegen.load_from_buffer %74 : memref<?x?x?xf16, #hal.descriptor_type<storage_buffer>> -> tensor<?x?x?xf16>
          %79 = iree_codegen.load_from_buffer %75 : memref<?x?x?xf16, #hal.descriptor_type<storage_buffer>> -> tensor<?x?x?xf16>
          %80 = tensor.empty(%70, %71, %72) : tensor<?x?x?xf16>
          %81 = scf.forall (%arg0, %arg1, %arg2) = (0, 0, 0) to (%70, %71, %69) step (1, 64, 16) shared_outs(%arg3 = %80) -> (tensor<?x?x?xf16>) {
            %82 = affine.min #map(%arg1)[%71]
            %83 = affine.min #map1(%arg2)[%69]
            %84 = tensor.empty(%82, %83) : tensor<1x?x?xf32>
            %85 = tensor.empty(%82) : tensor<1x?xf32>
            %extracted_slice = tensor.extract_slice %arg3[%arg0, %arg1, %arg2] [1, %82, %83] [1, 1, 1] : tensor<?x?x?xf16> to tensor<1x?x?xf16>
            %86 = scf.forall (%arg4) = (0) to (%82) step (16) shared_outs(%arg5 = %extracted_slice) -> (tensor<1x?x?xf16>) {
              %87 = affine.min #map1(%arg4)[%82]
              %88 = affine.apply #map2()[%arg4, %arg1]
              %extracted_slice_3 = tensor.extract_slice %77[%arg0, %88, 0] [1, %87, %72] [1, 1, 1] : tensor<?x?x?xf16> to tensor<1x?x?xf16>
              %extracted_slice_4 = tensor.extract_slice %78[%arg0, 0, 0] [1, %65, %72] [1, 1, 1] : tensor<?x?x?xf16> to tensor<1x?x?xf16>
              %extracted_slice_5 = tensor.extract_slice %79[%arg0, 0, %arg2] [1, %65, %83] [1, 1, 1] : tensor<?x?x?xf16> to tensor<1x?x?xf16>
              %extracted_slice_6 = tensor.extract_slice %84[0, %arg4, 0] [1, %87, %83] [1, 1, 1] : tensor<1x?x?xf32> to tensor<1x?x?xf32>
              %89 = linalg.fill ins(%cst_1 : f32) outs(%extracted_slice_6 : tensor<1x?x?xf32>) -> tensor<1x?x?xf32>
              %extracted_slice_7 = tensor.extract_slice %85[0, %arg4] [1, %87] [1, 1] : tensor<1x?xf32> to tensor<1x?xf32>
              %90 = linalg.fill ins(%cst_0 : f32) outs(%extracted_slice_7 : tensor<1x?xf32>) -> tensor<1x?xf32>
              %91 = linalg.fill ins(%cst_1 : f32) outs(%extracted_slice_7 : tensor<1x?xf32>) -> tensor<1x?xf32>
              %92:3 = iree_linalg_ext.online_attention <indexing_maps = [#map3, #map4, #map5, #map6, #map7, #map8, #map8], decomposition_config = {pv_attrs = {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, subgroup_basis = [[1, 1, 1, 1, 1], [0, 1, 3, 4]]}>}, qk_attrs = {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, subgroup_basis = [[1, 1, 1, 1, 1], [0, 1, 2, 3]]}>}}> {lowering_config = #iree_gpu.lowering_config<{reduction = [0, 0, 0, 64, 0], subgroup = [0, 16, 0, 0, 0], workgroup = [1, 64, 0, 0, 16]}>} ins(%extracted_slice_3, %extracted_slice_4, %extracted_slice_5, %cst_2 : tensor<1x?x?xf16>, tensor<1x?x?xf16>, tensor<1x?x?xf16>, f16) outs(%89, %90, %91 : tensor<1x?x?xf32>, tensor<1x?xf32>, tensor<1x?xf32>) {
              ^bb0(%arg6: f32):
                iree_linalg_ext.yield %arg6 : f32
              } -> tensor<1x?x?xf32>, tensor<1x?xf32>, tensor<1x?xf32>
              %extracted_slice_8 = tensor.extract_slice %arg5[0, %arg4, 0] [1, %87, %83] [1, 1, 1] : tensor<1x?x?xf16> to tensor<1x?x?xf16>
              %93 = linalg.generic {indexing_maps = [#map9, #map10, #map10], iterator_types = ["parallel", "parallel", "parallel"]} ins(%92#2, %92#0 : tensor<1x?xf32>, tensor<1x?x?xf32>) outs(%extracted_slice_8 : tensor<1x?x?xf16>) {
              ^bb0(%in: f32, %in_9: f32, %out: f16):
                %94 = arith.divf %cst, %in : f32
                %95 = arith.mulf %94, %in_9 : f32
                %96 = arith.truncf %95 : f32 to f16
                linalg.yield %96 : f16
              } -> tensor<1x?x?xf16>
              scf.forall.in_parallel {
                tensor.parallel_insert_slice %93 into %arg5[0, %arg4, 0] [1, %87, %83] [1, 1, 1] : tensor<1x?x?xf16> into tensor<1x?x?xf16>
              }
            } {mapping = [#gpu.warp<linear_dim_0>]}
            scf.forall.in_parallel {
              tensor.parallel_insert_slice %86 into %arg3[%arg0, %arg1, %arg2] [1, %82, %83] [1, 1, 1] : tensor<1x?x?xf16> into tensor<?x?x?xf16>
            }
          } {mapping = [#iree_codegen.workgroup_mapping<z>, #iree_codegen.workgroup_mapping<y>, #iree_codegen.workgroup_mapping<x>]}
          iree_codegen.store_to_buffer %81, %76 : tensor<?x?x?xf16> into memref<?x?x?xf16, #hal.descriptor_type<storage_buffer>>
          return
        }
        iree_codegen.dispatch_config @dynamic_attention_f16_dispatch_0_attention_DxDxDxDxD {
        ^bb0(%arg0: !hal.device, %arg1: index, %arg2: index, %arg3: index, %arg4: index, %arg5: index, %arg6: index, %arg7: index, %arg8: index, %arg9: index):
          %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice(%arg1, %arg2, %arg3, %arg4, %arg5, %arg6, %arg7, %arg8, %arg9)
          iree_codegen.yield %x, %y, %z : index, index, index
        }
      }
    }
  }
}
