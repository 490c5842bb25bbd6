#executable_target_rocm_hsaco_fb = #hal.executable.target<"rocm", "rocm-hsaco-fb", {abi = "hip", iree.encoding.resolver = #iree_gpu.gpu_encoding_resolver<>, iree_codegen.default_tuning_spec = #rocm.builtin.tuning_module<"iree_default_tuning_spec_gfx942.mlir">, iree_codegen.target_info = #iree_gpu.target<arch = "gfx942", features = "", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<MFMA_F32_16x16x16_BF16>, <MFMA_F32_32x32x8_BF16>, <MFMA_F32_16x16x32_F8E5M2FNUZ>, <MFMA_F32_16x16x32_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_I32_16x16x32_I8>, <MFMA_I32_32x32x16_I8>, <MFMA_F64_16x16x4_F64>, <MFMA_F32_16x16x4_F32>, <MFMA_F32_16x16x16_F16>, <MFMA_F32_32x32x8_F16>, <MFMA_F32_4x4x4x16B_F16>, <MFMA_F32_16x16x4x4B_F16>, <MFMA_F32_32x32x4x2B_F16>, <MFMA_F32_4x4x4x16B_BF16>, <MFMA_F32_16x16x4x4B_BF16>, <MFMA_F32_32x32x4x2B_BF16>, <MFMA_F32_4x4x1x16B_F32>, <MFMA_F32_16x16x1x4B_F32>, <MFMA_F32_32x32x1x2B_F32>, <MFMA_F64_4x4x4x4B_F64>, <MFMA_I32_4x4x4x16B_I8>, <MFMA_I32_16x16x4x4B_I8>, <MFMA_I32_32x32x4x2B_I8>], subgroup_size_choices = [64], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 65536, max_workgroup_counts = [2147483647, 2147483647, 2147483647], max_load_instruction_bits = 128, simds_per_wgp = 4, vgpr_space_bits = 16384, dma_sizes = [32], workgroup_memory_bank_count = 32>>, ukernels = "none"}>
#map = affine_map<(d0) -> (d0 * 64)>
#map1 = affine_map<()[s0] -> (s0 * 16)>
#map2 = affine_map<()[s0] -> ((s0 floordiv 16) mod 4)>
#map3 = affine_map<()[s0] -> (s0 mod 16)>
#map4 = affine_map<(d0)[s0] -> (d0 * 64 + s0 * 16)>
#map5 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#map6 = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#map7 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#map8 = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
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
          %c1 = arith.constant 1 : index
          %c2 = arith.constant 2 : index
          %c0 = arith.constant 0 : index
          %cst = arith.constant 0.000000e+00 : f16
          %cst_0 = arith.constant dense<0.000000e+00> : vector<1x1x16xf32>
          %cst_1 = arith.constant dense<-3.40282347E+38> : vector<1x1xf32>
          %cst_2 = arith.constant dense<0.000000e+00> : vector<1x1xf32>
          %cst_3 = arith.constant dense<1.802980e-01> : vector<1x1x16xf16>
          %cst_4 = arith.constant dense<0xFF800000> : vector<1x1xf32>
          %cst_5 = arith.constant dense<0.000000e+00> : vector<1x1x4x1x4xf32>
          %cst_6 = arith.constant dense<1.000000e+00> : vector<1x1xf32>
          %thread_id_y = gpu.thread_id y
          %0 = hal.interface.binding.subspan layout(#pipeline_layout) binding(0) alignment(64) offset(%c0) flags("ReadOnly|Indirect") {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align = memref.assume_alignment %0, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %1 = amdgpu.fat_raw_buffer_cast %assume_align resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %2 = hal.interface.binding.subspan layout(#pipeline_layout) binding(1) alignment(64) offset(%c0) flags("ReadOnly|Indirect") {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align_7 = memref.assume_alignment %2, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %3 = amdgpu.fat_raw_buffer_cast %assume_align_7 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %4 = hal.interface.binding.subspan layout(#pipeline_layout) binding(2) alignment(64) offset(%c0) flags("ReadOnly|Indirect") {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align_8 = memref.assume_alignment %4, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %5 = amdgpu.fat_raw_buffer_cast %assume_align_8 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %6 = hal.interface.binding.subspan layout(#pipeline_layout) binding(3) alignment(64) offset(%c0) flags(Indirect) {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align_9 = memref.assume_alignment %6, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %7 = amdgpu.fat_raw_buffer_cast %assume_align_9 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          scf.forall (%arg0, %arg1) in (2, 2) {
            %8 = affine.apply #map(%arg1)
            %subview = memref.subview %7[%arg0, %8, 0] [1, 64, 64] [1, 1, 1] : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>> to memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            gpu.barrier memfence [#gpu.address_space<workgroup>]
            %9 = affine.apply #map1()[%thread_id_y]
            %subview_10 = memref.subview %subview[0, %9, 0] [1, 16, 64] [1, 1, 1] : memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>> to memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            %expand_shape = memref.expand_shape %subview_10 [[0, 1, 2], [3, 4, 5], [6, 7, 8]] output_shape [1, 1, 1, 1, 16, 1, 4, 4, 4] : memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>> into memref<1x1x1x1x16x1x4x4x4xf16, strided<[8192, 8192, 8192, 1024, 64, 64, 16, 4, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            %10 = gpu.lane_id upper_bound 64
            %11 = affine.apply #map2()[%10]
            %12 = affine.apply #map3()[%10]
            %subview_11 = memref.subview %expand_shape[0, 0, 0, 0, %12, 0, 0, %11, 0] [1, 1, 1, 1, 1, 1, 4, 1, 4] [1, 1, 1, 1, 1, 1, 1, 1, 1] : memref<1x1x1x1x16x1x4x4x4xf16, strided<[8192, 8192, 8192, 1024, 64, 64, 16, 4, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>> to memref<1x1x1x1x1x1x4x1x4xf16, strided<[8192, 8192, 8192, 1024, 64, 64, 16, 4, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            %13 = affine.apply #map4(%arg1)[%thread_id_y]
            %subview_12 = memref.subview %1[%arg0, %13, 0] [1, 16, 64] [1, 1, 1] : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>> to memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            %expand_shape_13 = memref.expand_shape %subview_12 [[0, 1, 2], [3, 4, 5], [6, 7, 8]] output_shape [1, 1, 1, 1, 16, 1, 2, 4, 8] : memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>> into memref<1x1x1x1x16x1x2x4x8xf16, strided<[8192, 8192, 8192, 1024, 64, 64, 32, 8, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            %14 = vector.transfer_read %expand_shape_13[%c0, %c0, %c0, %c0, %12, %c0, %c0, %11, %c0], %cst {in_bounds = [true, true, true, true, true, true, true, true, true]} : memref<1x1x1x1x16x1x2x4x8xf16, strided<[8192, 8192, 8192, 1024, 64, 64, 32, 8, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x1x1x1x1x2x1x8xf16>
            %15 = vector.shape_cast %14 : vector<1x1x1x1x1x1x2x1x8xf16> to vector<1x1x16xf16>
            %16 = arith.mulf %15, %cst_3 : vector<1x1x16xf16>
            %17 = vector.shape_cast %16 : vector<1x1x16xf16> to vector<1x1x2x1x8xf16>
            %18:3 = scf.for %arg2 = %c0 to %c2 step %c1 iter_args(%arg3 = %cst_1, %arg4 = %cst_0, %arg5 = %cst_2) -> (vector<1x1xf32>, vector<1x1x16xf32>, vector<1x1xf32>) {
              %24 = affine.apply #map(%arg2)
              %subview_14 = memref.subview %3[%arg0, %24, 0] [1, 64, 64] [1, 1, 1] : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>> to memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
              %subview_15 = memref.subview %5[%arg0, %24, 0] [1, 64, 64] [1, 1, 1] : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>> to memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
              %expand_shape_16 = memref.expand_shape %subview_14 [[0, 1, 2], [3, 4, 5], [6, 7, 8]] output_shape [1, 1, 1, 4, 16, 1, 2, 4, 8] : memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>> into memref<1x1x1x4x16x1x2x4x8xf16, strided<[8192, 8192, 8192, 1024, 64, 64, 32, 8, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
              %25 = vector.transfer_read %expand_shape_16[%c0, %c0, %c0, %c0, %12, %c0, %c0, %11, %c0], %cst {in_bounds = [true, true, true, true, true, true, true, true, true]} : memref<1x1x1x4x16x1x2x4x8xf16, strided<[8192, 8192, 8192, 1024, 64, 64, 32, 8, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x1x4x1x1x2x1x8xf16>
              %expand_shape_17 = memref.expand_shape %subview_15 [[0, 1, 2], [3, 4, 5], [6, 7, 8]] output_shape [1, 1, 1, 4, 4, 4, 4, 16, 1] : memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>> into memref<1x1x1x4x4x4x4x16x1xf16, strided<[8192, 8192, 8192, 1024, 256, 64, 16, 1, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
              %26 = vector.transfer_read %expand_shape_17[%c0, %c0, %c0, %c0, %11, %c0, %c0, %12, %c0], %cst {in_bounds = [true, true, true, true, true, true, true, true, true]} : memref<1x1x1x4x4x4x4x16x1xf16, strided<[8192, 8192, 8192, 1024, 256, 64, 16, 1, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x1x4x1x4x4x1x1xf16>
              %27 = vector.shape_cast %25 : vector<1x1x1x4x1x1x2x1x8xf16> to vector<1x4x2x8x1xf16>
              %28 = iree_codegen.inner_tiled ins(%17, %27) outs(%cst_5) <indexing_maps = [#map5, #map6, #map7], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = true, opaque = true>> {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, promote_operands = [1], promotion_types = [#iree_gpu.derived_thread_config], subgroup_basis = [[1, 1, 1, 1, 1], [0, 1, 2, 3]]}>} : vector<1x1x2x1x8xf16>, vector<1x4x2x8x1xf16> into vector<1x1x4x1x4xf32>
              %29 = vector.shape_cast %28 : vector<1x1x4x1x4xf32> to vector<1x1x16xf32>
              %30 = vector.multi_reduction <maximumf>, %29, %cst_4 [2] : vector<1x1x16xf32> to vector<1x1xf32>
              %31 = vector.extract %30[0, 0] : f32 from vector<1x1xf32>
              %32 = gpu.subgroup_reduce maximumf %31 cluster(size = 4, stride = 16) : (f32) -> f32
              %33 = vector.broadcast %32 : f32 to vector<1x1xf32>
              %34 = arith.maximumf %33, %arg3 : vector<1x1xf32>
              %35 = arith.subf %arg3, %34 : vector<1x1xf32>
              %36 = math.exp2 %35 : vector<1x1xf32>
              %37 = arith.mulf %36, %arg5 : vector<1x1xf32>
              %38 = vector.broadcast %34 : vector<1x1xf32> to vector<1x1x16xf32>
              %39 = arith.subf %29, %38 : vector<1x1x16xf32>
              %40 = math.exp2 %39 : vector<1x1x16xf32>
              %41 = vector.multi_reduction <add>, %40, %cst_2 [2] : vector<1x1x16xf32> to vector<1x1xf32>
              %42 = vector.extract %41[0, 0] : f32 from vector<1x1xf32>
              %43 = gpu.subgroup_reduce add %42 cluster(size = 4, stride = 16) : (f32) -> f32
              %44 = vector.broadcast %43 : f32 to vector<1x1xf32>
              %45 = arith.addf %44, %37 : vector<1x1xf32>
              %46 = arith.truncf %40 : vector<1x1x16xf32> to vector<1x1x16xf16>
              %47 = vector.broadcast %36 : vector<1x1xf32> to vector<1x1x16xf32>
              %48 = arith.mulf %47, %arg4 : vector<1x1x16xf32>
              %49 = vector.shape_cast %46 : vector<1x1x16xf16> to vector<1x1x4x1x4xf16>
              %50 = vector.shape_cast %26 : vector<1x1x1x4x1x4x4x1x1xf16> to vector<1x4x4x4x1xf16>
              %51 = vector.transpose %50, [0, 1, 3, 2, 4] : vector<1x4x4x4x1xf16> to vector<1x4x4x4x1xf16>
              %52 = vector.shape_cast %48 : vector<1x1x16xf32> to vector<1x1x4x1x4xf32>
              %53 = iree_codegen.inner_tiled ins(%49, %51) outs(%52) <indexing_maps = [#map5, #map8, #map7], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = true, opaque = true>> {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, promote_operands = [1], promotion_types = [#iree_gpu.derived_thread_config], subgroup_basis = [[1, 1, 1, 1, 1], [0, 1, 3, 4]]}>} : vector<1x1x4x1x4xf16>, vector<1x4x4x4x1xf16> into vector<1x1x4x1x4xf32>
              %54 = vector.shape_cast %53 : vector<1x1x4x1x4xf32> to vector<1x1x16xf32>
              scf.yield %34, %54, %45 : vector<1x1xf32>, vector<1x1x16xf32>, vector<1x1xf32>
            }
            %19 = arith.divf %cst_6, %18#2 : vector<1x1xf32>
            %20 = vector.broadcast %19 : vector<1x1xf32> to vector<1x1x16xf32>
            %21 = arith.mulf %20, %18#1 : vector<1x1x16xf32>
            %22 = arith.truncf %21 : vector<1x1x16xf32> to vector<1x1x16xf16>
            %23 = vector.shape_cast %22 : vector<1x1x16xf16> to vector<1x1x1x1x1x1x4x1x4xf16>
            vector.transfer_write %23, %subview_11[%c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0] {in_bounds = [true, true, true, true, true, true, true, true, true]} : vector<1x1x1x1x1x1x4x1x4xf16>, memref<1x1x1x1x1x1x4x1x4xf16, strided<[8192, 8192, 8192, 1024, 64, 64, 16, 4, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            gpu.barrier memfence [#gpu.address_space<workgroup>]
          } {mapping = [#iree_codegen.workgroup_mapping<y>, #iree_codegen.workgroup_mapping<x>]}
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
