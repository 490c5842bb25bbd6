#executable_target_rocm_hsaco_fb = #hal.executable.target<"rocm", "rocm-hsaco-fb", {abi = "hip", iree.encoding.resolver = #iree_gpu.gpu_encoding_resolver<>, iree_codegen.default_tuning_spec = #rocm.builtin.tuning_module<"iree_default_tuning_spec_gfx942.mlir">, iree_codegen.target_info = #iree_gpu.target<arch = "gfx942", features = "", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<MFMA_F32_16x16x16_BF16>, <MFMA_F32_32x32x8_BF16>, <MFMA_F32_16x16x32_F8E5M2FNUZ>, <MFMA_F32_16x16x32_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_I32_16x16x32_I8>, <MFMA_I32_32x32x16_I8>, <MFMA_F64_16x16x4_F64>, <MFMA_F32_16x16x4_F32>, <MFMA_F32_16x16x16_F16>, <MFMA_F32_32x32x8_F16>, <MFMA_F32_4x4x4x16B_F16>, <MFMA_F32_16x16x4x4B_F16>, <MFMA_F32_32x32x4x2B_F16>, <MFMA_F32_4x4x4x16B_BF16>, <MFMA_F32_16x16x4x4B_BF16>, <MFMA_F32_32x32x4x2B_BF16>, <MFMA_F32_4x4x1x16B_F32>, <MFMA_F32_16x16x1x4B_F32>, <MFMA_F32_32x32x1x2B_F32>, <MFMA_F64_4x4x4x4B_F64>, <MFMA_I32_4x4x4x16B_I8>, <MFMA_I32_16x16x4x4B_I8>, <MFMA_I32_32x32x4x2B_I8>], subgroup_size_choices = [64], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 65536, max_workgroup_counts = [2147483647, 2147483647, 2147483647], max_load_instruction_bits = 128, simds_per_wgp = 4, vgpr_space_bits = 16384, dma_sizes = [32], workgroup_memory_bank_count = 32>>, ukernels = "none"}>
#map = affine_map<(d0, d1) -> (d0 + d1 * 64)>
#map1 = affine_map<(d0) -> (d0 * 64)>
#map2 = affine_map<()[s0] -> (s0 * 16)>
#map3 = affine_map<()[s0] -> ((s0 floordiv 16) mod 4)>
#map4 = affine_map<()[s0] -> (s0 mod 16)>
#map5 = affine_map<(d0)[s0] -> (d0 * 64 + s0 * 16)>
#map6 = affine_map<(d0) -> (0)>
#map7 = affine_map<(d0) -> (((d0 * 8) floordiv 64) mod 64)>
#map8 = affine_map<(d0) -> ((d0 * 8) mod 64)>
#map9 = affine_map<(d0) -> ((((d0 + 256) * 8) floordiv 64) mod 64)>
#map10 = affine_map<(d0) -> (((d0 + 256) * 8) mod 64)>
#map11 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#map12 = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#map13 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#map14 = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
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
          %alloc = memref.alloc() : memref<1x64x64xf16, #gpu.address_space<workgroup>>
          %alloc_0 = memref.alloc() : memref<1x64x64xf16, #gpu.address_space<workgroup>>
          %thread_id_x = gpu.thread_id x
          %thread_id_y = gpu.thread_id y
          %0 = affine.apply #map(%thread_id_x, %thread_id_y)
          %c1 = arith.constant 1 : index
          %c2 = arith.constant 2 : index
          %c0 = arith.constant 0 : index
          %cst = arith.constant 0.000000e+00 : f16
          %cst_1 = arith.constant dense<0.000000e+00> : vector<1x1x16xf32>
          %cst_2 = arith.constant dense<-3.40282347E+38> : vector<1x1xf32>
          %cst_3 = arith.constant dense<0.000000e+00> : vector<1x1xf32>
          %cst_4 = arith.constant dense<1.802980e-01> : vector<1x1x16xf16>
          %cst_5 = arith.constant dense<0xFF800000> : vector<1x1xf32>
          %cst_6 = arith.constant dense<0.000000e+00> : vector<1x1x4x1x4xf32>
          %cst_7 = arith.constant dense<1.000000e+00> : vector<1x1xf32>
          %thread_id_y_8 = gpu.thread_id y
          %1 = hal.interface.binding.subspan layout(#pipeline_layout) binding(0) alignment(64) offset(%c0) flags("ReadOnly|Indirect") {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align = memref.assume_alignment %1, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %2 = amdgpu.fat_raw_buffer_cast %assume_align resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %3 = hal.interface.binding.subspan layout(#pipeline_layout) binding(1) alignment(64) offset(%c0) flags("ReadOnly|Indirect") {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align_9 = memref.assume_alignment %3, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %4 = amdgpu.fat_raw_buffer_cast %assume_align_9 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %5 = hal.interface.binding.subspan layout(#pipeline_layout) binding(2) alignment(64) offset(%c0) flags("ReadOnly|Indirect") {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align_10 = memref.assume_alignment %5, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %6 = amdgpu.fat_raw_buffer_cast %assume_align_10 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %7 = hal.interface.binding.subspan layout(#pipeline_layout) binding(3) alignment(64) offset(%c0) flags(Indirect) {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align_11 = memref.assume_alignment %7, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %8 = amdgpu.fat_raw_buffer_cast %assume_align_11 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          scf.forall (%arg0, %arg1) in (2, 2) {
            %9 = affine.apply #map1(%arg1)
            %subview = memref.subview %8[%arg0, %9, 0] [1, 64, 64] [1, 1, 1] : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>> to memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            gpu.barrier memfence [#gpu.address_space<workgroup>]
            %10 = affine.apply #map2()[%thread_id_y_8]
            %subview_12 = memref.subview %subview[0, %10, 0] [1, 16, 64] [1, 1, 1] : memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>> to memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            %expand_shape = memref.expand_shape %subview_12 [[0, 1, 2], [3, 4, 5], [6, 7, 8]] output_shape [1, 1, 1, 1, 16, 1, 4, 4, 4] : memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>> into memref<1x1x1x1x16x1x4x4x4xf16, strided<[8192, 8192, 8192, 1024, 64, 64, 16, 4, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            %11 = gpu.lane_id upper_bound 64
            %12 = affine.apply #map3()[%11]
            %13 = affine.apply #map4()[%11]
            %subview_13 = memref.subview %expand_shape[0, 0, 0, 0, %13, 0, 0, %12, 0] [1, 1, 1, 1, 1, 1, 4, 1, 4] [1, 1, 1, 1, 1, 1, 1, 1, 1] : memref<1x1x1x1x16x1x4x4x4xf16, strided<[8192, 8192, 8192, 1024, 64, 64, 16, 4, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>> to memref<1x1x1x1x1x1x4x1x4xf16, strided<[8192, 8192, 8192, 1024, 64, 64, 16, 4, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            %14 = affine.apply #map5(%arg1)[%thread_id_y_8]
            %subview_14 = memref.subview %2[%arg0, %14, 0] [1, 16, 64] [1, 1, 1] : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>> to memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            %expand_shape_15 = memref.expand_shape %subview_14 [[0, 1, 2], [3, 4, 5], [6, 7, 8]] output_shape [1, 1, 1, 1, 16, 1, 2, 4, 8] : memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>> into memref<1x1x1x1x16x1x2x4x8xf16, strided<[8192, 8192, 8192, 1024, 64, 64, 32, 8, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            %15 = vector.transfer_read %expand_shape_15[%c0, %c0, %c0, %c0, %13, %c0, %c0, %12, %c0], %cst {in_bounds = [true, true, true, true, true, true, true, true, true]} : memref<1x1x1x1x16x1x2x4x8xf16, strided<[8192, 8192, 8192, 1024, 64, 64, 32, 8, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x1x1x1x1x2x1x8xf16>
            %16 = vector.shape_cast %15 : vector<1x1x1x1x1x1x2x1x8xf16> to vector<1x1x16xf16>
            %17 = arith.mulf %16, %cst_4 : vector<1x1x16xf16>
            %18 = vector.shape_cast %17 : vector<1x1x16xf16> to vector<1x1x2x1x8xf16>
            %19:3 = scf.for %arg2 = %c0 to %c2 step %c1 iter_args(%arg3 = %cst_2, %arg4 = %cst_1, %arg5 = %cst_3) -> (vector<1x1xf32>, vector<1x1x16xf32>, vector<1x1xf32>) {
              %25 = affine.apply #map1(%arg2)
              %subview_16 = memref.subview %4[%arg0, %25, 0] [1, 64, 64] [1, 1, 1] : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>> to memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
              %subview_17 = memref.subview %6[%arg0, %25, 0] [1, 64, 64] [1, 1, 1] : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>> to memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
              %26 = affine.apply #map6(%0)
              %27 = affine.apply #map7(%0)
              %28 = affine.apply #map8(%0)
              %cst_18 = arith.constant 0.000000e+00 : f16
              %29 = vector.transfer_read %subview_16[%26, %27, %28], %cst_18 {in_bounds = [true]} : memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>, vector<8xf16>
              vector.transfer_write %29, %alloc[%26, %27, %28] {in_bounds = [true]} : vector<8xf16>, memref<1x64x64xf16, #gpu.address_space<workgroup>>
              %30 = affine.apply #map6(%0)
              %31 = affine.apply #map9(%0)
              %32 = affine.apply #map10(%0)
              %cst_19 = arith.constant 0.000000e+00 : f16
              %33 = vector.transfer_read %subview_16[%30, %31, %32], %cst_19 {in_bounds = [true]} : memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>, vector<8xf16>
              vector.transfer_write %33, %alloc[%30, %31, %32] {in_bounds = [true]} : vector<8xf16>, memref<1x64x64xf16, #gpu.address_space<workgroup>>
              %34 = affine.apply #map6(%0)
              %35 = affine.apply #map7(%0)
              %36 = affine.apply #map8(%0)
              %cst_20 = arith.constant 0.000000e+00 : f16
              %37 = vector.transfer_read %subview_17[%34, %35, %36], %cst_20 {in_bounds = [true]} : memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>, vector<8xf16>
              vector.transfer_write %37, %alloc_0[%34, %35, %36] {in_bounds = [true]} : vector<8xf16>, memref<1x64x64xf16, #gpu.address_space<workgroup>>
              %38 = affine.apply #map6(%0)
              %39 = affine.apply #map9(%0)
              %40 = affine.apply #map10(%0)
              %cst_21 = arith.constant 0.000000e+00 : f16
              %41 = vector.transfer_read %subview_17[%38, %39, %40], %cst_21 {in_bounds = [true]} : memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>, vector<8xf16>
              vector.transfer_write %41, %alloc_0[%38, %39, %40] {in_bounds = [true]} : vector<8xf16>, memref<1x64x64xf16, #gpu.address_space<workgroup>>
              gpu.barrier
              %expand_shape_22 = memref.expand_shape %alloc [[0, 1, 2], [3, 4, 5], [6, 7, 8]] output_shape [1, 1, 1, 4, 16, 1, 2, 4, 8] : memref<1x64x64xf16, #gpu.address_space<workgroup>> into memref<1x1x1x4x16x1x2x4x8xf16, #gpu.address_space<workgroup>>
              %42 = vector.transfer_read %expand_shape_22[%c0, %c0, %c0, %c0, %13, %c0, %c0, %12, %c0], %cst {in_bounds = [true, true, true, true, true, true, true, true, true]} : memref<1x1x1x4x16x1x2x4x8xf16, #gpu.address_space<workgroup>>, vector<1x1x1x4x1x1x2x1x8xf16>
              %expand_shape_23 = memref.expand_shape %alloc_0 [[0, 1, 2], [3, 4, 5], [6, 7, 8]] output_shape [1, 1, 1, 4, 4, 4, 4, 16, 1] : memref<1x64x64xf16, #gpu.address_space<workgroup>> into memref<1x1x1x4x4x4x4x16x1xf16, #gpu.address_space<workgroup>>
              %43 = vector.transfer_read %expand_shape_23[%c0, %c0, %c0, %c0, %12, %c0, %c0, %13, %c0], %cst {in_bounds = [true, true, true, true, true, true, true, true, true]} : memref<1x1x1x4x4x4x4x16x1xf16, #gpu.address_space<workgroup>>, vector<1x1x1x4x1x4x4x1x1xf16>
              %44 = vector.shape_cast %42 : vector<1x1x1x4x1x1x2x1x8xf16> to vector<1x4x2x8x1xf16>
              %45 = iree_codegen.inner_tiled ins(%18, %44) outs(%cst_6) <indexing_maps = [#map11, #map12, #map13], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = true, opaque = true>> {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, promote_operands = [1], promotion_types = [#iree_gpu.derived_thread_config], subgroup_basis = [[1, 1, 1, 1, 1], [0, 1, 2, 3]]}>} : vector<1x1x2x1x8xf16>, vector<1x4x2x8x1xf16> into vector<1x1x4x1x4xf32>
              %46 = vector.shape_cast %45 : vector<1x1x4x1x4xf32> to vector<1x1x16xf32>
              %47 = vector.multi_reduction <maximumf>, %46, %cst_5 [2] : vector<1x1x16xf32> to vector<1x1xf32>
              %48 = vector.extract %47[0, 0] : f32 from vector<1x1xf32>
              %49 = gpu.subgroup_reduce maximumf %48 cluster(size = 4, stride = 16) : (f32) -> f32
              %50 = vector.broadcast %49 : f32 to vector<1x1xf32>
              %51 = arith.maximumf %50, %arg3 : vector<1x1xf32>
              %52 = arith.subf %arg3, %51 : vector<1x1xf32>
              %53 = math.exp2 %52 : vector<1x1xf32>
              %54 = arith.mulf %53, %arg5 : vector<1x1xf32>
              %55 = vector.broadcast %51 : vector<1x1xf32> to vector<1x1x16xf32>
              %56 = arith.subf %46, %55 : vector<1x1x16xf32>
              %57 = math.exp2 %56 : vector<1x1x16xf32>
              %58 = vector.multi_reduction <add>, %57, %cst_3 [2] : vector<1x1x16xf32> to vector<1x1xf32>
              %59 = vector.extract %58[0, 0] : f32 from vector<1x1xf32>
              %60 = gpu.subgroup_reduce add %59 cluster(size = 4, stride = 16) : (f32) -> f32
              %61 = vector.broadcast %60 : f32 to vector<1x1xf32>
              %62 = arith.addf %61, %54 : vector<1x1xf32>
              %63 = arith.truncf %57 : vector<1x1x16xf32> to vector<1x1x16xf16>
              %64 = vector.broadcast %53 : vector<1x1xf32> to vector<1x1x16xf32>
              %65 = arith.mulf %64, %arg4 : vector<1x1x16xf32>
              %66 = vector.shape_cast %63 : vector<1x1x16xf16> to vector<1x1x4x1x4xf16>
              %67 = vector.shape_cast %43 : vector<1x1x1x4x1x4x4x1x1xf16> to vector<1x4x4x4x1xf16>
              %68 = vector.transpose %67, [0, 1, 3, 2, 4] : vector<1x4x4x4x1xf16> to vector<1x4x4x4x1xf16>
              %69 = vector.shape_cast %65 : vector<1x1x16xf32> to vector<1x1x4x1x4xf32>
              %70 = iree_codegen.inner_tiled ins(%66, %68) outs(%69) <indexing_maps = [#map11, #map14, #map13], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = true, opaque = true>> {lowering_config = #iree_gpu.lowering_config<{mma_kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, promote_operands = [1], promotion_types = [#iree_gpu.derived_thread_config], subgroup_basis = [[1, 1, 1, 1, 1], [0, 1, 3, 4]]}>} : vector<1x1x4x1x4xf16>, vector<1x4x4x4x1xf16> into vector<1x1x4x1x4xf32>
              %71 = vector.shape_cast %70 : vector<1x1x4x1x4xf32> to vector<1x1x16xf32>
              gpu.barrier
              scf.yield %51, %71, %62 : vector<1x1xf32>, vector<1x1x16xf32>, vector<1x1xf32>
            }
            %20 = arith.divf %cst_7, %19#2 : vector<1x1xf32>
            %21 = vector.broadcast %20 : vector<1x1xf32> to vector<1x1x16xf32>
            %22 = arith.mulf %21, %19#1 : vector<1x1x16xf32>
            %23 = arith.truncf %22 : vector<1x1x16xf32> to vector<1x1x16xf16>
            %24 = vector.shape_cast %23 : vector<1x1x16xf16> to vector<1x1x1x1x1x1x4x1x4xf16>
            vector.transfer_write %24, %subview_13[%c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0] {in_bounds = [true, true, true, true, true, true, true, true, true]} : vector<1x1x1x1x1x1x4x1x4xf16>, memref<1x1x1x1x1x1x4x1x4xf16, strided<[8192, 8192, 8192, 1024, 64, 64, 16, 4, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
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
