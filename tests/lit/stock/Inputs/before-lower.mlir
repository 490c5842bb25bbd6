#executable_target_rocm_hsaco_fb = #hal.executable.target<"rocm", "rocm-hsaco-fb", {abi = "hip", iree.encoding.resolver = #iree_gpu.gpu_encoding_resolver<>, iree_codegen.default_tuning_spec = #rocm.builtin.tuning_module<"iree_default_tuning_spec_gfx942.mlir">, iree_codegen.target_info = #iree_gpu.target<arch = "gfx942", features = "", wgp = <compute = fp64|fp32|fp16|int64|int32|int16|int8, storage = b64|b32|b16|b8, subgroup = shuffle|arithmetic, dot = dp4xi8toi32, mma = [<MFMA_F32_16x16x16_BF16>, <MFMA_F32_32x32x8_BF16>, <MFMA_F32_16x16x32_F8E5M2FNUZ>, <MFMA_F32_16x16x32_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ>, <MFMA_F32_16x16x32_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ>, <MFMA_F32_32x32x16_F8E5M2FNUZ_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ>, <MFMA_F32_32x32x16_F8E4M3FNUZ_F8E5M2FNUZ>, <MFMA_I32_16x16x32_I8>, <MFMA_I32_32x32x16_I8>, <MFMA_F64_16x16x4_F64>, <MFMA_F32_16x16x4_F32>, <MFMA_F32_16x16x16_F16>, <MFMA_F32_32x32x8_F16>, <MFMA_F32_4x4x4x16B_F16>, <MFMA_F32_16x16x4x4B_F16>, <MFMA_F32_32x32x4x2B_F16>, <MFMA_F32_4x4x4x16B_BF16>, <MFMA_F32_16x16x4x4B_BF16>, <MFMA_F32_32x32x4x2B_BF16>, <MFMA_F32_4x4x1x16B_F32>, <MFMA_F32_16x16x1x4B_F32>, <MFMA_F32_32x32x1x2B_F32>, <MFMA_F64_4x4x4x4B_F64>, <MFMA_I32_4x4x4x16B_I8>, <MFMA_I32_16x16x4x4B_I8>, <MFMA_I32_32x32x4x2B_I8>], subgroup_size_choices = [64], max_workgroup_sizes = [1024, 1024, 1024], max_thread_count_per_workgroup = 1024, max_workgroup_memory_bytes = 65536, max_workgroup_counts = [2147483647, 2147483647, 2147483647], max_load_instruction_bits = 128, simds_per_wgp = 4, vgpr_space_bits = 16384, dma_sizes = [32], workgroup_memory_bank_count = 32>>, ukernels = "none"}>
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#map2 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#map3 = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
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
          %cst = arith.constant dense<0.000000e+00> : vector<1x1x4x1x4xf32>
          %cst_0 = arith.constant dense<0.000000e+00> : vector<1x4x4x1x1x1x1x4x1xf16>
          %cst_1 = arith.constant dense<0.000000e+00> : vector<1xf32>
          %cst_2 = arith.constant dense<0xFF800000> : vector<1x1x1x1x1x1xf32>
          %c3 = arith.constant 3 : index
          %c2 = arith.constant 2 : index
          %cst_3 = arith.constant dense<0.000000e+00> : vector<1x4x2x1x1x1x1x1x8xf16>
          %cst_4 = arith.constant dense<0.000000e+00> : vector<1x1x2x1x1x1x1x1x8xf16>
          %c1 = arith.constant 1 : index
          %cst_5 = arith.constant dense<1.000000e+00> : vector<1x1x1x1x1x1xf32>
          %cst_6 = arith.constant dense<1.802980e-01> : vector<1x1x2x1x1x1x1x1x8xf16>
          %0 = ub.poison : f16
          %cst_7 = arith.constant dense<0.000000e+00> : vector<1x1x1x1x1x1xf32>
          %cst_8 = arith.constant dense<-3.40282347E+38> : vector<1x1x1x1x1x1xf32>
          %cst_9 = arith.constant dense<0.000000e+00> : vector<1x1x4x1x1x1x1x1x4xf32>
          %c64 = arith.constant 64 : index
          %c128 = arith.constant 128 : index
          %c0 = arith.constant 0 : index
          %thread_id_z = gpu.thread_id z
          %thread_id_y = gpu.thread_id y
          %thread_id_x = gpu.thread_id x
          %1 = affine.linearize_index disjoint [%thread_id_z, %thread_id_y, %thread_id_x] by (1, 1, 256) : index
          %alloc = memref.alloc() : memref<1x64x64xf16, #gpu.address_space<workgroup>>
          %alloc_10 = memref.alloc() : memref<1x64x64xf16, #gpu.address_space<workgroup>>
          %alloc_11 = memref.alloc() : memref<1x64x64xf16, #gpu.address_space<workgroup>>
          %2 = hal.interface.binding.subspan layout(#pipeline_layout) binding(0) alignment(64) offset(%c0) flags("ReadOnly|Indirect") {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align = memref.assume_alignment %2, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %3 = amdgpu.fat_raw_buffer_cast %assume_align resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %4 = hal.interface.binding.subspan layout(#pipeline_layout) binding(1) alignment(64) offset(%c0) flags("ReadOnly|Indirect") {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align_12 = memref.assume_alignment %4, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %5 = amdgpu.fat_raw_buffer_cast %assume_align_12 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %6 = hal.interface.binding.subspan layout(#pipeline_layout) binding(2) alignment(64) offset(%c0) flags("ReadOnly|Indirect") {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align_13 = memref.assume_alignment %6, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %7 = amdgpu.fat_raw_buffer_cast %assume_align_13 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          %8 = hal.interface.binding.subspan layout(#pipeline_layout) binding(3) alignment(64) offset(%c0) flags(Indirect) {iree_gpu.use_rocdl_buffer_instructions} : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %assume_align_14 = memref.assume_alignment %8, 64 : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>>
          %9 = amdgpu.fat_raw_buffer_cast %assume_align_14 resetOffset : memref<2x128x64xf16, #hal.descriptor_type<storage_buffer>> to memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>
          scf.forall (%arg0, %arg1) = (0, 0) to (2, 128) step (1, 64) {
            gpu.barrier memfence [#gpu.address_space<workgroup>]
            %subview = memref.subview %9[%arg0, %arg1, 0] [1, 64, 64] [1, 1, 1] : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>> to memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            %10:5 = affine.delinearize_index %1 into (1, 1, 1, 64) : index, index, index, index, index
            %11:4 = affine.delinearize_index %1 into (32, 8, 1) : index, index, index, index
            %12 = affine.linearize_index [%10#3, %c0, %c0, %11#3, %arg0] by (1, 1, 1, 1, 1) : index
            %13 = affine.linearize_index [%10#2, %c0, %c0, %11#1, %arg1] by (1, 2, 1, 32, 1) : index
            %14 = affine.linearize_index disjoint [%10#1, %c0, %c0, %11#2, %c0] by (1, 1, 1, 8, 8) : index
            %15 = vector.transfer_read %3[%12, %13, %14], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
            %16 = affine.linearize_index [%10#3, %c0, %c0, %11#3, %arg0] by (1, 1, 1, 1, 1) : index
            %17 = affine.linearize_index [%10#2, %c1, %c0, %11#1, %arg1] by (1, 2, 1, 32, 1) : index
            %18 = affine.linearize_index disjoint [%10#1, %c0, %c0, %11#2, %c0] by (1, 1, 1, 8, 8) : index
            %19 = vector.transfer_read %3[%16, %17, %18], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
            %20:5 = affine.delinearize_index %1 into (1, 1, 1, 64) : index, index, index, index, index
            %21:4 = affine.delinearize_index %1 into (32, 8, 1) : index, index, index, index
            %22:7 = affine.delinearize_index %1 into (1, 32, 8, 1, 1, 1, 1) : index, index, index, index, index, index, index
            %23 = arith.cmpi eq, %22#0, %c0 : index
            scf.if %23 {
              %48 = affine.linearize_index disjoint [%20#3, %c0, %c0, %21#3, %c0] by (1, 1, 1, 1, 1) : index
              %49 = affine.linearize_index disjoint [%20#2, %c0, %c0, %21#1, %c0] by (1, 2, 1, 32, 1) : index
              %50 = affine.linearize_index disjoint [%20#1, %c0, %c0, %21#2, %c0] by (1, 1, 1, 8, 8) : index
              vector.transfer_write %15, %alloc_11[%48, %49, %50] {in_bounds = [true, true, true]} : vector<1x1x8xf16>, memref<1x64x64xf16, #gpu.address_space<workgroup>>
              %51 = affine.linearize_index disjoint [%20#3, %c0, %c0, %21#3, %c0] by (1, 1, 1, 1, 1) : index
              %52 = affine.linearize_index disjoint [%20#2, %c1, %c0, %21#1, %c0] by (1, 2, 1, 32, 1) : index
              %53 = affine.linearize_index disjoint [%20#1, %c0, %c0, %21#2, %c0] by (1, 1, 1, 8, 8) : index
              vector.transfer_write %19, %alloc_11[%51, %52, %53] {in_bounds = [true, true, true]} : vector<1x1x8xf16>, memref<1x64x64xf16, #gpu.address_space<workgroup>>
            }
            gpu.barrier memfence [#gpu.address_space<workgroup>]
            %24:5 = affine.delinearize_index %1 into (4, 1, 1, 64) : index, index, index, index, index
            %25:4 = affine.delinearize_index %1 into (4, 16, 1) : index, index, index, index
            %26 = affine.linearize_index disjoint [%24#3, %c0, %c0, %25#3, %c0] by (1, 1, 1, 1, 1) : index
            %27 = affine.linearize_index disjoint [%24#1, %c0, %c0, %25#2, %c0] by (4, 1, 1, 16, 1) : index
            %28 = affine.linearize_index disjoint [%24#2, %c0, %c0, %25#1, %c0] by (1, 2, 1, 4, 8) : index
            %29 = vector.transfer_read %alloc_11[%26, %27, %28], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x1x8xf16>
            %30 = vector.insert_strided_slice %29, %cst_4 offsets = [0, 0, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x1x2x1x1x1x1x1x8xf16>
            %31 = affine.linearize_index disjoint [%24#3, %c0, %c0, %25#3, %c0] by (1, 1, 1, 1, 1) : index
            %32 = affine.linearize_index disjoint [%24#1, %c0, %c0, %25#2, %c0] by (4, 1, 1, 16, 1) : index
            %33 = affine.linearize_index disjoint [%24#2, %c1, %c0, %25#1, %c0] by (1, 2, 1, 4, 8) : index
            %34 = vector.transfer_read %alloc_11[%31, %32, %33], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x1x8xf16>
            %35 = vector.insert_strided_slice %34, %30 offsets = [0, 0, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x1x2x1x1x1x1x1x8xf16>
            %36 = arith.mulf %35, %cst_6 : vector<1x1x2x1x1x1x1x1x8xf16>
            %37:3 = scf.for %arg2 = %c0 to %c128 step %c64 iter_args(%arg3 = %cst_9, %arg4 = %cst_7, %arg5 = %cst_8) -> (vector<1x1x4x1x1x1x1x1x4xf32>, vector<1x1x1x1x1x1xf32>, vector<1x1x1x1x1x1xf32>) {
              gpu.barrier memfence [#gpu.address_space<workgroup>]
              %48:5 = affine.delinearize_index %1 into (1, 1, 1, 64) : index, index, index, index, index
              %49:4 = affine.delinearize_index %1 into (32, 8, 1) : index, index, index, index
              %50 = affine.linearize_index [%48#3, %c0, %c0, %49#3, %arg0] by (1, 1, 1, 1, 1) : index
              %51 = affine.linearize_index [%48#2, %c0, %c0, %49#1, %arg2] by (1, 2, 1, 32, 1) : index
              %52 = affine.linearize_index disjoint [%48#1, %c0, %c0, %49#2, %c0] by (1, 1, 1, 8, 8) : index
              %53 = vector.transfer_read %5[%50, %51, %52], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
              %54 = affine.linearize_index [%48#3, %c0, %c0, %49#3, %arg0] by (1, 1, 1, 1, 1) : index
              %55 = affine.linearize_index [%48#2, %c1, %c0, %49#1, %arg2] by (1, 2, 1, 32, 1) : index
              %56 = affine.linearize_index disjoint [%48#1, %c0, %c0, %49#2, %c0] by (1, 1, 1, 8, 8) : index
              %57 = vector.transfer_read %5[%54, %55, %56], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
              %58:5 = affine.delinearize_index %1 into (1, 1, 1, 64) : index, index, index, index, index
              %59:4 = affine.delinearize_index %1 into (32, 8, 1) : index, index, index, index
              %60:7 = affine.delinearize_index %1 into (1, 32, 8, 1, 1, 1, 1) : index, index, index, index, index, index, index
              %61 = arith.cmpi eq, %60#0, %c0 : index
              scf.if %61 {
                %239 = affine.linearize_index disjoint [%58#3, %c0, %c0, %59#3, %c0] by (1, 1, 1, 1, 1) : index
                %240 = affine.linearize_index disjoint [%58#2, %c0, %c0, %59#1, %c0] by (1, 2, 1, 32, 1) : index
                %241 = affine.linearize_index disjoint [%58#1, %c0, %c0, %59#2, %c0] by (1, 1, 1, 8, 8) : index
                vector.transfer_write %53, %alloc_10[%239, %240, %241] {in_bounds = [true, true, true]} : vector<1x1x8xf16>, memref<1x64x64xf16, #gpu.address_space<workgroup>>
                %242 = affine.linearize_index disjoint [%58#3, %c0, %c0, %59#3, %c0] by (1, 1, 1, 1, 1) : index
                %243 = affine.linearize_index disjoint [%58#2, %c1, %c0, %59#1, %c0] by (1, 2, 1, 32, 1) : index
                %244 = affine.linearize_index disjoint [%58#1, %c0, %c0, %59#2, %c0] by (1, 1, 1, 8, 8) : index
                vector.transfer_write %57, %alloc_10[%242, %243, %244] {in_bounds = [true, true, true]} : vector<1x1x8xf16>, memref<1x64x64xf16, #gpu.address_space<workgroup>>
              }
              %62:5 = affine.delinearize_index %1 into (1, 1, 1, 64) : index, index, index, index, index
              %63:4 = affine.delinearize_index %1 into (32, 8, 1) : index, index, index, index
              %64 = affine.linearize_index [%62#3, %c0, %c0, %63#3, %arg0] by (1, 1, 1, 1, 1) : index
              %65 = affine.linearize_index [%62#2, %c0, %c0, %63#1, %arg2] by (1, 2, 1, 32, 1) : index
              %66 = affine.linearize_index disjoint [%62#1, %c0, %c0, %63#2, %c0] by (1, 1, 1, 8, 8) : index
              %67 = vector.transfer_read %7[%64, %65, %66], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
              %68 = affine.linearize_index [%62#3, %c0, %c0, %63#3, %arg0] by (1, 1, 1, 1, 1) : index
              %69 = affine.linearize_index [%62#2, %c1, %c0, %63#1, %arg2] by (1, 2, 1, 32, 1) : index
              %70 = affine.linearize_index disjoint [%62#1, %c0, %c0, %63#2, %c0] by (1, 1, 1, 8, 8) : index
              %71 = vector.transfer_read %7[%68, %69, %70], %0 {in_bounds = [true, true, true]} : memref<2x128x64xf16, #amdgpu.address_space<fat_raw_buffer>>, vector<1x1x8xf16>
              %72:5 = affine.delinearize_index %1 into (1, 1, 1, 64) : index, index, index, index, index
              %73:4 = affine.delinearize_index %1 into (32, 8, 1) : index, index, index, index
              %74:7 = affine.delinearize_index %1 into (1, 32, 8, 1, 1, 1, 1) : index, index, index, index, index, index, index
              %75 = arith.cmpi eq, %74#0, %c0 : index
              scf.if %75 {
                %239 = affine.linearize_index disjoint [%72#3, %c0, %c0, %73#3, %c0] by (1, 1, 1, 1, 1) : index
                %240 = affine.linearize_index disjoint [%72#2, %c0, %c0, %73#1, %c0] by (1, 2, 1, 32, 1) : index
                %241 = affine.linearize_index disjoint [%72#1, %c0, %c0, %73#2, %c0] by (1, 1, 1, 8, 8) : index
                vector.transfer_write %67, %alloc[%239, %240, %241] {in_bounds = [true, true, true]} : vector<1x1x8xf16>, memref<1x64x64xf16, #gpu.address_space<workgroup>>
                %242 = affine.linearize_index disjoint [%72#3, %c0, %c0, %73#3, %c0] by (1, 1, 1, 1, 1) : index
                %243 = affine.linearize_index disjoint [%72#2, %c1, %c0, %73#1, %c0] by (1, 2, 1, 32, 1) : index
                %244 = affine.linearize_index disjoint [%72#1, %c0, %c0, %73#2, %c0] by (1, 1, 1, 8, 8) : index
                vector.transfer_write %71, %alloc[%242, %243, %244] {in_bounds = [true, true, true]} : vector<1x1x8xf16>, memref<1x64x64xf16, #gpu.address_space<workgroup>>
              }
              gpu.barrier memfence [#gpu.address_space<workgroup>]
              %76:5 = affine.delinearize_index %1 into (1, 1, 1, 64) : index, index, index, index, index
              %77:4 = affine.delinearize_index %1 into (4, 16, 1) : index, index, index, index
              %78 = affine.linearize_index disjoint [%76#3, %c0, %c0, %77#3, %c0] by (1, 1, 1, 1, 1) : index
              %79 = affine.linearize_index disjoint [%76#2, %c0, %c0, %77#2, %c0] by (1, 4, 1, 16, 1) : index
              %80 = affine.linearize_index disjoint [%76#1, %c0, %c0, %77#1, %c0] by (1, 2, 1, 4, 8) : index
              %81 = vector.transfer_read %alloc_10[%78, %79, %80], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x1x8xf16>
              %82 = vector.insert_strided_slice %81, %cst_3 offsets = [0, 0, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
              %83 = affine.linearize_index disjoint [%76#3, %c0, %c0, %77#3, %c0] by (1, 1, 1, 1, 1) : index
              %84 = affine.linearize_index disjoint [%76#2, %c0, %c0, %77#2, %c0] by (1, 4, 1, 16, 1) : index
              %85 = affine.linearize_index disjoint [%76#1, %c1, %c0, %77#1, %c0] by (1, 2, 1, 4, 8) : index
              %86 = vector.transfer_read %alloc_10[%83, %84, %85], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x1x8xf16>
              %87 = vector.insert_strided_slice %86, %82 offsets = [0, 0, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
              %88 = affine.linearize_index disjoint [%76#3, %c0, %c0, %77#3, %c0] by (1, 1, 1, 1, 1) : index
              %89 = affine.linearize_index disjoint [%76#2, %c1, %c0, %77#2, %c0] by (1, 4, 1, 16, 1) : index
              %90 = affine.linearize_index disjoint [%76#1, %c0, %c0, %77#1, %c0] by (1, 2, 1, 4, 8) : index
              %91 = vector.transfer_read %alloc_10[%88, %89, %90], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x1x8xf16>
              %92 = vector.insert_strided_slice %91, %87 offsets = [0, 1, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
              %93 = affine.linearize_index disjoint [%76#3, %c0, %c0, %77#3, %c0] by (1, 1, 1, 1, 1) : index
              %94 = affine.linearize_index disjoint [%76#2, %c1, %c0, %77#2, %c0] by (1, 4, 1, 16, 1) : index
              %95 = affine.linearize_index disjoint [%76#1, %c1, %c0, %77#1, %c0] by (1, 2, 1, 4, 8) : index
              %96 = vector.transfer_read %alloc_10[%93, %94, %95], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x1x8xf16>
              %97 = vector.insert_strided_slice %96, %92 offsets = [0, 1, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
              %98 = affine.linearize_index disjoint [%76#3, %c0, %c0, %77#3, %c0] by (1, 1, 1, 1, 1) : index
              %99 = affine.linearize_index disjoint [%76#2, %c2, %c0, %77#2, %c0] by (1, 4, 1, 16, 1) : index
              %100 = affine.linearize_index disjoint [%76#1, %c0, %c0, %77#1, %c0] by (1, 2, 1, 4, 8) : index
              %101 = vector.transfer_read %alloc_10[%98, %99, %100], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x1x8xf16>
              %102 = vector.insert_strided_slice %101, %97 offsets = [0, 2, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
              %103 = affine.linearize_index disjoint [%76#3, %c0, %c0, %77#3, %c0] by (1, 1, 1, 1, 1) : index
              %104 = affine.linearize_index disjoint [%76#2, %c2, %c0, %77#2, %c0] by (1, 4, 1, 16, 1) : index
              %105 = affine.linearize_index disjoint [%76#1, %c1, %c0, %77#1, %c0] by (1, 2, 1, 4, 8) : index
              %106 = vector.transfer_read %alloc_10[%103, %104, %105], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x1x8xf16>
              %107 = vector.insert_strided_slice %106, %102 offsets = [0, 2, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
              %108 = affine.linearize_index disjoint [%76#3, %c0, %c0, %77#3, %c0] by (1, 1, 1, 1, 1) : index
              %109 = affine.linearize_index disjoint [%76#2, %c3, %c0, %77#2, %c0] by (1, 4, 1, 16, 1) : index
              %110 = affine.linearize_index disjoint [%76#1, %c0, %c0, %77#1, %c0] by (1, 2, 1, 4, 8) : index
              %111 = vector.transfer_read %alloc_10[%108, %109, %110], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x1x8xf16>
              %112 = vector.insert_strided_slice %111, %107 offsets = [0, 3, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
              %113 = affine.linearize_index disjoint [%76#3, %c0, %c0, %77#3, %c0] by (1, 1, 1, 1, 1) : index
              %114 = affine.linearize_index disjoint [%76#2, %c3, %c0, %77#2, %c0] by (1, 4, 1, 16, 1) : index
              %115 = affine.linearize_index disjoint [%76#1, %c1, %c0, %77#1, %c0] by (1, 2, 1, 4, 8) : index
              %116 = vector.transfer_read %alloc_10[%113, %114, %115], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x1x8xf16>
              %117 = vector.insert_strided_slice %116, %112 offsets = [0, 3, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x1x8xf16> into vector<1x4x2x1x1x1x1x1x8xf16>
              %118 = vector.shape_cast %36 : vector<1x1x2x1x1x1x1x1x8xf16> to vector<1x1x2x1x8xf16>
              %119 = vector.shape_cast %117 : vector<1x4x2x1x1x1x1x1x8xf16> to vector<1x4x2x8x1xf16>
              %120 = iree_codegen.inner_tiled ins(%118, %119) outs(%cst) <indexing_maps = [#map, #map1, #map2], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.virtual_mma_layout<VMFMA_F32_16x16x32_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = true, opaque = true>> : vector<1x1x2x1x8xf16>, vector<1x4x2x8x1xf16> into vector<1x1x4x1x4xf32>
              %121 = vector.shape_cast %120 : vector<1x1x4x1x4xf32> to vector<1x1x1x1x1x1x4x1x4xf32>
              %122 = vector.transpose %121, [0, 3, 6, 1, 4, 7, 2, 5, 8] : vector<1x1x1x1x1x1x4x1x4xf32> to vector<1x1x4x1x1x1x1x1x4xf32>
              %123 = vector.multi_reduction <maximumf>, %122, %cst_2 [2, 5, 8] : vector<1x1x4x1x1x1x1x1x4xf32> to vector<1x1x1x1x1x1xf32>
              %124 = vector.extract %123[0, 0, 0, 0, 0, 0] : f32 from vector<1x1x1x1x1x1xf32>
              %125 = gpu.subgroup_reduce maximumf %124 cluster(size = 4, stride = 16) : (f32) -> f32
              %126 = vector.insert %125, %cst_1 [0] : f32 into vector<1xf32>
              %127 = vector.shape_cast %126 : vector<1xf32> to vector<1x1x1x1x1x1xf32>
              %128 = arith.maximumf %127, %arg5 : vector<1x1x1x1x1x1xf32>
              %129 = arith.subf %arg5, %128 : vector<1x1x1x1x1x1xf32>
              %130 = math.exp2 %129 : vector<1x1x1x1x1x1xf32>
              %131 = arith.mulf %130, %arg4 : vector<1x1x1x1x1x1xf32>
              %132 = vector.broadcast %128 : vector<1x1x1x1x1x1xf32> to vector<4x1x4x1x1x1x1x1x1xf32>
              %133 = vector.transpose %132, [0, 3, 4, 1, 5, 6, 2, 7, 8] : vector<4x1x4x1x1x1x1x1x1xf32> to vector<4x1x1x1x1x1x4x1x1xf32>
              %134 = vector.transpose %133, [1, 2, 0, 4, 5, 3, 7, 8, 6] : vector<4x1x1x1x1x1x4x1x1xf32> to vector<1x1x4x1x1x1x1x1x4xf32>
              %135 = arith.subf %122, %134 : vector<1x1x4x1x1x1x1x1x4xf32>
              %136 = math.exp2 %135 : vector<1x1x4x1x1x1x1x1x4xf32>
              %137 = vector.multi_reduction <add>, %136, %cst_7 [2, 5, 8] : vector<1x1x4x1x1x1x1x1x4xf32> to vector<1x1x1x1x1x1xf32>
              %138 = vector.extract %137[0, 0, 0, 0, 0, 0] : f32 from vector<1x1x1x1x1x1xf32>
              %139 = gpu.subgroup_reduce add %138 cluster(size = 4, stride = 16) : (f32) -> f32
              %140 = vector.insert %139, %cst_1 [0] : f32 into vector<1xf32>
              %141 = vector.shape_cast %140 : vector<1xf32> to vector<1x1x1x1x1x1xf32>
              %142 = arith.addf %141, %131 : vector<1x1x1x1x1x1xf32>
              %143 = arith.truncf %136 : vector<1x1x4x1x1x1x1x1x4xf32> to vector<1x1x4x1x1x1x1x1x4xf16>
              %144 = vector.broadcast %130 : vector<1x1x1x1x1x1xf32> to vector<4x1x4x1x1x1x1x1x1xf32>
              %145 = vector.transpose %144, [0, 3, 4, 1, 5, 6, 2, 7, 8] : vector<4x1x4x1x1x1x1x1x1xf32> to vector<4x1x1x1x1x1x4x1x1xf32>
              %146 = vector.transpose %145, [1, 2, 0, 4, 5, 3, 7, 8, 6] : vector<4x1x1x1x1x1x4x1x1xf32> to vector<1x1x4x1x1x1x1x1x4xf32>
              %147 = arith.mulf %146, %arg3 : vector<1x1x4x1x1x1x1x1x4xf32>
              %148:5 = affine.delinearize_index %1 into (1, 1, 1, 64) : index, index, index, index, index
              %149:4 = affine.delinearize_index %1 into (4, 16, 1) : index, index, index, index
              %150 = affine.linearize_index disjoint [%148#3, %c0, %c0, %149#3, %c0] by (1, 1, 1, 1, 1) : index
              %151 = affine.linearize_index disjoint [%148#2, %c0, %c0, %149#1, %c0] by (1, 4, 1, 4, 4) : index
              %152 = affine.linearize_index disjoint [%148#1, %c0, %c0, %149#2, %c0] by (1, 4, 1, 16, 1) : index
              %153 = vector.transfer_read %alloc[%150, %151, %152], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x4x1xf16>
              %154 = vector.insert_strided_slice %153, %cst_0 offsets = [0, 0, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %155 = affine.linearize_index disjoint [%148#3, %c0, %c0, %149#3, %c0] by (1, 1, 1, 1, 1) : index
              %156 = affine.linearize_index disjoint [%148#2, %c0, %c0, %149#1, %c0] by (1, 4, 1, 4, 4) : index
              %157 = affine.linearize_index disjoint [%148#1, %c1, %c0, %149#2, %c0] by (1, 4, 1, 16, 1) : index
              %158 = vector.transfer_read %alloc[%155, %156, %157], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x4x1xf16>
              %159 = vector.insert_strided_slice %158, %154 offsets = [0, 0, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %160 = affine.linearize_index disjoint [%148#3, %c0, %c0, %149#3, %c0] by (1, 1, 1, 1, 1) : index
              %161 = affine.linearize_index disjoint [%148#2, %c0, %c0, %149#1, %c0] by (1, 4, 1, 4, 4) : index
              %162 = affine.linearize_index disjoint [%148#1, %c2, %c0, %149#2, %c0] by (1, 4, 1, 16, 1) : index
              %163 = vector.transfer_read %alloc[%160, %161, %162], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x4x1xf16>
              %164 = vector.insert_strided_slice %163, %159 offsets = [0, 0, 2, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %165 = affine.linearize_index disjoint [%148#3, %c0, %c0, %149#3, %c0] by (1, 1, 1, 1, 1) : index
              %166 = affine.linearize_index disjoint [%148#2, %c0, %c0, %149#1, %c0] by (1, 4, 1, 4, 4) : index
              %167 = affine.linearize_index disjoint [%148#1, %c3, %c0, %149#2, %c0] by (1, 4, 1, 16, 1) : index
              %168 = vector.transfer_read %alloc[%165, %166, %167], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x4x1xf16>
              %169 = vector.insert_strided_slice %168, %164 offsets = [0, 0, 3, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %170 = affine.linearize_index disjoint [%148#3, %c0, %c0, %149#3, %c0] by (1, 1, 1, 1, 1) : index
              %171 = affine.linearize_index disjoint [%148#2, %c1, %c0, %149#1, %c0] by (1, 4, 1, 4, 4) : index
              %172 = affine.linearize_index disjoint [%148#1, %c0, %c0, %149#2, %c0] by (1, 4, 1, 16, 1) : index
              %173 = vector.transfer_read %alloc[%170, %171, %172], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x4x1xf16>
              %174 = vector.insert_strided_slice %173, %169 offsets = [0, 1, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %175 = affine.linearize_index disjoint [%148#3, %c0, %c0, %149#3, %c0] by (1, 1, 1, 1, 1) : index
              %176 = affine.linearize_index disjoint [%148#2, %c1, %c0, %149#1, %c0] by (1, 4, 1, 4, 4) : index
              %177 = affine.linearize_index disjoint [%148#1, %c1, %c0, %149#2, %c0] by (1, 4, 1, 16, 1) : index
              %178 = vector.transfer_read %alloc[%175, %176, %177], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x4x1xf16>
              %179 = vector.insert_strided_slice %178, %174 offsets = [0, 1, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %180 = affine.linearize_index disjoint [%148#3, %c0, %c0, %149#3, %c0] by (1, 1, 1, 1, 1) : index
              %181 = affine.linearize_index disjoint [%148#2, %c1, %c0, %149#1, %c0] by (1, 4, 1, 4, 4) : index
              %182 = affine.linearize_index disjoint [%148#1, %c2, %c0, %149#2, %c0] by (1, 4, 1, 16, 1) : index
              %183 = vector.transfer_read %alloc[%180, %181, %182], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x4x1xf16>
              %184 = vector.insert_strided_slice %183, %179 offsets = [0, 1, 2, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %185 = affine.linearize_index disjoint [%148#3, %c0, %c0, %149#3, %c0] by (1, 1, 1, 1, 1) : index
              %186 = affine.linearize_index disjoint [%148#2, %c1, %c0, %149#1, %c0] by (1, 4, 1, 4, 4) : index
              %187 = affine.linearize_index disjoint [%148#1, %c3, %c0, %149#2, %c0] by (1, 4, 1, 16, 1) : index
              %188 = vector.transfer_read %alloc[%185, %186, %187], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x4x1xf16>
              %189 = vector.insert_strided_slice %188, %184 offsets = [0, 1, 3, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %190 = affine.linearize_index disjoint [%148#3, %c0, %c0, %149#3, %c0] by (1, 1, 1, 1, 1) : index
              %191 = affine.linearize_index disjoint [%148#2, %c2, %c0, %149#1, %c0] by (1, 4, 1, 4, 4) : index
              %192 = affine.linearize_index disjoint [%148#1, %c0, %c0, %149#2, %c0] by (1, 4, 1, 16, 1) : index
              %193 = vector.transfer_read %alloc[%190, %191, %192], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x4x1xf16>
              %194 = vector.insert_strided_slice %193, %189 offsets = [0, 2, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %195 = affine.linearize_index disjoint [%148#3, %c0, %c0, %149#3, %c0] by (1, 1, 1, 1, 1) : index
              %196 = affine.linearize_index disjoint [%148#2, %c2, %c0, %149#1, %c0] by (1, 4, 1, 4, 4) : index
              %197 = affine.linearize_index disjoint [%148#1, %c1, %c0, %149#2, %c0] by (1, 4, 1, 16, 1) : index
              %198 = vector.transfer_read %alloc[%195, %196, %197], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x4x1xf16>
              %199 = vector.insert_strided_slice %198, %194 offsets = [0, 2, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %200 = affine.linearize_index disjoint [%148#3, %c0, %c0, %149#3, %c0] by (1, 1, 1, 1, 1) : index
              %201 = affine.linearize_index disjoint [%148#2, %c2, %c0, %149#1, %c0] by (1, 4, 1, 4, 4) : index
              %202 = affine.linearize_index disjoint [%148#1, %c2, %c0, %149#2, %c0] by (1, 4, 1, 16, 1) : index
              %203 = vector.transfer_read %alloc[%200, %201, %202], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x4x1xf16>
              %204 = vector.insert_strided_slice %203, %199 offsets = [0, 2, 2, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %205 = affine.linearize_index disjoint [%148#3, %c0, %c0, %149#3, %c0] by (1, 1, 1, 1, 1) : index
              %206 = affine.linearize_index disjoint [%148#2, %c2, %c0, %149#1, %c0] by (1, 4, 1, 4, 4) : index
              %207 = affine.linearize_index disjoint [%148#1, %c3, %c0, %149#2, %c0] by (1, 4, 1, 16, 1) : index
              %208 = vector.transfer_read %alloc[%205, %206, %207], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x4x1xf16>
              %209 = vector.insert_strided_slice %208, %204 offsets = [0, 2, 3, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %210 = affine.linearize_index disjoint [%148#3, %c0, %c0, %149#3, %c0] by (1, 1, 1, 1, 1) : index
              %211 = affine.linearize_index disjoint [%148#2, %c3, %c0, %149#1, %c0] by (1, 4, 1, 4, 4) : index
              %212 = affine.linearize_index disjoint [%148#1, %c0, %c0, %149#2, %c0] by (1, 4, 1, 16, 1) : index
              %213 = vector.transfer_read %alloc[%210, %211, %212], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x4x1xf16>
              %214 = vector.insert_strided_slice %213, %209 offsets = [0, 3, 0, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %215 = affine.linearize_index disjoint [%148#3, %c0, %c0, %149#3, %c0] by (1, 1, 1, 1, 1) : index
              %216 = affine.linearize_index disjoint [%148#2, %c3, %c0, %149#1, %c0] by (1, 4, 1, 4, 4) : index
              %217 = affine.linearize_index disjoint [%148#1, %c1, %c0, %149#2, %c0] by (1, 4, 1, 16, 1) : index
              %218 = vector.transfer_read %alloc[%215, %216, %217], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x4x1xf16>
              %219 = vector.insert_strided_slice %218, %214 offsets = [0, 3, 1, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %220 = affine.linearize_index disjoint [%148#3, %c0, %c0, %149#3, %c0] by (1, 1, 1, 1, 1) : index
              %221 = affine.linearize_index disjoint [%148#2, %c3, %c0, %149#1, %c0] by (1, 4, 1, 4, 4) : index
              %222 = affine.linearize_index disjoint [%148#1, %c2, %c0, %149#2, %c0] by (1, 4, 1, 16, 1) : index
              %223 = vector.transfer_read %alloc[%220, %221, %222], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x4x1xf16>
              %224 = vector.insert_strided_slice %223, %219 offsets = [0, 3, 2, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %225 = affine.linearize_index disjoint [%148#3, %c0, %c0, %149#3, %c0] by (1, 1, 1, 1, 1) : index
              %226 = affine.linearize_index disjoint [%148#2, %c3, %c0, %149#1, %c0] by (1, 4, 1, 4, 4) : index
              %227 = affine.linearize_index disjoint [%148#1, %c3, %c0, %149#2, %c0] by (1, 4, 1, 16, 1) : index
              %228 = vector.transfer_read %alloc[%225, %226, %227], %0 {in_bounds = [true, true, true]} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<1x4x1xf16>
              %229 = vector.insert_strided_slice %228, %224 offsets = [0, 3, 3, 0, 0, 0, 0, 0, 0], strides = [1, 1, 1] : vector<1x4x1xf16> into vector<1x4x4x1x1x1x1x4x1xf16>
              %230 = vector.transpose %229, [0, 3, 6, 1, 4, 7, 2, 5, 8] : vector<1x4x4x1x1x1x1x4x1xf16> to vector<1x1x1x4x1x4x4x1x1xf16>
              %231 = vector.shape_cast %230 : vector<1x1x1x4x1x4x4x1x1xf16> to vector<1x1x1x4x1x1x1x1x4x4x1x1x1x1x1xf16>
              %232 = vector.transpose %231, [0, 3, 6, 9, 12, 1, 4, 7, 10, 13, 2, 5, 8, 11, 14] : vector<1x1x1x4x1x1x1x1x4x4x1x1x1x1x1xf16> to vector<1x4x1x4x1x1x1x1x1x1x1x1x4x1x1xf16>
              %233 = vector.shape_cast %143 : vector<1x1x4x1x1x1x1x1x4xf16> to vector<1x1x4x1x4xf16>
              %234 = vector.shape_cast %232 : vector<1x4x1x4x1x1x1x1x1x1x1x1x4x1x1xf16> to vector<1x4x4x4x1xf16>
              %235 = vector.shape_cast %147 : vector<1x1x4x1x1x1x1x1x4xf32> to vector<1x1x4x1x4xf32>
              %236 = iree_codegen.inner_tiled ins(%233, %234) outs(%235) <indexing_maps = [#map, #map3, #map2], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], kind = #iree_gpu.mma_layout<MFMA_F32_16x16x16_F16, col_major = true>, semantics = #iree_gpu.mma_semantics<distributed = true, opaque = true>> : vector<1x1x4x1x4xf16>, vector<1x4x4x4x1xf16> into vector<1x1x4x1x4xf32>
              %237 = vector.shape_cast %236 : vector<1x1x4x1x4xf32> to vector<1x1x1x1x1x1x4x1x4xf32>
              %238 = vector.transpose %237, [0, 3, 6, 1, 4, 7, 2, 5, 8] : vector<1x1x1x1x1x1x4x1x4xf32> to vector<1x1x4x1x1x1x1x1x4xf32>
              scf.yield %238, %142, %128 : vector<1x1x4x1x1x1x1x1x4xf32>, vector<1x1x1x1x1x1xf32>, vector<1x1x1x1x1x1xf32>
            }
            %38 = arith.divf %cst_5, %37#1 : vector<1x1x1x1x1x1xf32>
            %39 = vector.broadcast %38 : vector<1x1x1x1x1x1xf32> to vector<4x1x4x1x1x1x1x1x1xf32>
            %40 = vector.transpose %39, [0, 3, 4, 1, 5, 6, 2, 7, 8] : vector<4x1x4x1x1x1x1x1x1xf32> to vector<4x1x1x1x1x1x4x1x1xf32>
            %41 = vector.transpose %40, [1, 2, 0, 4, 5, 3, 7, 8, 6] : vector<4x1x1x1x1x1x4x1x1xf32> to vector<1x1x4x1x1x1x1x1x4xf32>
            %42 = arith.mulf %41, %37#0 : vector<1x1x4x1x1x1x1x1x4xf32>
            %43 = arith.truncf %42 : vector<1x1x4x1x1x1x1x1x4xf32> to vector<1x1x4x1x1x1x1x1x4xf16>
            %44:5 = affine.delinearize_index %1 into (4, 1, 1, 64) : index, index, index, index, index
            %45:4 = affine.delinearize_index %1 into (4, 16, 1) : index, index, index, index
            %46:7 = affine.delinearize_index %1 into (1, 4, 4, 16, 1, 1, 1) : index, index, index, index, index, index, index
            %47 = arith.cmpi eq, %46#0, %c0 : index
            scf.if %47 {
              %48 = affine.linearize_index disjoint [%44#3, %c0, %c0, %45#3, %c0] by (1, 1, 1, 1, 1) : index
              %49 = affine.linearize_index disjoint [%44#1, %c0, %c0, %45#2, %c0] by (4, 1, 1, 16, 1) : index
              %50 = affine.linearize_index disjoint [%44#2, %c0, %c0, %45#1, %c0] by (1, 4, 1, 4, 4) : index
              %51 = vector.extract %43[0, 0, 0, 0, 0, 0] : vector<1x1x4xf16> from vector<1x1x4x1x1x1x1x1x4xf16>
              vector.transfer_write %51, %subview[%48, %49, %50] {in_bounds = [true, true, true]} : vector<1x1x4xf16>, memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
              %52 = affine.linearize_index disjoint [%44#3, %c0, %c0, %45#3, %c0] by (1, 1, 1, 1, 1) : index
              %53 = affine.linearize_index disjoint [%44#1, %c0, %c0, %45#2, %c0] by (4, 1, 1, 16, 1) : index
              %54 = affine.linearize_index disjoint [%44#2, %c1, %c0, %45#1, %c0] by (1, 4, 1, 4, 4) : index
              %55 = vector.extract %43[0, 0, 1, 0, 0, 0] : vector<1x1x4xf16> from vector<1x1x4x1x1x1x1x1x4xf16>
              vector.transfer_write %55, %subview[%52, %53, %54] {in_bounds = [true, true, true]} : vector<1x1x4xf16>, memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
              %56 = affine.linearize_index disjoint [%44#3, %c0, %c0, %45#3, %c0] by (1, 1, 1, 1, 1) : index
              %57 = affine.linearize_index disjoint [%44#1, %c0, %c0, %45#2, %c0] by (4, 1, 1, 16, 1) : index
              %58 = affine.linearize_index disjoint [%44#2, %c2, %c0, %45#1, %c0] by (1, 4, 1, 4, 4) : index
              %59 = vector.extract %43[0, 0, 2, 0, 0, 0] : vector<1x1x4xf16> from vector<1x1x4x1x1x1x1x1x4xf16>
              vector.transfer_write %59, %subview[%56, %57, %58] {in_bounds = [true, true, true]} : vector<1x1x4xf16>, memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
              %60 = affine.linearize_index disjoint [%44#3, %c0, %c0, %45#3, %c0] by (1, 1, 1, 1, 1) : index
              %61 = affine.linearize_index disjoint [%44#1, %c0, %c0, %45#2, %c0] by (4, 1, 1, 16, 1) : index
              %62 = affine.linearize_index disjoint [%44#2, %c3, %c0, %45#1, %c0] by (1, 4, 1, 4, 4) : index
              %63 = vector.extract %43[0, 0, 3, 0, 0, 0] : vector<1x1x4xf16> from vector<1x1x4x1x1x1x1x1x4xf16>
              vector.transfer_write %63, %subview[%60, %61, %62] {in_bounds = [true, true, true]} : vector<1x1x4xf16>, memref<1x64x64xf16, strided<[8192, 64, 1], offset: ?>, #amdgpu.address_space<fat_raw_buffer>>
            }
          } {mapping = [#iree_codegen.workgroup_mapping<y>, #iree_codegen.workgroup_mapping<x>]}
          memref.dealloc %alloc_11 : memref<1x64x64xf16, #gpu.address_space<workgroup>>
          memref.dealloc %alloc_10 : memref<1x64x64xf16, #gpu.address_space<workgroup>>
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
