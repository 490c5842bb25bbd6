#executable_target_rocm_hsaco_fb = #hal.executable.target<"rocm", "rocm-hsaco-fb", {abi = "hip", iree.encoding.resolver = #iree_gpu.gpu_encoding_resolver<>, iree_codegen.default_tuning_spec = #rocm.builtin.tuning_module<"iree_default_tuning_spec_gfx942.mlir">, iree_codegen.target_info = #iree_gpu.target<arch = "gfx942", features = "", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<MFMA_F32_16x16x16_BF16>, <MFMA_F32_32x32x8_BF16>, <MFMA_F32_16x16x32_F8E5M2FNUZ>, <MFMA_F32_16x16x32_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_I32_16x16x32_I8>, <MFMA_I32_32x32x16_I8>, <MFMA_F64_16x16x4_F64>, <MFMA_F32_16x16x4_F32>, <MFMA_F32_16x16x16_F16>, <MFMA_F32_32x32x8_F16>, <MFMA_F32_4x4x4x16B_F16>, <MFMA_F32_16x16x4x4B_F16>, <MFMA_F32_32x32x4x2B_F16>, <MFMA_F32_4x4x4x16B_BF16>, <MFMA_F32_16x16x4x4B_BF16>, <MFMA_F32_32x32x4x2B_BF16>, <MFMA_F32_4x4x1x16B_F32>, <MFMA_F32_16x16x1x4B_F32>, <MFMA_F32_32x32x1x2B_F32>, <MFMA_F64_4x4x4x4B_F64>, <MFMA_I32_4x4x4x16B_I8>, <MFMA_I32_16x16x4x4B_I8>, <MFMA_I32_32x32x4x2B_I8>], subgroup_size_choices = [64], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 65536, max_workgroup_counts = [2147483647, 2147483647, 2147483647], max_load_instruction_bits = 128, simds_per_wgp = 4, vgpr_space_bits = 16384, dma_sizes = [32], workgroup_memory_bank_count = 32>>, ukernels = "none"}>
#map = affine_map<(d0) -> ((d0 floordiv 16) mod 4)>
#map1 = affine_map<(d0) -> (d0 mod 16)>
#map2 = affine_map<()[s0, s1] -> (s0 + s1)>
#map3 = affine_map<(d0, d1, d2) -> ()>
#map4 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map5 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#map6 = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#map7 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#map8 = affine_map<(d0, d1, d2) -> (d0, d1)>
#map9 = affine_map<(d0, d1) -> (d0, d1)>
#map10 = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
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
          %cst = arith.constant 0xFF800000 : f32
          %cst_0 = arith.constant 0.000000e+00 : f16
          %cst_1 = arith.constant 1.802980e-01 : f16
          %c64 = arith.constant 64 : index
          %c128 = arith.constant 128 : index
          %cst_2 = arith.constant 1.000000e+00 : f32
          %cst_3 = arith.constant -3.40282347E+38 : f32
          %cst_4 = arith.constant 0.000000e+00 : f32
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
              %extracted_slice_5 = tensor.extract_slice %arg4[0, %arg3, 0] [1, 16, 64] [1, 1, 1] : tensor<1x64x64xf16> to tensor<1x16x64xf16>
              %expanded = tensor.expand_shape %extracted_slice_5 [[0, 1, 2], [3, 4, 5], [6, 7, 8]] output_shape [1, 1, 1, 1, 16, 1, 4, 4, 4] : tensor<1x16x64xf16> into tensor<1x1x1x1x16x1x4x4x4xf16>
              %14 = scf.forall (%arg5) in (64) shared_outs(%arg6 = %expanded) -> (tensor<1x1x1x1x16x1x4x4x4xf16>) {
                %15 = affine.apply #map(%arg5)
                %16 = affine.apply #map1(%arg5)
                %17 = affine.apply #map2()[%arg3, %arg1]
                %extracted_slice_6 = tensor.extract_slice %8[%arg0, %17, 0] [1, 16, 64] [1, 1, 1] : tensor<2x128x64xf16> to tensor<1x16x64xf16>
                %expanded_7 = tensor.expand_shape %extracted_slice_6 [[0, 1, 2], [3, 4, 5], [6, 7, 8]] output_shape [1, 1, 1, 1, 16, 1, 2, 4, 8] : tensor<1x16x64xf16> into tensor<1x1x1x1x16x1x2x4x8xf16>
                %extracted_slice_8 = tensor.extract_slice %expanded_7[0, 0, 0, 0, %16, 0, 0, %15, 0] [1, 1, 1, 1, 1, 1, 2, 1, 8] [1, 1, 1, 1, 1, 1, 1, 1, 1] : tensor<1x1x1x1x16x1x2x4x8xf16> to tensor<1x1x1x1x1x1x2x1x8xf16>
                %18 = vector.transfer_read %extracted_slice_8[%c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0], %cst_0 {in_bounds = [true, true, true, true, true, true, true, true, true]} : tensor<1x1x1x1x1x1x2x1x8xf16>, vector<1x1x1x1x1x1x2x1x8xf16>
                %19 = vector.shape_cast %18 : vector<1x1x1x1x1x1x2x1x8xf16> to vector<1x1x16xf16>
                %20 = tensor.empty() : tensor<1x1x16xf16>
                %21 = vector.transfer_write %19, %20[%c0, %c0, %c0] {in_bounds = [true, true, true]} : vector<1x1x16xf16>, tensor<1x1x16xf16>
                %22 = tensor.empty() : tensor<1x1x16xf32>
                %23 = linalg.fill ins(%cst_4 : f32) outs(%22 : tensor<1x1x16xf32>) -> tensor<1x1x16xf32>
                %24 = tensor.empty() : tensor<1x1xf32>
                %25 = linalg.fill ins(%cst_3 : f32) outs(%24 : tensor<1x1xf32>) -> tensor<1x1xf32>
                %26 = linalg.fill ins(%cst_4 : f32) outs(%24 : tensor<1x1xf32>) -> tensor<1x1xf32>
                %27:3 = scf.for %arg7 = %c0 to %c128 step %c64 iter_args(%arg8 = %23, %arg9 = %25, %arg10 = %26) -> (tensor<1x1x16xf32>, tensor<1x1xf32>, tensor<1x1xf32>) {
                  %extracted_slice_10 = tensor.extract_slice %9[%arg0, %arg7, 0] [1, 64, 64] [1, 1, 1] : tensor<2x128x64xf16> to tensor<1x64x64xf16>
                  %expanded_11 = tensor.expand_shape %extracted_slice_10 [[0, 1, 2], [3, 4, 5], [6, 7, 8]] output_shape [1, 1, 1, 4, 16, 1, 2, 4, 8] : tensor<1x64x64xf16> into tensor<1x1x1x4x16x1x2x4x8xf16>
                  %extracted_slice_12 = tensor.extract_slice %expanded_11[0, 0, 0, 0, %16, 0, 0, %15, 0] [1, 1, 1, 4, 1, 1, 2, 1, 8] [1, 1, 1, 1, 1, 1, 1, 1, 1] : tensor<1x1x1x4x16x1x2x4x8xf16> to tensor<1x1x1x4x1x1x2x1x8xf16>
                  %35 = vector.transfer_read %extracted_slice_12[%c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0], %cst_0 {in_bounds = [true, true, true, true, true, true, true, true, true]} : tensor<1x1x1x4x1x1x2x1x8xf16>, vector<1x1x1x4x1x1x2x1x8xf16>
                  %extracted_slice_13 = tensor.extract_slice %10[%arg0, %arg7, 0] [1, 64, 64] [1, 1, 1] : tensor<2x128x64xf16> to tensor<1x64x64xf16>
                  %expanded_14 = tensor.expand_shape %extracted_slice_13 [[0, 1, 2], [3, 4, 5], [6, 7, 8]] output_shape [1, 1, 1, 4, 4, 4, 4, 16, 1] : tensor<1x64x64xf16> into tensor<1x1x1x4x4x4x4x16x1xf16>
                  %extracted_slice_15 = tensor.extract_slice %expanded_14[0, 0, 0, 0, %15, 0, 0, %16, 0] [1, 1, 1, 4, 1, 4, 4, 1, 1] [1, 1, 1, 1, 1, 1, 1, 1, 1] : tensor<1x1x1x4x4x4x4x16x1xf16> to tensor<1x1x1x4x1x4x4x1x1xf16>
                  %36 = vector.transfer_read %extracted_slice_15[%c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0], %cst_0 {in_bounds = [true, true, true, true, true, true, true, true, true]} : tensor<1x1x1x4x1x4x4x1x1xf16>, vector<1x1x1x4x1x4x4x1x1xf16>
                  %37 = linalg.generic {indexing_maps = [#map3, #map4], iterator_types = ["parallel", "parallel", "parallel"]} ins(%cst_1 : f16) outs(%21 : tensor<1x1x16xf16>) {
                  ^bb0(%in: f16, %out: f16):
                    %77 = arith.mulf %in, %out : f16
                    linalg.yield %77 : f16
                  } -> tensor<1x1x16xf16>
                  %38 = vector.transfer_read %37[%c0, %c0, %c0], %cst_0 {in_bounds = [true, true, true]} : tensor<1x1x16xf16>, vector<1x1x16xf16>
                  %39 = vector.shape_cast %38 : vector<1x1x16xf16> to vector<1x1x2x1x8xf16>
                  %40 = vector.shape_cast %35 : vector<1x1x1x4x1x1x2x1x8xf16> to vector<1x4x2x8x1xf16>
                  %41 = vector.transfer_read %23[%c0, %c0, %c0], %cst_4 {in_bounds = [true, true, true]} : tensor<1x1x16xf32>, vector<1x1x16xf32>
                  %42 = vector.shape_cast %41 : vector<1x1x16xf32> to vector<1x1x4x1x4xf32>
                  %43 = iree_codegen.inner_tiled ins(%39, %40) outs(%42) <indexing_maps = [#map5, #map6, #map7], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = true, opaque = true>> {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, promote_operands = [1], promotion_types = [#iree_gpu.derived_thread_config], subgroup_basis = [[1, 1, 1, 1, 1], [0, 1, 2, 3]]}>} : vector<1x1x2x1x8xf16>, vector<1x4x2x8x1xf16> into vector<1x1x4x1x4xf32>
                  %44 = vector.shape_cast %43 : vector<1x1x4x1x4xf32> to vector<1x1x16xf32>
                  %45 = vector.transfer_write %44, %23[%c0, %c0, %c0] {in_bounds = [true, true, true]} : vector<1x1x16xf32>, tensor<1x1x16xf32>
                  %46 = linalg.fill ins(%cst : f32) outs(%24 : tensor<1x1xf32>) -> tensor<1x1xf32>
                  %47 = linalg.generic {indexing_maps = [#map4, #map8], iterator_types = ["parallel", "parallel", "reduction"]} ins(%45 : tensor<1x1x16xf32>) outs(%46 : tensor<1x1xf32>) {
                  ^bb0(%in: f32, %out: f32):
                    %77 = arith.maximumf %in, %out : f32
                    linalg.yield %77 : f32
                  } -> tensor<1x1xf32>
                  %48 = vector.transfer_read %47[%c0, %c0], %cst_4 {in_bounds = [true, true]} : tensor<1x1xf32>, vector<1x1xf32>
                  %49 = vector.extract %48[0, 0] : f32 from vector<1x1xf32>
                  %50 = gpu.subgroup_reduce maximumf %49 cluster(size = 4, stride = 16) : (f32) -> f32
                  %51 = vector.broadcast %50 : f32 to vector<1x1xf32>
                  %52 = vector.transfer_read %arg9[%c0, %c0], %cst_4 {in_bounds = [true, true]} : tensor<1x1xf32>, vector<1x1xf32>
                  %53 = arith.maximumf %51, %52 : vector<1x1xf32>
                  %54 = vector.transfer_write %53, %24[%c0, %c0] {in_bounds = [true, true]} : vector<1x1xf32>, tensor<1x1xf32>
                  %55 = linalg.generic {indexing_maps = [#map9, #map9], iterator_types = ["parallel", "parallel"]} ins(%54 : tensor<1x1xf32>) outs(%arg9 : tensor<1x1xf32>) {
                  ^bb0(%in: f32, %out: f32):
                    %77 = arith.subf %out, %in : f32
                    %78 = math.exp2 %77 : f32
                    linalg.yield %78 : f32
                  } -> tensor<1x1xf32>
                  %56 = linalg.generic {indexing_maps = [#map9, #map9], iterator_types = ["parallel", "parallel"]} ins(%55 : tensor<1x1xf32>) outs(%arg10 : tensor<1x1xf32>) {
                  ^bb0(%in: f32, %out: f32):
                    %77 = arith.mulf %in, %out : f32
                    linalg.yield %77 : f32
                  } -> tensor<1x1xf32>
                  %57 = linalg.generic {indexing_maps = [#map8, #map4], iterator_types = ["parallel", "parallel", "parallel"]} ins(%54 : tensor<1x1xf32>) outs(%45 : tensor<1x1x16xf32>) {
                  ^bb0(%in: f32, %out: f32):
                    %77 = arith.subf %out, %in : f32
                    %78 = math.exp2 %77 : f32
                    linalg.yield %78 : f32
                  } -> tensor<1x1x16xf32>
                  %58 = linalg.generic {indexing_maps = [#map4, #map8], iterator_types = ["parallel", "parallel", "reduction"]} ins(%57 : tensor<1x1x16xf32>) outs(%26 : tensor<1x1xf32>) {
                  ^bb0(%in: f32, %out: f32):
                    %77 = arith.addf %in, %out : f32
                    linalg.yield %77 : f32
                  } -> tensor<1x1xf32>
                  %59 = vector.transfer_read %58[%c0, %c0], %cst_4 {in_bounds = [true, true]} : tensor<1x1xf32>, vector<1x1xf32>
                  %60 = vector.extract %59[0, 0] : f32 from vector<1x1xf32>
                  %61 = gpu.subgroup_reduce add %60 cluster(size = 4, stride = 16) : (f32) -> f32
                  %62 = vector.broadcast %61 : f32 to vector<1x1xf32>
                  %63 = vector.transfer_read %56[%c0, %c0], %cst_4 {in_bounds = [true, true]} : tensor<1x1xf32>, vector<1x1xf32>
                  %64 = arith.addf %62, %63 : vector<1x1xf32>
                  %65 = vector.transfer_write %64, %24[%c0, %c0] {in_bounds = [true, true]} : vector<1x1xf32>, tensor<1x1xf32>
                  %66 = linalg.generic {indexing_maps = [#map4, #map4], iterator_types = ["parallel", "parallel", "parallel"]} ins(%57 : tensor<1x1x16xf32>) outs(%20 : tensor<1x1x16xf16>) {
                  ^bb0(%in: f32, %out: f16):
                    %77 = arith.truncf %in : f32 to f16
                    linalg.yield %77 : f16
                  } -> tensor<1x1x16xf16>
                  %67 = linalg.generic {indexing_maps = [#map8, #map4], iterator_types = ["parallel", "parallel", "parallel"]} ins(%55 : tensor<1x1xf32>) outs(%arg8 : tensor<1x1x16xf32>) {
                  ^bb0(%in: f32, %out: f32):
                    %77 = arith.mulf %in, %out : f32
                    linalg.yield %77 : f32
                  } -> tensor<1x1x16xf32>
                  %68 = vector.transfer_read %66[%c0, %c0, %c0], %cst_0 {in_bounds = [true, true, true]} : tensor<1x1x16xf16>, vector<1x1x16xf16>
                  %69 = vector.shape_cast %68 : vector<1x1x16xf16> to vector<1x1x4x1x4xf16>
                  %70 = vector.shape_cast %36 : vector<1x1x1x4x1x4x4x1x1xf16> to vector<1x4x4x4x1xf16>
                  %71 = vector.transpose %70, [0, 1, 3, 2, 4] : vector<1x4x4x4x1xf16> to vector<1x4x4x4x1xf16>
                  %72 = vector.transfer_read %67[%c0, %c0, %c0], %cst_4 {in_bounds = [true, true, true]} : tensor<1x1x16xf32>, vector<1x1x16xf32>
                  %73 = vector.shape_cast %72 : vector<1x1x16xf32> to vector<1x1x4x1x4xf32>
                  %74 = iree_codegen.inner_tiled ins(%69, %71) outs(%73) <indexing_maps = [#map5, #map10, #map7], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = true, opaque = true>> {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, promote_operands = [1], promotion_types = [#iree_gpu.derived_thread_config], subgroup_basis = [[1, 1, 1, 1, 1], [0, 1, 3, 4]]}>} : vector<1x1x4x1x4xf16>, vector<1x4x4x4x1xf16> into vector<1x1x4x1x4xf32>
                  %75 = vector.shape_cast %74 : vector<1x1x4x1x4xf32> to vector<1x1x16xf32>
                  %76 = vector.transfer_write %75, %67[%c0, %c0, %c0] {in_bounds = [true, true, true]} : vector<1x1x16xf32>, tensor<1x1x16xf32>
                  scf.yield %76, %54, %65 : tensor<1x1x16xf32>, tensor<1x1xf32>, tensor<1x1xf32>
                }
                %extracted_slice_9 = tensor.extract_slice %arg6[0, 0, 0, 0, %16, 0, 0, %15, 0] [1, 1, 1, 1, 1, 1, 4, 1, 4] [1, 1, 1, 1, 1, 1, 1, 1, 1] : tensor<1x1x1x1x16x1x4x4x4xf16> to tensor<1x1x1x1x1x1x4x1x4xf16>
                %28 = vector.transfer_read %extracted_slice_9[%c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0], %cst_0 {in_bounds = [true, true, true, true, true, true, true, true, true]} : tensor<1x1x1x1x1x1x4x1x4xf16>, vector<1x1x1x1x1x1x4x1x4xf16>
                %29 = vector.shape_cast %28 : vector<1x1x1x1x1x1x4x1x4xf16> to vector<1x1x16xf16>
                %30 = vector.transfer_write %29, %20[%c0, %c0, %c0] {in_bounds = [true, true, true]} : vector<1x1x16xf16>, tensor<1x1x16xf16>
                %31 = linalg.generic {indexing_maps = [#map8, #map4, #map4], iterator_types = ["parallel", "parallel", "parallel"]} ins(%27#2, %27#0 : tensor<1x1xf32>, tensor<1x1x16xf32>) outs(%30 : tensor<1x1x16xf16>) {
                ^bb0(%in: f32, %in_10: f32, %out: f16):
                  %35 = arith.divf %cst_2, %in : f32
                  %36 = arith.mulf %35, %in_10 : f32
                  %37 = arith.truncf %36 : f32 to f16
                  linalg.yield %37 : f16
                } -> tensor<1x1x16xf16>
                %32 = vector.transfer_read %31[%c0, %c0, %c0], %cst_0 {in_bounds = [true, true, true]} : tensor<1x1x16xf16>, vector<1x1x16xf16>
                %33 = vector.shape_cast %32 : vector<1x1x16xf16> to vector<1x1x1x1x1x1x4x1x4xf16>
                %34 = vector.transfer_write %33, %extracted_slice_9[%c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0] {in_bounds = [true, true, true, true, true, true, true, true, true]} : vector<1x1x1x1x1x1x4x1x4xf16>, tensor<1x1x1x1x1x1x4x1x4xf16>
                scf.forall.in_parallel {
                  tensor.parallel_insert_slice %34 into %arg6[0, 0, 0, 0, %16, 0, 0, %15, 0] [1, 1, 1, 1, 1, 1, 4, 1, 4] [1, 1, 1, 1, 1, 1, 1, 1, 1] : tensor<1x1x1x1x1x1x4x1x4xf16> into tensor<1x1x1x1x16x1x4x4x4xf16>
                }
              } {mapping = [#iree_gpu.lane_id<0>]}
              %collapsed = tensor.collapse_shape %14 [[0, 1, 2], [3, 4, 5], [6, 7, 8]] : tensor<1x1x1x1x16x1x4x4x4xf16> into tensor<1x16x64xf16>
              scf.forall.in_parallel {
                tensor.parallel_insert_slice %collapsed into %arg4[0, %arg3, 0] [1, 16, 64] [1, 1, 1] : tensor<1x16x64xf16> into tensor<1x64x64xf16>
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
