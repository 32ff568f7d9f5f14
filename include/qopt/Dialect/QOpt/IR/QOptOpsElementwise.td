//===- QOptOpsElementwise.td - elementwise and activation ops -*- tablegen -*-===//
//
// Elementwise arithmetic, comparison, logic and activation ops. Binary ops
// broadcast with numpy (multidirectional) rules like their ONNX counterparts.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QOPT_IR_QOPTOPSELEMENTWISE_TD
#define QOPT_DIALECT_QOPT_IR_QOPTOPSELEMENTWISE_TD

include "qopt/Dialect/QOpt/IR/QOptBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Binary ops
//===----------------------------------------------------------------------===//

class QOpt_BinaryOp<string mnemonic, string onnxName, list<Trait> traits = []>
    : QOpt_Op<mnemonic, !listconcat(traits, [Pure, ResultsBroadcastableShape])> {
  let summary = "ONNX " # onnxName # " (broadcasting)";
  let description = [{
    Elementwise ONNX `}] # onnxName # [{` with multidirectional (numpy)
    broadcasting.

    Example:
    ```mlir
    %c = qopt.}] # mnemonic # [{ %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins QOpt_Tensor:$A, QOpt_Tensor:$B);
  let results = (outs QOpt_Tensor:$C);
  let assemblyFormat = "$A `,` $B attr-dict `:` functional-type(operands, results)";
}

class QOpt_ArithBinaryOp<string mnemonic, string onnxName, list<Trait> traits = []>
    : QOpt_BinaryOp<mnemonic, onnxName,
                    !listconcat(traits, [SameOperandsAndResultElementType])>;

def QOpt_AddOp : QOpt_ArithBinaryOp<"add", "Add", [Commutative]> {
  let hasFolder = 1;
}
def QOpt_SubOp : QOpt_ArithBinaryOp<"sub", "Sub">;
def QOpt_MulOp : QOpt_ArithBinaryOp<"mul", "Mul", [Commutative]> {
  let hasFolder = 1;
}
def QOpt_DivOp : QOpt_ArithBinaryOp<"div", "Div">;
def QOpt_ModOp : QOpt_ArithBinaryOp<"mod", "Mod"> {
  let arguments = (ins QOpt_Tensor:$A, QOpt_Tensor:$B,
                       DefaultValuedAttr<I64Attr, "0">:$fmod);
}
def QOpt_PowOp : QOpt_BinaryOp<"pow", "Pow"> {
  let arguments = (ins QOpt_Tensor:$X, QOpt_Tensor:$Y);
  let results = (outs QOpt_Tensor:$Z);
  let assemblyFormat = "$X `,` $Y attr-dict `:` functional-type(operands, results)";
}
def QOpt_PReluOp : QOpt_BinaryOp<"prelu", "PRelu",
                                 [SameOperandsAndResultElementType]> {
  let arguments = (ins QOpt_Tensor:$X, QOpt_Tensor:$slope);
  let results = (outs QOpt_Tensor:$Y);
  let assemblyFormat = "$X `,` $slope attr-dict `:` functional-type(operands, results)";
}

class QOpt_CompareOp<string mnemonic, string onnxName>
    : QOpt_BinaryOp<mnemonic, onnxName, [SameOperandsElementType]> {
  let results = (outs QOpt_BoolTensor:$C);
}
def QOpt_EqualOp : QOpt_CompareOp<"equal", "Equal">;
def QOpt_LessOp : QOpt_CompareOp<"less", "Less">;
def QOpt_LessOrEqualOp : QOpt_CompareOp<"less_or_equal", "LessOrEqual">;
def QOpt_GreaterOp : QOpt_CompareOp<"greater", "Greater">;
def QOpt_GreaterOrEqualOp : QOpt_CompareOp<"greater_or_equal", "GreaterOrEqual">;

class QOpt_LogicalOp<string mnemonic, string onnxName>
    : QOpt_BinaryOp<mnemonic, onnxName> {
  let arguments = (ins QOpt_BoolTensor:$A, QOpt_BoolTensor:$B);
  let results = (outs QOpt_BoolTensor:$C);
}
def QOpt_AndOp : QOpt_LogicalOp<"and", "And">;
def QOpt_OrOp : QOpt_LogicalOp<"or", "Or">;
def QOpt_XorOp : QOpt_LogicalOp<"xor", "Xor">;

class QOpt_VariadicOp<string mnemonic, string onnxName>
    : QOpt_Op<mnemonic, [Pure, ResultsBroadcastableShape,
                         SameOperandsAndResultElementType]> {
  let summary = "ONNX " # onnxName # " over one or more inputs (broadcasting)";
  let arguments = (ins Variadic<QOpt_Tensor>:$data);
  let results = (outs QOpt_Tensor:$result);
  let assemblyFormat = "$data attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}
def QOpt_MaxOp : QOpt_VariadicOp<"max", "Max">;
def QOpt_MinOp : QOpt_VariadicOp<"min", "Min">;
def QOpt_SumOp : QOpt_VariadicOp<"sum", "Sum">;
def QOpt_MeanOp : QOpt_VariadicOp<"mean", "Mean">;

def QOpt_WhereOp : QOpt_Op<"where", [Pure, ResultsBroadcastableShape]> {
  let summary = "ONNX Where: select X where condition, else Y (broadcasting)";
  let arguments = (ins QOpt_BoolTensor:$condition, QOpt_Tensor:$X,
                       QOpt_Tensor:$Y);
  let results = (outs QOpt_Tensor:$output);
  let assemblyFormat = [{
    $condition `,` $X `,` $Y attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

class QOpt_UnaryOp<string mnemonic, string onnxName, list<Trait> traits = []>
    : QOpt_Op<mnemonic, !listconcat(traits, [Pure, SameOperandsAndResultShape])> {
  let summary = "ONNX " # onnxName # " (elementwise)";
  let arguments = (ins QOpt_Tensor:$X);
  let results = (outs QOpt_Tensor:$Y);
  let assemblyFormat = "$X attr-dict `:` functional-type(operands, results)";
}

class QOpt_FloatUnaryOp<string mnemonic, string onnxName, list<Trait> traits = []>
    : QOpt_UnaryOp<mnemonic, onnxName,
                   !listconcat(traits, [SameOperandsAndResultElementType])>;

def QOpt_NegOp : QOpt_FloatUnaryOp<"neg", "Neg">;
def QOpt_AbsOp : QOpt_FloatUnaryOp<"abs", "Abs">;
def QOpt_SqrtOp : QOpt_FloatUnaryOp<"sqrt", "Sqrt">;
def QOpt_ReciprocalOp : QOpt_FloatUnaryOp<"reciprocal", "Reciprocal">;
def QOpt_ExpOp : QOpt_FloatUnaryOp<"exp", "Exp">;
def QOpt_LogOp : QOpt_FloatUnaryOp<"log", "Log">;
def QOpt_ErfOp : QOpt_FloatUnaryOp<"erf", "Erf">;
def QOpt_TanhOp : QOpt_FloatUnaryOp<"tanh", "Tanh">;
def QOpt_SigmoidOp : QOpt_FloatUnaryOp<"sigmoid", "Sigmoid">;
def QOpt_ReluOp : QOpt_FloatUnaryOp<"relu", "Relu", [QOpt_ScalePreserving]>;
def QOpt_FloorOp : QOpt_FloatUnaryOp<"floor", "Floor">;
def QOpt_CeilOp : QOpt_FloatUnaryOp<"ceil", "Ceil">;
def QOpt_RoundOp : QOpt_FloatUnaryOp<"round", "Round">;
def QOpt_SignOp : QOpt_FloatUnaryOp<"sign", "Sign">;
def QOpt_SinOp : QOpt_FloatUnaryOp<"sin", "Sin">;
def QOpt_CosOp : QOpt_FloatUnaryOp<"cos", "Cos">;
def QOpt_TanOp : QOpt_FloatUnaryOp<"tan", "Tan">;
def QOpt_AtanOp : QOpt_FloatUnaryOp<"atan", "Atan">;
def QOpt_SoftplusOp : QOpt_FloatUnaryOp<"softplus", "Softplus">;
def QOpt_SoftsignOp : QOpt_FloatUnaryOp<"softsign", "Softsign">;
def QOpt_HardSwishOp : QOpt_FloatUnaryOp<"hard_swish", "HardSwish">;
def QOpt_NotOp : QOpt_UnaryOp<"not", "Not"> {
  let arguments = (ins QOpt_BoolTensor:$X);
  let results = (outs QOpt_BoolTensor:$Y);
}
def QOpt_IsNaNOp : QOpt_UnaryOp<"is_nan", "IsNaN"> {
  let results = (outs QOpt_BoolTensor:$Y);
}
def QOpt_IdentityOp : QOpt_UnaryOp<"identity", "Identity",
                                   [QOpt_ScalePreserving]> {
  let summary = "ONNX Identity (also inference-mode Dropout)";
  let hasFolder = 1;
}

def QOpt_LeakyReluOp : QOpt_FloatUnaryOp<"leaky_relu", "LeakyRelu"> {
  let arguments = (ins QOpt_Tensor:$X, DefaultValuedAttr<F32Attr, "0.01f">:$alpha);
}
def QOpt_EluOp : QOpt_FloatUnaryOp<"elu", "Elu"> {
  let arguments = (ins QOpt_Tensor:$X, DefaultValuedAttr<F32Attr, "1.0f">:$alpha);
}
def QOpt_CeluOp : QOpt_FloatUnaryOp<"celu", "Celu"> {
  let arguments = (ins QOpt_Tensor:$X, DefaultValuedAttr<F32Attr, "1.0f">:$alpha);
}
def QOpt_ThresholdedReluOp : QOpt_FloatUnaryOp<"thresholded_relu", "ThresholdedRelu"> {
  let arguments = (ins QOpt_Tensor:$X, DefaultValuedAttr<F32Attr, "1.0f">:$alpha);
}
def QOpt_SeluOp : QOpt_FloatUnaryOp<"selu", "Selu"> {
  let arguments = (ins QOpt_Tensor:$X,
                       DefaultValuedAttr<F32Attr, "1.67326319217681884765625f">:$alpha,
                       DefaultValuedAttr<F32Attr, "1.05070102214813232421875f">:$gamma);
}
def QOpt_HardSigmoidOp : QOpt_FloatUnaryOp<"hard_sigmoid", "HardSigmoid"> {
  let arguments = (ins QOpt_Tensor:$X,
                       DefaultValuedAttr<F32Attr, "0.2f">:$alpha,
                       DefaultValuedAttr<F32Attr, "0.5f">:$beta);
}
def QOpt_GeluOp : QOpt_FloatUnaryOp<"gelu", "Gelu"> {
  let summary = "Gaussian error linear unit (ONNX Gelu, opset 20)";
  let description = [{
    `Y = 0.5 * X * (1 + erf(X / sqrt(2)))`, or with `approximate = "tanh"`
    `Y = 0.5 * X * (1 + tanh(sqrt(2 / pi) * (X + 0.044715 * X^3)))`.
    Imported from ONNX Gelu, and from com.microsoft Gelu / FastGelu.

    Example:
    ```mlir
    %y = qopt.gelu %x {approximate = "tanh"} : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
  let arguments = (ins QOpt_Tensor:$X,
                       DefaultValuedStrAttr<StrAttr, "none">:$approximate);
  let hasVerifier = 1;
}

def QOpt_ClipOp : QOpt_Op<"clip", [Pure, AttrSizedOperandSegments]> {
  let summary = "ONNX Clip: clamp to [min, max] (either bound optional)";
  let arguments = (ins QOpt_Tensor:$input, Optional<QOpt_Tensor>:$min,
                       Optional<QOpt_Tensor>:$max);
  let results = (outs QOpt_Tensor:$output);
  let assemblyFormat = [{
    $input (`min` $min^)? (`max` $max^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_CastOp : QOpt_Op<"cast", [Pure, SameOperandsAndResultShape]> {
  let summary = "ONNX Cast: convert the element type";
  let description = [{
    Example:
    ```mlir
    %y = qopt.cast %x : (tensor<4xi64>) -> tensor<4xf32>
    ```
    The target element type is the result's element type.
  }];
  let arguments = (ins QOpt_Tensor:$input);
  let results = (outs QOpt_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Softmax family
//===----------------------------------------------------------------------===//

class QOpt_SoftmaxBase<string mnemonic, string onnxName>
    : QOpt_Op<mnemonic, [Pure, SameOperandsAndResultType]> {
  let summary = "ONNX " # onnxName # " along `axis` (opset 13 semantics)";
  let arguments = (ins QOpt_FloatTensor:$input,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs QOpt_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}
def QOpt_SoftmaxOp : QOpt_SoftmaxBase<"softmax", "Softmax">;
def QOpt_LogSoftmaxOp : QOpt_SoftmaxBase<"log_softmax", "LogSoftmax">;
def QOpt_HardmaxOp : QOpt_SoftmaxBase<"hardmax", "Hardmax">;

#endif // QOPT_DIALECT_QOPT_IR_QOPTOPSELEMENTWISE_TD
