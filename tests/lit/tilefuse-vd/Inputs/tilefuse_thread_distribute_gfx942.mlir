module attributes {transform.with_named_sequence} {
  transform.named_sequence private @tilefuse_thread_distribute(!transform.any_op {transform.readonly}, !transform.any_param {transform.readonly}, !transform.any_param {transform.readonly})
  transform.named_sequence @tilefuse_thread_distribute_gfx942(%arg0: !transform.any_op {transform.readonly}) {
    %0 = transform.param.constant [64, 1, 1] -> !transform.any_param
    %1 = transform.param.constant array<i32: 64, 1, 1> -> !transform.any_param
    transform.include @tilefuse_thread_distribute failures(propagate) (%arg0, %0, %1) : (!transform.any_op, !transform.any_param, !transform.any_param) -> ()
    transform.yield 
  }
}
