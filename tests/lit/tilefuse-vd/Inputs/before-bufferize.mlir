#executable_target_rocm_hsaco_fb = #hal.executable.target<"rocm", "rocm-hsaco-fb", {abi = "hip", iree.encoding.resolver = #iree_gpu.gpu_encoding_resolver<>, iree_codegen.default_tuning_spec = #rocm.builtin.tuning_module<"iree_default_tuning_spec_gfx942.mlir">, iree_codegen.target_info = #iree_gpu.target<arch = "gfx942", features = "", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<MFMA_F32_16x16x16_BF16>, <MFMA_F32_32x32x8_BF16>, <MFMA_F32_16x16x32_F8E5M2FNUZ>, <MFMA_F32_16x16x32_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_I32_16x16x32_I8>, <MFMA_I32_32x32x16_I8>, <MFMA_F64_16x16x4_F64>, <MFMA_F32_16x16x4_F32>, <MFMA_F32_16x16x16_F16>, <MFMA_F32_32x32x8_F16>, <MFMA_F32_4x4x4x16B_F16>, <MFMA_F32_16x16x4x4B_F16>, <MFMA_F32_32x32x4x2B_F16>, <MFMA_F32_4x4x4x16B_BF16>, <MFMA_F32_16x16x4x4B_BF16>, <MFMA_F32_32x32x4x2B_BF16>, <MFMA_F32_4x4x1x16B_F32>, <MFMA_F32_16x16x1x4B_F32>, <MFMA_F32_32x32x1x2B_F32>, <MFMA_F64_4x4x4x4B_F64>, <MFMA_I32_4x4x4x16B_I8>, <MFMA_I32_16x16x4x4B_I8>, <MFMA_I32_32x32x4x2B_I8>], subgroup_size_choices = [64], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 65536, max_workgroup_counts = [2147483647, 2147483647, 2147483647], max_load_instruction_bits = 128, simds_per_wgp = 4, vgpr_space_bits = 16384, dma_sizes = [32], workgroup_memory_bank_count = 32>>, ukernels = "none"}>
#map = affine_map<()[s0, s1] -> (s0 + s1)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#map2 = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#map3 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#map4 = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
#nested = #iree_vector_ext.nested_layout<subgroup_tile = [1, 1, 1], batch_tile = [1, 1, 2], outer_tile = [1, 1, 1], thread_tile = [1, 16, 4], element_tile = [1, 1, 8], subgroup_strides = [0, 0, 0], thread_strides = [0, 1, 16]>
#nested1 = #iree_vector_ext.nested_layout<subgroup_tile = [1, 1, 1], batch_tile = [1, 1, 4], outer_tile = [1, 1, 1], thread_tile = [1, 16, 4], element_tile = [1, 1, 4], subgroup_strides = [0, 0, 0], thread_strides = [0, 1, 16]>
#nested2 = #iree_vector_ext.nested_layout<subgroup_tile = [1, 1, 1], batch_tile = [1, 4, 2], outer_tile = [1, 1, 1], thread_tile = [1, 16, 4], element_tile = [1, 1, 8], subgroup_strides = [0, 0, 0], thread_strides = [0, 1, 16]>
#nested3 = #iree_vector_ext.nested_layout<subgroup_tile = [1, 1, 1], batch_tile = [1, 4, 4], outer_tile = [1, 1, 1], thread_tile = [1, 4, 16], element_tile = [1, 4, 1], subgroup_strides = [0, 0, 0], thread_strides = [0, 16, 1]>
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
          %cst = arith.constant dense<1.000000e+00> : vector<1x16xf32>
          %cst_0 = arith.constant dense<1.802980e-01> : vector<1x16x64xf16>
          %0 = ub.poison : f16
          %cst_1 = arith.constant dense<0.000000e+00> : vector<1x16xf32>
          %cst_2 = arith.constant dense<-3.40282347E+38> : vector<1x16xf32>
          %cst_3 = arith.constant dense<0.000000e+00> : vector<1x16x64xf32>
          %c64 = arith.constant 64 : index
          %c128 = arith.constant 128 : index
          %c0 = arith.constant 0 : index
          %1 = hal.interface.binding.subspan layout(#pipeline_layout) binding(0) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %2 = amdgpu.fat_raw_buffer_cast %1 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %3 = hal.interface.binding.subspan layout(#pipeline_layout) binding(1) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %4 = amdgpu.fat_raw_buffer_cast %3 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %5 = hal.interface.binding.subspan layout(#pipeline_layout) binding(2) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %6 = amdgpu.fat_raw_buffer_cast %5 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %7 = hal.interface.binding.subspan layout(#pipeline_layout) binding(3) alignment(64) offset(%c0) flags(Indirect) : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %8 = amdgpu.fat_raw_buffer_cast %7 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %9 = iree_codegen.load_from_buffer %2 : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<2x128x64xf16>
          %10 = iree_codegen.load_from_buffer %4 : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<2x128x64xf16>
          %11 = iree_codegen.load_from_buffer %6 : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>> -> tensor<2x128x64xf16>
          %12 = tensor.empty() : tensor<2x128x64xf16>
          %13 = scf.forall (%arg0, %arg1) = (0, 0) to (2, 128) step (1, 64) shared_outs(%arg2 = %12) -> (tensor<2x128x64xf16>) {
            %extracted_slice = tensor.extract_slice %arg2[%arg0, %arg1, 0] [1, 64, 64] [1, 1, 1] : tensor<2x128x64xf16> to tensor<1x64x64xf16>
            %14 = scf.forall (%arg3) = (0) to (64) step (16) shared_outs(%arg4 = %extracted_slice) -> (tensor<1x64x64xf16>) {
              %15 = affine.apply #map()[%arg3, %arg1]
              %extracted_slice_4 = tensor.extract_slice %arg4[0, %arg3, 0] [1, 16, 64] [1, 1, 1] : tensor<1x64x64xf16> to tensor<1x16x64xf16>
              %16 = vector.transfer_read %9[%arg0, %15, %c0], %0 {in_bounds = [true, true, true]} : tensor<2x128x64xf16>, vector<1x16x64xf16>
              %17 = arith.mulf %16, %cst_0 : vector<1x16x64xf16>
              %18 = iree_vector_ext.to_layout %17 to layout(#nested) : vector<1x16x64xf16>
              %19 = iree_vector_ext.to_layout %cst_3 to layout(#nested1) : vector<1x16x64xf32>
              %20 = vector.shape_cast %18 : vector<1x16x64xf16> to vector<1x1x16x2x32xf16>
              %21 = vector.transpose %20, [0, 1, 3, 2, 4] : vector<1x1x16x2x32xf16> to vector<1x1x2x16x32xf16>
              %22 = vector.shape_cast %19 : vector<1x16x64xf32> to vector<1x1x16x4x16xf32>
              %23 = vector.transpose %22, [0, 1, 3, 2, 4] : vector<1x1x16x4x16xf32> to vector<1x1x4x16x16xf32>
              %24:3 = scf.for %arg5 = %c0 to %c128 step %c64 iter_args(%arg6 = %cst_3, %arg7 = %cst_1, %arg8 = %cst_2) -> (vector<1x16x64xf32>, vector<1x16xf32>, vector<1x16xf32>) {
                %31 = vector.transfer_read %10[%arg0, %arg5, %c0], %0 {in_bounds = [true, true, true]} : tensor<2x128x64xf16>, vector<1x64x64xf16>
                %32 = iree_vector_ext.to_layout %31 to layout(#nested2) : vector<1x64x64xf16>
                %33 = vector.shape_cast %32 : vector<1x64x64xf16> to vector<1x4x16x2x32xf16>
                %34 = vector.transpose %33, [0, 1, 3, 4, 2] : vector<1x4x16x2x32xf16> to vector<1x4x2x32x16xf16>
                %35 = iree_codegen.inner_tiled ins(%21, %34) outs(%23) <indexing_maps = [#map1, #map2, #map3], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = false, opaque = true>> : vector<1x1x2x16x32xf16>, vector<1x4x2x32x16xf16> into vector<1x1x4x16x16xf32>
                %36 = vector.transpose %35, [0, 1, 3, 2, 4] : vector<1x1x4x16x16xf32> to vector<1x1x16x4x16xf32>
                %37 = vector.shape_cast %36 : vector<1x1x16x4x16xf32> to vector<1x16x64xf32>
                %38 = iree_vector_ext.to_layout %37 to layout(#nested1) : vector<1x16x64xf32>
                %39 = vector.multi_reduction <maximumf>, %38, %arg8 [2] : vector<1x16x64xf32> to vector<1x16xf32>
                %40 = arith.subf %arg8, %39 : vector<1x16xf32>
                %41 = math.exp2 %40 : vector<1x16xf32>
                %42 = arith.mulf %41, %arg7 : vector<1x16xf32>
                %43 = vector.broadcast %39 : vector<1x16xf32> to vector<64x1x16xf32>
                %44 = vector.transpose %43, [1, 2, 0] : vector<64x1x16xf32> to vector<1x16x64xf32>
                %45 = arith.subf %38, %44 : vector<1x16x64xf32>
                %46 = math.exp2 %45 : vector<1x16x64xf32>
                %47 = vector.multi_reduction <add>, %46, %42 [2] : vector<1x16x64xf32> to vector<1x16xf32>
                %48 = arith.truncf %46 : vector<1x16x64xf32> to vector<1x16x64xf16>
                %49 = vector.broadcast %41 : vector<1x16xf32> to vector<64x1x16xf32>
                %50 = vector.transpose %49, [1, 2, 0] : vector<64x1x16xf32> to vector<1x16x64xf32>
                %51 = arith.mulf %50, %arg6 : vector<1x16x64xf32>
                %52 = iree_vector_ext.to_layout %48 to layout(#nested1) : vector<1x16x64xf16>
                %53 = vector.transfer_read %11[%arg0, %arg5, %c0], %0 {in_bounds = [true, true, true]} : tensor<2x128x64xf16>, vector<1x64x64xf16>
                %54 = iree_vector_ext.to_layout %53 to layout(#nested3) : vector<1x64x64xf16>
                %55 = iree_vector_ext.to_layout %51 to layout(#nested1) : vector<1x16x64xf32>
                %56 = vector.shape_cast %52 : vector<1x16x64xf16> to vector<1x1x16x4x16xf16>
                %57 = vector.transpose %56, [0, 1, 3, 2, 4] : vector<1x1x16x4x16xf16> to vector<1x1x4x16x16xf16>
                %58 = vector.shape_cast %54 : vector<1x64x64xf16> to vector<1x4x16x4x16xf16>
                %59 = vector.transpose %58, [0, 1, 3, 2, 4] : vector<1x4x16x4x16xf16> to vector<1x4x4x16x16xf16>
                %60 = vector.shape_cast %55 : vector<1x16x64xf32> to vector<1x1x16x4x16xf32>
                %61 = vector.transpose %60, [0, 1, 3, 2, 4] : vector<1x1x16x4x16xf32> to vector<1x1x4x16x16xf32>
                %62 = iree_codegen.inner_tiled ins(%57, %59) outs(%61) <indexing_maps = [#map1, #map4, #map3], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = false, opaque = true>> : vector<1x1x4x16x16xf16>, vector<1x4x4x16x16xf16> into vector<1x1x4x16x16xf32>
                %63 = vector.transpose %62, [0, 1, 3, 2, 4] : vector<1x1x4x16x16xf32> to vector<1x1x16x4x16xf32>
                %64 = vector.shape_cast %63 : vector<1x1x16x4x16xf32> to vector<1x16x64xf32>
                %65 = iree_vector_ext.to_layout %64 to layout(#nested1) : vector<1x16x64xf32>
                scf.yield %65, %47, %39 : vector<1x16x64xf32>, vector<1x16xf32>, vector<1x16xf32>
              }
              %25 = arith.divf %cst, %24#1 : vector<1x16xf32>
              %26 = vector.broadcast %25 : vector<1x16xf32> to vector<64x1x16xf32>
              %27 = vector.transpose %26, [1, 2, 0] : vector<64x1x16xf32> to vector<1x16x64xf32>
              %28 = arith.mulf %27, %24#0 : vector<1x16x64xf32>
              %29 = arith.truncf %28 : vector<1x16x64xf32> to vector<1x16x64xf16>
              %30 = vector.transfer_write %29, %extracted_slice_4[%c0, %c0, %c0] {in_bounds = [true, true, true]} : vector<1x16x64xf16>, tensor<1x16x64xf16>
              scf.forall.in_parallel {
                tensor.parallel_insert_slice %30 into %arg4[0, %arg3, 0] [1, 16, 64] [1, 1, 1] : tensor<1x16x64xf16> into tensor<1x64x64xf16>
              }
            } {mapping = [#gpu.warp<linear_dim_0>]}
            scf.forall.in_parallel {
              tensor.parallel_insert_slice %14 into %arg2[%arg0, %arg1, 0] [1, 64, 64] [1, 1, 1] : tensor<1x64x64xf16> into tensor<2x128x64xf16>
            }
          } {mapping = [#iree_codegen.workgroup_mapping<y>, #iree_codegen.workgroup_mapping<x>]}
          iree_codegen.store_to_buffer %13, %8 : tensor<2x128x64xf16> into memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
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
