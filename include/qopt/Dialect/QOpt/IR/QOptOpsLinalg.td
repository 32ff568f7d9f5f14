//===- QOptOpsLinalg.td - linear algebra ops -----------------*- tablegen -*-===//
//
// MatMul, Gemm, Conv, ConvTranspose and Einsum: the ops that hold weights and
// that quantization targets (QuantizableOpInterface).
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QOPT_IR_QOPTOPSLINALG_TD
#define QOPT_DIALECT_QOPT_IR_QOPTOPSLINALG_TD

include "qopt/Dialect/QOpt/IR/QOptBase.td"
include "qopt/Dialect/QOpt/IR/QOptInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def QOpt_MatMulOp : QOpt_Op<"matmul", [Pure,
    DeclareOpInterfaceMethods<QOpt_QuantizableOpInterface>]> {
  let summary = "ONNX MatMul (numpy matmul semantics)";
  let description = [{
    Matrix product with numpy semantics: 1-D operands are promoted, leading
    (batch) dimensions broadcast. The weight is `B` (`[..., K, N]`), whose
    output-channel axis is its last.

    Example:
    ```mlir
    %y = qopt.matmul %x, %w : (tensor<?x128x768xf32>, tensor<768x3072xf32>) -> tensor<?x128x3072xf32>
    ```
  }];
  let arguments = (ins QOpt_Tensor:$A, QOpt_Tensor:$B);
  let results = (outs QOpt_Tensor:$Y);
  let assemblyFormat = "$A `,` $B attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def QOpt_GemmOp : QOpt_Op<"gemm", [Pure,
    DeclareOpInterfaceMethods<QOpt_QuantizableOpInterface>]> {
  let summary = "ONNX Gemm: Y = alpha * op(A) * op(B) + beta * C";
  let description = [{
    General matrix multiply on 2-D operands; `op(X)` transposes X when
    `transA` / `transB` is 1. `C` is optional and broadcasts to `[M, N]`.

    Example:
    ```mlir
    %y = qopt.gemm %a, %w, %bias {transB = 1 : i64}
        : (tensor<?x256xf32>, tensor<128x256xf32>, tensor<128xf32>) -> tensor<?x128xf32>
    ```
  }];
  let arguments = (ins QOpt_Tensor:$A, QOpt_Tensor:$B, Optional<QOpt_Tensor>:$C,
                       DefaultValuedAttr<F32Attr, "1.0f">:$alpha,
                       DefaultValuedAttr<F32Attr, "1.0f">:$beta,
                       DefaultValuedAttr<I64Attr, "0">:$transA,
                       DefaultValuedAttr<I64Attr, "0">:$transB);
  let results = (outs QOpt_Tensor:$Y);
  let assemblyFormat = [{
    $A `,` $B (`,` $C^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

// Attributes of the ONNX convolution family (Conv, ConvTranspose, ConvInteger,
// QLinearConv) and of pooling.
defvar QOpt_ConvAttrs = (ins
    DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
    OptionalAttr<DenseI64ArrayAttr>:$dilations,
    DefaultValuedAttr<I64Attr, "1">:$group,
    OptionalAttr<DenseI64ArrayAttr>:$kernel_shape,
    OptionalAttr<DenseI64ArrayAttr>:$pads,
    OptionalAttr<DenseI64ArrayAttr>:$strides);

def QOpt_ConvOp : QOpt_Op<"conv", [Pure,
    DeclareOpInterfaceMethods<QOpt_QuantizableOpInterface>]> {
  let summary = "ONNX Conv (N-D, groups, pads, strides, dilations)";
  let description = [{
    Convolution of `X` (`[N, C, D1, ...]`) with `W` (`[M, C/group, k1, ...]`)
    plus the optional bias `B` (`[M]`). The weight's output-channel axis is 0;
    the result's channel axis is 1.

    Example:
    ```mlir
    %y = qopt.conv %x, %w, %b {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
        : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32>
    ```
  }];
  let arguments = !con((ins QOpt_Tensor:$X, QOpt_Tensor:$W,
                            Optional<QOpt_Tensor>:$B), QOpt_ConvAttrs);
  let results = (outs QOpt_Tensor:$Y);
  let assemblyFormat = [{
    $X `,` $W (`,` $B^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_ConvTransposeOp : QOpt_Op<"conv_transpose", [Pure,
    DeclareOpInterfaceMethods<QOpt_QuantizableOpInterface,
                              ["supportsPrecision"]>]> {
  let summary = "ONNX ConvTranspose (N-D)";
  let description = [{
    Transposed convolution of `X` (`[N, C, D1, ...]`) with `W`
    (`[C, M/group, k1, ...]`); the weight's output-channel axis is 1.
  }];
  let arguments = !con((ins QOpt_Tensor:$X, QOpt_Tensor:$W,
                            Optional<QOpt_Tensor>:$B), QOpt_ConvAttrs,
                       (ins OptionalAttr<DenseI64ArrayAttr>:$output_padding,
                            OptionalAttr<DenseI64ArrayAttr>:$output_shape));
  let results = (outs QOpt_Tensor:$Y);
  let assemblyFormat = [{
    $X `,` $W (`,` $B^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_EinsumOp : QOpt_Op<"einsum", [Pure]> {
  let summary = "ONNX Einsum";
  let description = [{
    Einstein summation over the inputs, e.g. `"bhqd,bhkd->bhqk"`. The
    verifier checks the equation's syntax and that it names one term per
    input with one letter per dimension.
  }];
  let arguments = (ins Variadic<QOpt_Tensor>:$Inputs, StrAttr:$equation);
  let results = (outs QOpt_Tensor:$Output);
  let assemblyFormat = "$Inputs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

#endif // QOPT_DIALECT_QOPT_IR_QOPTOPSLINALG_TD
