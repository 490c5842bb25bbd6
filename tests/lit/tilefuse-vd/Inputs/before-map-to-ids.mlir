#executable_target_rocm_hsaco_fb = #hal.executable.target<"rocm", "rocm-hsaco-fb", {abi = "hip", iree.encoding.resolver = #iree_gpu.gpu_encoding_resolver<>, iree_codegen.default_tuning_spec = #rocm.builtin.tuning_module<"iree_default_tuning_spec_gfx942.mlir">, iree_codegen.target_info = #iree_gpu.target<arch = "gfx942", features = "", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<MFMA_F32_16x16x16_BF16>, <MFMA_F32_32x32x8_BF16>, <MFMA_F32_16x16x32_F8E5M2FNUZ>, <MFMA_F32_16x16x32_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_I32_16x16x32_I8>, <MFMA_I32_32x32x16_I8>, <MFMA_F64_16x16x4_F64>, <MFMA_F32_16x16x4_F32>, <MFMA_F32_16x16x16_F16>, <MFMA_F32_32x32x8_F16>, <MFMA_F32_4x4x4x16B_F16>, <MFMA_F32_16x16x4x4B_F16>, <MFMA_F32_32x32x4x2B_F16>, <MFMA_F32_4x4x4x16B_BF16>, <MFMA_F32_16x16x4x4B_BF16>, <MFMA_F32_32x32x4x2B_BF16>, <MFMA_F32_4x4x1x16B_F32>, <MFMA_F32_16x16x1x4B_F32>, <MFMA_F32_32x32x1x2B_F32>, <MFMA_F64_4x4x4x4B_F64>, <MFMA_I32_4x4x4x16B_I8>, <MFMA_I32_16x16x4x4B_I8>, <MFMA_I32_32x32x4x2B_I8>], subgroup_size_choices = [64], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 65536, max_workgroup_counts = [2147483647, 2147483647, 2147483647], max_load_instruction_bits = 128, simds_per_wgp = 4, vgpr_space_bits = 16384, dma_sizes = [32], workgroup_memory_bank_count = 32>>, ukernels = "none"}>
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#map2 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#map3 = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
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
        func.func @attention_dispatch_0_attention_2x128x64x128x64() attributes {gpu.known_block_size = array<i32: 64, 4, 1>, translation_info = #translation, workgroup_size = [64, 1, 1]} {
          %cst = arith.constant dense<0.000000e+00> : vector<1x1x4x1x4xf32>
          %cst_0 = arith.constant dense<0.000000e+00> : vector<1x4x4x1x1x1x1x4x1xf16>
          %cst_1 = arith.constant dense<0.000000e+00> : vector<1xf32>
          %cst_2 = arith.constant dense<0xFF800000> : vector<1x1x1x1x1x1xf32>
          %c3 = arith.constant 3 : index
          %c2 = arith.constant 2 : index
          %cst_3 = arith.constant dense<0.000000e+00> : vector<1x4x2x1x1x1x1x1x8xf16>
          %c1 = arith.constant 1 : index
          %cst_4 = arith.constant dense<0.000000e+00> : vector<1x1x2x1x1x1x1x1x8xf16>
          %c0 = arith.constant 0 : index
          %c128 = arith.constant 128 : index
          %c64 = arith.constant 64 : index
          %cst_5 = arith.constant dense<0.000000e+00> : vector<1x1x4x1x1x1x1x1x4xf32>
          %cst_6 = arith.constant dense<-3.40282347E+38> : vector<1x1x1x1x1x1xf32>
          %cst_7 = arith.constant dense<0.000000e+00> : vector<1x1x1x1x1x1xf32>
          %0 = ub.poison : f16
          %cst_8 = arith.constant dense<1.802980e-01> : vector<1x1x2x1x1x1x1x1x8xf16>
          %cst_9 = arith.constant dense<1.000000e+00> : vector<1x1x1x1x1x1xf32>
          %thread_id_x = gpu.thread_id x upper_bound 64
          %1 = affine.linearize_index disjoint [%c0, %c0, %thread_id_x] by (1, 1, 64) : index
          %2 = hal.interface.binding.subspan layout(#pipeline_layout) binding(0) alignment(64) offset(%c0) flags("ReadOnly|Indirect") {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align = memref.assume_alignment %2, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %3 = amdgpu.fat_raw_buffer_cast %assume_align resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %4 = hal.interface.binding.subspan layout(#pipeline_layout) binding(1) alignment(64) offset(%c0) flags("ReadOnly|Indirect") {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align_10 = memref.assume_alignment %4, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %5 = amdgpu.fat_raw_buffer_cast %assume_align_10 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %6 = hal.interface.binding.subspan layout(#pipeline_layout) binding(2) alignment(64) offset(%c0) flags("ReadOnly|Indirect") {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align_11 = memref.assume_alignment %6, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %7 = amdgpu.fat_raw_buffer_cast %assume_align_11 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %8 = hal.interface.binding.subspan layout(#pipeline_layout) binding(3) alignment(64) offset(%c0) flags(Indirect) {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align_12 = memref.assume_alignment %8, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %9 = amdgpu.fat_raw_buffer_cast %assume_align_12 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          scf.forall (%arg0, %arg1) = (0, 0) to (2, 128) step (1, 64) {
            %subview = memref.subview %9[%arg0, %arg1, 0] [1, 64, 64] [1, 1, 1] : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>> to memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            scf.forall (%arg2) = (0) to (64) step (16) {
              %10 = arith.addi %arg2, %arg1 : index
              %subview_13 = memref.subview %subview[0, %arg2, 0] [1, 16, 64] [1, 1, 1] : memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>> to memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
              %11:5 = affine.delinearize_index %1 into (1, 1, 1, 64) : index, index, index, index, index
              %12:4 = affine.delinearize_index %1 into (4, 16, 1) : index, index, index, index
              %13 = affine.linearize_index [%11#3, %c0, %c0, %12#3, %arg0] by (1, 1, 1, 1, 1) : index
              %14 = affine.linearize_index [%11#2, %c0, %c0, %12#2, %10] by (1, 1, 1, 16, 1) : index
              %15 = affine.linearize_index disjoint [%11#1, %c0, %c0, %12#1, %c0] by (1, 2, 1, 4, 8) : index
              %16 = vector.transfer_read %3[%13, %14, %15], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
              %17 = vector.insert_strided_slice %16, %cst_4 offsets = [0, 0, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x1x2x1x1x1x1x1x8xf16>
              %18 = affine.linearize_index [%11#3, %c0, %c0, %12#3, %arg0] by (1, 1, 1, 1, 1) : index
              %19 = affine.linearize_index [%11#2, %c0, %c0, %12#2, %10] by (1, 1, 1, 16, 1) : index
              %20 = affine.linearize_index disjoint [%11#1, %c1, %c0, %12#1, %c0] by (1, 2, 1, 4, 8) : index
              %21 = vector.transfer_read %3[%18, %19, %20], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
              %22 = vector.insert_strided_slice %21, %17 offsets = [0, 0, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x1x2x1x1x1x1x1x8xf16>
              %23 = arith.mulf %22, %cst_8 : vector<1x1x2x1x1x1x1x1x8xf16>
              %24:3 = scf.for %arg3 = %c0 to %c128 step %c64 iter_args(%arg4 = %cst_5, %arg5 = %cst_7, %arg6 = %cst_6) -> (vector<1x1x4x1x1x1x1x1x4xf32>, vector<1x1x1x1x1x1xf32>, vector<1x1x1x1x1x1xf32>) {
                %35:5 = affine.delinearize_index %1 into (1, 1, 1, 64) : index, index, index, index, index
                %36:4 = affine.delinearize_index %1 into (4, 16, 1) : index, index, index, index
                %37 = affine.linearize_index [%35#3, %c0, %c0, %36#3, %arg0] by (1, 1, 1, 1, 1) : index
                %38 = affine.linearize_index [%35#2, %c0, %c0, %36#2, %arg3] by (1, 4, 1, 16, 1) : index
                %39 = affine.linearize_index disjoint [%35#1, %c0, %c0, %36#1, %c0] by (1, 2, 1, 4, 8) : index
                %40 = vector.transfer_read %5[%37, %38, %39], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
                %41 = vector.insert_strided_slice %40, %cst_3 offsets = [0, 0, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
                %42 = affine.linearize_index [%35#3, %c0, %c0, %36#3, %arg0] by (1, 1, 1, 1, 1) : index
                %43 = affine.linearize_index [%35#2, %c0, %c0, %36#2, %arg3] by (1, 4, 1, 16, 1) : index
                %44 = affine.linearize_index disjoint [%35#1, %c1, %c0, %36#1, %c0] by (1, 2, 1, 4, 8) : index
                %45 = vector.transfer_read %5[%42, %43, %44], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
                %46 = vector.insert_strided_slice %45, %41 offsets = [0, 0, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
                %47 = affine.linearize_index [%35#3, %c0, %c0, %36#3, %arg0] by (1, 1, 1, 1, 1) : index
                %48 = affine.linearize_index [%35#2, %c1, %c0, %36#2, %arg3] by (1, 4, 1, 16, 1) : index
                %49 = affine.linearize_index disjoint [%35#1, %c0, %c0, %36#1, %c0] by (1, 2, 1, 4, 8) : index
                %50 = vector.transfer_read %5[%47, %48, %49], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
                %51 = vector.insert_strided_slice %50, %46 offsets = [0, 1, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
                %52 = affine.linearize_index [%35#3, %c0, %c0, %36#3, %arg0] by (1, 1, 1, 1, 1) : index
                %53 = affine.linearize_index [%35#2, %c1, %c0, %36#2, %arg3] by (1, 4, 1, 16, 1) : index
                %54 = affine.linearize_index disjoint [%35#1, %c1, %c0, %36#1, %c0] by (1, 2, 1, 4, 8) : index
                %55 = vector.transfer_read %5[%52, %53, %54], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
                %56 = vector.insert_strided_slice %55, %51 offsets = [0, 1, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
                %57 = affine.linearize_index [%35#3, %c0, %c0, %36#3, %arg0] by (1, 1, 1, 1, 1) : index
                %58 = affine.linearize_index [%35#2, %c2, %c0, %36#2, %arg3] by (1, 4, 1, 16, 1) : index
                %59 = affine.linearize_index disjoint [%35#1, %c0, %c0, %36#1, %c0] by (1, 2, 1, 4, 8) : index
                %60 = vector.transfer_read %5[%57, %58, %59], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
                %61 = vector.insert_strided_slice %60, %56 offsets = [0, 2, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
                %62 = affine.linearize_index [%35#3, %c0, %c0, %36#3, %arg0] by (1, 1, 1, 1, 1) : index
                %63 = affine.linearize_index [%35#2, %c2, %c0, %36#2, %arg3] by (1, 4, 1, 16, 1) : index
                %64 = affine.linearize_index disjoint [%35#1, %c1, %c0, %36#1, %c0] by (1, 2, 1, 4, 8) : index
                %65 = vector.transfer_read %5[%62, %63, %64], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
                %66 = vector.insert_strided_slice %65, %61 offsets = [0, 2, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
                %67 = affine.linearize_index [%35#3, %c0, %c0, %36#3, %arg0] by (1, 1, 1, 1, 1) : index
                %68 = affine.linearize_index [%35#2, %c3, %c0, %36#2, %arg3] by (1, 4, 1, 16, 1) : index
                %69 = affine.linearize_index disjoint [%35#1, %c0, %c0, %36#1, %c0] by (1, 2, 1, 4, 8) : index
                %70 = vector.transfer_read %5[%67, %68, %69], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
                %71 = vector.insert_strided_slice %70, %66 offsets = [0, 3, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
                %72 = affine.linearize_index [%35#3, %c0, %c0, %36#3, %arg0] by (1, 1, 1, 1, 1) : index
                %73 = affine.linearize_index [%35#2, %c3, %c0, %36#2, %arg3] by (1, 4, 1, 16, 1) : index
                %74 = affine.linearize_index disjoint [%35#1, %c1, %c0, %36#1, %c0] by (1, 2, 1, 4, 8) : index
                %75 = vector.transfer_read %5[%72, %73, %74], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
                %76 = vector.insert_strided_slice %75, %71 offsets = [0, 3, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
                %77 = vector.shape_cast %23 : vector<1x1x2x1x1x1x1x1x8xf16> to vector<1x1x2x1x8xf16>
                %78 = vector.shape_cast %76 : vector<1x4x2x1x1x1x1x1x8xf16> to vector<1x4x2x8x1xf16>
                %79 = iree_codegen.inner_tiled ins(%77, %78) outs(%cst) <indexing_maps = [#map, #map1, #map2], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = true, opaque = true>> : vector<1x1x2x1x8xf16>, vector<1x4x2x8x1xf16> into vector<1x1x4x1x4xf32>
                %80 = vector.shape_cast %79 : vector<1x1x4x1x4xf32> to vector<1x1x1x1x1x1x4x1x4xf32>
                %81 = vector.transpose %80, [0, 3, 6, 1, 4, 7, 2, 5, 8] : vector<1x1x1x1x1x1x4x1x4xf32> to vector<1x1x4x1x1x1x1x1x4xf32>
                %82 = vector.multi_reduction <maximumf>, %81, %cst_2 [2, 5, 8] : vector<1x1x4x1x1x1x1x1x4xf32> to vector<1x1x1x1x1x1xf32>
                %83 = vector.extract %82[0, 0, 0, 0, 0, 0] : f32 from vector<1x1x1x1x1x1xf32>
                %84 = gpu.subgroup_reduce maximumf %83 cluster(size = 4, stride = 16) : (f32) -> f32
                %85 = vector.insert %84, %cst_1 [0] : f32 into vector<1xf32>
                %86 = vector.shape_cast %85 : vector<1xf32> to vector<1x1x1x1x1x1xf32>
                %87 = arith.maximumf %86, %arg6 : vector<1x1x1x1x1x1xf32>
                %88 = arith.subf %arg6, %87 : vector<1x1x1x1x1x1xf32>
                %89 = math.exp2 %88 : vector<1x1x1x1x1x1xf32>
                %90 = arith.mulf %89, %arg5 : vector<1x1x1x1x1x1xf32>
                %91 = vector.broadcast %87 : vector<1x1x1x1x1x1xf32> to vector<4x1x4x1x1x1x1x1x1xf32>
                %92 = vector.transpose %91, [0, 3, 4, 1, 5, 6, 2, 7, 8] : vector<4x1x4x1x1x1x1x1x1xf32> to vector<4x1x1x1x1x1x4x1x1xf32>
                %93 = vector.transpose %92, [1, 2, 0, 4, 5, 3, 7, 8, 6] : vector<4x1x1x1x1x1x4x1x1xf32> to vector<1x1x4x1x1x1x1x1x4xf32>
                %94 = arith.subf %81, %93 : vector<1x1x4x1x1x1x1x1x4xf32>
                %95 = math.exp2 %94 : vector<1x1x4x1x1x1x1x1x4xf32>
                %96 = vector.multi_reduction <add>, %95, %cst_7 [2, 5, 8] : vector<1x1x4x1x1x1x1x1x4xf32> to vector<1x1x1x1x1x1xf32>
                %97 = vector.extract %96[0, 0, 0, 0, 0, 0] : f32 from vector<1x1x1x1x1x1xf32>
                %98 = gpu.subgroup_reduce add %97 cluster(size = 4, stride = 16) : (f32) -> f32
                %99 = vector.insert %98, %cst_1 [0] : f32 into vector<1xf32>
                %100 = vector.shape_cast %99 : vector<1xf32> to vector<1x1x1x1x1x1xf32>
                %101 = arith.addf %100, %90 : vector<1x1x1x1x1x1xf32>
                %102 = arith.truncf %95 : vector<1x1x4x1x1x1x1x1x4xf32> to vector<1x1x4x1x1x1x1x1x4xf16>
                %103 = vector.broadcast %89 : vector<1x1x1x1x1x1xf32> to vector<4x1x4x1x1x1x1x1x1xf32>
                %104 = vector.transpose %103, [0, 3, 4, 1, 5, 6, 2, 7, 8] : vector<4x1x4x1x1x1x1x1x1xf32> to vector<4x1x1x1x1x1x4x1x1xf32>
                %105 = vector.transpose %104, [1, 2, 0, 4, 5, 3, 7, 8, 6] : vector<4x1x1x1x1x1x4x1x1xf32> to vector<1x1x4x1x1x1x1x1x4xf32>
                %106 = arith.mulf %105, %arg4 : vector<1x1x4x1x1x1x1x1x4xf32>
                %107:5 = affine.delinearize_index %1 into (1, 1, 1, 64) : index, index, index, index, index
                %108:4 = affine.delinearize_index %1 into (4, 16, 1) : index, index, index, index
                %109 = affine.linearize_index [%107#3, %c0, %c0, %108#3, %arg0] by (1, 1, 1, 1, 1) : index
                %110 = affine.linearize_index [%107#2, %c0, %c0, %108#1, %arg3] by (1, 4, 1, 4, 4) : index
                %111 = affine.linearize_index disjoint [%107#1, %c0, %c0, %108#2, %c0] by (1, 4, 1, 16, 1) : index
                %112 = vector.transfer_read %7[%109, %110, %111], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
                %113 = vector.insert_strided_slice %112, %cst_0 offsets = [0, 0, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
                %114 = affine.linearize_index [%107#3, %c0, %c0, %108#3, %arg0] by (1, 1, 1, 1, 1) : index
                %115 = affine.linearize_index [%107#2, %c0, %c0, %108#1, %arg3] by (1, 4, 1, 4, 4) : index
                %116 = affine.linearize_index disjoint [%107#1, %c1, %c0, %108#2, %c0] by (1, 4, 1, 16, 1) : index
                %117 = vector.transfer_read %7[%114, %115, %116], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
                %118 = vector.insert_strided_slice %117, %113 offsets = [0, 0, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
                %119 = affine.linearize_index [%107#3, %c0, %c0, %108#3, %arg0] by (1, 1, 1, 1, 1) : index
                %120 = affine.linearize_index [%107#2, %c0, %c0, %108#1, %arg3] by (1, 4, 1, 4, 4) : index
                %121 = affine.linearize_index disjoint [%107#1, %c2, %c0, %108#2, %c0] by (1, 4, 1, 16, 1) : index
                %122 = vector.transfer_read %7[%119, %120, %121], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
                %123 = vector.insert_strided_slice %122, %118 offsets = [0, 0, 2, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
                %124 = affine.linearize_index [%107#3, %c0, %c0, %108#3, %arg0] by (1, 1, 1, 1, 1) : index
                %125 = affine.linearize_index [%107#2, %c0, %c0, %108#1, %arg3] by (1, 4, 1, 4, 4) : index
                %126 = affine.linearize_index disjoint [%107#1, %c3, %c0, %108#2, %c0] by (1, 4, 1, 16, 1) : index
                %127 = vector.transfer_read %7[%124, %125, %126], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
                %128 = vector.insert_strided_slice %127, %123 offsets = [0, 0, 3, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
                %129 = affine.linearize_index [%107#3, %c0, %c0, %108#3, %arg0] by (1, 1, 1, 1, 1) : index
                %130 = affine.linearize_index [%107#2, %c1, %c0, %108#1, %arg3] by (1, 4, 1, 4, 4) : index
                %131 = affine.linearize_index disjoint [%107#1, %c0, %c0, %108#2, %c0] by (1, 4, 1, 16, 1) : index
                %132 = vector.transfer_read %7[%129, %130, %131], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
                %133 = vector.insert_strided_slice %132, %128 offsets = [0, 1, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
                %134 = affine.linearize_index [%107#3, %c0, %c0, %108#3, %arg0] by (1, 1, 1, 1, 1) : index
                %135 = affine.linearize_index [%107#2, %c1, %c0, %108#1, %arg3] by (1, 4, 1, 4, 4) : index
                %136 = affine.linearize_index disjoint [%107#1, %c1, %c0, %108#2, %c0] by (1, 4, 1, 16, 1) : index
                %137 = vector.transfer_read %7[%134, %135, %136], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
                %138 = vector.insert_strided_slice %137, %133 offsets = [0, 1, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
                %139 = affine.linearize_index [%107#3, %c0, %c0, %108#3, %arg0] by (1, 1, 1, 1, 1) : index
                %140 = affine.linearize_index [%107#2, %c1, %c0, %108#1, %arg3] by (1, 4, 1, 4, 4) : index
                %141 = affine.linearize_index disjoint [%107#1, %c2, %c0, %108#2, %c0] by (1, 4, 1, 16, 1) : index
                %142 = vector.transfer_read %7[%139, %140, %141], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
                %143 = vector.insert_strided_slice %142, %138 offsets = [0, 1, 2, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
                %144 = affine.linearize_index [%107#3, %c0, %c0, %108#3, %arg0] by (1, 1, 1, 1, 1) : index
                %145 = affine.linearize_index [%107#2, %c1, %c0, %108#1, %arg3] by (1, 4, 1, 4, 4) : index
                %146 = affine.linearize_index disjoint [%107#1, %c3, %c0, %108#2, %c0] by (1, 4, 1, 16, 1) : index
                %147 = vector.transfer_read %7[%144, %145, %146], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
                %148 = vector.insert_strided_slice %147, %143 offsets = [0, 1, 3, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
                %149 = affine.linearize_index [%107#3, %c0, %c0, %108#3, %arg0] by (1, 1, 1, 1, 1) : index
                %150 = affine.linearize_index [%107#2, %c2, %c0, %108#1, %arg3] by (1, 4, 1, 4, 4) : index
                %151 = affine.linearize_index disjoint [%107#1, %c0, %c0, %108#2, %c0] by (1, 4, 1, 16, 1) : index
                %152 = vector.transfer_read %7[%149, %150, %151], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
                %153 = vector.insert_strided_slice %152, %148 offsets = [0, 2, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
                %154 = affine.linearize_index [%107#3, %c0, %c0, %108#3, %arg0] by (1, 1, 1, 1, 1) : index
                %155 = affine.linearize_index [%107#2, %c2, %c0, %108#1, %arg3] by (1, 4, 1, 4, 4) : index
                %156 = affine.linearize_index disjoint [%107#1, %c1, %c0, %108#2, %c0] by (1, 4, 1, 16, 1) : index
                %157 = vector.transfer_read %7[%154, %155, %156], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
                %158 = vector.insert_strided_slice %157, %153 offsets = [0, 2, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
                %159 = affine.linearize_index [%107#3, %c0, %c0, %108#3, %arg0] by (1, 1, 1, 1, 1) : index
                %160 = affine.linearize_index [%107#2, %c2, %c0, %108#1, %arg3] by (1, 4, 1, 4, 4) : index
                %161 = affine.linearize_index disjoint [%107#1, %c2, %c0, %108#2, %c0] by (1, 4, 1, 16, 1) : index
                %162 = vector.transfer_read %7[%159, %160, %161], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
                %163 = vector.insert_strided_slice %162, %158 offsets = [0, 2, 2, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
                %164 = affine.linearize_index [%107#3, %c0, %c0, %108#3, %arg0] by (1, 1, 1, 1, 1) : index
                %165 = affine.linearize_index [%107#2, %c2, %c0, %108#1, %arg3] by (1, 4, 1, 4, 4) : index
                %166 = affine.linearize_index disjoint [%107#1, %c3, %c0, %108#2, %c0] by (1, 4, 1, 16, 1) : index
                %167 = vector.transfer_read %7[%164, %165, %166], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
                %168 = vector.insert_strided_slice %167, %163 offsets = [0, 2, 3, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
                %169 = affine.linearize_index [%107#3, %c0, %c0, %108#3, %arg0] by (1, 1, 1, 1, 1) : index
                %170 = affine.linearize_index [%107#2, %c3, %c0, %108#1, %arg3] by (1, 4, 1, 4, 4) : index
                %171 = affine.linearize_index disjoint [%107#1, %c0, %c0, %108#2, %c0] by (1, 4, 1, 16, 1) : index
                %172 = vector.transfer_read %7[%169, %170, %171], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
                %173 = vector.insert_strided_slice %172, %168 offsets = [0, 3, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
                %174 = affine.linearize_index [%107#3, %c0, %c0, %108#3, %arg0] by (1, 1, 1, 1, 1) : index
                %175 = affine.linearize_index [%107#2, %c3, %c0, %108#1, %arg3] by (1, 4, 1, 4, 4) : index
                %176 = affine.linearize_index disjoint [%107#1, %c1, %c0, %108#2, %c0] by (1, 4, 1, 16, 1) : index
                %177 = vector.transfer_read %7[%174, %175, %176], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
                %178 = vector.insert_strided_slice %177, %173 offsets = [0, 3, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
                %179 = affine.linearize_index [%107#3, %c0, %c0, %108#3, %arg0] by (1, 1, 1, 1, 1) : index
                %180 = affine.linearize_index [%107#2, %c3, %c0, %108#1, %arg3] by (1, 4, 1, 4, 4) : index
                %181 = affine.linearize_index disjoint [%107#1, %c2, %c0, %108#2, %c0] by (1, 4, 1, 16, 1) : index
                %182 = vector.transfer_read %7[%179, %180, %181], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
                %183 = vector.insert_strided_slice %182, %178 offsets = [0, 3, 2, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
                %184 = affine.linearize_index [%107#3, %c0, %c0, %108#3, %arg0] by (1, 1, 1, 1, 1) : index
                %185 = affine.linearize_index [%107#2, %c3, %c0, %108#1, %arg3] by (1, 4, 1, 4, 4) : index
                %186 = affine.linearize_index disjoint [%107#1, %c3, %c0, %108#2, %c0] by (1, 4, 1, 16, 1) : index
                %187 = vector.transfer_read %7[%184, %185, %186], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
                %188 = vector.insert_strided_slice %187, %183 offsets = [0, 3, 3, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
                %189 = vector.transpose %188, [0, 3, 6, 1, 4, 7, 2, 5, 8] : vector<1x4x4x1x1x1x1x4x1xf16> to vector<1x1x1x4x1x4x4x1x1xf16>
                %190 = vector.shape_cast %189 : vector<1x1x1x4x1x4x4x1x1xf16> to vector<1x1x1x4x1x1x1x1x4x4x1x1x1x1x1xf16>
                %191 = vector.transpose %190, [0, 3, 6, 9, 12, 1, 4, 7, 10, 13, 2, 5, 8, 11, 14] : vector<1x1x1x4x1x1x1x1x4x4x1x1x1x1x1xf16> to vector<1x4x1x4x1x1x1x1x1x1x1x1x4x1x1xf16>
                %192 = vector.shape_cast %102 : vector<1x1x4x1x1x1x1x1x4xf16> to vector<1x1x4x1x4xf16>
                %193 = vector.shape_cast %191 : vector<1x4x1x4x1x1x1x1x1x1x1x1x4x1x1xf16> to vector<1x4x4x4x1xf16>
                %194 = vector.shape_cast %106 : vector<1x1x4x1x1x1x1x1x4xf32> to vector<1x1x4x1x4xf32>
                %195 = iree_codegen.inner_tiled ins(%192, %193) outs(%194) <indexing_maps = [#map, #map3, #map2], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = true, opaque = true>> : vector<1x1x4x1x4xf16>, vector<1x4x4x4x1xf16> into vector<1x1x4x1x4xf32>
                %196 = vector.shape_cast %195 : vector<1x1x4x1x4xf32> to vector<1x1x1x1x1x1x4x1x4xf32>
                %197 = vector.transpose %196, [0, 3, 6, 1, 4, 7, 2, 5, 8] : vector<1x1x1x1x1x1x4x1x4xf32> to vector<1x1x4x1x1x1x1x1x4xf32>
                scf.yield %197, %101, %87 : vector<1x1x4x1x1x1x1x1x4xf32>, vector<1x1x1x1x1x1xf32>, vector<1x1x1x1x1x1xf32>
              }
              %25 = arith.divf %cst_9, %24#1 : vector<1x1x1x1x1x1xf32>
              %26 = vector.broadcast %25 : vector<1x1x1x1x1x1xf32> to vector<4x1x4x1x1x1x1x1x1xf32>
              %27 = vector.transpose %26, [0, 3, 4, 1, 5, 6, 2, 7, 8] : vector<4x1x4x1x1x1x1x1x1xf32> to vector<4x1x1x1x1x1x4x1x1xf32>
              %28 = vector.transpose %27, [1, 2, 0, 4, 5, 3, 7, 8, 6] : vector<4x1x1x1x1x1x4x1x1xf32> to vector<1x1x4x1x1x1x1x1x4xf32>
              %29 = arith.mulf %28, %24#0 : vector<1x1x4x1x1x1x1x1x4xf32>
              %30 = arith.truncf %29 : vector<1x1x4x1x1x1x1x1x4xf32> to vector<1x1x4x1x1x1x1x1x4xf16>
              %31:5 = affine.delinearize_index %1 into (1, 1, 1, 64) : index, index, index, index, index
              %32:4 = affine.delinearize_index %1 into (4, 16, 1) : index, index, index, index
              %33:7 = affine.delinearize_index %1 into (1, 4, 16, 1, 1, 1, 1) : index, index, index, index, index, index, index
              %34 = arith.cmpi eq, %33#0, %c0 : index
              scf.if %34 {
                %35 = affine.linearize_index disjoint [%31#3, %c0, %c0, %32#3, %c0] by (1, 1, 1, 1, 1) : index
                %36 = affine.linearize_index disjoint [%31#2, %c0, %c0, %32#2, %c0] by (1, 1, 1, 16, 1) : index
                %37 = affine.linearize_index disjoint [%31#1, %c0, %c0, %32#1, %c0] by (1, 4, 1, 4, 4) : index
                %38 = vector.extract %30[0, 0, 0, 0, 0, 0] : vector<1x1x4xf16> from vector<1x1x4x1x1x1x1x1x4xf16>
                vector.transfer_write %38, %subview_13[%35, %36, %37] {in_bounds = [true, true, true]} : vector<1x1x4xf16>, memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
                %39 = affine.linearize_index disjoint [%31#3, %c0, %c0, %32#3, %c0] by (1, 1, 1, 1, 1) : index
                %40 = affine.linearize_index disjoint [%31#2, %c0, %c0, %32#2, %c0] by (1, 1, 1, 16, 1) : index
                %41 = affine.linearize_index disjoint [%31#1, %c1, %c0, %32#1, %c0] by (1, 4, 1, 4, 4) : index
                %42 = vector.extract %30[0, 0, 1, 0, 0, 0] : vector<1x1x4xf16> from vector<1x1x4x1x1x1x1x1x4xf16>
                vector.transfer_write %42, %subview_13[%39, %40, %41] {in_bounds = [true, true, true]} : vector<1x1x4xf16>, memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
                %43 = affine.linearize_index disjoint [%31#3, %c0, %c0, %32#3, %c0] by (1, 1, 1, 1, 1) : index
                %44 = affine.linearize_index disjoint [%31#2, %c0, %c0, %32#2, %c0] by (1, 1, 1, 16, 1) : index
                %45 = affine.linearize_index disjoint [%31#1, %c2, %c0, %32#1, %c0] by (1, 4, 1, 4, 4) : index
                %46 = vector.extract %30[0, 0, 2, 0, 0, 0] : vector<1x1x4xf16> from vector<1x1x4x1x1x1x1x1x4xf16>
                vector.transfer_write %46, %subview_13[%43, %44, %45] {in_bounds = [true, true, true]} : vector<1x1x4xf16>, memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
                %47 = affine.linearize_index disjoint [%31#3, %c0, %c0, %32#3, %c0] by (1, 1, 1, 1, 1) : index
                %48 = affine.linearize_index disjoint [%31#2, %c0, %c0, %32#2, %c0] by (1, 1, 1, 16, 1) : index
                %49 = affine.linearize_index disjoint [%31#1, %c3, %c0, %32#1, %c0] by (1, 4, 1, 4, 4) : index
                %50 = vector.extract %30[0, 0, 3, 0, 0, 0] : vector<1x1x4xf16> from vector<1x1x4x1x1x1x1x1x4xf16>
                vector.transfer_write %50, %subview_13[%47, %48, %49] {in_bounds = [true, true, true]} : vector<1x1x4xf16>, memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
              }
            } {mapping = [#gpu.warp<linear_dim_0>]}
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
