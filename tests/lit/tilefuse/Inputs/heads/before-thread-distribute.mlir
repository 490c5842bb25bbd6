#executable_target_rocm_hsaco_fb = #hal.executable.target<"rocm", "rocm-hsaco-fb", {abi = "hip", iree.encoding.resolver = #iree_gpu.gpu_encoding_resolver<>, iree_codegen.default_tuning_spec = #rocm.builtin.tuning_module<"iree_default_tuning_spec_gfx942.mlir">, iree_codegen.target_info = #iree_gpu.target<arch = "gfx942", features = "", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<MFMA_F32_16x16x16_BF16>, <MFMA_F32_32x32x8_BF16>, <MFMA_F32_16x16x32_F8E5M2FNUZ>, <MFMA_F32_16x16x32_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_I32_16x16x32_I8>, <MFMA_I32_32x32x16_I8>, <MFMA_F64_16x16x4_F64>, <MFMA_F32_16x16x4_F32>, <MFMA_F32_16x16x16_F16>, <MFMA_F32_32x32x8_F16>, <MFMA_F32_4x4x4x16B_F16>, <MFMA_F32_16x16x4x4B_F16>, <MFMA_F32_32x32x4x2B_F16>, <MFMA_F32_4x4x4x16B_BF16>, <MFMA_F32_16x16x4x4B_BF16>, <MFMA_F32_32x32x4x2B_BF16>, <MFMA_F32_4x4x1x16B_F32>, <MFMA_F32_16x16x1x4B_F32>, <MFMA_F32_32x32x1x2B_F32>, <MFMA_F64_4x4x4x4B_F64>, <MFMA_I32_4x4x4x16B_I8>, <MFMA_I32_16x16x4x4B_I8>, <MFMA_I32_32x32x4x2B_I8>], subgroup_size_choices = [64], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 65536, max_workgroup_counts = [2147483647, 2147483647, 2147483647], max_load_instruction_bits = 128, simds_per_wgp = 4, vgpr_space_bits = 16384, dma_sizes = [32], workgroup_memory_bank_count = 32>>, ukernels = "none"}>
#map = affine_map<(d0)[s0] -> (-d0 + s0, 64)>
#map1 = affine_map<(d0)[s0] -> (-d0 + s0, 16)>
#map2 = affine_map<(d0) -> (0, d0)>
#map3 = affine_map<()[s0, s1] -> (s0 + s1)>
#map4 = affine_map<()[s0] -> (0, s0)>
#map5 = affine_map<()[s0, s1] -> (128, s0 - s1)>
#map6 = affine_map<(d0)[s0] -> (-d0 + s0, 0, 16)>
#map7 = affine_map<(d0, d1) -> (16, d0 - d1)>
#map8 = affine_map<(d0, d1) -> (d0, d1)>
#map9 = affine_map<(d0, d1, d2) -> ()>
#map10 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map11 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#map12 = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#map13 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#map14 = affine_map<(d0, d1, d2) -> (d1, d2)>
#map15 = affine_map<(d0, d1, d2) -> (d0, d1)>
#map16 = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
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
          %cst = arith.constant 7.211910e-01 : f16
          %cst_0 = arith.constant 1.44269502 : f32
          %cst_1 = arith.constant 0xFC00 : f16
          %c64 = arith.constant 64 : index
          %cst_2 = arith.constant 0x7FC00000 : f32
          %c128 = arith.constant 128 : index
          %c16 = arith.constant 16 : index
          %cst_3 = arith.constant 0.000000e+00 : f16
          %cst_4 = arith.constant 1.000000e+00 : f32
          %cst_5 = arith.constant -3.40282347E+38 : f32
          %cst_6 = arith.constant 0.000000e+00 : f32
          %c32_i64 = arith.constant 32 : i64
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
            %extracted_slice = tensor.extract_slice %arg3[%arg0, %arg1, %arg2] [1, %82, %83] [1, 1, 1] : tensor<?x?x?xf16> to tensor<1x?x?xf16>
            %84 = scf.forall (%arg4) = (0) to (64) step (16) shared_outs(%arg5 = %extracted_slice) -> (tensor<1x?x?xf16>) {
              %85 = affine.min #map1(%arg4)[%82]
              %86 = affine.max #map2(%85)
              %87 = affine.apply #map3()[%arg4, %arg1]
              %extracted_slice_7 = tensor.extract_slice %77[%arg0, %87, 0] [1, %86, %72] [1, 1, 1] : tensor<?x?x?xf16> to tensor<1x?x?xf16>
              %88 = arith.subi %c16, %86 : index
              %89 = arith.subi %c128, %72 : index
              %padded = tensor.pad %extracted_slice_7 low[0, 0, 0] high[0, %88, %89] {
              ^bb0(%arg6: index, %arg7: index, %arg8: index):
                tensor.yield %cst_3 : f16
              } : tensor<1x?x?xf16> to tensor<1x16x128xf16>
              %90 = tensor.empty() : tensor<1x16x16xf32>
              %91 = linalg.fill ins(%cst_6 : f32) outs(%90 : tensor<1x16x16xf32>) -> tensor<1x16x16xf32>
              %92 = tensor.empty() : tensor<1x16xf32>
              %93 = arith.cmpi ule, %72, %c128 : index
              %94 = arith.select %93, %cst_5, %cst_2 : f32
              %95 = linalg.fill ins(%94 : f32) outs(%92 : tensor<1x16xf32>) -> tensor<1x16xf32>
              %96 = linalg.fill ins(%cst_6 : f32) outs(%92 : tensor<1x16xf32>) -> tensor<1x16xf32>
              %97:3 = scf.for %arg6 = %c0 to %65 step %c64 iter_args(%arg7 = %91, %arg8 = %95, %arg9 = %96) -> (tensor<1x16x16xf32>, tensor<1x16xf32>, tensor<1x16xf32>) {
                %100 = affine.min #map(%arg6)[%65]
                %101 = affine.min #map4()[%72]
                %102 = affine.min #map5()[%72, %101]
                %extracted_slice_9 = tensor.extract_slice %78[%arg0, %arg6, %101] [1, %100, %102] [1, 1, 1] : tensor<?x?x?xf16> to tensor<1x?x?xf16>
                %103 = affine.min #map6(%arg2)[%69]
                %104 = affine.min #map7(%83, %103)
                %105 = affine.apply #map3()[%103, %arg2]
                %extracted_slice_10 = tensor.extract_slice %79[%arg0, %arg6, %105] [1, %100, %104] [1, 1, 1] : tensor<?x?x?xf16> to tensor<1x?x?xf16>
                %106 = arith.subi %c64, %100 : index
                %107 = arith.subi %c128, %102 : index
                %padded_11 = tensor.pad %extracted_slice_9 low[0, 0, 0] high[0, %106, %107] {
                ^bb0(%arg10: index, %arg11: index, %arg12: index):
                  tensor.yield %cst_3 : f16
                } : tensor<1x?x?xf16> to tensor<1x64x128xf16>
                %108 = arith.subi %c16, %104 : index
                %padded_12 = tensor.pad %extracted_slice_10 low[0, 0, 0] high[0, %106, %108] {
                ^bb0(%arg10: index, %arg11: index, %arg12: index):
                  tensor.yield %cst_3 : f16
                } : tensor<1x?x?xf16> to tensor<1x64x16xf16>
                %109 = tensor.empty() : tensor<16x64xf16>
                %110 = linalg.generic {indexing_maps = [#map8], iterator_types = ["parallel", "parallel"]} outs(%109 : tensor<16x64xf16>) {
                ^bb0(%out: f16):
                  %125 = linalg.index 1 : index
                  %126 = arith.cmpi slt, %125, %100 : index
                  %127 = arith.select %126, %cst_3, %cst_1 : f16
                  linalg.yield %127 : f16
                } -> tensor<16x64xf16>
                %111 = linalg.generic {indexing_maps = [#map9, #map10], iterator_types = ["parallel", "parallel", "parallel"]} ins(%cst : f16) outs(%padded : tensor<1x16x128xf16>) {
                ^bb0(%in: f16, %out: f16):
                  %125 = arith.mulf %in, %out : f16
                  linalg.yield %125 : f16
                } -> tensor<1x16x128xf16>
                %112 = tensor.empty() : tensor<1x16x64xf32>
                %113 = linalg.fill ins(%cst_6 : f32) outs(%112 : tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
                %114 = linalg.generic {indexing_maps = [#map11, #map12, #map13], iterator_types = ["parallel", "parallel", "reduction", "parallel"]} ins(%111, %padded_11 : tensor<1x16x128xf16>, tensor<1x64x128xf16>) outs(%113 : tensor<1x16x64xf32>) attrs =  {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, subgroup_basis = [[1, 1, 1, 1, 1], [0, 1, 2, 3]]}>} {
                ^bb0(%in: f16, %in_13: f16, %out: f32):
                  %125 = arith.extf %in : f16 to f32
                  %126 = arith.extf %in_13 : f16 to f32
                  %127 = arith.mulf %125, %126 : f32
                  %128 = arith.addf %127, %out : f32
                  linalg.yield %128 : f32
                } -> tensor<1x16x64xf32>
                %115 = linalg.generic {indexing_maps = [#map14, #map10], iterator_types = ["parallel", "parallel", "parallel"]} ins(%110 : tensor<16x64xf16>) outs(%114 : tensor<1x16x64xf32>) {
                ^bb0(%in: f16, %out: f32):
                  %125 = arith.extf %in : f16 to f32
                  %126 = arith.mulf %125, %cst_0 : f32
                  %127 = arith.addf %out, %126 : f32
                  linalg.yield %127 : f32
                } -> tensor<1x16x64xf32>
                %116 = linalg.generic {indexing_maps = [#map10, #map15], iterator_types = ["parallel", "parallel", "reduction"]} ins(%115 : tensor<1x16x64xf32>) outs(%arg8 : tensor<1x16xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %125 = arith.maximumf %in, %out : f32
                  linalg.yield %125 : f32
                } -> tensor<1x16xf32>
                %117 = linalg.generic {indexing_maps = [#map8, #map8], iterator_types = ["parallel", "parallel"]} ins(%116 : tensor<1x16xf32>) outs(%arg8 : tensor<1x16xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %125 = arith.subf %out, %in : f32
                  %126 = math.exp2 %125 : f32
                  linalg.yield %126 : f32
                } -> tensor<1x16xf32>
                %118 = linalg.generic {indexing_maps = [#map8, #map8], iterator_types = ["parallel", "parallel"]} ins(%117 : tensor<1x16xf32>) outs(%arg9 : tensor<1x16xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %125 = arith.mulf %in, %out : f32
                  linalg.yield %125 : f32
                } -> tensor<1x16xf32>
                %119 = linalg.generic {indexing_maps = [#map15, #map10], iterator_types = ["parallel", "parallel", "parallel"]} ins(%116 : tensor<1x16xf32>) outs(%115 : tensor<1x16x64xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %125 = arith.subf %out, %in : f32
                  %126 = math.exp2 %125 : f32
                  linalg.yield %126 : f32
                } -> tensor<1x16x64xf32>
                %120 = linalg.generic {indexing_maps = [#map10, #map15], iterator_types = ["parallel", "parallel", "reduction"]} ins(%119 : tensor<1x16x64xf32>) outs(%118 : tensor<1x16xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %125 = arith.addf %in, %out : f32
                  linalg.yield %125 : f32
                } -> tensor<1x16xf32>
                %121 = tensor.empty() : tensor<1x16x64xf16>
                %122 = linalg.generic {indexing_maps = [#map10, #map10], iterator_types = ["parallel", "parallel", "parallel"]} ins(%119 : tensor<1x16x64xf32>) outs(%121 : tensor<1x16x64xf16>) {
                ^bb0(%in: f32, %out: f16):
                  %125 = arith.truncf %in : f32 to f16
                  linalg.yield %125 : f16
                } -> tensor<1x16x64xf16>
                %123 = linalg.generic {indexing_maps = [#map15, #map10], iterator_types = ["parallel", "parallel", "parallel"]} ins(%117 : tensor<1x16xf32>) outs(%arg7 : tensor<1x16x16xf32>) {
                ^bb0(%in: f32, %out: f32):
                  %125 = arith.mulf %in, %out : f32
                  linalg.yield %125 : f32
                } -> tensor<1x16x16xf32>
                %124 = linalg.generic {indexing_maps = [#map11, #map16, #map13], iterator_types = ["parallel", "parallel", "reduction", "parallel"]} ins(%122, %padded_12 : tensor<1x16x64xf16>, tensor<1x64x16xf16>) outs(%123 : tensor<1x16x16xf32>) attrs =  {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, subgroup_basis = [[1, 1, 1, 1, 1], [0, 1, 3, 4]]}>} {
                ^bb0(%in: f16, %in_13: f16, %out: f32):
                  %125 = arith.extf %in : f16 to f32
                  %126 = arith.extf %in_13 : f16 to f32
                  %127 = arith.mulf %125, %126 : f32
                  %128 = arith.addf %127, %out : f32
                  linalg.yield %128 : f32
                } -> tensor<1x16x16xf32>
                scf.yield %124, %116, %120 : tensor<1x16x16xf32>, tensor<1x16xf32>, tensor<1x16xf32>
              }
              %98 = tensor.empty() : tensor<1x16x16xf16>
              %99 = linalg.generic {indexing_maps = [#map15, #map10, #map10], iterator_types = ["parallel", "parallel", "parallel"]} ins(%97#2, %97#0 : tensor<1x16xf32>, tensor<1x16x16xf32>) outs(%98 : tensor<1x16x16xf16>) {
              ^bb0(%in: f32, %in_9: f32, %out: f16):
                %100 = arith.divf %cst_4, %in : f32
                %101 = arith.mulf %100, %in_9 : f32
                %102 = arith.truncf %101 : f32 to f16
                linalg.yield %102 : f16
              } -> tensor<1x16x16xf16>
              %extracted_slice_8 = tensor.extract_slice %99[0, 0, 0] [1, %86, %83] [1, 1, 1] : tensor<1x16x16xf16> to tensor<1x?x?xf16>
              scf.forall.in_parallel {
                tensor.parallel_insert_slice %extracted_slice_8 into %arg5[0, %arg4, 0] [1, %86, %83] [1, 1, 1] : tensor<1x?x?xf16> into tensor<1x?x?xf16>
              }
            } {mapping = [#gpu.warp<linear_dim_0>]}
            scf.forall.in_parallel {
              tensor.parallel_insert_slice %84 into %arg3[%arg0, %arg1, %arg2] [1, %82, %83] [1, 1, 1] : tensor<1x?x?xf16> into tensor<?x?x?xf16>
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
