// The tilefuse path, configure to lower, as ONE transform script: every stage (the Python ones included) is a
// `tilefuse-stage` pass, run by xDSL's transform interpreter with tilefuse's universe. The result is the IR
// `tilefuse compile --path tilefuse` writes as the dispatch's last snapshot (NN-lower.mlir). IREE's interpreter
// cannot run it (tilefuse's Python stages are not IREE passes); xDSL 0.74's own `transform-interpreter` cannot
// either (it sees only xDSL's built-in passes and drops options), hence `tilefuse-transform-interpreter`
// (tilefuse/xdsl/transform_interp.py).
//
// Payload: a dispatch's first snapshot, stages/<dispatch>/00-input.mlir (the hal.executable the driver hands the
// path; configure is this script's first step), in generic form:
//   python -m tilefuse.xdsl.generic 00-input.mlir | xdsl-opt --allow-unregistered-dialect --print-op-generic \
//     -p 'tilefuse-transform-interpreter{library="tilefuse/transforms/xdsl_tilefuse_path.mlir" entry-point=tilefuse_gfx942}'
// The program stage pad-to-tiles runs before dispatches exist (on the input program), so it is not here.
// One sequence per target; they differ only in the `target` option (add gfx950 / sm_89 the same way). A
// dispatch whose configure does not choose the tilefuse pipeline (the driver hands it to IREE) fails at
// workgroup-tile: run the script on the attention dispatch.
module attributes {transform.with_named_sequence} {
  transform.named_sequence @tilefuse_gfx942(%root: !transform.any_op {transform.consumed}) {
    %s0 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "gfx942", stage = "configure"} to %root : (!transform.any_op) -> !transform.any_op
    %s1 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "gfx942", stage = "workgroup-tile"} to %s0 : (!transform.any_op) -> !transform.any_op
    %s2 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "gfx942", stage = "subgroup-distribute"} to %s1 : (!transform.any_op) -> !transform.any_op
    %s3 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "gfx942", stage = "reduction-tile"} to %s2 : (!transform.any_op) -> !transform.any_op
    %s4 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "gfx942", stage = "k2-tail"} to %s3 : (!transform.any_op) -> !transform.any_op
    %s5 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "gfx942", stage = "causal-bound"} to %s4 : (!transform.any_op) -> !transform.any_op
    %s6 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "gfx942", stage = "causal-peel"} to %s5 : (!transform.any_op) -> !transform.any_op
    %s7 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "gfx942", stage = "decompose"} to %s6 : (!transform.any_op) -> !transform.any_op
    %s8 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "gfx942", stage = "thread-distribute"} to %s7 : (!transform.any_op) -> !transform.any_op
    %s9 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "gfx942", stage = "vectorize"} to %s8 : (!transform.any_op) -> !transform.any_op
    %s10 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "gfx942", stage = "bufferize"} to %s9 : (!transform.any_op) -> !transform.any_op
    %s11 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "gfx942", stage = "map-to-ids"} to %s10 : (!transform.any_op) -> !transform.any_op
    %s12 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "gfx942", stage = "share-kv"} to %s11 : (!transform.any_op) -> !transform.any_op
    %s13 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "gfx942", stage = "lower"} to %s12 : (!transform.any_op) -> !transform.any_op
    transform.yield
  }

  transform.named_sequence @tilefuse_sm_80(%root: !transform.any_op {transform.consumed}) {
    %s0 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "sm_80", stage = "configure"} to %root : (!transform.any_op) -> !transform.any_op
    %s1 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "sm_80", stage = "workgroup-tile"} to %s0 : (!transform.any_op) -> !transform.any_op
    %s2 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "sm_80", stage = "subgroup-distribute"} to %s1 : (!transform.any_op) -> !transform.any_op
    %s3 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "sm_80", stage = "reduction-tile"} to %s2 : (!transform.any_op) -> !transform.any_op
    %s4 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "sm_80", stage = "k2-tail"} to %s3 : (!transform.any_op) -> !transform.any_op
    %s5 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "sm_80", stage = "causal-bound"} to %s4 : (!transform.any_op) -> !transform.any_op
    %s6 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "sm_80", stage = "causal-peel"} to %s5 : (!transform.any_op) -> !transform.any_op
    %s7 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "sm_80", stage = "decompose"} to %s6 : (!transform.any_op) -> !transform.any_op
    %s8 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "sm_80", stage = "thread-distribute"} to %s7 : (!transform.any_op) -> !transform.any_op
    %s9 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "sm_80", stage = "vectorize"} to %s8 : (!transform.any_op) -> !transform.any_op
    %s10 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "sm_80", stage = "bufferize"} to %s9 : (!transform.any_op) -> !transform.any_op
    %s11 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "sm_80", stage = "map-to-ids"} to %s10 : (!transform.any_op) -> !transform.any_op
    %s12 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "sm_80", stage = "share-kv"} to %s11 : (!transform.any_op) -> !transform.any_op
    %s13 = transform.apply_registered_pass "tilefuse-stage" with options = {path = "tilefuse", target = "sm_80", stage = "lower"} to %s12 : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}
