//===- QOptOpsShape.td - shape, indexing and constant ops ----*- tablegen -*-===//
//
// Ops that move data without arithmetic. Most of them preserve a quantization
// scale (QOpt_ScalePreserving). Shape-like operands (Reshape's shape, Slice's
// starts, ...) stay operands with ONNX semantics so that shape computations
// in exported transformers keep working; squeeze/unsqueeze axes are
// attributes (folded from constant inputs by the importer).
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QOPT_IR_QOPTOPSSHAPE_TD
#define QOPT_DIALECT_QOPT_IR_QOPTOPSSHAPE_TD

include "qopt/Dialect/QOpt/IR/QOptBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def QOpt_ConstantOp : QOpt_Op<"constant", [ConstantLike, Pure,
    AllTypesMatch<["value", "output"]>]> {
  let summary = "A constant tensor (ONNX initializer or Constant node)";
  let description = [{
    Holds a weight or constant. The importer keeps small constants inline
    (`dense<...>`) so that folders see them, and large weights as
    `dense_resource` blobs that are not copied again.

    Example:
    ```mlir
    %w = qopt.constant dense_resource<fc1.weight> : tensor<768x3072xf32>
    %s = qopt.constant dense<[1, -1, 64]> : tensor<3xi64>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs QOpt_Tensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

def QOpt_ReshapeOp : QOpt_Op<"reshape", [Pure, QOpt_ScalePreserving]> {
  let summary = "ONNX Reshape (0 copies a dimension unless allowzero, -1 infers)";
  let arguments = (ins QOpt_Tensor:$data, QOpt_I64Tensor:$shape,
                       DefaultValuedAttr<I64Attr, "0">:$allowzero);
  let results = (outs QOpt_Tensor:$reshaped);
  let assemblyFormat = "$data `,` $shape attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasVerifier = 1;
}

def QOpt_TransposeOp : QOpt_Op<"transpose", [Pure, QOpt_ScalePreserving]> {
  let summary = "ONNX Transpose (reverses the dimensions when perm is absent)";
  let arguments = (ins QOpt_Tensor:$data, OptionalAttr<DenseI64ArrayAttr>:$perm);
  let results = (outs QOpt_Tensor:$transposed);
  let assemblyFormat = "$data attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasVerifier = 1;
}

def QOpt_FlattenOp : QOpt_Op<"flatten", [Pure, QOpt_ScalePreserving]> {
  let summary = "ONNX Flatten to 2-D at `axis`";
  let arguments = (ins QOpt_Tensor:$input, DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs QOpt_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def QOpt_SqueezeOp : QOpt_Op<"squeeze", [Pure, QOpt_ScalePreserving]> {
  let summary = "ONNX Squeeze (all size-1 dimensions when axes is absent)";
  let arguments = (ins QOpt_Tensor:$data, OptionalAttr<DenseI64ArrayAttr>:$axes);
  let results = (outs QOpt_Tensor:$squeezed);
  let assemblyFormat = "$data attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def QOpt_UnsqueezeOp : QOpt_Op<"unsqueeze", [Pure, QOpt_ScalePreserving]> {
  let summary = "ONNX Unsqueeze (axes index the result)";
  let arguments = (ins QOpt_Tensor:$data, DenseI64ArrayAttr:$axes);
  let results = (outs QOpt_Tensor:$expanded);
  let assemblyFormat = "$data attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def QOpt_ConcatOp : QOpt_Op<"concat", [Pure, QOpt_ScalePreserving,
                                       SameOperandsAndResultElementType]> {
  let summary = "ONNX Concat along `axis`";
  let description = [{
    Scale-preserving when all inputs share one scale (qopt-propagate-scales
    chooses a common one).
  }];
  let arguments = (ins Variadic<QOpt_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs QOpt_Tensor:$concat_result);
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def QOpt_SplitOp : QOpt_Op<"split", [Pure, QOpt_ScalePreserving]> {
  let summary = "ONNX Split along `axis` (equal parts unless `split` is given)";
  let arguments = (ins QOpt_Tensor:$input, Optional<QOpt_I64Tensor>:$split,
                       DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs Variadic<QOpt_Tensor>:$outputs);
  let assemblyFormat = [{
    $input (`,` $split^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_SliceOp : QOpt_Op<"slice", [Pure, QOpt_ScalePreserving,
                                     AttrSizedOperandSegments]> {
  let summary = "ONNX Slice (starts/ends/axes/steps are run-time inputs)";
  let arguments = (ins QOpt_Tensor:$data, QOpt_IndexTensor:$starts,
                       QOpt_IndexTensor:$ends, Optional<QOpt_IndexTensor>:$axes,
                       Optional<QOpt_IndexTensor>:$steps);
  let results = (outs QOpt_Tensor:$output);
  let assemblyFormat = [{
    $data `,` $starts `,` $ends (`axes` $axes^)? (`steps` $steps^)? attr-dict `:` functional-type(operands, results)
  }];
}

class QOpt_GatherBase<string mnemonic, string onnxName>
    : QOpt_Op<mnemonic, [Pure, QOpt_ScalePreserving]> {
  let summary = "ONNX " # onnxName;
  let arguments = (ins QOpt_Tensor:$data, QOpt_IndexTensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs QOpt_Tensor:$output);
  let assemblyFormat = "$data `,` $indices attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}
def QOpt_GatherOp : QOpt_GatherBase<"gather", "Gather">;
def QOpt_GatherElementsOp : QOpt_GatherBase<"gather_elements", "GatherElements">;

def QOpt_GatherNDOp : QOpt_Op<"gather_nd", [Pure, QOpt_ScalePreserving]> {
  let summary = "ONNX GatherND";
  let arguments = (ins QOpt_Tensor:$data, QOpt_I64Tensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$batch_dims);
  let results = (outs QOpt_Tensor:$output);
  let assemblyFormat = "$data `,` $indices attr-dict `:` functional-type(operands, results)";
}

def QOpt_ScatterNDOp : QOpt_Op<"scatter_nd", [Pure]> {
  let summary = "ONNX ScatterND";
  let arguments = (ins QOpt_Tensor:$data, QOpt_I64Tensor:$indices,
                       QOpt_Tensor:$updates,
                       DefaultValuedStrAttr<StrAttr, "none">:$reduction);
  let results = (outs QOpt_Tensor:$output);
  let assemblyFormat = [{
    $data `,` $indices `,` $updates attr-dict `:` functional-type(operands, results)
  }];
}

def QOpt_ScatterElementsOp : QOpt_Op<"scatter_elements", [Pure]> {
  let summary = "ONNX ScatterElements";
  let arguments = (ins QOpt_Tensor:$data, QOpt_IndexTensor:$indices,
                       QOpt_Tensor:$updates,
                       DefaultValuedAttr<I64Attr, "0">:$axis,
                       DefaultValuedStrAttr<StrAttr, "none">:$reduction);
  let results = (outs QOpt_Tensor:$output);
  let assemblyFormat = [{
    $data `,` $indices `,` $updates attr-dict `:` functional-type(operands, results)
  }];
}

def QOpt_ExpandOp : QOpt_Op<"expand", [Pure, QOpt_ScalePreserving]> {
  let summary = "ONNX Expand (bidirectional broadcast to `shape`)";
  let arguments = (ins QOpt_Tensor:$input, QOpt_I64Tensor:$shape);
  let results = (outs QOpt_Tensor:$output);
  let assemblyFormat = "$input `,` $shape attr-dict `:` functional-type(operands, results)";
}

def QOpt_TileOp : QOpt_Op<"tile", [Pure, QOpt_ScalePreserving]> {
  let summary = "ONNX Tile";
  let arguments = (ins QOpt_Tensor:$input, QOpt_I64Tensor:$repeats);
  let results = (outs QOpt_Tensor:$output);
  let assemblyFormat = "$input `,` $repeats attr-dict `:` functional-type(operands, results)";
}

def QOpt_PadOp : QOpt_Op<"pad", [Pure, AttrSizedOperandSegments]> {
  let summary = "ONNX Pad (constant / reflect / edge)";
  let arguments = (ins QOpt_Tensor:$data, QOpt_I64Tensor:$pads,
                       Optional<QOpt_Tensor>:$constant_value,
                       Optional<QOpt_IndexTensor>:$axes,
                       DefaultValuedStrAttr<StrAttr, "constant">:$mode);
  let results = (outs QOpt_Tensor:$output);
  let assemblyFormat = [{
    $data `,` $pads (`value` $constant_value^)? (`axes` $axes^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_ShapeOp : QOpt_Op<"shape", [Pure]> {
  let summary = "ONNX Shape (dimensions start..end as int64)";
  let arguments = (ins QOpt_Tensor:$data,
                       DefaultValuedAttr<I64Attr, "0">:$start,
                       OptionalAttr<I64Attr>:$end);
  let results = (outs QOpt_I64Tensor:$shape);
  let assemblyFormat = "$data attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def QOpt_SizeOp : QOpt_Op<"size", [Pure]> {
  let summary = "ONNX Size (element count as an int64 scalar)";
  let arguments = (ins QOpt_Tensor:$data);
  let results = (outs QOpt_I64Tensor:$size);
  let assemblyFormat = "$data attr-dict `:` functional-type(operands, results)";
}

def QOpt_ConstantOfShapeOp : QOpt_Op<"constant_of_shape", [Pure]> {
  let summary = "ONNX ConstantOfShape (`value` is a one-element tensor)";
  let arguments = (ins QOpt_I64Tensor:$input, OptionalAttr<ElementsAttr>:$value);
  let results = (outs QOpt_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def QOpt_RangeOp : QOpt_Op<"range", [Pure, SameOperandsAndResultElementType]> {
  let summary = "ONNX Range [start, limit) by delta (scalar operands)";
  let arguments = (ins QOpt_Tensor:$start, QOpt_Tensor:$limit, QOpt_Tensor:$delta);
  let results = (outs QOpt_Tensor:$output);
  let assemblyFormat = [{
    $start `,` $limit `,` $delta attr-dict `:` functional-type(operands, results)
  }];
}

def QOpt_TriluOp : QOpt_Op<"trilu", [Pure]> {
  let summary = "ONNX Trilu (upper or lower triangle, diagonal offset k)";
  let arguments = (ins QOpt_Tensor:$input, Optional<QOpt_I64Tensor>:$k,
                       DefaultValuedAttr<I64Attr, "1">:$upper);
  let results = (outs QOpt_Tensor:$output);
  let assemblyFormat = [{
    $input (`,` $k^)? attr-dict `:` functional-type(operands, results)
  }];
}

#endif // QOPT_DIALECT_QOPT_IR_QOPTOPSSHAPE_TD
