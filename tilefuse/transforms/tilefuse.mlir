// The tilefuse path: attention kept undecomposed through workgroup and subgroup tiling, its schedule on the op,
// decomposition that hands each matmul its own config, then thread distribution. See design/tilefuse-path.md.
// The configure stage (S0) is Python (tilefuse/configure.py); every sequence here runs in stock iree-opt:
//   iree-opt --transform-preload-library=transform-library-paths=tilefuse/transforms/tilefuse.mlir \
//            --transform-interpreter=entry-point=tilefuse_<stage> snapshot.mlir
module attributes {transform.with_named_sequence} {

  // S1: one workgroup-mapped scf.forall around the undecomposed online_attention and every consumer.
  transform.named_sequence @tilefuse_workgroup_tile(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f1 = transform.apply_registered_pass "iree-codegen-tile-and-distribute-to-workgroups-using-forall-op" with options = {"transpose-workgroup" = false} to %func : (!transform.any_op) -> !transform.any_op
    %f2 = transform.apply_registered_pass "iree-codegen-config-tracking-canonicalize" with options = {"test-convergence" = false} to %f1 : (!transform.any_op) -> !transform.any_op
    %f3 = transform.apply_registered_pass "cse" to %f2 : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  // S2: a #gpu.warp forall over query rows (the `subgroup` tile sizes) around the still undecomposed op,
  // with the normalisation consumer fused in: each subgroup owns its rows end to end.
  transform.named_sequence @tilefuse_subgroup_distribute(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f1 = transform.apply_registered_pass "iree-codegen-gpu-apply-tiling-level" with options = {"allow-zero-slices" = true, "fuse-consumers" = true, "normalize-loops" = false, "tiling-level" = "subgroup"} to %func : (!transform.any_op) -> !transform.any_op
    %f2 = transform.apply_registered_pass "iree-codegen-config-tracking-canonicalize" with options = {"test-convergence" = false} to %f1 : (!transform.any_op) -> !transform.any_op
    %f3 = transform.apply_registered_pass "cse" to %f2 : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  // S3: the K2 loop inside each subgroup (the `reduction` tile sizes), carrying (acc, max, sum) per subgroup.
  transform.named_sequence @tilefuse_reduction_tile(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f1 = transform.apply_registered_pass "iree-codegen-gpu-apply-tiling-level" with options = {"allow-zero-slices" = true, "fuse-consumers" = true, "normalize-loops" = false, "tiling-level" = "reduction"} to %func : (!transform.any_op) -> !transform.any_op
    %f2 = transform.apply_registered_pass "affine-loop-coalescing" to %f1 : (!transform.any_op) -> !transform.any_op
    %f3 = transform.apply_registered_pass "iree-codegen-config-tracking-canonicalize" with options = {"test-convergence" = false} to %f2 : (!transform.any_op) -> !transform.any_op
    %f4 = transform.apply_registered_pass "cse" to %f3 : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  // S4: decomposition; the QK matmul takes qk_attrs' lowering_config, the PV matmul pv_attrs'.
  transform.named_sequence @tilefuse_decompose(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f1 = transform.apply_registered_pass "iree-linalg-ext-decompose-attention" with options = {"use-exp2" = true} to %func : (!transform.any_op) -> !transform.any_op
    %f2 = transform.apply_registered_pass "iree-codegen-config-tracking-canonicalize" with options = {"test-convergence" = false} to %f1 : (!transform.any_op) -> !transform.any_op
    %f3 = transform.apply_registered_pass "cse" to %f2 : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  // S5: thread distribution of one subgroup's work. Layouts are anchored from each matmul's mma_kind
  // (subgroup basis all ones), the code is vectorized and bufferized, IREE's vector distribution maps one
  // subgroup's vectors onto its lanes, and the warp forall becomes subgroup-id arithmetic.
  //
  // The workgroup is [subgroup size, subgroups, 1]: thread_id x is the lane, thread_id y the subgroup.
  // Vector distribution distributes over the workgroup_size a discardable func attribute names (else
  // translation_info's), so it is told the workgroup is one subgroup of lanes; gpu.known_block_size says
  // the same for the int-range folding that follows it, which turns the thread_id y/z it put in its index
  // math (as "the subgroup") into 0. propagate-dispatch-size-bounds then restores the true block size
  // from translation_info before the warp forall is resolved onto thread_id y.
  transform.named_sequence @tilefuse_thread_distribute_wave64(%root: !transform.any_op {transform.readonly}) {
    %lanes = transform.param.constant [64, 1, 1] -> !transform.any_param
    %block = transform.param.constant array<i32: 64, 1, 1> -> !transform.any_param
    transform.include @tilefuse_thread_distribute failures(propagate) (%root, %lanes, %block) : (!transform.any_op, !transform.any_param, !transform.any_param) -> ()
    transform.yield
  }

  transform.named_sequence @tilefuse_thread_distribute_wave32(%root: !transform.any_op {transform.readonly}) {
    %lanes = transform.param.constant [32, 1, 1] -> !transform.any_param
    %block = transform.param.constant array<i32: 32, 1, 1> -> !transform.any_param
    transform.include @tilefuse_thread_distribute failures(propagate) (%root, %lanes, %block) : (!transform.any_op, !transform.any_param, !transform.any_param) -> ()
    transform.yield
  }

  // %lanes: the one-subgroup workgroup_size vector distribution reads; %block: the same as gpu.known_block_size.
  transform.named_sequence @tilefuse_thread_distribute(%root: !transform.any_op {transform.readonly},
      %lanes: !transform.any_param {transform.readonly}, %block: !transform.any_param {transform.readonly}) {
    transform.include @tilefuse_anchor_layouts failures(propagate) (%root) : (!transform.any_op) -> ()
    transform.include @tilefuse_vectorize_and_bufferize failures(propagate) (%root) : (!transform.any_op) -> ()
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    transform.annotate %func "workgroup_size" = %lanes : !transform.any_op, !transform.any_param
    transform.annotate %func "gpu.known_block_size" = %block : !transform.any_op, !transform.any_param
    transform.include @tilefuse_distribute_to_lanes failures(propagate) (%root) : (!transform.any_op) -> ()
    transform.yield
  }

  // Layout anchors for vector distribution: each matmul's mma_kind, packed to intrinsic tiles.
  transform.named_sequence @tilefuse_anchor_layouts(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f1 = transform.apply_registered_pass "iree-llvmgpu-configure-tensor-layouts" to %func : (!transform.any_op) -> !transform.any_op
    %f2 = transform.apply_registered_pass "iree-codegen-gpu-pack-to-intrinsics" to %f1 : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  transform.named_sequence @tilefuse_vectorize_and_bufferize(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f3 = transform.apply_registered_pass "iree-loop-invariant-code-motion" to %func : (!transform.any_op) -> !transform.any_op
    %f4 = transform.apply_registered_pass "canonicalize" to %f3 : (!transform.any_op) -> !transform.any_op
    %f5 = transform.apply_registered_pass "cse" to %f4 : (!transform.any_op) -> !transform.any_op
    %f6 = transform.apply_registered_pass "iree-codegen-optimize-tensor-insert-extract-slices" with options = {"fold-identity-slices" = false} to %f5 : (!transform.any_op) -> !transform.any_op
    %f7 = transform.apply_registered_pass "canonicalize" to %f6 : (!transform.any_op) -> !transform.any_op
    %f8 = transform.apply_registered_pass "cse" to %f7 : (!transform.any_op) -> !transform.any_op
    %f9 = transform.apply_registered_pass "iree-codegen-materialize-vector-tile-sizes" to %f8 : (!transform.any_op) -> !transform.any_op
    %f10 = transform.apply_registered_pass "iree-codegen-generic-vectorization" with options = {"enable-vector-masking" = true, "fold-cast-into-contract" = true, "generate-contract" = true, "use-configured-vector-sizes" = true, "vectorize-copies" = true} to %f9 : (!transform.any_op) -> !transform.any_op
    %f11 = transform.apply_registered_pass "canonicalize" to %f10 : (!transform.any_op) -> !transform.any_op
    %f12 = transform.apply_registered_pass "cse" to %f11 : (!transform.any_op) -> !transform.any_op
    %f13 = transform.apply_registered_pass "iree-codegen-optimize-tensor-insert-extract-slices" with options = {"fold-identity-slices" = false} to %f12 : (!transform.any_op) -> !transform.any_op
    %f14 = transform.apply_registered_pass "canonicalize" to %f13 : (!transform.any_op) -> !transform.any_op
    %f15 = transform.apply_registered_pass "cse" to %f14 : (!transform.any_op) -> !transform.any_op
    %f16 = transform.apply_registered_pass "iree-codegen-materialize-vector-masking" with options = {"decompose-masks" = true} to %f15 : (!transform.any_op) -> !transform.any_op
    %f17 = transform.apply_registered_pass "iree-codegen-gpu-vector-alloc" to %f16 : (!transform.any_op) -> !transform.any_op
    %f18 = transform.apply_registered_pass "canonicalize" to %f17 : (!transform.any_op) -> !transform.any_op
    %f19 = transform.apply_registered_pass "cse" to %f18 : (!transform.any_op) -> !transform.any_op
    %f20 = transform.apply_registered_pass "iree-codegen-gpu-combine-value-semantic-barriers" to %f19 : (!transform.any_op) -> !transform.any_op
    %f21 = transform.apply_registered_pass "iree-eliminate-empty-tensors" to %f20 : (!transform.any_op) -> !transform.any_op
    %f22 = transform.apply_registered_pass "empty-tensor-to-alloc-tensor" to %f21 : (!transform.any_op) -> !transform.any_op
    %f23 = transform.apply_registered_pass "iree-codegen-gpu-infer-memory-space" to %f22 : (!transform.any_op) -> !transform.any_op
    %f24 = transform.apply_registered_pass "iree-codegen-gpu-bubble-resource-casts" to %f23 : (!transform.any_op) -> !transform.any_op
    %f25 = transform.apply_registered_pass "iree-codegen-gpu-alloc-private-memory-for-dps-ops" to %f24 : (!transform.any_op) -> !transform.any_op
    %f26 = transform.apply_registered_pass "iree-codegen-iree-comprehensive-bufferize" to %f25 : (!transform.any_op) -> !transform.any_op
    %f27 = transform.apply_registered_pass "iree-codegen-inject-assume-alignment" to %f26 : (!transform.any_op) -> !transform.any_op
    %f28 = transform.apply_registered_pass "resolve-shaped-type-result-dims" to %f27 : (!transform.any_op) -> !transform.any_op
    %f29 = transform.apply_registered_pass "iree-codegen-canonicalize" to %f28 : (!transform.any_op) -> !transform.any_op
    %f30 = transform.apply_registered_pass "cse" to %f29 : (!transform.any_op) -> !transform.any_op
    %f31 = transform.apply_registered_pass "iree-codegen-canonicalize" to %f30 : (!transform.any_op) -> !transform.any_op
    %f32 = transform.apply_registered_pass "iree-codegen-cleanup-buffer-alloc-view" to %f31 : (!transform.any_op) -> !transform.any_op
    %f33 = transform.apply_registered_pass "canonicalize" to %f32 : (!transform.any_op) -> !transform.any_op
    %f34 = transform.apply_registered_pass "cse" to %f33 : (!transform.any_op) -> !transform.any_op
    %f35 = transform.apply_registered_pass "iree-codegen-hoist-statically-bound-allocations" to %f34 : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  transform.named_sequence @tilefuse_distribute_to_lanes(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f1 = transform.apply_registered_pass "iree-llvmgpu-vector-distribute" to %func : (!transform.any_op) -> !transform.any_op
    %f2 = transform.apply_registered_pass "iree-util-optimize-int-arithmetic" to %f1 : (!transform.any_op) -> !transform.any_op
    %f3 = transform.apply_registered_pass "iree-codegen-propagate-dispatch-size-bounds" to %f2 : (!transform.any_op) -> !transform.any_op
    %f4 = transform.apply_registered_pass "iree-codegen-normalize-loop-bounds" with options = {"normalize-forall" = true} to %f3 : (!transform.any_op) -> !transform.any_op
    %f5 = transform.apply_registered_pass "iree-codegen-gpu-distribute-forall" to %f4 : (!transform.any_op) -> !transform.any_op
    %f6 = transform.apply_registered_pass "canonicalize" to %f5 : (!transform.any_op) -> !transform.any_op
    %f7 = transform.apply_registered_pass "cse" to %f6 : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  // Run by the Python thread-distribute stage (tilefuse/lanes) after it rewrote each subgroup
  // onto lane fragments: folds its fragment reads of fragments it just wrote, and shares its constants.
  transform.named_sequence @tilefuse_cleanup(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f1 = transform.apply_registered_pass "canonicalize" to %func : (!transform.any_op) -> !transform.any_op
    %f2 = transform.apply_registered_pass "cse" to %f1 : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  // `bufferize` of the tilefuse path, after the tensor-level thread distribution (tilefuse/lanes):
  // vectorize the lane fragments, bufferize, resolve the lane forall onto lane ids and the subgroup forall onto
  // subgroup ids. Then the Python share-kv stage, then `lower` (below).
  transform.named_sequence @tilefuse_resolve_lanes(%root: !transform.any_op {transform.readonly}) {
    transform.include @tilefuse_vectorize_and_bufferize failures(propagate) (%root) : (!transform.any_op) -> ()
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f1 = transform.apply_registered_pass "iree-codegen-normalize-loop-bounds" with options = {"normalize-forall" = true} to %func : (!transform.any_op) -> !transform.any_op
    %f2 = transform.apply_registered_pass "iree-codegen-gpu-distribute-forall" to %f1 : (!transform.any_op) -> !transform.any_op
    %f3 = transform.apply_registered_pass "canonicalize" to %f2 : (!transform.any_op) -> !transform.any_op
    %f4 = transform.apply_registered_pass "cse" to %f3 : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  // `lower`: unroll and lower the intrinsic ops; IREE's common lowering and serialization follow the hand-off.
  transform.named_sequence @tilefuse_lower_rocdl(%root: !transform.any_op {transform.readonly}) {
    transform.include @tilefuse_lower_async_dma failures(propagate) (%root) : (!transform.any_op) -> ()
    transform.include @tilefuse_lower_common failures(propagate) (%root) : (!transform.any_op) -> ()
    transform.yield
  }

  transform.named_sequence @tilefuse_lower_async_dma(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f1 = transform.apply_registered_pass "iree-codegen-amdgpu-lower-async-dma" to %func : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  transform.named_sequence @tilefuse_lower_nvvm(%root: !transform.any_op {transform.readonly}) {
    transform.include @tilefuse_lower_common failures(propagate) (%root) : (!transform.any_op) -> ()
    transform.yield
  }

  // The target-independent part of S6.
  transform.named_sequence @tilefuse_lower_common(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f1 = transform.apply_registered_pass "iree-linalg-ext-decompose-map-store" to %func : (!transform.any_op) -> !transform.any_op
    %f2 = transform.apply_registered_pass "iree-codegen-hoist-inner-tiled-acc-reshapes" to %f1 : (!transform.any_op) -> !transform.any_op
    %f3 = transform.apply_registered_pass "iree-gpu-unroll-to-intrinsics" to %f2 : (!transform.any_op) -> !transform.any_op
    %f4 = transform.apply_registered_pass "iree-gpu-lower-ops" to %f3 : (!transform.any_op) -> !transform.any_op
    %f5 = transform.apply_registered_pass "canonicalize" to %f4 : (!transform.any_op) -> !transform.any_op
    %f6 = transform.apply_registered_pass "cse" to %f5 : (!transform.any_op) -> !transform.any_op
    %f7 = transform.apply_registered_pass "iree-codegen-gpu-reduce-bank-conflicts" with options = {"padding-bits" = 64 : i64} to %f6 : (!transform.any_op) -> !transform.any_op
    %f8 = transform.apply_registered_pass "iree-codegen-fold-memref-alias-ops" to %f7 : (!transform.any_op) -> !transform.any_op
    %f9 = transform.apply_registered_pass "cse" to %f8 : (!transform.any_op) -> !transform.any_op
    %f10 = transform.apply_registered_pass "canonicalize" to %f9 : (!transform.any_op) -> !transform.any_op
    %f11 = transform.apply_registered_pass "cse" to %f10 : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

}
