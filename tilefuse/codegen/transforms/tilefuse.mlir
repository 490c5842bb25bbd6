// The tilefuse paths' own sequences: attention kept undecomposed through workgroup and subgroup tiling, its
// schedule on the op, then thread distribution (design/tilefuse-path.md). Where a tilefuse stage is stock's, the
// stage table (tilefuse/codegen/paths.py) names stock's sequence; where it is stock's plus or minus something, the
// sequence here includes stock's and says what differs and why; the cleanup helpers (canonicalize_cse, ...) are
// stock's too. So stock.mlir is preloaded with this library.
// The configure, thread-distribute (tilefuse path) and share-kv stages are Python; every sequence here runs in
// stock iree-opt:
//   iree-opt --transform-preload-library=transform-library-paths=tilefuse/codegen/transforms/tilefuse.mlir,tilefuse/codegen/transforms/stock.mlir \
//            --transform-interpreter=entry-point=tilefuse_<stage> snapshot.mlir
// tilefuse_thread_distribute takes the target's one-subgroup workgroup as parameters: tilefuse binds them with a
// generated entry, tilefuse_thread_distribute_<target> (tilefuse/codegen/transform.py, `bind_params`), which
// tilefuse-vd's strategy (DUMP/strategies/<dispatch>.mlir) holds with both libraries: preload that file alone and use
// entry-point=tilefuse_thread_distribute_gfx942 (or _sm_80, ...), or write the same five lines for any lane count.
module attributes {transform.with_named_sequence} {

  // Defined in stock.mlir (each library file is parsed on its own: what it includes from another is declared).
  transform.named_sequence private @stock_anchor_layouts_cleanup(%root: !transform.any_op {transform.readonly})
  transform.named_sequence private @stock_vectorize(%root: !transform.any_op {transform.readonly})
  transform.named_sequence private @canonicalize_cse(%f: !transform.any_op {transform.consumed}) -> !transform.any_op
  transform.named_sequence private @config_tracking_canonicalize_cse(%f: !transform.any_op {transform.consumed}) -> !transform.any_op

  // S2: a #gpu.warp forall over query rows (the `subgroup` tile sizes) around the still undecomposed op,
  // with the normalisation consumer fused in: each subgroup owns its rows end to end.
  transform.named_sequence @tilefuse_subgroup_distribute(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f1 = transform.apply_registered_pass "iree-codegen-gpu-apply-tiling-level" with options = {"allow-zero-slices" = true, "fuse-consumers" = true, "normalize-loops" = false, "tiling-level" = "subgroup"} to %func : (!transform.any_op) -> !transform.any_op
    %f2 = transform.include @config_tracking_canonicalize_cse failures(propagate) (%f1) : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  // split-combine (tilefuse/codegen/stages/split_combine.py): the in-workgroup combine of a split's partials
  // tiled over the workgroup's threads by its `thread` tiles (configure's), its reductions fused in as producers.
  transform.named_sequence @tilefuse_split_combine_threads(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f1 = transform.apply_registered_pass "iree-codegen-gpu-apply-tiling-level" with options = {"allow-zero-slices" = true, "normalize-loops" = false, "tiling-level" = "thread"} to %func : (!transform.any_op) -> !transform.any_op
    %f2 = transform.include @config_tracking_canonicalize_cse failures(propagate) (%f1) : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  // S3: the K2 loop inside each subgroup (the `reduction` tile sizes), carrying (acc, max, sum) per subgroup.
  // Stock's reduction-tile starts the same way (its first tiling, coalescing, canonicalize, cse) and then tiles
  // partial_reduction and serial levels; tilefuse's config has neither, and stock's first pass,
  // gpu-promote-matmul-operands, would put promotion copies on the undecomposed op (tilefuse promotes K/V in
  // share-kv, on the lane code).
  transform.named_sequence @tilefuse_reduction_tile(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f1 = transform.apply_registered_pass "iree-codegen-gpu-apply-tiling-level" with options = {"allow-zero-slices" = true, "fuse-consumers" = true, "normalize-loops" = false, "tiling-level" = "reduction"} to %func : (!transform.any_op) -> !transform.any_op
    %f2 = transform.apply_registered_pass "affine-loop-coalescing" to %f1 : (!transform.any_op) -> !transform.any_op
    %f3 = transform.include @config_tracking_canonicalize_cse failures(propagate) (%f2) : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  // vectorize: stock's, after the cleanup that ends stock's anchor-layouts: on the tilefuse path the lane stage
  // replaces anchor-layouts (tilefuse-vd runs stock's vectorize after stock's anchor-layouts).
  transform.named_sequence @tilefuse_vectorize(%root: !transform.any_op {transform.readonly}) {
    transform.include @stock_anchor_layouts_cleanup failures(propagate) (%root) : (!transform.any_op) -> ()
    transform.include @stock_vectorize failures(propagate) (%root) : (!transform.any_op) -> ()
    transform.yield
  }

  // tilefuse-vd's thread-distribute: IREE's vector distribution of one subgroup's vectors onto its lanes.
  // The workgroup is [subgroup size, subgroups, 1]: thread_id x is the lane, thread_id y the subgroup.
  // Vector distribution distributes over the workgroup_size a discardable func attribute names (else
  // translation_info's), so it is told the workgroup is one subgroup of lanes (%lanes, [subgroup size, 1, 1]);
  // gpu.known_block_size (%block, the same as array<i32>) says so to the int-range folding that follows it,
  // which turns the thread_id y/z it put in its index math (as "the subgroup") into 0.
  // propagate-dispatch-size-bounds then restores the true block size from translation_info, so map-to-ids
  // resolves the warp forall onto thread_id y.
  transform.named_sequence @tilefuse_thread_distribute(%root: !transform.any_op {transform.readonly},
      %lanes: !transform.any_param {transform.readonly}, %block: !transform.any_param {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    transform.annotate %func "workgroup_size" = %lanes : !transform.any_op, !transform.any_param
    transform.annotate %func "gpu.known_block_size" = %block : !transform.any_op, !transform.any_param
    %f1 = transform.apply_registered_pass "iree-llvmgpu-vector-distribute" to %func : (!transform.any_op) -> !transform.any_op
    %f2 = transform.apply_registered_pass "iree-util-optimize-int-arithmetic" to %f1 : (!transform.any_op) -> !transform.any_op
    %f3 = transform.apply_registered_pass "iree-codegen-propagate-dispatch-size-bounds" to %f2 : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  // map-to-ids: the lane foralls onto lane ids, the subgroup (#gpu.warp) foralls onto subgroup ids. Stock has
  // no such stage (vector-distribute leaves no forall): its foralls are workgroups, resolved by IREE later.
  transform.named_sequence @tilefuse_map_to_ids(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f1 = transform.apply_registered_pass "iree-codegen-normalize-loop-bounds" with options = {"normalize-forall" = true} to %func : (!transform.any_op) -> !transform.any_op
    %f2 = transform.apply_registered_pass "iree-codegen-gpu-distribute-forall" to %f1 : (!transform.any_op) -> !transform.any_op
    %f3 = transform.include @canonicalize_cse failures(propagate) (%f2) : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  // Run by the Python thread-distribute stage (tilefuse/codegen/stages/thread_distribute) after it rewrote each
  // subgroup onto lane fragments: folds its fragment reads of fragments it just wrote, and shares its constants.
  transform.named_sequence @tilefuse_cleanup(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    %f1 = transform.include @canonicalize_cse failures(propagate) (%func) : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}
