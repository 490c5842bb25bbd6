#executable_target_rocm_hsaco_fb = #hal.executable.target<"rocm", "rocm-hsaco-fb", {abi = "hip", iree.encoding.resolver = #iree_gpu.gpu_encoding_resolver<>, iree_codegen.default_tuning_spec = #rocm.builtin.tuning_module<"iree_default_tuning_spec_gfx942.mlir">, iree_codegen.target_info = #iree_gpu.target<arch = "gfx942", features = "", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<MFMA_F32_16x16x16_BF16>, <MFMA_F32_32x32x8_BF16>, <MFMA_F32_16x16x32_F8E5M2FNUZ>, <MFMA_F32_16x16x32_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_I32_16x16x32_I8>, <MFMA_I32_32x32x16_I8>, <MFMA_F64_16x16x4_F64>, <MFMA_F32_16x16x4_F32>, <MFMA_F32_16x16x16_F16>, <MFMA_F32_32x32x8_F16>, <MFMA_F32_4x4x4x16B_F16>, <MFMA_F32_16x16x4x4B_F16>, <MFMA_F32_32x32x4x2B_F16>, <MFMA_F32_4x4x4x16B_BF16>, <MFMA_F32_16x16x4x4B_BF16>, <MFMA_F32_32x32x4x2B_BF16>, <MFMA_F32_4x4x1x16B_F32>, <MFMA_F32_16x16x1x4B_F32>, <MFMA_F32_32x32x1x2B_F32>, <MFMA_F64_4x4x4x4B_F64>, <MFMA_I32_4x4x4x16B_I8>, <MFMA_I32_16x16x4x4B_I8>, <MFMA_I32_32x32x4x2B_I8>], subgroup_size_choices = [64], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 65536, max_workgroup_counts = [2147483647, 2147483647, 2147483647], max_load_instruction_bits = 128, simds_per_wgp = 4, vgpr_space_bits = 16384, dma_sizes = [32], workgroup_memory_bank_count = 32>>, ukernels = "none"}>
#map = affine_map<(d0) -> ((d0 floordiv 16) mod 4)>
#map1 = affine_map<(d0) -> (d0 mod 16)>
#map2 = affine_map<()[s0, s1] -> (s0 + s1)>
#map3 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#map4 = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#map5 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#map6 = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
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
          %cst = arith.constant dense<1.000000e+00> : vector<1x1xf32>
          %cst_0 = arith.constant dense<0.000000e+00> : vector<1x1x4x1x4xf32>
          %cst_1 = arith.constant dense<0xFF800000> : vector<1x1xf32>
          %cst_2 = arith.constant dense<1.802980e-01> : vector<1x1x16xf16>
          %cst_3 = arith.constant dense<0.000000e+00> : vector<1x1xf32>
          %cst_4 = arith.constant dense<-3.40282347E+38> : vector<1x1xf32>
          %cst_5 = arith.constant dense<0.000000e+00> : vector<1x1x16xf32>
          %cst_6 = arith.constant 0.000000e+00 : f16
          %c64 = arith.constant 64 : index
          %c128 = arith.constant 128 : index
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
              %extracted_slice_7 = tensor.extract_slice %arg4[0, %arg3, 0] [1, 16, 64] [1, 1, 1] : tensor<1x64x64xf16> to tensor<1x16x64xf16>
              %expanded = tensor.expand_shape %extracted_slice_7 [[0, 1, 2], [3, 4, 5], [6, 7, 8]] output_shape [1, 1, 1, 1, 16, 1, 4, 4, 4] : tensor<1x16x64xf16> into tensor<1x1x1x1x16x1x4x4x4xf16>
              %14 = scf.forall (%arg5) in (64) shared_outs(%arg6 = %expanded) -> (tensor<1x1x1x1x16x1x4x4x4xf16>) {
                %15 = affine.apply #map(%arg5)
                %16 = affine.apply #map1(%arg5)
                %extracted_slice_8 = tensor.extract_slice %arg6[0, 0, 0, 0, %16, 0, 0, %15, 0] [1, 1, 1, 1, 1, 1, 4, 1, 4] [1, 1, 1, 1, 1, 1, 1, 1, 1] : tensor<1x1x1x1x16x1x4x4x4xf16> to tensor<1x1x1x1x1x1x4x1x4xf16>
                %17 = affine.apply #map2()[%arg3, %arg1]
                %extracted_slice_9 = tensor.extract_slice %8[%arg0, %17, 0] [1, 16, 64] [1, 1, 1] : tensor<2x128x64xf16> to tensor<1x16x64xf16>
                %expanded_10 = tensor.expand_shape %extracted_slice_9 [[0, 1, 2], [3, 4, 5], [6, 7, 8]] output_shape [1, 1, 1, 1, 16, 1, 2, 4, 8] : tensor<1x16x64xf16> into tensor<1x1x1x1x16x1x2x4x8xf16>
                %18 = vector.transfer_read %expanded_10[%c0, %c0, %c0, %c0, %16, %c0, %c0, %15, %c0], %cst_6 {in_bounds = [true, true, true, true, true, true, true, true, true]} : tensor<1x1x1x1x16x1x2x4x8xf16>, vector<1x1x1x1x1x1x2x1x8xf16>
                %19 = vector.shape_cast %18 : vector<1x1x1x1x1x1x2x1x8xf16> to vector<1x1x16xf16>
                %20 = arith.mulf %19, %cst_2 : vector<1x1x16xf16>
                %21 = vector.shape_cast %20 : vector<1x1x16xf16> to vector<1x1x2x1x8xf16>
                %22:3 = scf.for %arg7 = %c0 to %c128 step %c64 iter_args(%arg8 = %cst_4, %arg9 = %cst_5, %arg10 = %cst_3) -> (vector<1x1xf32>, vector<1x1x16xf32>, vector<1x1xf32>) {
                  %extracted_slice_11 = tensor.extract_slice %9[%arg0, %arg7, 0] [1, 64, 64] [1, 1, 1] : tensor<2x128x64xf16> to tensor<1x64x64xf16>
                  %extracted_slice_12 = tensor.extract_slice %10[%arg0, %arg7, 0] [1, 64, 64] [1, 1, 1] : tensor<2x128x64xf16> to tensor<1x64x64xf16>
                  %expanded_13 = tensor.expand_shape %extracted_slice_11 [[0, 1, 2], [3, 4, 5], [6, 7, 8]] output_shape [1, 1, 1, 4, 16, 1, 2, 4, 8] : tensor<1x64x64xf16> into tensor<1x1x1x4x16x1x2x4x8xf16>
                  %29 = vector.transfer_read %expanded_13[%c0, %c0, %c0, %c0, %16, %c0, %c0, %15, %c0], %cst_6 {in_bounds = [true, true, true, true, true, true, true, true, true]} : tensor<1x1x1x4x16x1x2x4x8xf16>, vector<1x1x1x4x1x1x2x1x8xf16>
                  %expanded_14 = tensor.expand_shape %extracted_slice_12 [[0, 1, 2], [3, 4, 5], [6, 7, 8]] output_shape [1, 1, 1, 4, 4, 4, 4, 16, 1] : tensor<1x64x64xf16> into tensor<1x1x1x4x4x4x4x16x1xf16>
                  %30 = vector.transfer_read %expanded_14[%c0, %c0, %c0, %c0, %15, %c0, %c0, %16, %c0], %cst_6 {in_bounds = [true, true, true, true, true, true, true, true, true]} : tensor<1x1x1x4x4x4x4x16x1xf16>, vector<1x1x1x4x1x4x4x1x1xf16>
                  %31 = vector.shape_cast %29 : vector<1x1x1x4x1x1x2x1x8xf16> to vector<1x4x2x8x1xf16>
                  %32 = iree_codegen.inner_tiled ins(%21, %31) outs(%cst_0) <indexing_maps = [#map3, #map4, #map5], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = true, opaque = true>> {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, promote_operands = [1], promotion_types = [#iree_gpu.derived_thread_config], subgroup_basis = [[1, 1, 1, 1, 1], [0, 1, 2, 3]]}>} : vector<1x1x2x1x8xf16>, vector<1x4x2x8x1xf16> into vector<1x1x4x1x4xf32>
                  %33 = vector.shape_cast %32 : vector<1x1x4x1x4xf32> to vector<1x1x16xf32>
                  %34 = vector.multi_reduction <maximumf>, %33, %cst_1 [2] : vector<1x1x16xf32> to vector<1x1xf32>
                  %35 = vector.extract %34[0, 0] : f32 from vector<1x1xf32>
                  %36 = gpu.subgroup_reduce maximumf %35 cluster(size = 4, stride = 16) : (f32) -> f32
                  %37 = vector.broadcast %36 : f32 to vector<1x1xf32>
                  %38 = arith.maximumf %37, %arg8 : vector<1x1xf32>
                  %39 = arith.subf %arg8, %38 : vector<1x1xf32>
                  %40 = math.exp2 %39 : vector<1x1xf32>
                  %41 = arith.mulf %40, %arg10 : vector<1x1xf32>
                  %42 = vector.broadcast %38 : vector<1x1xf32> to vector<1x1x16xf32>
                  %43 = arith.subf %33, %42 : vector<1x1x16xf32>
                  %44 = math.exp2 %43 : vector<1x1x16xf32>
                  %45 = vector.multi_reduction <add>, %44, %cst_3 [2] : vector<1x1x16xf32> to vector<1x1xf32>
                  %46 = vector.extract %45[0, 0] : f32 from vector<1x1xf32>
                  %47 = gpu.subgroup_reduce add %46 cluster(size = 4, stride = 16) : (f32) -> f32
                  %48 = vector.broadcast %47 : f32 to vector<1x1xf32>
                  %49 = arith.addf %48, %41 : vector<1x1xf32>
                  %50 = arith.truncf %44 : vector<1x1x16xf32> to vector<1x1x16xf16>
                  %51 = vector.broadcast %40 : vector<1x1xf32> to vector<1x1x16xf32>
                  %52 = arith.mulf %51, %arg9 : vector<1x1x16xf32>
                  %53 = vector.shape_cast %50 : vector<1x1x16xf16> to vector<1x1x4x1x4xf16>
                  %54 = vector.shape_cast %30 : vector<1x1x1x4x1x4x4x1x1xf16> to vector<1x4x4x4x1xf16>
                  %55 = vector.transpose %54, [0, 1, 3, 2, 4] : vector<1x4x4x4x1xf16> to vector<1x4x4x4x1xf16>
                  %56 = vector.shape_cast %52 : vector<1x1x16xf32> to vector<1x1x4x1x4xf32>
                  %57 = iree_codegen.inner_tiled ins(%53, %55) outs(%56) <indexing_maps = [#map3, #map6, #map5], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = true, opaque = true>> {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, promote_operands = [1], promotion_types = [#iree_gpu.derived_thread_config], subgroup_basis = [[1, 1, 1, 1, 1], [0, 1, 3, 4]]}>} : vector<1x1x4x1x4xf16>, vector<1x4x4x4x1xf16> into vector<1x1x4x1x4xf32>
                  %58 = vector.shape_cast %57 : vector<1x1x4x1x4xf32> to vector<1x1x16xf32>
                  scf.yield %38, %58, %49 : vector<1x1xf32>, vector<1x1x16xf32>, vector<1x1xf32>
                }
                %23 = arith.divf %cst, %22#2 : vector<1x1xf32>
                %24 = vector.broadcast %23 : vector<1x1xf32> to vector<1x1x16xf32>
                %25 = arith.mulf %24, %22#1 : vector<1x1x16xf32>
                %26 = arith.truncf %25 : vector<1x1x16xf32> to vector<1x1x16xf16>
                %27 = vector.shape_cast %26 : vector<1x1x16xf16> to vector<1x1x1x1x1x1x4x1x4xf16>
                %28 = vector.transfer_write %27, %extracted_slice_8[%c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0] {in_bounds = [true, true, true, true, true, true, true, true, true]} : vector<1x1x1x1x1x1x4x1x4xf16>, tensor<1x1x1x1x1x1x4x1x4xf16>
                scf.forall.in_parallel {
                  tensor.parallel_insert_slice %28 into %arg6[0, 0, 0, 0, %16, 0, 0, %15, 0] [1, 1, 1, 1, 1, 1, 4, 1, 4] [1, 1, 1, 1, 1, 1, 1, 1, 1] : tensor<1x1x1x1x1x1x4x1x4xf16> into tensor<1x1x1x1x16x1x4x4x4xf16>
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
