// RUN: qopt-opt %s -qopt-assign-precision -split-input-file -verify-diagnostics | FileCheck %s
// RUN: qopt-opt %s -qopt-assign-precision="keep-float=attn\..*" -split-input-file | FileCheck %s --check-prefix=KEEP
// RUN: qopt-opt %s -qopt-assign-precision="precision=f32" -split-input-file | FileCheck %s --check-prefix=F32
// RUN: not qopt-opt %s -qopt-assign-precision="keep-float=(" -split-input-file 2>&1 | FileCheck %s --check-prefix=BADRE
// RUN: not qopt-opt %s -qopt-assign-precision="precision=int3" -split-input-file 2>&1 | FileCheck %s --check-prefix=BADPREC
// RUN: qopt-opt %s -qopt-assign-precision="precision=w4a16" -split-input-file | FileCheck %s --check-prefix=W4
// BADRE: error: qopt-assign-precision: invalid keep-float regex '(': parentheses not balanced
// RUN: echo '{"layers": [{"name": "attn.scores", "precision": "fp32"}, {"name": "head", "precision": "w4a16"}], "auto": {}}' > %t.plan.json
// RUN: qopt-opt %s -qopt-assign-precision="plan=%t.plan.json" -split-input-file | FileCheck %s --check-prefix=PLAN
// RUN: echo '{"layers": [{"name": "head", "precision": "int3"}]}' > %t.badprec.json
// RUN: not qopt-opt %s -qopt-assign-precision="plan=%t.badprec.json" -split-input-file 2>&1 | FileCheck %s --check-prefix=PLANPREC
// RUN: echo '{"layers": [{"name": "nope", "precision": "int8"}, {"name": "head", "precision": "int8"}]}' > %t.unknown.json
// RUN: not qopt-opt %s -qopt-assign-precision="plan=%t.unknown.json" -split-input-file 2>&1 | FileCheck %s --check-prefix=PLANNAME
// RUN: echo '[1, 2' > %t.notjson.json
// RUN: not qopt-opt %s -qopt-assign-precision="plan=%t.notjson.json" -split-input-file 2>&1 | FileCheck %s --check-prefix=PLANJSON
// PLANPREC: error: qopt-assign-precision: the plan '{{.*}}badprec.json': layer 'head' has an unknown precision 'int3'
// PLANNAME: error: qopt-assign-precision: the plan '{{.*}}unknown.json' names layers this model does not have: nope
// PLANJSON: error: qopt-assign-precision: the plan '{{.*}}notjson.json' is not JSON
// BADPREC: error: qopt-assign-precision: unknown precision 'int3' (f32, f16, bf16, fp8, w8a8, w8a16, w4a16, w8a8_dynamic, w4_lut, w8_lut, ternary)

// Every quantizable op gets its decision as qopt.precision: w8a8 by
// default; with keep-float=attn\..* the ops whose ONNX node name matches
// (the whole name: "attn.scores", not "mlp.attn_like") stay f32; with
// precision=f32 all of them. Non-quantizable ops get nothing.
// CHECK-LABEL: func.func @decide
// CHECK:         qopt.matmul {{.*}} {qopt.precision = #qopt.precision<w8a8>}
// CHECK:         qopt.matmul {{.*}} {qopt.precision = #qopt.precision<w8a8>}
// CHECK:         qopt.gemm {{.*}}{qopt.precision = #qopt.precision<w8a8>, transB = 1 : i64}
// CHECK:         qopt.relu
// CHECK-NOT:     qopt.precision
// KEEP-LABEL: func.func @decide
// KEEP:         qopt.matmul {{.*}} {qopt.precision = #qopt.precision<f32>}
// KEEP:         qopt.matmul {{.*}} {qopt.precision = #qopt.precision<w8a8>}
// KEEP:         qopt.gemm {{.*}}{qopt.precision = #qopt.precision<w8a8>, transB = 1 : i64}
// W4-LABEL: func.func @decide
// W4-COUNT-3:  #qopt.precision<w4a16>
// A plan assigns the layers it names (by ONNX node name; other keys are
// ignored); the others get `precision` (w8a8).
// PLAN-LABEL: func.func @decide
// PLAN:         qopt.matmul {{.*}} {qopt.precision = #qopt.precision<f32>}
// PLAN:         qopt.matmul {{.*}} {qopt.precision = #qopt.precision<w8a8>}
// PLAN:         qopt.gemm {{.*}}{qopt.precision = #qopt.precision<w4a16>, transB = 1 : i64}
// F32-LABEL: func.func @decide
// F32-COUNT-3:  #qopt.precision<f32>
func.func @decide(%a: tensor<4x8xf32>, %b: tensor<8x4xf32>) -> (tensor<4x4xf32>, tensor<4x16xf32>, tensor<4x2xf32>) {
  %s = qopt.matmul %a, %b : (tensor<4x8xf32>, tensor<8x4xf32>) -> tensor<4x4xf32> loc("attn.scores")
  %w = qopt.constant dense<1.0> : tensor<8x16xf32>
  %m = qopt.matmul %a, %w : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32> loc("mlp.attn_like")
  %gw = qopt.constant dense<1.0> : tensor<2x8xf32>
  %g = qopt.gemm %a, %gw {transB = 1 : i64} : (tensor<4x8xf32>, tensor<2x8xf32>) -> tensor<4x2xf32> loc(fused["head", "model.onnx":0:0])
  %r = qopt.relu %g : (tensor<4x2xf32>) -> tensor<4x2xf32>
  return %s, %m, %r : tensor<4x4xf32>, tensor<4x16xf32>, tensor<4x2xf32>
}
