//===- Passes.td - qopt conversion passes ------------------*- tablegen -*-===//
//
// Conversions out of the qopt dialect; one folder per (source, target) pair.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_CONVERSION_PASSES_TD
#define QOPT_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertQOptToLinalgPass : Pass<"convert-qopt-to-linalg", "ModuleOp"> {
  let summary = "Lower qopt ops to linalg / tensor / arith / math on tensors";
  let description = [{
    Converts every qopt op to destination-style tensor IR that the CPU and
    CUDA pipelines bufferize and code-generate. Elementwise ops become one
    `linalg.generic` with numpy broadcasting maps, MatMul / Gemm become
    contraction generics, reductions become reduction generics, shape ops
    become `tensor` ops. Dynamic dims are read with `tensor.dim`; where two
    dynamic dims meet in a broadcast they are assumed equal (ONNX shape
    inference found no 1 there).

    Signed and unsigned integer tensors become signless; the original
    signedness picks the arith op (`divsi` / `divui`, `extsi` / `extui`...).

    Before:
    ```mlir
    %y = qopt.add %x, %b : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
    ```
    After:
    ```mlir
    %e = tensor.empty(%d0) : tensor<?x4xf32>
    %y = linalg.generic {indexing_maps = [(d0, d1) -> (d0, d1), (d0, d1) -> (d1),
                                          (d0, d1) -> (d0, d1)], ...}
        ins(%x, %b : ...) outs(%e : ...) { arith.addf ... }
    ```
    An op without a lowering is reported with its ONNX node location.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // QOPT_CONVERSION_PASSES_TD
