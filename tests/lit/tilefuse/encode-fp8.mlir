// The encode-fp8 stage (tilefuse/codegen/stages/encode_fp8.py) on an fp8 Q/K/V problem for sm_89 after decompose:
// IREE 3.13 lowers no fp8 cast on NVIDIA, so P's rounding to f8E4M3FN for the PV matmul (IREE's clamp to the
// format's largest value, 448, then arith.truncf) becomes integer ops on the f32's bits, the result an i8
// bitcast to fp8; the rest of the dispatch is unchanged.
// RUN: %tilefuse stage encode-fp8 --path tilefuse --target sm_89 %S/Inputs/fp8/before-encode-fp8.mlir | FileCheck %s
// Nothing to encode on gfx942 f16 (the stage leaves the module as it is):
// RUN: %tilefuse stage encode-fp8 --path tilefuse --target gfx942 %S/Inputs/before-encode-fp8.mlir | FileCheck %s --check-prefix=F16

// CHECK-NOT:   arith.truncf
// CHECK:       linalg.generic {{.+}} outs(%{{.+}} : tensor<1x16x64xf8E4M3FN>)
// CHECK-NEXT:  ^bb0(%[[IN:.+]]: f32, %{{.+}}: f8E4M3FN):
// CHECK-NEXT:    %[[CLAMPED:.+]] = arith.minimumf %[[IN]], %{{.+}} : f32
// CHECK-NEXT:    %[[BITS:.+]] = arith.bitcast %[[CLAMPED]] : f32 to i32
// CHECK:         %[[BYTE:.+]] = arith.trunci %{{.+}} : i32 to i8
// CHECK-NEXT:    %[[P:.+]] = arith.bitcast %[[BYTE]] : i8 to f8E4M3FN
// CHECK-NEXT:    linalg.yield %[[P]] : f8E4M3FN
// CHECK-NOT:   arith.truncf

// F16:         arith.truncf %{{.+}} : f32 to f16
// F16-NOT:     arith.bitcast
