#executable_target_rocm_hsaco_fb = #hal.executable.target<"rocm", "rocm-hsaco-fb", {abi = "hip", iree.encoding.resolver = #iree_gpu.gpu_encoding_resolver<>, iree_codegen.default_tuning_spec = #rocm.builtin.tuning_module<"iree_default_tuning_spec_gfx942.mlir">, iree_codegen.target_info = #iree_gpu.target<arch = "gfx942", features = "", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<MFMA_F32_16x16x16_BF16>, <MFMA_F32_32x32x8_BF16>, <MFMA_F32_16x16x32_F8E5M2FNUZ>, <MFMA_F32_16x16x32_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_I32_16x16x32_I8>, <MFMA_I32_32x32x16_I8>, <MFMA_F64_16x16x4_F64>, <MFMA_F32_16x16x4_F32>, <MFMA_F32_16x16x16_F16>, <MFMA_F32_32x32x8_F16>, <MFMA_F32_4x4x4x16B_F16>, <MFMA_F32_16x16x4x4B_F16>, <MFMA_F32_32x32x4x2B_F16>, <MFMA_F32_4x4x4x16B_BF16>, <MFMA_F32_16x16x4x4B_BF16>, <MFMA_F32_32x32x4x2B_BF16>, <MFMA_F32_4x4x1x16B_F32>, <MFMA_F32_16x16x1x4B_F32>, <MFMA_F32_32x32x1x2B_F32>, <MFMA_F64_4x4x4x4B_F64>, <MFMA_I32_4x4x4x16B_I8>, <MFMA_I32_16x16x4x4B_I8>, <MFMA_I32_32x32x4x2B_I8>], subgroup_size_choices = [64], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 65536, max_workgroup_counts = [2147483647, 2147483647, 2147483647], max_load_instruction_bits = 128, simds_per_wgp = 4, vgpr_space_bits = 16384, dma_sizes = [32], workgroup_memory_bank_count = 32>>, ukernels = "none"}>
#map = affine_map<(d0) -> (d0 * 64)>
#map1 = affine_map<()[s0] -> (s0 * 16)>
#map2 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#map3 = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#map4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#map5 = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
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
          %cst = arith.constant dense<1.000000e+00> : vector<1x1x1x1x1x1xf32>
          %cst_0 = arith.constant dense<1.802980e-01> : vector<1x1x2x1x1x1x1x1x8xf16>
          %0 = ub.poison : f16
          %cst_1 = arith.constant dense<0.000000e+00> : vector<1x1x1x1x1x1xf32>
          %cst_2 = arith.constant dense<-3.40282347E+38> : vector<1x1x1x1x1x1xf32>
          %cst_3 = arith.constant dense<0.000000e+00> : vector<1x1x4x1x1x1x1x1x4xf32>
          %c0 = arith.constant 0 : index
          %cst_4 = arith.constant dense<0.000000e+00> : vector<1x1x2x1x1x1x1x1x8xf16>
          %c1 = arith.constant 1 : index
          %cst_5 = arith.constant dense<0.000000e+00> : vector<1x4x2x1x1x1x1x1x8xf16>
          %c2 = arith.constant 2 : index
          %c3 = arith.constant 3 : index
          %cst_6 = arith.constant dense<0xFF800000> : vector<1x1x1x1x1x1xf32>
          %cst_7 = arith.constant dense<0.000000e+00> : vector<1x4x4x1x1x1x1x4x1xf16>
          %cst_8 = arith.constant dense<0.000000e+00> : vector<1x1x4x1x4xf32>
          %thread_id_y = gpu.thread_id y
          %thread_id_x = gpu.thread_id x upper_bound 64
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
            %9 = affine.apply #map(%arg1)
            %subview = memref.subview %8[%arg0, %9, 0] [1, 64, 64] [1, 1, 1] : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>> to memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            gpu.barrier memfence [#gpu.address_space<workgroup>]
            %10 = affine.apply #map1()[%thread_id_y]
            %11 = arith.addi %10, %9 : index
            %subview_12 = memref.subview %subview[0, %10, 0] [1, 16, 64] [1, 1, 1] : memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>> to memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            %12:3 = affine.delinearize_index %thread_id_x into (4, 16) : index, index, index
            %13 = affine.linearize_index [%12#2, %11] by (16, 1) : index
            %14 = affine.linearize_index disjoint [%12#1, %c0] by (4, 8) : index
            %15 = vector.transfer_read %2[%arg0, %13, %14], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
            %16 = vector.insert_strided_slice %15, %cst_4 offsets = [0, 0, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x1x2x1x1x1x1x1x8xf16>
            %17 = affine.linearize_index disjoint [%c1, %12#1, %c0] by (2, 4, 8) : index
            %18 = vector.transfer_read %2[%arg0, %13, %17], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
            %19 = vector.insert_strided_slice %18, %16 offsets = [0, 0, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x1x2x1x1x1x1x1x8xf16>
            %20 = arith.mulf %19, %cst_0 : vector<1x1x2x1x1x1x1x1x8xf16>
            %21:3 = scf.for %arg2 = %c0 to %c2 step %c1 iter_args(%arg3 = %cst_3, %arg4 = %cst_1, %arg5 = %cst_2) -> (vector<1x1x4x1x1x1x1x1x4xf32>, vector<1x1x1x1x1x1xf32>, vector<1x1x1x1x1x1xf32>) {
              %34 = affine.apply #map(%arg2)
              %35 = affine.linearize_index [%12#2, %34] by (16, 1) : index
              %36 = vector.transfer_read %4[%arg0, %35, %14], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
              %37 = vector.insert_strided_slice %36, %cst_5 offsets = [0, 0, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
              %38 = vector.transfer_read %4[%arg0, %35, %17], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
              %39 = vector.insert_strided_slice %38, %37 offsets = [0, 0, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
              %40 = affine.linearize_index [%c1, %12#2, %34] by (4, 16, 1) : index
              %41 = vector.transfer_read %4[%arg0, %40, %14], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
              %42 = vector.insert_strided_slice %41, %39 offsets = [0, 1, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
              %43 = vector.transfer_read %4[%arg0, %40, %17], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
              %44 = vector.insert_strided_slice %43, %42 offsets = [0, 1, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
              %45 = affine.linearize_index [%c2, %12#2, %34] by (4, 16, 1) : index
              %46 = vector.transfer_read %4[%arg0, %45, %14], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
              %47 = vector.insert_strided_slice %46, %44 offsets = [0, 2, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
              %48 = vector.transfer_read %4[%arg0, %45, %17], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
              %49 = vector.insert_strided_slice %48, %47 offsets = [0, 2, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
              %50 = affine.linearize_index [%c3, %12#2, %34] by (4, 16, 1) : index
              %51 = vector.transfer_read %4[%arg0, %50, %14], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
              %52 = vector.insert_strided_slice %51, %49 offsets = [0, 3, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
              %53 = vector.transfer_read %4[%arg0, %50, %17], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
              %54 = vector.insert_strided_slice %53, %52 offsets = [0, 3, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
              %55 = vector.shape_cast %20 : vector<1x1x2x1x1x1x1x1x8xf16> to vector<1x1x2x1x8xf16>
              %56 = vector.shape_cast %54 : vector<1x4x2x1x1x1x1x1x8xf16> to vector<1x4x2x8x1xf16>
              %57 = iree_codegen.inner_tiled ins(%55, %56) outs(%cst_8) <indexing_maps = [#map2, #map3, #map4], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = true, opaque = true>> : vector<1x1x2x1x8xf16>, vector<1x4x2x8x1xf16> into vector<1x1x4x1x4xf32>
              %58 = vector.shape_cast %57 : vector<1x1x4x1x4xf32> to vector<1x1x4x1x1x1x1x1x4xf32>
              %59 = vector.multi_reduction <maximumf>, %58, %cst_6 [2, 5, 8] : vector<1x1x4x1x1x1x1x1x4xf32> to vector<1x1x1x1x1x1xf32>
              %60 = vector.extract %59[0, 0, 0, 0, 0, 0] : f32 from vector<1x1x1x1x1x1xf32>
              %61 = gpu.subgroup_reduce maximumf %60 cluster(size = 4, stride = 16) : (f32) -> f32
              %62 = vector.broadcast %61 : f32 to vector<1x1x1x1x1x1xf32>
              %63 = arith.maximumf %62, %arg5 : vector<1x1x1x1x1x1xf32>
              %64 = arith.subf %arg5, %63 : vector<1x1x1x1x1x1xf32>
              %65 = math.exp2 %64 : vector<1x1x1x1x1x1xf32>
              %66 = arith.mulf %65, %arg4 : vector<1x1x1x1x1x1xf32>
              %67 = vector.broadcast %63 : vector<1x1x1x1x1x1xf32> to vector<1x1x4x1x1x1x1x1x4xf32>
              %68 = arith.subf %58, %67 : vector<1x1x4x1x1x1x1x1x4xf32>
              %69 = math.exp2 %68 : vector<1x1x4x1x1x1x1x1x4xf32>
              %70 = vector.multi_reduction <add>, %69, %cst_1 [2, 5, 8] : vector<1x1x4x1x1x1x1x1x4xf32> to vector<1x1x1x1x1x1xf32>
              %71 = vector.extract %70[0, 0, 0, 0, 0, 0] : f32 from vector<1x1x1x1x1x1xf32>
              %72 = gpu.subgroup_reduce add %71 cluster(size = 4, stride = 16) : (f32) -> f32
              %73 = vector.broadcast %72 : f32 to vector<1x1x1x1x1x1xf32>
              %74 = arith.addf %73, %66 : vector<1x1x1x1x1x1xf32>
              %75 = arith.truncf %69 : vector<1x1x4x1x1x1x1x1x4xf32> to vector<1x1x4x1x1x1x1x1x4xf16>
              %76 = vector.broadcast %65 : vector<1x1x1x1x1x1xf32> to vector<1x1x4x1x1x1x1x1x4xf32>
              %77 = arith.mulf %76, %arg3 : vector<1x1x4x1x1x1x1x1x4xf32>
              %78 = affine.linearize_index [%12#1, %34] by (4, 4) : index
              %79 = vector.transfer_read %6[%arg0, %78, %12#2], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %80 = vector.insert_strided_slice %79, %cst_7 offsets = [0, 0, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %81 = affine.linearize_index disjoint [%c1, %12#2] by (4, 16) : index
              %82 = vector.transfer_read %6[%arg0, %78, %81], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %83 = vector.insert_strided_slice %82, %80 offsets = [0, 0, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %84 = affine.linearize_index disjoint [%c2, %12#2] by (4, 16) : index
              %85 = vector.transfer_read %6[%arg0, %78, %84], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %86 = vector.insert_strided_slice %85, %83 offsets = [0, 0, 2, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %87 = affine.linearize_index disjoint [%c3, %12#2] by (4, 16) : index
              %88 = vector.transfer_read %6[%arg0, %78, %87], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %89 = vector.insert_strided_slice %88, %86 offsets = [0, 0, 3, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %90 = affine.linearize_index [%c1, %12#1, %34] by (4, 4, 4) : index
              %91 = vector.transfer_read %6[%arg0, %90, %12#2], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %92 = vector.insert_strided_slice %91, %89 offsets = [0, 1, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %93 = vector.transfer_read %6[%arg0, %90, %81], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %94 = vector.insert_strided_slice %93, %92 offsets = [0, 1, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %95 = vector.transfer_read %6[%arg0, %90, %84], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %96 = vector.insert_strided_slice %95, %94 offsets = [0, 1, 2, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %97 = vector.transfer_read %6[%arg0, %90, %87], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %98 = vector.insert_strided_slice %97, %96 offsets = [0, 1, 3, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %99 = affine.linearize_index [%c2, %12#1, %34] by (4, 4, 4) : index
              %100 = vector.transfer_read %6[%arg0, %99, %12#2], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %101 = vector.insert_strided_slice %100, %98 offsets = [0, 2, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %102 = vector.transfer_read %6[%arg0, %99, %81], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %103 = vector.insert_strided_slice %102, %101 offsets = [0, 2, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %104 = vector.transfer_read %6[%arg0, %99, %84], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %105 = vector.insert_strided_slice %104, %103 offsets = [0, 2, 2, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %106 = vector.transfer_read %6[%arg0, %99, %87], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %107 = vector.insert_strided_slice %106, %105 offsets = [0, 2, 3, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %108 = affine.linearize_index [%c3, %12#1, %34] by (4, 4, 4) : index
              %109 = vector.transfer_read %6[%arg0, %108, %12#2], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %110 = vector.insert_strided_slice %109, %107 offsets = [0, 3, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %111 = vector.transfer_read %6[%arg0, %108, %81], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %112 = vector.insert_strided_slice %111, %110 offsets = [0, 3, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %113 = vector.transfer_read %6[%arg0, %108, %84], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %114 = vector.insert_strided_slice %113, %112 offsets = [0, 3, 2, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %115 = vector.transfer_read %6[%arg0, %108, %87], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %116 = vector.insert_strided_slice %115, %114 offsets = [0, 3, 3, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %117 = vector.transpose %116, [0, 3, 6, 1, 4, 7, 2, 5, 8] : vector<1x4x4x1x1x1x1x4x1xf16> to vector<1x1x1x4x1x4x4x1x1xf16>
              %118 = vector.shape_cast %117 : vector<1x1x1x4x1x4x4x1x1xf16> to vector<1x1x1x4x1x1x1x1x4x4x1x1x1x1x1xf16>
              %119 = vector.transpose %118, [0, 3, 6, 9, 12, 1, 4, 7, 10, 13, 2, 5, 8, 11, 14] : vector<1x1x1x4x1x1x1x1x4x4x1x1x1x1x1xf16> to vector<1x4x1x4x1x1x1x1x1x1x1x1x4x1x1xf16>
              %120 = vector.shape_cast %75 : vector<1x1x4x1x1x1x1x1x4xf16> to vector<1x1x4x1x4xf16>
              %121 = vector.shape_cast %119 : vector<1x4x1x4x1x1x1x1x1x1x1x1x4x1x1xf16> to vector<1x4x4x4x1xf16>
              %122 = vector.shape_cast %77 : vector<1x1x4x1x1x1x1x1x4xf32> to vector<1x1x4x1x4xf32>
              %123 = iree_codegen.inner_tiled ins(%120, %121) outs(%122) <indexing_maps = [#map2, #map5, #map4], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = true, opaque = true>> : vector<1x1x4x1x4xf16>, vector<1x4x4x4x1xf16> into vector<1x1x4x1x4xf32>
              %124 = vector.shape_cast %123 : vector<1x1x4x1x4xf32> to vector<1x1x4x1x1x1x1x1x4xf32>
              scf.yield %124, %74, %63 : vector<1x1x4x1x1x1x1x1x4xf32>, vector<1x1x1x1x1x1xf32>, vector<1x1x1x1x1x1xf32>
            }
            %22 = arith.divf %cst, %21#1 : vector<1x1x1x1x1x1xf32>
            %23 = vector.broadcast %22 : vector<1x1x1x1x1x1xf32> to vector<1x1x4x1x1x1x1x1x4xf32>
            %24 = arith.mulf %23, %21#0 : vector<1x1x4x1x1x1x1x1x4xf32>
            %25 = arith.truncf %24 : vector<1x1x4x1x1x1x1x1x4xf32> to vector<1x1x4x1x1x1x1x1x4xf16>
            %26 = affine.linearize_index disjoint [%12#1, %c0] by (4, 4) : index
            %27 = vector.extract %25[0, 0, 0, 0, 0, 0] : vector<1x1x4xf16> from vector<1x1x4x1x1x1x1x1x4xf16>
            vector.transfer_write %27, %subview_12[%c0, %12#2, %26] {in_bounds = [true, true, true]} : vector<1x1x4xf16>, memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            %28 = affine.linearize_index disjoint [%c1, %12#1, %c0] by (4, 4, 4) : index
            %29 = vector.extract %25[0, 0, 1, 0, 0, 0] : vector<1x1x4xf16> from vector<1x1x4x1x1x1x1x1x4xf16>
            vector.transfer_write %29, %subview_12[%c0, %12#2, %28] {in_bounds = [true, true, true]} : vector<1x1x4xf16>, memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            %30 = affine.linearize_index disjoint [%c2, %12#1, %c0] by (4, 4, 4) : index
            %31 = vector.extract %25[0, 0, 2, 0, 0, 0] : vector<1x1x4xf16> from vector<1x1x4x1x1x1x1x1x4xf16>
            vector.transfer_write %31, %subview_12[%c0, %12#2, %30] {in_bounds = [true, true, true]} : vector<1x1x4xf16>, memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            %32 = affine.linearize_index disjoint [%c3, %12#1, %c0] by (4, 4, 4) : index
            %33 = vector.extract %25[0, 0, 3, 0, 0, 0] : vector<1x1x4xf16> from vector<1x1x4x1x1x1x1x1x4xf16>
            vector.transfer_write %33, %subview_12[%c0, %12#2, %32] {in_bounds = [true, true, true]} : vector<1x1x4xf16>, memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
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
