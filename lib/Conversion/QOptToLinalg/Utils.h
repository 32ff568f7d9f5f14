//===- Utils.h - shared helpers of the qopt -> linalg lowering ---*- C++ -*-===//
//
// Broadcasting maps, dynamic dims, empty tensors, scalar constants and the
// one-generic elementwise builder that the pattern groups share.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_CONVERSION_QOPTTOLINALG_UTILS_H
#define QOPT_LIB_CONVERSION_QOPTTOLINALG_UTILS_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::qopt::to_linalg {

/// True when `type` (a tensor or an element type) holds unsigned integers
/// (`ui8`, ...). Lowered IR is signless, so patterns ask the original type.
bool isUnsigned(Type type);

/// The size of every dim of `value` as OpFoldResults (static ones as attrs).
SmallVector<OpFoldResult> getDims(OpBuilder &b, Location loc, Value value);

/// A `tensor.empty` of `type` whose dynamic dims come from `dims` (one
/// OpFoldResult per dim; static entries are ignored).
Value createEmpty(OpBuilder &b, Location loc, RankedTensorType type,
                  ArrayRef<OpFoldResult> dims);

/// The dims of the numpy broadcast of `operands` into `resultType`: static
/// dims from the type, dynamic ones from the operands (the largest of the
/// operands' sizes there).
SmallVector<OpFoldResult> getBroadcastDims(OpBuilder &b, Location loc,
                                           RankedTensorType resultType,
                                           ValueRange operands);

/// The indexing map that reads an operand of `operandType` in a loop nest
/// over `resultRank` dims, numpy-aligned to the right; size-1 dims that
/// broadcast read index 0.
AffineMap getBroadcastMap(MLIRContext *ctx, ShapedType operandType,
                          RankedTensorType resultType);

/// A scalar constant of `type` (float or integer, or index) holding `value`.
Value createConstant(OpBuilder &b, Location loc, Type type, double value);

/// Builds the scalar body of an elementwise op from the block arguments.
using ScalarBuilder =
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// One `linalg.generic` over `resultType` that reads `operands` with
/// broadcasting and yields `body(args)`.
Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange operands, ScalarBuilder body);

/// Normalizes a possibly negative ONNX axis into [0, rank).
int64_t normalizeAxis(int64_t axis, int64_t rank);

/// The constant integer values of `value` when it is defined by a constant
/// (`arith.constant` or a qopt.constant) of integers; std::nullopt otherwise.
std::optional<SmallVector<int64_t>> getConstantInts(Value value);

/// Casts an index to `type` (an integer type) or back.
Value castIndexTo(OpBuilder &b, Location loc, Value index, Type type);
Value castToIndex(OpBuilder &b, Location loc, Value value);

/// Converts `value` of element type `from` to element type `to` with ONNX Cast
/// semantics; `from`/`to` are the unconverted (signed/unsigned-aware) types.
Value convertScalar(OpBuilder &b, Location loc, Value value, Type from,
                    Type to);

/// The map from a rank-`rank` iteration space to a tensor that lacks the
/// `reduced` dims.
AffineMap getReducedMap(MLIRContext *ctx, int64_t rank,
                        ArrayRef<int64_t> reduced);

using CombineFn =
    llvm::function_ref<Value(OpBuilder &, Location, Value elem, Value acc)>;

/// Reduces `input` over the (sorted, unique) `reduced` dims: a
/// `linalg.generic` whose init is filled with `init` and whose body is
/// `combine(element, accumulator)`. The result drops the reduced dims.
Value buildReduction(OpBuilder &b, Location loc, Value input,
                     ArrayRef<int64_t> reduced, Value init, CombineFn combine);

/// Reshapes a reduced tensor back to the input rank with 1s at the reduced
/// dims (ONNX keepdims=1).
Value keepReducedDims(OpBuilder &b, Location loc, Value reducedValue,
                      RankedTensorType keptType, ArrayRef<int64_t> reduced);

} // namespace mlir::qopt::to_linalg

#endif // QOPT_LIB_CONVERSION_QOPTTOLINALG_UTILS_H
