//===- QOptOpsQuant.td - ONNX quantization ops ---------------*- tablegen -*-===//
//
// The quantization operators of ONNX, imported as they are so that models
// quantized elsewhere (QDQ or QOperator format) can be compiled too. Their
// numerics follow ONNX: QuantizeLinear rounds half to even and saturates.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QOPT_IR_QOPTOPSQUANT_TD
#define QOPT_DIALECT_QOPT_IR_QOPTOPSQUANT_TD

include "qopt/Dialect/QOpt/IR/QOptBase.td"
include "qopt/Dialect/QOpt/IR/QOptOpsLinalg.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Dialect/Quant/IR/QuantBase.td"

// A quantized tensor: 8-bit storage, or a `!quant.uniform` type over it
// whose scale(s) and zero point(s) are the op's.
def QOpt_QuantizedTensor : TensorOf<[I8, UI8, quant_QuantizedType]>;

def QOpt_QuantizeLinearOp : QOpt_Op<"quantize_linear", [Pure]> {
  let summary = "ONNX QuantizeLinear (per tensor or per axis)";
  let description = [{
    `y = saturate(round_half_to_even(x / y_scale) + y_zero_point)`. A scalar
    (or one-element) scale quantizes per tensor; a 1-D scale quantizes per
    axis along `axis`, and must have as many elements as that dimension. The
    result element type is the zero point's (uint8 when it is absent), or a
    `!quant.uniform` type with that storage type that states the same
    scale(s) and zero point(s) (what qopt-quantize produces; the verifier
    checks that they agree, scales to 1e-6 relative since the type prints 7
    significant digits). Lowering reads the operands, so both forms compute
    the same values.

    Example:
    ```mlir
    %q = qopt.quantize_linear %x, %s, %zp : (tensor<4x8xf32>, tensor<f32>, tensor<i8>) -> tensor<4x8xi8>
    %u = qopt.quantize_linear %x, %s2, %zp2 : (tensor<4x8xf32>, tensor<f32>, tensor<ui8>) -> tensor<4x8x!quant.uniform<u8:f32, 0.5:10>>
    ```
  }];
  let arguments = (ins QOpt_Tensor:$x, QOpt_FloatTensor:$y_scale,
                       Optional<QOpt_Int8Tensor>:$y_zero_point,
                       DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs QOpt_QuantizedTensor:$y);
  let assemblyFormat = [{
    $x `,` $y_scale (`,` $y_zero_point^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_DequantizeLinearOp : QOpt_Op<"dequantize_linear", [Pure]> {
  let summary = "ONNX DequantizeLinear (per tensor or per axis)";
  let description = [{
    `y = (x - x_zero_point) * x_scale`, per tensor or along `axis`. `x`
    may have a `!quant.uniform` element type (per tensor, or per axis along
    `axis`) stating the same scale(s) and zero point(s).

    Example:
    ```mlir
    %x = qopt.dequantize_linear %q, %s {axis = 0 : i64} : (tensor<4x8xi8>, tensor<4xf32>) -> tensor<4x8xf32>
    ```
  }];
  let arguments = (ins QOpt_Tensor:$x, QOpt_FloatTensor:$x_scale,
                       Optional<QOpt_Tensor>:$x_zero_point,
                       DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs QOpt_FloatTensor:$y);
  let assemblyFormat = [{
    $x `,` $x_scale (`,` $x_zero_point^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_DynamicQuantizeLinearOp : QOpt_Op<"dynamic_quantize_linear", [Pure]> {
  let summary = "ONNX DynamicQuantizeLinear (uint8, range from the data)";
  let arguments = (ins TensorOf<[F32]>:$x);
  let results = (outs TensorOf<[UI8]>:$y, TensorOf<[F32]>:$y_scale,
                      TensorOf<[UI8]>:$y_zero_point);
  let assemblyFormat = "$x attr-dict `:` functional-type(operands, results)";
}

def QOpt_MatMulIntegerOp : QOpt_Op<"matmul_integer",
    [Pure, AttrSizedOperandSegments]> {
  let summary = "ONNX MatMulInteger: int8 matmul with int32 result";
  let arguments = (ins QOpt_Int8Tensor:$A, QOpt_Int8Tensor:$B,
                       Optional<QOpt_Int8Tensor>:$a_zero_point,
                       Optional<QOpt_Int8Tensor>:$b_zero_point);
  let results = (outs QOpt_Int32Tensor:$Y);
  let assemblyFormat = [{
    $A `,` $B (`a_zero_point` $a_zero_point^)? (`b_zero_point` $b_zero_point^)? attr-dict `:` functional-type(operands, results)
  }];
}

def QOpt_QLinearMatMulOp : QOpt_Op<"qlinear_matmul", [Pure,
    AllElementTypesMatch<["a", "a_zero_point"]>,
    AllElementTypesMatch<["b", "b_zero_point"]>,
    AllElementTypesMatch<["y", "y_zero_point"]>]> {
  let summary = "ONNX QLinearMatMul: quantized in, quantized out";
  let arguments = (ins QOpt_Int8Tensor:$a, QOpt_FloatTensor:$a_scale,
                       QOpt_Int8Tensor:$a_zero_point,
                       QOpt_Int8Tensor:$b, QOpt_FloatTensor:$b_scale,
                       QOpt_Int8Tensor:$b_zero_point,
                       QOpt_FloatTensor:$y_scale, QOpt_Int8Tensor:$y_zero_point);
  let results = (outs QOpt_Int8Tensor:$y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def QOpt_ConvIntegerOp : QOpt_Op<"conv_integer",
    [Pure, AttrSizedOperandSegments]> {
  let summary = "ONNX ConvInteger: int8 convolution with int32 result";
  let arguments = !con((ins QOpt_Int8Tensor:$x, QOpt_Int8Tensor:$w,
                            Optional<QOpt_Int8Tensor>:$x_zero_point,
                            Optional<QOpt_Int8Tensor>:$w_zero_point),
                       QOpt_ConvAttrs);
  let results = (outs QOpt_Int32Tensor:$y);
  let assemblyFormat = [{
    $x `,` $w (`x_zero_point` $x_zero_point^)? (`w_zero_point` $w_zero_point^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_QLinearConvOp : QOpt_Op<"qlinear_conv", [Pure,
    AllElementTypesMatch<["x", "x_zero_point"]>,
    AllElementTypesMatch<["y", "y_zero_point"]>]> {
  let summary = "ONNX QLinearConv: quantized in, quantized out, int32 bias";
  let arguments = !con((ins QOpt_Int8Tensor:$x, QOpt_FloatTensor:$x_scale,
                            QOpt_Int8Tensor:$x_zero_point,
                            QOpt_Int8Tensor:$w, QOpt_FloatTensor:$w_scale,
                            QOpt_Int8Tensor:$w_zero_point,
                            QOpt_FloatTensor:$y_scale,
                            QOpt_Int8Tensor:$y_zero_point,
                            Optional<QOpt_Int32Tensor>:$B),
                       QOpt_ConvAttrs);
  let results = (outs QOpt_Int8Tensor:$y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Calibration
//===----------------------------------------------------------------------===//

def QOpt_DequantizeGroupwiseOp : QOpt_Op<"dequantize_groupwise", [Pure]> {
  let summary = "Weight-only dequantization: packed low-bit codes, per-group scales";
  let description = [{
    The weight of a weight-only precision (w4a16, ternary): a 2-D `y`
    whose axis `axis` (the reduction axis K of the layer that reads it) is
    split into groups of `group_size`, each with its own scale and zero
    point per index of the other axis:

        y[k, n] = (code(k, n) - zero_point[k / group_size, n]) * scale[k / group_size, n]

    (indices written for axis 0; for axis 1 `y`, `scales` and `zero_points`
    are transposed). `codes` packs 8 / `bits` codes per byte along `axis`,
    the first in the low bits: code k of a column is bits
    [(k % P) * bits, (k % P + 1) * bits) of byte k / P, P = 8 / bits.
    Codes are unsigned; without `zero_points` the zero point is
    2^(bits - 1) (symmetric codes stored offset-binary: int4 -8..7 as 0..15).

    Example (w4a16, K = 256, N = 64, groups of 128):
    ```mlir
    %w = qopt.dequantize_groupwise %codes, %scales {bits = 4 : i64, group_size = 128 : i64}
        : (tensor<128x64xui8>, tensor<2x64xf32>) -> tensor<256x64xf32>
    ```
  }];
  let arguments = (ins TensorOf<[UI8]>:$codes, QOpt_FloatTensor:$scales,
                       Optional<QOpt_FloatTensor>:$zero_points,
                       I64Attr:$bits, I64Attr:$group_size,
                       DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs QOpt_FloatTensor:$y);
  let assemblyFormat = [{
    $codes `,` $scales (`,` $zero_points^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_LookupCodebookOp : QOpt_Op<"lookup_codebook", [Pure]> {
  let summary = "Weight-only dequantization: packed indices into per-channel codebooks";
  let description = [{
    The weight of a clustered precision (w4-lut, w8-lut): each output
    channel n (the axis that is not `axis`) has a codebook of 2^`bits`
    values, and every weight is an index into it:

        y[k, n] = codebook[n, code(k, n)]

    (indices written for axis 0). `codes` packs 8 / `bits` indices per
    byte along `axis`, the first in the low bits, as in
    `qopt.dequantize_groupwise`.

    Example (w4-lut, K = 64, N = 32):
    ```mlir
    %w = qopt.lookup_codebook %codes, %codebook {bits = 4 : i64}
        : (tensor<32x32xui8>, tensor<32x16xf32>) -> tensor<64x32xf32>
    ```
  }];
  let arguments = (ins TensorOf<[UI8]>:$codes, QOpt_FloatTensor:$codebook,
                       I64Attr:$bits, DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs QOpt_FloatTensor:$y);
  let assemblyFormat = [{
    $codes `,` $codebook attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_ObserveOp : QOpt_Op<"observe", [Pure, SameOperandsAndResultType]> {
  let summary = "Identity that marks a float tensor whose range calibration measures";
  let description = [{
    Inserted by `qopt-insert-observers` at every float tensor quantization
    needs (the activation operands and the results of quantizable ops).
    `id` numbers the observers of a function from 0 in program order; `name`
    says which tensor it is (the ONNX value or node output) for reports.

    The calibration run fills in the statistics: `min` / `max` over every
    element of every sample, `samples` (how many were seen) and, when
    `channel_axis` is set, `channel_min` / `channel_max` (per index of that
    axis, each range extended to contain 0: SmoothQuant's max |x_j| and what
    it rescales the range with). `method` and `range` are the clipping
    range the calibration method chose (minmax, percentile=P, entropy, mse);
    quantization reads `range`. `scale_source`, set by
    qopt-propagate-scales, names the observer whose range this one shares
    (the tensor reaches it through scale-preserving ops only, so it needs
    no requantization). `smooth_alpha` is SmoothQuant's migration strength
    for the tensor (written by the `--smoothquant=auto` search, or by
    qopt-smoothquant when it applies its option); `smoothed` says
    qopt-smoothquant divided the tensor per channel and updated the
    statistics.

    The op computes nothing: the lowering replaces it with its operand.

    Example:
    ```mlir
    %y = qopt.observe %x {id = 0 : i64, name = "fc1:A", channel_axis = 1 : i64,
                          min = -2.5 : f64, max = 3.0 : f64, samples = 8 : i64,
                          method = "minmax", range = [-2.5, 3.0]} : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins QOpt_FloatTensor:$x, I64Attr:$id, StrAttr:$name,
                       OptionalAttr<I64Attr>:$channel_axis,
                       OptionalAttr<F64Attr>:$min, OptionalAttr<F64Attr>:$max,
                       OptionalAttr<I64Attr>:$samples,
                       OptionalAttr<DenseF32ArrayAttr>:$channel_min,
                       OptionalAttr<DenseF32ArrayAttr>:$channel_max,
                       OptionalAttr<StrAttr>:$method,
                       OptionalAttr<DenseF64ArrayAttr>:$range,
                       OptionalAttr<I64Attr>:$scale_source,
                       OptionalAttr<F64Attr>:$smooth_alpha,
                       UnitAttr:$smoothed);
  let results = (outs QOpt_FloatTensor:$y);
  let assemblyFormat = "$x attr-dict `:` type($x)";
  let hasVerifier = 1;
}

#endif // QOPT_DIALECT_QOPT_IR_QOPTOPSQUANT_TD
