#executable_target_rocm_hsaco_fb = #hal.executable.target<"rocm", "rocm-hsaco-fb", {abi = "hip", iree.encoding.resolver = #iree_gpu.gpu_encoding_resolver<>, iree_codegen.default_tuning_spec = #rocm.builtin.tuning_module<"iree_default_tuning_spec_gfx942.mlir">, iree_codegen.target_info = #iree_gpu.target<arch = "gfx942", features = "", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<MFMA_F32_16x16x16_BF16>, <MFMA_F32_32x32x8_BF16>, <MFMA_F32_16x16x32_F8E5M2FNUZ>, <MFMA_F32_16x16x32_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_I32_16x16x32_I8>, <MFMA_I32_32x32x16_I8>, <MFMA_F64_16x16x4_F64>, <MFMA_F32_16x16x4_F32>, <MFMA_F32_16x16x16_F16>, <MFMA_F32_32x32x8_F16>, <MFMA_F32_4x4x4x16B_F16>, <MFMA_F32_16x16x4x4B_F16>, <MFMA_F32_32x32x4x2B_F16>, <MFMA_F32_4x4x4x16B_BF16>, <MFMA_F32_16x16x4x4B_BF16>, <MFMA_F32_32x32x4x2B_BF16>, <MFMA_F32_4x4x1x16B_F32>, <MFMA_F32_16x16x1x4B_F32>, <MFMA_F32_32x32x1x2B_F32>, <MFMA_F64_4x4x4x4B_F64>, <MFMA_I32_4x4x4x16B_I8>, <MFMA_I32_16x16x4x4B_I8>, <MFMA_I32_32x32x4x2B_I8>], subgroup_size_choices = [64], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 65536, max_workgroup_counts = [2147483647, 2147483647, 2147483647], max_load_instruction_bits = 128, simds_per_wgp = 4, vgpr_space_bits = 16384, dma_sizes = [32], workgroup_memory_bank_count = 32>>, ukernels = "none"}>
#map = affine_map<(d0) -> (d0 * 64)>
#map1 = affine_map<()[s0] -> (s0 * 16)>
#map2 = affine_map<(d0)[s0] -> (d0 * 64 + s0 * 16)>
#map3 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#map4 = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#map5 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#map6 = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
#pipeline_layout = #hal.pipeline.layout<bindings = [#hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, "ReadOnly|Indirect">, #hal.pipeline.binding<storage_buffer, Indirect>], flags = Indirect>
#translation = #iree_codegen.translation_info<pipeline = #iree_codegen.no_pipeline workgroup_size = [256, 1, 1] subgroup_size = 64, {iree_codegen.denormal_fp_math_f32 = #iree_codegen.denormal_fp_math<"preserve-sign">}>
module {
  hal.executable private @attention_dispatch_0 {
    hal.executable.variant public @rocm_hsaco_fb target(#executable_target_rocm_hsaco_fb) {
      hal.executable.export public @attention_dispatch_0_attention_2x128x64x128x64 ordinal(0) layout(#pipeline_layout) count(%arg0: !hal.device) -> (index, index, index) {
        %x, %y, %z = iree_tensor_ext.dispatch.workgroup_count_from_slice()
        hal.return %x, %y, %z : index, index, index
      }
      builtin.module {
        func.func @attention_dispatch_0_attention_2x128x64x128x64() attributes {translation_info = #translation} {
          %cst = arith.constant dense<0.000000e+00> : vector<1x1x4x1x4xf32>
          %cst_0 = arith.constant dense<0.000000e+00> : vector<1x4x4x1x1x1x1x4x1xf16>
          %cst_1 = arith.constant dense<0.000000e+00> : vector<1xf32>
          %cst_2 = arith.constant dense<0xFF800000> : vector<1x1x1x1x1x1xf32>
          %c3 = arith.constant 3 : index
          %cst_3 = arith.constant dense<0.000000e+00> : vector<1x4x2x1x1x1x1x1x8xf16>
          %cst_4 = arith.constant dense<0.000000e+00> : vector<1x1x2x1x1x1x1x1x8xf16>
          %cst_5 = arith.constant dense<1.000000e+00> : vector<1x1x1x1x1x1xf32>
          %cst_6 = arith.constant dense<1.802980e-01> : vector<1x1x2x1x1x1x1x1x8xf16>
          %0 = ub.poison : f16
          %cst_7 = arith.constant dense<0.000000e+00> : vector<1x1x1x1x1x1xf32>
          %cst_8 = arith.constant dense<-3.40282347E+38> : vector<1x1x1x1x1x1xf32>
          %cst_9 = arith.constant dense<0.000000e+00> : vector<1x1x4x1x1x1x1x1x4xf32>
          %c0 = arith.constant 0 : index
          %c2 = arith.constant 2 : index
          %c1 = arith.constant 1 : index
          %thread_id_z = gpu.thread_id z
          %thread_id_y = gpu.thread_id y
          %thread_id_x = gpu.thread_id x
          %1 = affine.linearize_index disjoint [%thread_id_z, %thread_id_y, %thread_id_x] by (1, 1, 256) : index
          %thread_id_x_10 = gpu.thread_id x
          %2 = hal.interface.binding.subspan layout(#pipeline_layout) binding(0) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align = memref.assume_alignment %2, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %3 = amdgpu.fat_raw_buffer_cast %assume_align resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %4 = hal.interface.binding.subspan layout(#pipeline_layout) binding(1) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align_11 = memref.assume_alignment %4, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %5 = amdgpu.fat_raw_buffer_cast %assume_align_11 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %6 = hal.interface.binding.subspan layout(#pipeline_layout) binding(2) alignment(64) offset(%c0) flags("ReadOnly|Indirect") : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align_12 = memref.assume_alignment %6, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %7 = amdgpu.fat_raw_buffer_cast %assume_align_12 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %8 = hal.interface.binding.subspan layout(#pipeline_layout) binding(3) alignment(64) offset(%c0) flags(Indirect) : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align_13 = memref.assume_alignment %8, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %9 = amdgpu.fat_raw_buffer_cast %assume_align_13 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          scf.forall (%arg0, %arg1) in (2, 2) {
            %10 = affine.apply #map(%arg1)
            %subview = memref.subview %9[%arg0, %10, 0] [1, 64, 64] [1, 1, 1] : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>> to memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            %11:2 = affine.delinearize_index %thread_id_x_10 into (4, 64) : index, index
            gpu.barrier memfence [#gpu.address_space<workgroup>]
            %12 = affine.apply #map1()[%11#0]
            %13 = affine.apply #map2(%arg1)[%11#0]
            %subview_14 = memref.subview %subview[0, %12, 0] [1, 16, 64] [1, 1, 1] : memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>> to memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            %14:5 = affine.delinearize_index %1 into (1, 1, 1, 64) : index, index, index, index, index
            %15:4 = affine.delinearize_index %1 into (4, 16, 1) : index, index, index, index
            %16 = affine.linearize_index [%14#3, %c0, %c0, %15#3, %arg0] by (1, 1, 1, 1, 1) : index
            %17 = affine.linearize_index [%14#2, %c0, %c0, %15#2, %13] by (1, 1, 1, 16, 1) : index
            %18 = affine.linearize_index disjoint [%14#1, %c0, %c0, %15#1, %c0] by (1, 2, 1, 4, 8) : index
            %19 = vector.transfer_read %3[%16, %17, %18], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
            %20 = vector.insert_strided_slice %19, %cst_4 offsets = [0, 0, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x1x2x1x1x1x1x1x8xf16>
            %21 = affine.linearize_index [%14#3, %c0, %c0, %15#3, %arg0] by (1, 1, 1, 1, 1) : index
            %22 = affine.linearize_index [%14#2, %c0, %c0, %15#2, %13] by (1, 1, 1, 16, 1) : index
            %23 = affine.linearize_index disjoint [%14#1, %c1, %c0, %15#1, %c0] by (1, 2, 1, 4, 8) : index
            %24 = vector.transfer_read %3[%21, %22, %23], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
            %25 = vector.insert_strided_slice %24, %20 offsets = [0, 0, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x1x2x1x1x1x1x1x8xf16>
            %26 = arith.mulf %25, %cst_6 : vector<1x1x2x1x1x1x1x1x8xf16>
            %27:3 = scf.for %arg2 = %c0 to %c2 step %c1 iter_args(%arg3 = %cst_9, %arg4 = %cst_7, %arg5 = %cst_8) -> (vector<1x1x4x1x1x1x1x1x4xf32>, vector<1x1x1x1x1x1xf32>, vector<1x1x1x1x1x1xf32>) {
              %38 = affine.apply #map(%arg2)
              %39:5 = affine.delinearize_index %1 into (1, 1, 1, 64) : index, index, index, index, index
              %40:4 = affine.delinearize_index %1 into (4, 16, 1) : index, index, index, index
              %41 = affine.linearize_index [%39#3, %c0, %c0, %40#3, %arg0] by (1, 1, 1, 1, 1) : index
              %42 = affine.linearize_index [%39#2, %c0, %c0, %40#2, %38] by (1, 4, 1, 16, 1) : index
              %43 = affine.linearize_index disjoint [%39#1, %c0, %c0, %40#1, %c0] by (1, 2, 1, 4, 8) : index
              %44 = vector.transfer_read %5[%41, %42, %43], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
              %45 = vector.insert_strided_slice %44, %cst_3 offsets = [0, 0, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
              %46 = affine.linearize_index [%39#3, %c0, %c0, %40#3, %arg0] by (1, 1, 1, 1, 1) : index
              %47 = affine.linearize_index [%39#2, %c0, %c0, %40#2, %38] by (1, 4, 1, 16, 1) : index
              %48 = affine.linearize_index disjoint [%39#1, %c1, %c0, %40#1, %c0] by (1, 2, 1, 4, 8) : index
              %49 = vector.transfer_read %5[%46, %47, %48], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
              %50 = vector.insert_strided_slice %49, %45 offsets = [0, 0, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
              %51 = affine.linearize_index [%39#3, %c0, %c0, %40#3, %arg0] by (1, 1, 1, 1, 1) : index
              %52 = affine.linearize_index [%39#2, %c1, %c0, %40#2, %38] by (1, 4, 1, 16, 1) : index
              %53 = affine.linearize_index disjoint [%39#1, %c0, %c0, %40#1, %c0] by (1, 2, 1, 4, 8) : index
              %54 = vector.transfer_read %5[%51, %52, %53], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
              %55 = vector.insert_strided_slice %54, %50 offsets = [0, 1, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
              %56 = affine.linearize_index [%39#3, %c0, %c0, %40#3, %arg0] by (1, 1, 1, 1, 1) : index
              %57 = affine.linearize_index [%39#2, %c1, %c0, %40#2, %38] by (1, 4, 1, 16, 1) : index
              %58 = affine.linearize_index disjoint [%39#1, %c1, %c0, %40#1, %c0] by (1, 2, 1, 4, 8) : index
              %59 = vector.transfer_read %5[%56, %57, %58], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
              %60 = vector.insert_strided_slice %59, %55 offsets = [0, 1, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
              %61 = affine.linearize_index [%39#3, %c0, %c0, %40#3, %arg0] by (1, 1, 1, 1, 1) : index
              %62 = affine.linearize_index [%39#2, %c2, %c0, %40#2, %38] by (1, 4, 1, 16, 1) : index
              %63 = affine.linearize_index disjoint [%39#1, %c0, %c0, %40#1, %c0] by (1, 2, 1, 4, 8) : index
              %64 = vector.transfer_read %5[%61, %62, %63], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
              %65 = vector.insert_strided_slice %64, %60 offsets = [0, 2, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
              %66 = affine.linearize_index [%39#3, %c0, %c0, %40#3, %arg0] by (1, 1, 1, 1, 1) : index
              %67 = affine.linearize_index [%39#2, %c2, %c0, %40#2, %38] by (1, 4, 1, 16, 1) : index
              %68 = affine.linearize_index disjoint [%39#1, %c1, %c0, %40#1, %c0] by (1, 2, 1, 4, 8) : index
              %69 = vector.transfer_read %5[%66, %67, %68], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
              %70 = vector.insert_strided_slice %69, %65 offsets = [0, 2, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
              %71 = affine.linearize_index [%39#3, %c0, %c0, %40#3, %arg0] by (1, 1, 1, 1, 1) : index
              %72 = affine.linearize_index [%39#2, %c3, %c0, %40#2, %38] by (1, 4, 1, 16, 1) : index
              %73 = affine.linearize_index disjoint [%39#1, %c0, %c0, %40#1, %c0] by (1, 2, 1, 4, 8) : index
              %74 = vector.transfer_read %5[%71, %72, %73], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
              %75 = vector.insert_strided_slice %74, %70 offsets = [0, 3, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
              %76 = affine.linearize_index [%39#3, %c0, %c0, %40#3, %arg0] by (1, 1, 1, 1, 1) : index
              %77 = affine.linearize_index [%39#2, %c3, %c0, %40#2, %38] by (1, 4, 1, 16, 1) : index
              %78 = affine.linearize_index disjoint [%39#1, %c1, %c0, %40#1, %c0] by (1, 2, 1, 4, 8) : index
              %79 = vector.transfer_read %5[%76, %77, %78], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
              %80 = vector.insert_strided_slice %79, %75 offsets = [0, 3, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
              %81 = vector.shape_cast %26 : vector<1x1x2x1x1x1x1x1x8xf16> to vector<1x1x2x1x8xf16>
              %82 = vector.shape_cast %80 : vector<1x4x2x1x1x1x1x1x8xf16> to vector<1x4x2x8x1xf16>
              %83 = iree_codegen.inner_tiled ins(%81, %82) outs(%cst) <indexing_maps = [#map3, #map4, #map5], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = true, opaque = true>> : vector<1x1x2x1x8xf16>, vector<1x4x2x8x1xf16> into vector<1x1x4x1x4xf32>
              %84 = vector.shape_cast %83 : vector<1x1x4x1x4xf32> to vector<1x1x1x1x1x1x4x1x4xf32>
              %85 = vector.transpose %84, [0, 3, 6, 1, 4, 7, 2, 5, 8] : vector<1x1x1x1x1x1x4x1x4xf32> to vector<1x1x4x1x1x1x1x1x4xf32>
              %86 = vector.multi_reduction <maximumf>, %85, %cst_2 [2, 5, 8] : vector<1x1x4x1x1x1x1x1x4xf32> to vector<1x1x1x1x1x1xf32>
              %87 = vector.extract %86[0, 0, 0, 0, 0, 0] : f32 from vector<1x1x1x1x1x1xf32>
              %88 = gpu.subgroup_reduce maximumf %87 cluster(size = 4, stride = 16) : (f32) -> f32
              %89 = vector.insert %88, %cst_1 [0] : f32 into vector<1xf32>
              %90 = vector.shape_cast %89 : vector<1xf32> to vector<1x1x1x1x1x1xf32>
              %91 = arith.maximumf %90, %arg5 : vector<1x1x1x1x1x1xf32>
              %92 = arith.subf %arg5, %91 : vector<1x1x1x1x1x1xf32>
              %93 = math.exp2 %92 : vector<1x1x1x1x1x1xf32>
              %94 = arith.mulf %93, %arg4 : vector<1x1x1x1x1x1xf32>
              %95 = vector.broadcast %91 : vector<1x1x1x1x1x1xf32> to vector<4x1x4x1x1x1x1x1x1xf32>
              %96 = vector.transpose %95, [0, 3, 4, 1, 5, 6, 2, 7, 8] : vector<4x1x4x1x1x1x1x1x1xf32> to vector<4x1x1x1x1x1x4x1x1xf32>
              %97 = vector.transpose %96, [1, 2, 0, 4, 5, 3, 7, 8, 6] : vector<4x1x1x1x1x1x4x1x1xf32> to vector<1x1x4x1x1x1x1x1x4xf32>
              %98 = arith.subf %85, %97 : vector<1x1x4x1x1x1x1x1x4xf32>
              %99 = math.exp2 %98 : vector<1x1x4x1x1x1x1x1x4xf32>
              %100 = vector.multi_reduction <add>, %99, %cst_7 [2, 5, 8] : vector<1x1x4x1x1x1x1x1x4xf32> to vector<1x1x1x1x1x1xf32>
              %101 = vector.extract %100[0, 0, 0, 0, 0, 0] : f32 from vector<1x1x1x1x1x1xf32>
              %102 = gpu.subgroup_reduce add %101 cluster(size = 4, stride = 16) : (f32) -> f32
              %103 = vector.insert %102, %cst_1 [0] : f32 into vector<1xf32>
              %104 = vector.shape_cast %103 : vector<1xf32> to vector<1x1x1x1x1x1xf32>
              %105 = arith.addf %104, %94 : vector<1x1x1x1x1x1xf32>
              %106 = arith.truncf %99 : vector<1x1x4x1x1x1x1x1x4xf32> to vector<1x1x4x1x1x1x1x1x4xf16>
              %107 = vector.broadcast %93 : vector<1x1x1x1x1x1xf32> to vector<4x1x4x1x1x1x1x1x1xf32>
              %108 = vector.transpose %107, [0, 3, 4, 1, 5, 6, 2, 7, 8] : vector<4x1x4x1x1x1x1x1x1xf32> to vector<4x1x1x1x1x1x4x1x1xf32>
              %109 = vector.transpose %108, [1, 2, 0, 4, 5, 3, 7, 8, 6] : vector<4x1x1x1x1x1x4x1x1xf32> to vector<1x1x4x1x1x1x1x1x4xf32>
              %110 = arith.mulf %109, %arg3 : vector<1x1x4x1x1x1x1x1x4xf32>
              %111:5 = affine.delinearize_index %1 into (1, 1, 1, 64) : index, index, index, index, index
              %112:4 = affine.delinearize_index %1 into (4, 16, 1) : index, index, index, index
              %113 = affine.linearize_index [%111#3, %c0, %c0, %112#3, %arg0] by (1, 1, 1, 1, 1) : index
              %114 = affine.linearize_index [%111#2, %c0, %c0, %112#1, %38] by (1, 4, 1, 4, 4) : index
              %115 = affine.linearize_index disjoint [%111#1, %c0, %c0, %112#2, %c0] by (1, 4, 1, 16, 1) : index
              %116 = vector.transfer_read %7[%113, %114, %115], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %117 = vector.insert_strided_slice %116, %cst_0 offsets = [0, 0, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %118 = affine.linearize_index [%111#3, %c0, %c0, %112#3, %arg0] by (1, 1, 1, 1, 1) : index
              %119 = affine.linearize_index [%111#2, %c0, %c0, %112#1, %38] by (1, 4, 1, 4, 4) : index
              %120 = affine.linearize_index disjoint [%111#1, %c1, %c0, %112#2, %c0] by (1, 4, 1, 16, 1) : index
              %121 = vector.transfer_read %7[%118, %119, %120], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %122 = vector.insert_strided_slice %121, %117 offsets = [0, 0, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %123 = affine.linearize_index [%111#3, %c0, %c0, %112#3, %arg0] by (1, 1, 1, 1, 1) : index
              %124 = affine.linearize_index [%111#2, %c0, %c0, %112#1, %38] by (1, 4, 1, 4, 4) : index
              %125 = affine.linearize_index disjoint [%111#1, %c2, %c0, %112#2, %c0] by (1, 4, 1, 16, 1) : index
              %126 = vector.transfer_read %7[%123, %124, %125], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %127 = vector.insert_strided_slice %126, %122 offsets = [0, 0, 2, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %128 = affine.linearize_index [%111#3, %c0, %c0, %112#3, %arg0] by (1, 1, 1, 1, 1) : index
              %129 = affine.linearize_index [%111#2, %c0, %c0, %112#1, %38] by (1, 4, 1, 4, 4) : index
              %130 = affine.linearize_index disjoint [%111#1, %c3, %c0, %112#2, %c0] by (1, 4, 1, 16, 1) : index
              %131 = vector.transfer_read %7[%128, %129, %130], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %132 = vector.insert_strided_slice %131, %127 offsets = [0, 0, 3, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %133 = affine.linearize_index [%111#3, %c0, %c0, %112#3, %arg0] by (1, 1, 1, 1, 1) : index
              %134 = affine.linearize_index [%111#2, %c1, %c0, %112#1, %38] by (1, 4, 1, 4, 4) : index
              %135 = affine.linearize_index disjoint [%111#1, %c0, %c0, %112#2, %c0] by (1, 4, 1, 16, 1) : index
              %136 = vector.transfer_read %7[%133, %134, %135], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %137 = vector.insert_strided_slice %136, %132 offsets = [0, 1, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %138 = affine.linearize_index [%111#3, %c0, %c0, %112#3, %arg0] by (1, 1, 1, 1, 1) : index
              %139 = affine.linearize_index [%111#2, %c1, %c0, %112#1, %38] by (1, 4, 1, 4, 4) : index
              %140 = affine.linearize_index disjoint [%111#1, %c1, %c0, %112#2, %c0] by (1, 4, 1, 16, 1) : index
              %141 = vector.transfer_read %7[%138, %139, %140], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %142 = vector.insert_strided_slice %141, %137 offsets = [0, 1, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %143 = affine.linearize_index [%111#3, %c0, %c0, %112#3, %arg0] by (1, 1, 1, 1, 1) : index
              %144 = affine.linearize_index [%111#2, %c1, %c0, %112#1, %38] by (1, 4, 1, 4, 4) : index
              %145 = affine.linearize_index disjoint [%111#1, %c2, %c0, %112#2, %c0] by (1, 4, 1, 16, 1) : index
              %146 = vector.transfer_read %7[%143, %144, %145], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %147 = vector.insert_strided_slice %146, %142 offsets = [0, 1, 2, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %148 = affine.linearize_index [%111#3, %c0, %c0, %112#3, %arg0] by (1, 1, 1, 1, 1) : index
              %149 = affine.linearize_index [%111#2, %c1, %c0, %112#1, %38] by (1, 4, 1, 4, 4) : index
              %150 = affine.linearize_index disjoint [%111#1, %c3, %c0, %112#2, %c0] by (1, 4, 1, 16, 1) : index
              %151 = vector.transfer_read %7[%148, %149, %150], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %152 = vector.insert_strided_slice %151, %147 offsets = [0, 1, 3, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %153 = affine.linearize_index [%111#3, %c0, %c0, %112#3, %arg0] by (1, 1, 1, 1, 1) : index
              %154 = affine.linearize_index [%111#2, %c2, %c0, %112#1, %38] by (1, 4, 1, 4, 4) : index
              %155 = affine.linearize_index disjoint [%111#1, %c0, %c0, %112#2, %c0] by (1, 4, 1, 16, 1) : index
              %156 = vector.transfer_read %7[%153, %154, %155], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %157 = vector.insert_strided_slice %156, %152 offsets = [0, 2, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %158 = affine.linearize_index [%111#3, %c0, %c0, %112#3, %arg0] by (1, 1, 1, 1, 1) : index
              %159 = affine.linearize_index [%111#2, %c2, %c0, %112#1, %38] by (1, 4, 1, 4, 4) : index
              %160 = affine.linearize_index disjoint [%111#1, %c1, %c0, %112#2, %c0] by (1, 4, 1, 16, 1) : index
              %161 = vector.transfer_read %7[%158, %159, %160], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %162 = vector.insert_strided_slice %161, %157 offsets = [0, 2, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %163 = affine.linearize_index [%111#3, %c0, %c0, %112#3, %arg0] by (1, 1, 1, 1, 1) : index
              %164 = affine.linearize_index [%111#2, %c2, %c0, %112#1, %38] by (1, 4, 1, 4, 4) : index
              %165 = affine.linearize_index disjoint [%111#1, %c2, %c0, %112#2, %c0] by (1, 4, 1, 16, 1) : index
              %166 = vector.transfer_read %7[%163, %164, %165], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %167 = vector.insert_strided_slice %166, %162 offsets = [0, 2, 2, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %168 = affine.linearize_index [%111#3, %c0, %c0, %112#3, %arg0] by (1, 1, 1, 1, 1) : index
              %169 = affine.linearize_index [%111#2, %c2, %c0, %112#1, %38] by (1, 4, 1, 4, 4) : index
              %170 = affine.linearize_index disjoint [%111#1, %c3, %c0, %112#2, %c0] by (1, 4, 1, 16, 1) : index
              %171 = vector.transfer_read %7[%168, %169, %170], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %172 = vector.insert_strided_slice %171, %167 offsets = [0, 2, 3, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %173 = affine.linearize_index [%111#3, %c0, %c0, %112#3, %arg0] by (1, 1, 1, 1, 1) : index
              %174 = affine.linearize_index [%111#2, %c3, %c0, %112#1, %38] by (1, 4, 1, 4, 4) : index
              %175 = affine.linearize_index disjoint [%111#1, %c0, %c0, %112#2, %c0] by (1, 4, 1, 16, 1) : index
              %176 = vector.transfer_read %7[%173, %174, %175], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %177 = vector.insert_strided_slice %176, %172 offsets = [0, 3, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %178 = affine.linearize_index [%111#3, %c0, %c0, %112#3, %arg0] by (1, 1, 1, 1, 1) : index
              %179 = affine.linearize_index [%111#2, %c3, %c0, %112#1, %38] by (1, 4, 1, 4, 4) : index
              %180 = affine.linearize_index disjoint [%111#1, %c1, %c0, %112#2, %c0] by (1, 4, 1, 16, 1) : index
              %181 = vector.transfer_read %7[%178, %179, %180], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %182 = vector.insert_strided_slice %181, %177 offsets = [0, 3, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %183 = affine.linearize_index [%111#3, %c0, %c0, %112#3, %arg0] by (1, 1, 1, 1, 1) : index
              %184 = affine.linearize_index [%111#2, %c3, %c0, %112#1, %38] by (1, 4, 1, 4, 4) : index
              %185 = affine.linearize_index disjoint [%111#1, %c2, %c0, %112#2, %c0] by (1, 4, 1, 16, 1) : index
              %186 = vector.transfer_read %7[%183, %184, %185], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %187 = vector.insert_strided_slice %186, %182 offsets = [0, 3, 2, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %188 = affine.linearize_index [%111#3, %c0, %c0, %112#3, %arg0] by (1, 1, 1, 1, 1) : index
              %189 = affine.linearize_index [%111#2, %c3, %c0, %112#1, %38] by (1, 4, 1, 4, 4) : index
              %190 = affine.linearize_index disjoint [%111#1, %c3, %c0, %112#2, %c0] by (1, 4, 1, 16, 1) : index
              %191 = vector.transfer_read %7[%188, %189, %190], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x4x1xf16>
              %192 = vector.insert_strided_slice %191, %187 offsets = [0, 3, 3, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %193 = vector.transpose %192, [0, 3, 6, 1, 4, 7, 2, 5, 8] : vector<1x4x4x1x1x1x1x4x1xf16> to vector<1x1x1x4x1x4x4x1x1xf16>
              %194 = vector.shape_cast %193 : vector<1x1x1x4x1x4x4x1x1xf16> to vector<1x1x1x4x1x1x1x1x4x4x1x1x1x1x1xf16>
              %195 = vector.transpose %194, [0, 3, 6, 9, 12, 1, 4, 7, 10, 13, 2, 5, 8, 11, 14] : vector<1x1x1x4x1x1x1x1x4x4x1x1x1x1x1xf16> to vector<1x4x1x4x1x1x1x1x1x1x1x1x4x1x1xf16>
              %196 = vector.shape_cast %106 : vector<1x1x4x1x1x1x1x1x4xf16> to vector<1x1x4x1x4xf16>
              %197 = vector.shape_cast %195 : vector<1x4x1x4x1x1x1x1x1x1x1x1x4x1x1xf16> to vector<1x4x4x4x1xf16>
              %198 = vector.shape_cast %110 : vector<1x1x4x1x1x1x1x1x4xf32> to vector<1x1x4x1x4xf32>
              %199 = iree_codegen.inner_tiled ins(%196, %197) outs(%198) <indexing_maps = [#map3, #map6, #map5], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = true, opaque = true>> : vector<1x1x4x1x4xf16>, vector<1x4x4x4x1xf16> into vector<1x1x4x1x4xf32>
              %200 = vector.shape_cast %199 : vector<1x1x4x1x4xf32> to vector<1x1x1x1x1x1x4x1x4xf32>
              %201 = vector.transpose %200, [0, 3, 6, 1, 4, 7, 2, 5, 8] : vector<1x1x1x1x1x1x4x1x4xf32> to vector<1x1x4x1x1x1x1x1x4xf32>
              scf.yield %201, %105, %91 : vector<1x1x4x1x1x1x1x1x4xf32>, vector<1x1x1x1x1x1xf32>, vector<1x1x1x1x1x1xf32>
            }
            %28 = arith.divf %cst_5, %27#1 : vector<1x1x1x1x1x1xf32>
            %29 = vector.broadcast %28 : vector<1x1x1x1x1x1xf32> to vector<4x1x4x1x1x1x1x1x1xf32>
            %30 = vector.transpose %29, [0, 3, 4, 1, 5, 6, 2, 7, 8] : vector<4x1x4x1x1x1x1x1x1xf32> to vector<4x1x1x1x1x1x4x1x1xf32>
            %31 = vector.transpose %30, [1, 2, 0, 4, 5, 3, 7, 8, 6] : vector<4x1x1x1x1x1x4x1x1xf32> to vector<1x1x4x1x1x1x1x1x4xf32>
            %32 = arith.mulf %31, %27#0 : vector<1x1x4x1x1x1x1x1x4xf32>
            %33 = arith.truncf %32 : vector<1x1x4x1x1x1x1x1x4xf32> to vector<1x1x4x1x1x1x1x1x4xf16>
            %34:5 = affine.delinearize_index %1 into (1, 1, 1, 64) : index, index, index, index, index
            %35:4 = affine.delinearize_index %1 into (4, 16, 1) : index, index, index, index
            %36:7 = affine.delinearize_index %1 into (4, 4, 16, 1, 1, 1, 1) : index, index, index, index, index, index, index
            %37 = arith.cmpi eq, %36#0, %c0 : index
            scf.if %37 {
              %38 = affine.linearize_index disjoint [%34#3, %c0, %c0, %35#3, %c0] by (1, 1, 1, 1, 1) : index
              %39 = affine.linearize_index disjoint [%34#2, %c0, %c0, %35#2, %c0] by (1, 1, 1, 16, 1) : index
              %40 = affine.linearize_index disjoint [%34#1, %c0, %c0, %35#1, %c0] by (1, 4, 1, 4, 4) : index
              %41 = vector.extract %33[0, 0, 0, 0, 0, 0] : vector<1x1x4xf16> from vector<1x1x4x1x1x1x1x1x4xf16>
              vector.transfer_write %41, %subview_14[%38, %39, %40] {in_bounds = [true, true, true]} : vector<1x1x4xf16>, memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
              %42 = affine.linearize_index disjoint [%34#3, %c0, %c0, %35#3, %c0] by (1, 1, 1, 1, 1) : index
              %43 = affine.linearize_index disjoint [%34#2, %c0, %c0, %35#2, %c0] by (1, 1, 1, 16, 1) : index
              %44 = affine.linearize_index disjoint [%34#1, %c1, %c0, %35#1, %c0] by (1, 4, 1, 4, 4) : index
              %45 = vector.extract %33[0, 0, 1, 0, 0, 0] : vector<1x1x4xf16> from vector<1x1x4x1x1x1x1x1x4xf16>
              vector.transfer_write %45, %subview_14[%42, %43, %44] {in_bounds = [true, true, true]} : vector<1x1x4xf16>, memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
              %46 = affine.linearize_index disjoint [%34#3, %c0, %c0, %35#3, %c0] by (1, 1, 1, 1, 1) : index
              %47 = affine.linearize_index disjoint [%34#2, %c0, %c0, %35#2, %c0] by (1, 1, 1, 16, 1) : index
              %48 = affine.linearize_index disjoint [%34#1, %c2, %c0, %35#1, %c0] by (1, 4, 1, 4, 4) : index
              %49 = vector.extract %33[0, 0, 2, 0, 0, 0] : vector<1x1x4xf16> from vector<1x1x4x1x1x1x1x1x4xf16>
              vector.transfer_write %49, %subview_14[%46, %47, %48] {in_bounds = [true, true, true]} : vector<1x1x4xf16>, memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
              %50 = affine.linearize_index disjoint [%34#3, %c0, %c0, %35#3, %c0] by (1, 1, 1, 1, 1) : index
              %51 = affine.linearize_index disjoint [%34#2, %c0, %c0, %35#2, %c0] by (1, 1, 1, 16, 1) : index
              %52 = affine.linearize_index disjoint [%34#1, %c3, %c0, %35#1, %c0] by (1, 4, 1, 4, 4) : index
              %53 = vector.extract %33[0, 0, 3, 0, 0, 0] : vector<1x1x4xf16> from vector<1x1x4x1x1x1x1x1x4xf16>
              vector.transfer_write %53, %subview_14[%50, %51, %52] {in_bounds = [true, true, true]} : vector<1x1x4xf16>, memref<1x16x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            }
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
