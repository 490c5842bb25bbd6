"""IR facts: what tilefuse reads off MLIR and IREE's attributes (op names, element types, attention shapes,
the causal proof, MMA intrinsics and their lane layouts) and the helpers that walk and build IR. Imports no other
layer."""
