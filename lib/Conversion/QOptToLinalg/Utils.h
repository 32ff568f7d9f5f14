//===- Utils.h - shared helpers of the qopt -> linalg lowering ---*- C++ -*-===//
//
// What the pattern groups share: types and dims, scalar arithmetic that
// dispatches on float / integer (and signedness), index arithmetic (negative
// index wrapping, clamping, dim products), reading scalars out of tensors,
// the all-parallel `linalg.generic` builders with numpy broadcasting, the
// reductions, and the loop nest of a numpy matmul. ConvUtils.h holds the
// sliding-window (Conv / pool) arithmetic.
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

//===----------------------------------------------------------------------===//
// Pattern groups populated from another group's populate function
//===----------------------------------------------------------------------===//

/// Resize.cpp; added by populateQOptConvPoolToLinalgPatterns.
void populateResizePatterns(const TypeConverter &converter,
                            RewritePatternSet &patterns);

//===----------------------------------------------------------------------===//
// Types, dims and init tensors
//===----------------------------------------------------------------------===//

/// True when `type` (a tensor or an element type) holds unsigned integers
/// (`ui8`, ...). Lowered IR is signless, so patterns ask the original type.
bool isUnsigned(Type type);

/// `type` converted by `converter` when that gives a ranked tensor; null
/// otherwise.
RankedTensorType getConvertedRankedType(const TypeConverter *converter,
                                        Type type);

/// The size of every dim of `value` as OpFoldResults (static ones as attrs).
SmallVector<OpFoldResult> getDims(OpBuilder &b, Location loc, Value value);

/// The size of every dim of `value` as index values (static ones as
/// `arith.constant`s).
SmallVector<Value> getDimValues(OpBuilder &b, Location loc, Value value);

/// The tensor type of `elem` with `dims`: static where a dim is a constant.
RankedTensorType getTypeFromDims(ArrayRef<OpFoldResult> dims, Type elem);

/// A `tensor.empty` of `type` whose dynamic dims come from `dims` (one
/// OpFoldResult per dim; static entries are ignored).
Value createEmpty(OpBuilder &b, Location loc, RankedTensorType type,
                  ArrayRef<OpFoldResult> dims);

/// A `tensor.empty` of `type` (dims as in createEmpty) filled with `value`
/// by `linalg.fill`.
Value fillTensor(OpBuilder &b, Location loc, RankedTensorType type,
                 ArrayRef<OpFoldResult> dims, Value value);

/// A `tensor.empty` of `type` filled with 0: the init of an accumulation.
Value createZeroFilled(OpBuilder &b, Location loc, RankedTensorType type,
                       ArrayRef<OpFoldResult> dims);

/// `tensor.reshape` of `src` to `type` with the target shape built from
/// `sizes` (one per dim of `type`) by `tensor.from_elements`.
Value reshapeWithSizes(OpBuilder &b, Location loc, Value src,
                       RankedTensorType type, ArrayRef<OpFoldResult> sizes);

/// `linalg.transpose` of `x` by `perm` into a `tensor.empty` of `type`, by
/// default x's type permuted.
Value buildTranspose(OpBuilder &b, Location loc, Value x,
                     ArrayRef<int64_t> perm, RankedTensorType type = {});

//===----------------------------------------------------------------------===//
// Broadcasting
//===----------------------------------------------------------------------===//

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

//===----------------------------------------------------------------------===//
// Scalars
//===----------------------------------------------------------------------===//

/// A scalar constant of `type` (float or integer, or index) holding `value`.
Value createConstant(OpBuilder &b, Location loc, Type type, double value);

/// The smallest value of `elem` (-inf for floats; 0 for unsigned integers):
/// the neutral element of max.
Value createLowestValue(OpBuilder &b, Location loc, Type elem,
                        bool isUnsignedInt);

/// The largest value of `elem` (+inf for floats): the neutral element of
/// min.
Value createHighestValue(OpBuilder &b, Location loc, Type elem,
                         bool isUnsignedInt);

/// x + y, x * y: `arith.addf` / `arith.mulf` for floats, the integer ops
/// otherwise.
Value addScalar(OpBuilder &b, Location loc, Value x, Value y);
Value mulScalar(OpBuilder &b, Location loc, Value x, Value y);

/// max / min of x and y: `arith.maximumf` / `arith.minimumf` (NaN
/// propagating) for floats, the signed or unsigned integer op otherwise.
Value maxScalar(OpBuilder &b, Location loc, Value x, Value y,
                bool isUnsignedInt);
Value minScalar(OpBuilder &b, Location loc, Value x, Value y,
                bool isUnsignedInt);

/// acc + a * b in the element type of `acc` (the multiply-accumulate body
/// of contractions).
Value multiplyAccumulate(OpBuilder &b, Location loc, Value a, Value bv,
                         Value acc);

/// Casts an index to `type` (an integer type) or back.
Value castIndexTo(OpBuilder &b, Location loc, Value index, Type type);
Value castToIndex(OpBuilder &b, Location loc, Value value);

/// An index value (from linalg.index or size arithmetic) as a `floatType`
/// scalar, through a signed i64.
Value indexToFloat(OpBuilder &b, Location loc, Value index, Type floatType);

/// Converts `value` of element type `from` to element type `to` with ONNX Cast
/// semantics; `from`/`to` are the unconverted (signed/unsigned-aware) types.
Value convertScalar(OpBuilder &b, Location loc, Value value, Type from,
                    Type to);

//===----------------------------------------------------------------------===//
// Axes and index arithmetic
//===----------------------------------------------------------------------===//

/// Normalizes a possibly negative ONNX axis into [0, rank).
int64_t normalizeAxis(int64_t axis, int64_t rank);

/// ONNX negative indices count from the end: idx < 0 ? idx + dim : idx (on
/// index values).
Value wrapNegativeIndex(OpBuilder &b, Location loc, Value idx, Value dim);

/// max(lo, min(v, hi)) on index values.
Value clampIndex(OpBuilder &b, Location loc, Value v, Value lo, Value hi);

/// lo <= v < hi on index values (an i1).
Value isInRange(OpBuilder &b, Location loc, Value v, Value lo, Value hi);

/// The product of the sizes of `dims` of `tensor` (`tensor.dim`s), as an
/// index: the element count of a reduction over those dims.
Value productOfDims(OpBuilder &b, Location loc, Value tensor,
                    ArrayRef<int64_t> dims);

/// The product of `sizes` as an index value.
Value productOf(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes);

//===----------------------------------------------------------------------===//
// Constant operands and scalars read from tensors
//===----------------------------------------------------------------------===//

/// The constant integer values of `value` when it is defined by a constant
/// (`arith.constant` or a qopt.constant) of integers; std::nullopt otherwise
/// (also for a null `value`).
std::optional<SmallVector<int64_t>> getConstantInts(Value value);

/// The same for a constant of floats, the values converted to double.
std::optional<SmallVector<double>> getConstantFloats(Value value);

/// `tensor[coords]` of an integer tensor, as an index.
Value extractAsIndex(OpBuilder &b, Location loc, Value tensor,
                     ValueRange coords);

/// `tensor[position]` of a 1-D integer tensor, as an index.
Value extractAsIndex(OpBuilder &b, Location loc, Value tensor,
                     int64_t position);

/// Entry `position` of a 1-D `axes` tensor read at run time, as a
/// non-negative index (negative axes count from `rank`).
Value extractAxis(OpBuilder &b, Location loc, Value axes, int64_t position,
                  int64_t rank);

/// The single element of a rank-0 or one-element tensor.
Value extractSingleElement(OpBuilder &b, Location loc, Value tensor);

//===----------------------------------------------------------------------===//
// All-parallel generics
//===----------------------------------------------------------------------===//

/// Builds the scalar body of an elementwise op from the block arguments.
using ScalarBuilder =
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// A one-result `linalg.generic` with all-parallel loops that writes into
/// `init` (its identity-mapped output), reads `inputs` through `inputMaps`
/// and yields `body(input block arguments)`.
Value buildParallelGeneric(OpBuilder &b, Location loc, Value init,
                           ValueRange inputs, ArrayRef<AffineMap> inputMaps,
                           ScalarBuilder body);

/// The same over a fresh `tensor.empty` of `type` with `dims`.
Value buildParallelGeneric(OpBuilder &b, Location loc, RankedTensorType type,
                           ArrayRef<OpFoldResult> dims, ValueRange inputs,
                           ArrayRef<AffineMap> inputMaps, ScalarBuilder body);

/// Builds an element from the `linalg.index` of every loop.
using IndexBody =
    llvm::function_ref<Value(OpBuilder &, Location, ArrayRef<Value> ivs)>;

/// The `linalg.index` of every loop of the enclosing generic.
SmallVector<Value> getLoopIndices(OpBuilder &b, Location loc, int64_t rank);

/// One all-parallel `linalg.generic` without inputs over a `type` tensor of
/// `dims`, whose element at `ivs` is `body(ivs)`.
Value buildIndexGeneric(OpBuilder &b, Location loc, RankedTensorType type,
                        ArrayRef<OpFoldResult> dims, IndexBody body);

/// One `linalg.generic` over `resultType` that reads `operands` with
/// broadcasting and yields `body(args)`.
Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange operands, ScalarBuilder body);

/// `tensor` / `scalar` elementwise (floats): e.g. a sum into a mean.
Value divideByScalar(OpBuilder &b, Location loc, Value tensor, Value scalar);

/// One generic over `type` (of `dims`) reading the `full` operands with
/// numpy broadcasting (the identity for operands of `type`'s shape) and the
/// `partial` ones through `partialMap`: e.g. x with its per-row statistics.
Value buildWithPartialOperands(OpBuilder &b, Location loc,
                               RankedTensorType type,
                               ArrayRef<OpFoldResult> dims, ValueRange full,
                               ValueRange partial, AffineMap partialMap,
                               ScalarBuilder body);

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// The map from a rank-`rank` iteration space to a tensor that lacks the
/// `reduced` dims.
AffineMap getReducedMap(MLIRContext *ctx, int64_t rank,
                        ArrayRef<int64_t> reduced);

/// The static shape and the dims (from `dims`, one per dim of `type`) of a
/// `type` tensor without its `reduced` dims.
void getReducedShape(RankedTensorType type, ArrayRef<OpFoldResult> dims,
                     ArrayRef<int64_t> reduced,
                     SmallVectorImpl<int64_t> &reducedShape,
                     SmallVectorImpl<OpFoldResult> &reducedDims);

using CombineFn =
    llvm::function_ref<Value(OpBuilder &, Location, Value elem, Value acc)>;

/// Reduces `input` over the (sorted, unique) `reduced` dims: a
/// `linalg.generic` whose init is filled with `init` and whose body is
/// `combine(element, accumulator)`. The result drops the reduced dims.
Value buildReduction(OpBuilder &b, Location loc, Value input,
                     ArrayRef<int64_t> reduced, Value init, CombineFn combine);

/// Builds whether the element `v` at i64 `index` along the axis replaces the
/// running (`best`, `bestIndex`) of an arg reduction.
using ArgCompareFn = llvm::function_ref<Value(
    OpBuilder &, Location, Value v, Value index, Value best, Value bestIndex)>;

/// Reduces `input` along `axis` to (value, i64 index) pairs: one
/// `linalg.generic` into `values` and `indices` (initialized, the axis
/// dropped) that takes each element and its index where `better` says so.
/// Returns the reduced values and indices.
std::pair<Value, Value> buildArgReduction(OpBuilder &b, Location loc,
                                          Value input, int64_t axis,
                                          Value values, Value indices,
                                          ArgCompareFn better);

/// The `better` of an argmax where the first maximum wins and a negative
/// `bestIndex` means none yet: none || v > best || (v == best && index <
/// bestIndex). Floats compare ordered.
Value isFirstMaximum(OpBuilder &b, Location loc, Value v, Value index,
                     Value best, Value bestIndex, bool isUnsignedInt);

/// Reshapes a reduced tensor back to the input rank with 1s at the reduced
/// dims (ONNX keepdims=1).
Value keepReducedDims(OpBuilder &b, Location loc, Value reducedValue,
                      RankedTensorType keptType, ArrayRef<int64_t> reduced);

/// What normalizations compute first: the mean of `x` over `reduced`,
/// x - mean, and the sum over `reduced` of (x - mean)^2 (floats); `dims`
/// are x's dims.
struct CenteredMoments {
  Value mean, centered, sumOfSquares;
  SmallVector<OpFoldResult> dims;
};

/// The moments of `x` over `reduced`; `count` is the number of reduced
/// elements as a scalar of `x`'s element type.
CenteredMoments buildCenteredMoments(OpBuilder &b, Location loc, Value x,
                                     ArrayRef<int64_t> reduced, Value count);

//===----------------------------------------------------------------------===//
// numpy matmul
//===----------------------------------------------------------------------===//

/// The loop nest of a numpy matmul of A ([..., M, K] or [K]) and B
/// ([..., K, N] or [K]): the result dims (batch..., M, N without the ones a
/// 1-D operand drops), then the reduction dim K.
struct MatmulLayout {
  int64_t rank;                       // result rank
  int64_t numBatch;                   // leading batch dims of the result
  bool aVec, bVec;                    // 1-D operands
  std::optional<unsigned> mPos, nPos; // loops of M / N, if present

  static MatmulLayout get(RankedTensorType aType, RankedTensorType bType,
                          RankedTensorType resultType);

  unsigned getNumLoops() const { return rank + 1; }

  /// The maps of A and B, the batch dims broadcast numpy-style.
  std::pair<AffineMap, AffineMap>
  getOperandMaps(MLIRContext *ctx, RankedTensorType aType,
                 RankedTensorType bType, RankedTensorType resultType) const;

  /// The map of the result (every loop but K).
  AffineMap getResultMap(MLIRContext *ctx) const;

  /// Parallel result loops, then the reduction over K.
  SmallVector<utils::IteratorType> getIteratorTypes() const;

  /// The result dims: static ones from `resultType`, M from A, N from B, the
  /// batch dims broadcast.
  SmallVector<OpFoldResult> getResultDims(OpBuilder &b, Location loc, Value a,
                                          Value bv,
                                          RankedTensorType resultType) const;
};

} // namespace mlir::qopt::to_linalg

#endif // QOPT_LIB_CONVERSION_QOPTTOLINALG_UTILS_H
