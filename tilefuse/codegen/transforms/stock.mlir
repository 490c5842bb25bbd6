// IREE 3.13's own VectorDistribute lowering of attention, cut into tilefuse's named stages.
// Pass list and options follow iree-compile's --mlir-print-ir-after-all for gfx942 / sm_80 (see design/architecture.md).
// Every sequence takes the module that holds one hal.executable (a tilefuse snapshot) and runs stock as:
//   iree-opt --transform-preload-library=transform-library-paths=tilefuse/codegen/transforms/stock.mlir \
//            --transform-interpreter=entry-point=stock_<stage> snapshot.mlir
module attributes {transform.with_named_sequence} {

  // The cleanup after most passes, one helper instead of the pair at every use: canonicalize then cse on the
  // handle (a function), which it consumes, returning the handle to the cleaned function. tilefuse.mlir's
  // sequences include it too.
  transform.named_sequence @canonicalize_cse(%f: !transform.any_op {transform.consumed}) -> !transform.any_op {
    %f1 = transform.apply_registered_pass "canonicalize" to %f : (!transform.any_op) -> !transform.any_op
    %f2 = transform.apply_registered_pass "cse" to %f1 : (!transform.any_op) -> !transform.any_op
    transform.yield %f2 : !transform.any_op
  }

  // The same with IREE's config-tracking canonicalize (it keeps lowering_config on the ops patterns replace), as
  // IREE's configuration, tiling and decomposition passes are followed.
  transform.named_sequence @config_tracking_canonicalize_cse(%f: !transform.any_op {transform.consumed}) -> !transform.any_op {
    %f1 = transform.apply_registered_pass "iree-codegen-config-tracking-canonicalize" with options = {"test-convergence" = false} to %f : (!transform.any_op) -> !transform.any_op
    %f2 = transform.apply_registered_pass "cse" to %f1 : (!transform.any_op) -> !transform.any_op
    transform.yield %f2 : !transform.any_op
  }

  // Configure: IREE's executable configuration (KernelConfig picks VectorDistribute and puts the
  // attention lowering_config / decomposition_config on online_attention).
  transform.named_sequence @stock_configure(%root: !transform.any_op {transform.readonly}) {
    transform.include @stock_prepare_dispatch failures(propagate) (%root) : (!transform.any_op) -> ()
    transform.include @stock_select_lowering_strategy failures(propagate) (%root) : (!transform.any_op) -> ()
    transform.yield
  }

  // The first part of stock_configure: the dispatch prepared for configuration (attention converted to
  // online_attention, run-time dims blocked) and the tuning specs' and user's configs materialized, nothing
  // chosen by IREE's heuristics yet. tilefuse's configure puts its attention config on between the two parts.
  transform.named_sequence @stock_prepare_dispatch(%root: !transform.any_op {transform.readonly}) {
    %variant = transform.structured.match ops{["hal.executable.variant"]} in %root : (!transform.any_op) -> !transform.any_op
    %v1 = transform.apply_registered_pass "iree-codegen-specialize-exports" to %variant : (!transform.any_op) -> !transform.any_op
    %v2 = transform.apply_registered_pass "iree-codegen-create-dispatch-config" to %v1 : (!transform.any_op) -> !transform.any_op
    %inner = transform.structured.match ops{["builtin.module"]} in %v2 : (!transform.any_op) -> !transform.any_op
    %func = transform.structured.match ops{["func.func"]} in %inner : (!transform.any_op) -> !transform.any_op
    %f1 = transform.apply_registered_pass "iree-codegen-materialize-device-encoding" with options = {"test-gpu-encoding-resolver" = "none"} to %func : (!transform.any_op) -> !transform.any_op
    %f2 = transform.apply_registered_pass "iree-codegen-gpu-generalize-named-ops" to %f1 : (!transform.any_op) -> !transform.any_op
    %f3 = transform.apply_registered_pass "iree-rocdl-configure-buffer-instructions" to %f2 : (!transform.any_op) -> !transform.any_op
    %f4 = transform.apply_registered_pass "iree-codegen-type-propagation" to %f3 : (!transform.any_op) -> !transform.any_op
    %f5 = transform.apply_registered_pass "iree-codegen-bubble-up-ordinal-ops" to %f4 : (!transform.any_op) -> !transform.any_op
    %f6 = transform.apply_registered_pass "iree-codegen-bufferize-copy-only-dispatches" to %f5 : (!transform.any_op) -> !transform.any_op
    %f7 = transform.apply_registered_pass "iree-codegen-decompose-softmax" with options = {"use-fusion" = true} to %f6 : (!transform.any_op) -> !transform.any_op
    %f8 = transform.apply_registered_pass "iree-linalg-ext-convert-attention-to-online-attention" to %f7 : (!transform.any_op) -> !transform.any_op
    %f9 = transform.apply_registered_pass "iree-codegen-bufferize-dispatch-tensor-load-store" to %f8 : (!transform.any_op) -> !transform.any_op
    %f10 = transform.apply_registered_pass "iree-codegen-gpu-combine-layout-transformation" to %f9 : (!transform.any_op) -> !transform.any_op
    %f11 = transform.apply_registered_pass "iree-codegen-gpu-generalize-named-ops" to %f10 : (!transform.any_op) -> !transform.any_op
    %f12 = transform.apply_registered_pass "iree-codegen-block-dynamic-dimensions" to %f11 : (!transform.any_op) -> !transform.any_op
    %f13 = transform.include @config_tracking_canonicalize_cse failures(propagate) (%f12) : (!transform.any_op) -> !transform.any_op
    %module = transform.structured.match ops{["builtin.module"]} in %v2 : (!transform.any_op) -> !transform.any_op
    %m1 = transform.apply_registered_pass "iree-codegen-materialize-tuning-specs" to %module : (!transform.any_op) -> !transform.any_op
    %m2 = transform.apply_registered_pass "iree-codegen-materialize-user-configs" to %m1 : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  // The second part: IREE's KernelConfig, which configures every function that has no translation_info yet (it
  // leaves one configured before it, by a tuning spec or by tilefuse, as it is).
  transform.named_sequence @stock_select_lowering_strategy(%root: !transform.any_op {transform.readonly}) {
    %variant = transform.structured.match ops{["hal.executable.variant"]} in %root : (!transform.any_op) -> !transform.any_op
    %module = transform.structured.match ops{["builtin.module"]} in %variant : (!transform.any_op) -> !transform.any_op
    %m = transform.apply_registered_pass "iree-llvmgpu-select-lowering-strategy" to %module : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  // Tile the root op to workgroups as one scf.forall, fusing producers and consumers.
  transform.named_sequence @stock_workgroup_tile(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f1 = transform.apply_registered_pass "iree-codegen-tile-and-distribute-to-workgroups-using-forall-op" with options = {"transpose-workgroup" = false} to %func : (!transform.any_op) -> !transform.any_op
    %f2 = transform.include @config_tracking_canonicalize_cse failures(propagate) (%f1) : (!transform.any_op) -> !transform.any_op
    %f3 = transform.include @config_tracking_canonicalize_cse failures(propagate) (%f2) : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  // Tile the reduction levels (K2 for attention) into serial loops inside the workgroup forall.
  transform.named_sequence @stock_reduction_tile(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f1 = transform.apply_registered_pass "iree-codegen-gpu-promote-matmul-operands" with options = {"skip-operand-promotion" = true} to %func : (!transform.any_op) -> !transform.any_op
    %f2 = transform.apply_registered_pass "iree-codegen-gpu-apply-tiling-level" with options = {"allow-zero-slices" = true, "fuse-consumers" = true, "normalize-loops" = false, "tiling-level" = "reduction"} to %f1 : (!transform.any_op) -> !transform.any_op
    %f3 = transform.apply_registered_pass "affine-loop-coalescing" to %f2 : (!transform.any_op) -> !transform.any_op
    %f4 = transform.include @config_tracking_canonicalize_cse failures(propagate) (%f3) : (!transform.any_op) -> !transform.any_op
    %f5 = transform.apply_registered_pass "iree-codegen-gpu-apply-padding-level" with options = {"tiling-level" = "partial_reduction"} to %f4 : (!transform.any_op) -> !transform.any_op
    %f6 = transform.apply_registered_pass "iree-codegen-gpu-pack-partial-reductions" to %f5 : (!transform.any_op) -> !transform.any_op
    %f7 = transform.apply_registered_pass "iree-codegen-gpu-apply-tiling-level" with options = {"allow-zero-slices" = true, "fuse-consumers" = true, "normalize-loops" = false, "tiling-level" = "partial_reduction"} to %f6 : (!transform.any_op) -> !transform.any_op
    %f8 = transform.include @config_tracking_canonicalize_cse failures(propagate) (%f7) : (!transform.any_op) -> !transform.any_op
    %f9 = transform.apply_registered_pass "resolve-shaped-type-result-dims" with options = {"error-on-pattern-iteration-limit" = true} to %f8 : (!transform.any_op) -> !transform.any_op
    %f10 = transform.apply_registered_pass "affine-simplify-min-max" to %f9 : (!transform.any_op) -> !transform.any_op
    %f11 = transform.apply_registered_pass "reify-result-shapes" to %f10 : (!transform.any_op) -> !transform.any_op
    %f12 = transform.include @config_tracking_canonicalize_cse failures(propagate) (%f11) : (!transform.any_op) -> !transform.any_op
    %f13 = transform.apply_registered_pass "affine-loop-coalescing" to %f12 : (!transform.any_op) -> !transform.any_op
    %f14 = transform.include @config_tracking_canonicalize_cse failures(propagate) (%f13) : (!transform.any_op) -> !transform.any_op
    %f15 = transform.apply_registered_pass "iree-codegen-gpu-apply-tiling-level" with options = {"allow-zero-slices" = true, "fuse-consumers" = true, "normalize-loops" = false, "tiling-level" = "serial"} to %f14 : (!transform.any_op) -> !transform.any_op
    %f16 = transform.apply_registered_pass "affine-loop-coalescing" to %f15 : (!transform.any_op) -> !transform.any_op
    %f17 = transform.include @config_tracking_canonicalize_cse failures(propagate) (%f16) : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  // Decompose online_attention into two matmuls plus softmax pieces; each matmul gets qk_attrs / pv_attrs.
  transform.named_sequence @stock_decompose(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f1 = transform.apply_registered_pass "iree-linalg-ext-decompose-attention" with options = {"use-exp2" = true} to %func : (!transform.any_op) -> !transform.any_op
    %f2 = transform.include @config_tracking_canonicalize_cse failures(propagate) (%f1) : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  // Anchor the MMA layouts on the contractions (to_layout ops) and pack to intrinsics, then clean up.
  transform.named_sequence @stock_anchor_layouts(%root: !transform.any_op {transform.readonly}) {
    transform.include @stock_anchor_mma failures(propagate) (%root) : (!transform.any_op) -> ()
    transform.include @stock_anchor_layouts_cleanup failures(propagate) (%root) : (!transform.any_op) -> ()
    transform.yield
  }

  transform.named_sequence @stock_anchor_mma(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f1 = transform.apply_registered_pass "iree-codegen-gpu-tile-and-convert-conv-to-matmul" to %func : (!transform.any_op) -> !transform.any_op
    %f2 = transform.apply_registered_pass "iree-codegen-gpu-decompose-horizontally-fused-gemms" to %f1 : (!transform.any_op) -> !transform.any_op
    %f3 = transform.apply_registered_pass "iree-llvmgpu-configure-tensor-layouts" to %f2 : (!transform.any_op) -> !transform.any_op
    %f4 = transform.apply_registered_pass "iree-codegen-gpu-pack-to-intrinsics" to %f3 : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  // The end of anchor-layouts: hoist loop invariants, fold the tiling's slices (the tilefuse paths' vectorize
  // starts with it).
  transform.named_sequence @stock_anchor_layouts_cleanup(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f1 = transform.apply_registered_pass "iree-loop-invariant-code-motion" to %func : (!transform.any_op) -> !transform.any_op
    %f2 = transform.include @canonicalize_cse failures(propagate) (%f1) : (!transform.any_op) -> !transform.any_op
    %f3 = transform.apply_registered_pass "iree-codegen-optimize-tensor-insert-extract-slices" with options = {"fold-identity-slices" = false} to %f2 : (!transform.any_op) -> !transform.any_op
    transform.apply_patterns to %f3 {
      transform.apply_patterns.tensor.fold_tensor_subset_ops
    } : !transform.any_op
    %f4 = transform.apply_registered_pass "iree-codegen-decompose-convolution-to-lower-dim-ops" to %f3 : (!transform.any_op) -> !transform.any_op
    %f5 = transform.include @canonicalize_cse failures(propagate) (%f4) : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  // Vectorize with the configured vector sizes, then allocate vector-level shared memory.
  transform.named_sequence @stock_vectorize(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f1 = transform.apply_registered_pass "iree-codegen-materialize-vector-tile-sizes" to %func : (!transform.any_op) -> !transform.any_op
    %f2 = transform.apply_registered_pass "iree-codegen-generic-vectorization" with options = {"enable-cleanup" = false, "enable-vector-masking" = true, "fold-cast-into-contract" = true, "generate-contract" = true, "max-vector-size" = 2147483647 : i64, "use-configured-vector-sizes" = true, "vectorize-copies" = true, "vectorize-map-store" = true, "vectorize-to-transfer-gather" = false} to %f1 : (!transform.any_op) -> !transform.any_op
    %f3 = transform.apply_registered_pass "iree-linalg-ext-decompose-im2col" with options = {"unroll" = true} to %f2 : (!transform.any_op) -> !transform.any_op
    %f4 = transform.include @canonicalize_cse failures(propagate) (%f3) : (!transform.any_op) -> !transform.any_op
    %f5 = transform.apply_registered_pass "iree-codegen-optimize-tensor-insert-extract-slices" with options = {"fold-identity-slices" = false} to %f4 : (!transform.any_op) -> !transform.any_op
    %f6 = transform.include @canonicalize_cse failures(propagate) (%f5) : (!transform.any_op) -> !transform.any_op
    %f7 = transform.apply_registered_pass "iree-codegen-materialize-vector-masking" with options = {"decompose-masks" = true} to %f6 : (!transform.any_op) -> !transform.any_op
    %f8 = transform.apply_registered_pass "iree-codegen-gpu-vector-alloc" to %f7 : (!transform.any_op) -> !transform.any_op
    %f9 = transform.include @canonicalize_cse failures(propagate) (%f8) : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  // Eliminate empty tensors, infer memory spaces and bufferize.
  transform.named_sequence @stock_bufferize(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f1 = transform.apply_registered_pass "iree-codegen-gpu-combine-value-semantic-barriers" to %func : (!transform.any_op) -> !transform.any_op
    %f2 = transform.apply_registered_pass "iree-eliminate-empty-tensors" to %f1 : (!transform.any_op) -> !transform.any_op
    %f3 = transform.apply_registered_pass "empty-tensor-to-alloc-tensor" to %f2 : (!transform.any_op) -> !transform.any_op
    %f4 = transform.apply_registered_pass "iree-codegen-gpu-infer-memory-space" to %f3 : (!transform.any_op) -> !transform.any_op
    %f5 = transform.apply_registered_pass "iree-rocdl-configure-buffer-instructions" to %f4 : (!transform.any_op) -> !transform.any_op
    %f6 = transform.apply_registered_pass "iree-codegen-gpu-bubble-resource-casts" to %f5 : (!transform.any_op) -> !transform.any_op
    %f7 = transform.apply_registered_pass "iree-codegen-gpu-alloc-private-memory-for-dps-ops" to %f6 : (!transform.any_op) -> !transform.any_op
    %f8 = transform.apply_registered_pass "iree-codegen-iree-comprehensive-bufferize" with options = {"print-conflicts" = false, "test-analysis-only" = false} to %f7 : (!transform.any_op) -> !transform.any_op
    %f9 = transform.apply_registered_pass "iree-codegen-inject-assume-alignment" to %f8 : (!transform.any_op) -> !transform.any_op
    %f10 = transform.apply_registered_pass "resolve-shaped-type-result-dims" with options = {"error-on-pattern-iteration-limit" = true} to %f9 : (!transform.any_op) -> !transform.any_op
    %f11 = transform.apply_registered_pass "iree-codegen-canonicalize" with options = {"test-convergence" = false} to %f10 : (!transform.any_op) -> !transform.any_op
    %f12 = transform.apply_registered_pass "cse" to %f11 : (!transform.any_op) -> !transform.any_op
    %f13 = transform.apply_registered_pass "iree-codegen-canonicalize" with options = {"test-convergence" = false} to %f12 : (!transform.any_op) -> !transform.any_op
    %f14 = transform.apply_registered_pass "iree-codegen-cleanup-buffer-alloc-view" to %f13 : (!transform.any_op) -> !transform.any_op
    %f15 = transform.apply_registered_pass "iree-rocdl-buffer-instructions-optimization" to %f14 : (!transform.any_op) -> !transform.any_op
    %f16 = transform.include @canonicalize_cse failures(propagate) (%f15) : (!transform.any_op) -> !transform.any_op
    %f17 = transform.apply_registered_pass "iree-codegen-amdgpu-lower-coalesced-dma-to-gather-lds" to %f16 : (!transform.any_op) -> !transform.any_op
    %f18 = transform.include @canonicalize_cse failures(propagate) (%f17) : (!transform.any_op) -> !transform.any_op
    %f19 = transform.apply_registered_pass "iree-codegen-hoist-statically-bound-allocations" with options = {"vscale-max" = 0 : i64, "vscale-min" = 0 : i64} to %f18 : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  // Distribute the anchored vector IR to subgroups and threads (IREE's one-step distribution).
  transform.named_sequence @stock_vector_distribute(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f1 = transform.apply_registered_pass "iree-llvmgpu-vector-distribute" to %func : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  // Lower: unroll to intrinsics, lower IREE GPU ops, reduce bank conflicts. Up to here is
  // iree-llvmgpu-lower-executable-target; the hand-off (no_pipeline) lets IREE do the rest.
  // AMD additionally lowers async DMA first, exactly as the stock ROCDL pipeline does.
  transform.named_sequence @stock_lower_rocdl(%root: !transform.any_op {transform.readonly}) {
    transform.include @stock_lower_async_dma failures(propagate) (%root) : (!transform.any_op) -> ()
    transform.include @stock_lower_common failures(propagate) (%root) : (!transform.any_op) -> ()
    transform.yield
  }

  transform.named_sequence @stock_lower_async_dma(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f1 = transform.apply_registered_pass "iree-codegen-amdgpu-lower-async-dma" to %func : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  transform.named_sequence @stock_lower_nvvm(%root: !transform.any_op {transform.readonly}) {
    transform.include @stock_lower_common failures(propagate) (%root) : (!transform.any_op) -> ()
    transform.yield
  }

  transform.named_sequence @stock_lower_common(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f1 = transform.apply_registered_pass "iree-linalg-ext-decompose-map-store" with options = {"test-preprocessing-patterns" = false} to %func : (!transform.any_op) -> !transform.any_op
    %f2 = transform.apply_registered_pass "iree-codegen-hoist-inner-tiled-acc-reshapes" to %f1 : (!transform.any_op) -> !transform.any_op
    %f3 = transform.apply_registered_pass "iree-gpu-unroll-to-intrinsics" to %f2 : (!transform.any_op) -> !transform.any_op
    %f4 = transform.apply_registered_pass "iree-gpu-lower-ops" to %f3 : (!transform.any_op) -> !transform.any_op
    %f5 = transform.include @canonicalize_cse failures(propagate) (%f4) : (!transform.any_op) -> !transform.any_op
    %f6 = transform.apply_registered_pass "iree-codegen-gpu-reduce-bank-conflicts" with options = {"padding-bits" = 64 : i64} to %f5 : (!transform.any_op) -> !transform.any_op
    %f7 = transform.apply_registered_pass "iree-codegen-fold-memref-alias-ops" to %f6 : (!transform.any_op) -> !transform.any_op
    %f8 = transform.apply_registered_pass "cse" to %f7 : (!transform.any_op) -> !transform.any_op
    %f9 = transform.include @canonicalize_cse failures(propagate) (%f8) : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}
