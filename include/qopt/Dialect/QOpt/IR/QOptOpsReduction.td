//===- QOptOpsReduction.td - reductions and index-returning ops -*- tablegen -*-===//
//
// Reductions take their axes as an attribute: the importer folds the ONNX
// `axes` input (ReduceSum-13 and later) into it when it is a constant.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QOPT_IR_QOPTOPSREDUCTION_TD
#define QOPT_DIALECT_QOPT_IR_QOPTOPSREDUCTION_TD

include "qopt/Dialect/QOpt/IR/QOptBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class QOpt_ReduceOp<string mnemonic, string onnxName, list<Trait> traits = []>
    : QOpt_Op<mnemonic, !listconcat(traits, [Pure])> {
  let summary = "ONNX " # onnxName;
  let description = [{
    Reduces `data` over `axes` (all axes when absent, unless
    `noop_with_empty_axes` is 1); `keepdims` keeps reduced dimensions as 1.

    Example:
    ```mlir
    %m = qopt.}] # mnemonic # [{ %x {axes = array<i64: -1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
    ```
  }];
  let arguments = (ins QOpt_Tensor:$data,
                       OptionalAttr<DenseI64ArrayAttr>:$axes,
                       DefaultValuedAttr<I64Attr, "1">:$keepdims,
                       DefaultValuedAttr<I64Attr, "0">:$noop_with_empty_axes);
  let results = (outs QOpt_Tensor:$reduced);
  let assemblyFormat = "$data attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def QOpt_ReduceMeanOp : QOpt_ReduceOp<"reduce_mean", "ReduceMean">;
def QOpt_ReduceSumOp : QOpt_ReduceOp<"reduce_sum", "ReduceSum">;
def QOpt_ReduceMaxOp : QOpt_ReduceOp<"reduce_max", "ReduceMax">;
def QOpt_ReduceMinOp : QOpt_ReduceOp<"reduce_min", "ReduceMin">;
def QOpt_ReduceProdOp : QOpt_ReduceOp<"reduce_prod", "ReduceProd">;
def QOpt_ReduceL1Op : QOpt_ReduceOp<"reduce_l1", "ReduceL1">;
def QOpt_ReduceL2Op : QOpt_ReduceOp<"reduce_l2", "ReduceL2">;
def QOpt_ReduceSumSquareOp : QOpt_ReduceOp<"reduce_sum_square", "ReduceSumSquare">;
def QOpt_ReduceLogSumOp : QOpt_ReduceOp<"reduce_log_sum", "ReduceLogSum">;
def QOpt_ReduceLogSumExpOp : QOpt_ReduceOp<"reduce_log_sum_exp", "ReduceLogSumExp">;

class QOpt_ArgReduceOp<string mnemonic, string onnxName>
    : QOpt_Op<mnemonic, [Pure]> {
  let summary = "ONNX " # onnxName # " (int64 indices)";
  let arguments = (ins QOpt_Tensor:$data,
                       DefaultValuedAttr<I64Attr, "0">:$axis,
                       DefaultValuedAttr<I64Attr, "1">:$keepdims,
                       DefaultValuedAttr<I64Attr, "0">:$select_last_index);
  let results = (outs QOpt_I64Tensor:$reduced);
  let assemblyFormat = "$data attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}
def QOpt_ArgMaxOp : QOpt_ArgReduceOp<"arg_max", "ArgMax">;
def QOpt_ArgMinOp : QOpt_ArgReduceOp<"arg_min", "ArgMin">;

def QOpt_TopKOp : QOpt_Op<"top_k", [Pure]> {
  let summary = "ONNX TopK: the K largest (or smallest) along `axis`";
  let arguments = (ins QOpt_Tensor:$X, QOpt_I64Tensor:$K,
                       DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<I64Attr, "1">:$largest,
                       DefaultValuedAttr<I64Attr, "1">:$sorted);
  let results = (outs QOpt_Tensor:$Values, QOpt_I64Tensor:$Indices);
  let assemblyFormat = "$X `,` $K attr-dict `:` functional-type(operands, results)";
}

def QOpt_CumSumOp : QOpt_Op<"cum_sum", [Pure]> {
  let summary = "ONNX CumSum along a run-time axis";
  let arguments = (ins QOpt_Tensor:$x, QOpt_IndexTensor:$axis,
                       DefaultValuedAttr<I64Attr, "0">:$exclusive,
                       DefaultValuedAttr<I64Attr, "0">:$reverse);
  let results = (outs QOpt_Tensor:$y);
  let assemblyFormat = "$x `,` $axis attr-dict `:` functional-type(operands, results)";
}

#endif // QOPT_DIALECT_QOPT_IR_QOPTOPSREDUCTION_TD
