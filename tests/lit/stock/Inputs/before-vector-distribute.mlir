#executable_target_rocm_hsaco_fb = #hal.executable.target<"rocm", "rocm-hsaco-fb", {abi = "hip", iree.encoding.resolver = #iree_gpu.gpu_encoding_resolver<>, iree_codegen.default_tuning_spec = #rocm.builtin.tuning_module<"iree_default_tuning_spec_gfx942.mlir">, iree_codegen.target_info = #iree_gpu.target<arch = "gfx942", features = "", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<MFMA_F32_16x16x16_BF16>, <MFMA_F32_32x32x8_BF16>, <MFMA_F32_16x16x32_F8E5M2FNUZ>, <MFMA_F32_16x16x32_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_I32_16x16x32_I8>, <MFMA_I32_32x32x16_I8>, <MFMA_F64_16x16x4_F64>, <MFMA_F32_16x16x4_F32>, <MFMA_F32_16x16x16_F16>, <MFMA_F32_32x32x8_F16>, <MFMA_F32_4x4x4x16B_F16>, <MFMA_F32_16x16x4x4B_F16>, <MFMA_F32_32x32x4x2B_F16>, <MFMA_F32_4x4x4x16B_BF16>, <MFMA_F32_16x16x4x4B_BF16>, <MFMA_F32_32x32x4x2B_BF16>, <MFMA_F32_4x4x1x16B_F32>, <MFMA_F32_16x16x1x4B_F32>, <MFMA_F32_32x32x1x2B_F32>, <MFMA_F64_4x4x4x4B_F64>, <MFMA_I32_4x4x4x16B_I8>, <MFMA_I32_16x16x4x4B_I8>, <MFMA_I32_32x32x4x2B_I8>], subgroup_size_choices = [64], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 65536, max_workgroup_counts = [2147483647, 2147483647, 2147483647], max_load_instruction_bits = 128, simds_per_wgp = 4, vgpr_space_bits = 16384, dma_sizes = [32], workgroup_memory_bank_count = 32>>, ukernels = "none"}>
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#map2 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#map3 = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
#nested = #iree_vector_ext.nested_layout<subgroup_tile = [1, 1, 1], batch_tile = [1, 2, 1], outer_tile = [1, 1, 1], thread_tile = [1, 32, 8], element_tile = [1, 1, 8], subgroup_strides = [0, 0, 0], thread_strides = [0, 8, 1]>
#nested1 = #iree_vector_ext.nested_layout<subgroup_tile = [1, 4, 1], batch_tile = [1, 1, 2], outer_tile = [1, 1, 1], thread_tile = [1, 16, 4], element_tile = [1, 1, 8], subgroup_strides = [0, 1, 0], thread_strides = [0, 1, 16]>
#nested2 = #iree_vector_ext.nested_layout<subgroup_tile = [1, 4, 1], batch_tile = [1, 1, 4], outer_tile = [1, 1, 1], thread_tile = [1, 16, 4], element_tile = [1, 1, 4], subgroup_strides = [0, 1, 0], thread_strides = [0, 1, 16]>
#nested3 = #iree_vector_ext.nested_layout<subgroup_tile = [1, 1, 1], batch_tile = [1, 4, 2], outer_tile = [1, 1, 1], thread_tile = [1, 16, 4], element_tile = [1, 1, 8], subgroup_strides = [0, 0, 0], thread_strides = [0, 1, 16]>
#nested4 = #iree_vector_ext.nested_layout<subgroup_tile = [1, 1, 1], batch_tile = [1, 4, 4], outer_tile = [1, 1, 1], thread_tile = [1, 4, 16], element_tile = [1, 4, 1], subgroup_strides = [0, 0, 0], thread_strides = [0, 16, 1]>
#pipeline_layout = #hal.pipeline.layout<bindings = [#hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, Indirect>], flags = Indirect>
#translation = #iree_codegen.translation_info<pipeline = #iree_gpu.pipeline<VectorDistribute> workgroup_size = [256, 1, 1] subgroup_size = 64, {iree_codegen.denormal_fp_math_f32 = #iree_codegen.denormal_fp_math<"preserve-sign">}>
module {
  hal.executable private @attention_dispatch_0 {
    hal.executable.variant public @rocm_hsaco_fb target(#executable_target_rocm_hsaco_fb) {
      hal.executable.export public @attention_dispatch_0_attention_2x128x64x128x64 ordinal(0) layout(#pipeline_layout) count(%arg0: !hal.device) -> (index, index, index) {
        %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice()
        hal.return %x, %y, %z : index, index, index
      }
      builtin.module {
        func.func @attention_dispatch_0_attention_2x128x64x128x64() attributes {translation_info = #translation} {
          %alloc = memref.alloc() : memref<1x64x64xf16, #gpu.address_space<workgroup>>
          %alloc_0 = memref.alloc() : memref<1x64x64xf16, #gpu.address_space<workgroup>>
          %alloc_1 = memref.alloc() : memref<1x64x64xf16, #gpu.address_space<workgroup>>
          %cst = arith.constant dense<1.000000e+00> : vector<1x64xf32>
          %cst_2 = arith.constant dense<1.802980e-01> : vector<1x64x64xf16>
          %0 = ub.poison : f16
          %cst_3 = arith.constant dense<0.000000e+00> : vector<1x64xf32>
          %cst_4 = arith.constant dense<-3.40282347E+38> : vector<1x64xf32>
          %cst_5 = arith.constant dense<0.000000e+00> : vector<1x64x64xf32>
          %c64 = arith.constant 64 : index
          %c128 = arith.constant 128 : index
          %c0 = arith.constant 0 : index
          %1 = hal.interface.binding.subspan layout(#pipeline_layout) binding(0) alignment(64) offset(%c0) flags("ReadOnly|Indirect") {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align = memref.assume_alignment %1, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %2 = amdgpu.fat_raw_buffer_cast %assume_align resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %3 = hal.interface.binding.subspan layout(#pipeline_layout) binding(1) alignment(64) offset(%c0) flags("ReadOnly|Indirect") {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align_6 = memref.assume_alignment %3, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %4 = amdgpu.fat_raw_buffer_cast %assume_align_6 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %5 = hal.interface.binding.subspan layout(#pipeline_layout) binding(2) alignment(64) offset(%c0) flags("ReadOnly|Indirect") {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align_7 = memref.assume_alignment %5, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %6 = amdgpu.fat_raw_buffer_cast %assume_align_7 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %7 = hal.interface.binding.subspan layout(#pipeline_layout) binding(3) alignment(64) offset(%c0) flags(Indirect) {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align_8 = memref.assume_alignment %7, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %8 = amdgpu.fat_raw_buffer_cast %assume_align_8 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          scf.forall (%arg0, %arg1) = (0, 0) to (2, 128) step (1, 64) {
            gpu.barrier memfence [#gpu.address_space<workgroup>]
            %subview = memref.subview %8[%arg0, %arg1, 0] [1, 64, 64] [1, 1, 1] : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>> to memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            %9 = vector.transfer_read %2[%arg0, %arg1, %c0], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x64x64xf16>
            %10 = iree_vector_ext.to_layout %9 to layout(#nested) : vector<1x64x64xf16>
            vector.transfer_write %10, %alloc_1[%c0, %c0, %c0] {in_bounds = [true, true, true]} : vector<1x64x64xf16>, memref<1x64x64xf16, #gpu.address_space<workgroup>>
            gpu.barrier memfence [#gpu.address_space<workgroup>]
            %11 = vector.transfer_read %alloc_1[%c0, %c0, %c0], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x64x64xf16>
            %12 = arith.mulf %11, %cst_2 : vector<1x64x64xf16>
            %13 = iree_vector_ext.to_layout %12 to layout(#nested1) : vector<1x64x64xf16>
            %14 = iree_vector_ext.to_layout %cst_5 to layout(#nested2) : vector<1x64x64xf32>
            %15 = vector.shape_cast %13 : vector<1x64x64xf16> to vector<1x4x16x2x32xf16>
            %16 = vector.transpose %15, [0, 1, 3, 2, 4] : vector<1x4x16x2x32xf16> to vector<1x4x2x16x32xf16>
            %17 = vector.shape_cast %14 : vector<1x64x64xf32> to vector<1x4x16x4x16xf32>
            %18 = vector.transpose %17, [0, 1, 3, 2, 4] : vector<1x4x16x4x16xf32> to vector<1x4x4x16x16xf32>
            %19:3 = scf.for %arg2 = %c0 to %c128 step %c64 iter_args(%arg3 = %cst_5, %arg4 = %cst_3, %arg5 = %cst_4) -> (vector<1x64x64xf32>, vector<1x64xf32>, vector<1x64xf32>) {
              gpu.barrier memfence [#gpu.address_space<workgroup>]
              %25 = vector.transfer_read %4[%arg0, %arg2, %c0], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x64x64xf16>
              %26 = iree_vector_ext.to_layout %25 to layout(#nested) : vector<1x64x64xf16>
              vector.transfer_write %26, %alloc_0[%c0, %c0, %c0] {in_bounds = [true, true, true]} : vector<1x64x64xf16>, memref<1x64x64xf16, #gpu.address_space<workgroup>>
              %27 = vector.transfer_read %6[%arg0, %arg2, %c0], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x64x64xf16>
              %28 = iree_vector_ext.to_layout %27 to layout(#nested) : vector<1x64x64xf16>
              vector.transfer_write %28, %alloc[%c0, %c0, %c0] {in_bounds = [true, true, true]} : vector<1x64x64xf16>, memref<1x64x64xf16, #gpu.address_space<workgroup>>
              gpu.barrier memfence [#gpu.address_space<workgroup>]
              %29 = vector.transfer_read %alloc_0[%c0, %c0, %c0], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x64x64xf16>
              %30 = iree_vector_ext.to_layout %29 to layout(#nested3) : vector<1x64x64xf16>
              %31 = vector.shape_cast %30 : vector<1x64x64xf16> to vector<1x4x16x2x32xf16>
              %32 = vector.transpose %31, [0, 1, 3, 4, 2] : vector<1x4x16x2x32xf16> to vector<1x4x2x32x16xf16>
              %33 = iree_codegen.inner_tiled ins(%16, %32) outs(%18) <indexing_maps = [#map, #map1, #map2], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = false, opaque = true>> : vector<1x4x2x16x32xf16>, vector<1x4x2x32x16xf16> into vector<1x4x4x16x16xf32>
              %34 = vector.transpose %33, [0, 1, 3, 2, 4] : vector<1x4x4x16x16xf32> to vector<1x4x16x4x16xf32>
              %35 = vector.shape_cast %34 : vector<1x4x16x4x16xf32> to vector<1x64x64xf32>
              %36 = iree_vector_ext.to_layout %35 to layout(#nested2) : vector<1x64x64xf32>
              %37 = vector.multi_reduction <maximumf>, %36, %arg5 [2] : vector<1x64x64xf32> to vector<1x64xf32>
              %38 = arith.subf %arg5, %37 : vector<1x64xf32>
              %39 = math.exp2 %38 : vector<1x64xf32>
              %40 = arith.mulf %39, %arg4 : vector<1x64xf32>
              %41 = vector.broadcast %37 : vector<1x64xf32> to vector<64x1x64xf32>
              %42 = vector.transpose %41, [1, 2, 0] : vector<64x1x64xf32> to vector<1x64x64xf32>
              %43 = arith.subf %36, %42 : vector<1x64x64xf32>
              %44 = math.exp2 %43 : vector<1x64x64xf32>
              %45 = vector.multi_reduction <add>, %44, %40 [2] : vector<1x64x64xf32> to vector<1x64xf32>
              %46 = arith.truncf %44 : vector<1x64x64xf32> to vector<1x64x64xf16>
              %47 = vector.broadcast %39 : vector<1x64xf32> to vector<64x1x64xf32>
              %48 = vector.transpose %47, [1, 2, 0] : vector<64x1x64xf32> to vector<1x64x64xf32>
              %49 = arith.mulf %48, %arg3 : vector<1x64x64xf32>
              %50 = iree_vector_ext.to_layout %46 to layout(#nested2) : vector<1x64x64xf16>
              %51 = vector.transfer_read %alloc[%c0, %c0, %c0], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x64x64xf16>
              %52 = iree_vector_ext.to_layout %51 to layout(#nested4) : vector<1x64x64xf16>
              %53 = iree_vector_ext.to_layout %49 to layout(#nested2) : vector<1x64x64xf32>
              %54 = vector.shape_cast %50 : vector<1x64x64xf16> to vector<1x4x16x4x16xf16>
              %55 = vector.transpose %54, [0, 1, 3, 2, 4] : vector<1x4x16x4x16xf16> to vector<1x4x4x16x16xf16>
              %56 = vector.shape_cast %52 : vector<1x64x64xf16> to vector<1x4x16x4x16xf16>
              %57 = vector.transpose %56, [0, 1, 3, 2, 4] : vector<1x4x16x4x16xf16> to vector<1x4x4x16x16xf16>
              %58 = vector.shape_cast %53 : vector<1x64x64xf32> to vector<1x4x16x4x16xf32>
              %59 = vector.transpose %58, [0, 1, 3, 2, 4] : vector<1x4x16x4x16xf32> to vector<1x4x4x16x16xf32>
              %60 = iree_codegen.inner_tiled ins(%55, %57) outs(%59) <indexing_maps = [#map, #map3, #map2], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = false, opaque = true>> : vector<1x4x4x16x16xf16>, vector<1x4x4x16x16xf16> into vector<1x4x4x16x16xf32>
              %61 = vector.transpose %60, [0, 1, 3, 2, 4] : vector<1x4x4x16x16xf32> to vector<1x4x16x4x16xf32>
              %62 = vector.shape_cast %61 : vector<1x4x16x4x16xf32> to vector<1x64x64xf32>
              %63 = iree_vector_ext.to_layout %62 to layout(#nested2) : vector<1x64x64xf32>
              scf.yield %63, %45, %37 : vector<1x64x64xf32>, vector<1x64xf32>, vector<1x64xf32>
            }
            %20 = arith.divf %cst, %19#1 : vector<1x64xf32>
            %21 = vector.broadcast %20 : vector<1x64xf32> to vector<64x1x64xf32>
            %22 = vector.transpose %21, [1, 2, 0] : vector<64x1x64xf32> to vector<1x64x64xf32>
            %23 = arith.mulf %22, %19#0 : vector<1x64x64xf32>
            %24 = arith.truncf %23 : vector<1x64x64xf32> to vector<1x64x64xf16>
            vector.transfer_write %24, %subview[%c0, %c0, %c0] {in_bounds = [true, true, true]} : vector<1x64x64xf16>, memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
          } {mapping = [#iree_codegen.workgroup_mapping<y>, #iree_codegen.workgroup_mapping<x>]}
          memref.dealloc %alloc_1 : memref<1x64x64xf16, #gpu.address_space<workgroup>>
          memref.dealloc %alloc_0 : memref<1x64x64xf16, #gpu.address_space<workgroup>>
          memref.dealloc %alloc : memref<1x64x64xf16, #gpu.address_space<workgroup>>
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
