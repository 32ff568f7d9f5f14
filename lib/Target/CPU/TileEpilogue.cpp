//===- TileEpilogue.cpp - elementwise consumers applied in registers ------===//
//
// See TileEpilogue.h.
//
//===----------------------------------------------------------------------===//

#include "TileEpilogue.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace mlir::qopt;

/// Whether `map` reads the last loop dim only, as its last result, with
/// the other results constant 0 (a [N] bias, or [1, N]).
static bool readsLastDimOnly(AffineMap map) {
  if (map.getNumResults() == 0)
    return false;
  for (auto [i, expr] : llvm::enumerate(map.getResults())) {
    bool last = i + 1 == map.getNumResults();
    if (last ? expr != getAffineDimExpr(map.getNumDims() - 1, map.getContext())
             : expr != getAffineConstantExpr(0, map.getContext()))
      return false;
  }
  return true;
}

/// Whether `map` reads one element: no results, or constant 0 results.
static bool readsOneElement(AffineMap map) {
  return llvm::all_of(map.getResults(), [&](AffineExpr expr) {
    return expr == getAffineConstantExpr(0, map.getContext());
  });
}

/// Whether `op` (in an epilogue body) has a lane-wise vector form: a
/// single-result, region-free arith or math op on integer or float scalars.
static bool isLaneWise(Operation *op) {
  if (!isa<arith::ArithDialect, math::MathDialect>(op->getDialect()) ||
      op->getNumRegions() != 0 || op->getNumResults() != 1)
    return false;
  auto scalar = [](Type t) { return t.isIntOrFloat(); };
  return llvm::all_of(op->getOperandTypes(), scalar) &&
         llvm::all_of(op->getResultTypes(), scalar) &&
         (isa<arith::ConstantOp>(op) ||
          op->hasTrait<OpTrait::Elementwise>());
}

std::optional<TileEpilogue> TileEpilogue::match(Value result, int64_t lanes,
                                                bool collapseRows) {
  if (!result.hasOneUse())
    return std::nullopt;
  OpOperand &use = *result.use_begin();
  auto op = dyn_cast<linalg::GenericOp>(use.getOwner());
  int64_t rank = collapseRows ? 3 : 2;
  if (!op || !op.hasPureTensorSemantics() || op.getNumLoops() != rank ||
      op.getNumReductionLoops() != 0 || !op.isDpsInput(&use) ||
      !op.getMatchingIndexingMap(&use).isIdentity())
    return std::nullopt;
  TileEpilogue epilogue(op, lanes, collapseRows);
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    if (input == &use)
      epilogue.access.push_back(Access::Accumulator);
    else if (input->get() == result)
      return std::nullopt;
    else if (!isa<RankedTensorType>(input->get().getType()))
      return std::nullopt;
    else if (map.isIdentity())
      epilogue.access.push_back(Access::Tile);
    else if (readsLastDimOnly(map))
      epilogue.access.push_back(Access::Columns);
    else if (readsOneElement(map))
      epilogue.access.push_back(Access::Scalar);
    else
      return std::nullopt;
  }
  for (OpOperand &init : op.getDpsInitsMutable()) {
    if (!op.getMatchingIndexingMap(&init).isIdentity() ||
        !op.getMatchingBlockArgument(&init).use_empty())
      return std::nullopt;
  }
  Block &body = op.getRegion().front();
  for (Operation &inner : body.without_terminator())
    if (!isLaneWise(&inner))
      return std::nullopt;
  for (Value yielded : body.getTerminator()->getOperands())
    if (!yielded.getType().isIntOrFloat())
      return std::nullopt;
  return epilogue;
}

/// `value` ([B, M, ...] ) viewed as [B * M, ...].
static Value collapseLeadingDims(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<ReassociationIndices> groups = {{0, 1}};
  for (int64_t d = 2; d < type.getRank(); ++d)
    groups.push_back({d});
  return tensor::CollapseShapeOp::create(b, loc, value, groups);
}

SmallVector<Value> TileEpilogue::prepare(OpBuilder &b, Location loc) {
  inputs.clear();
  for (auto [input, how] : llvm::zip(op.getDpsInputs(), access)) {
    switch (how) {
    case Access::Accumulator:
    case Access::Columns:
      inputs.push_back(input);
      break;
    case Access::Tile:
      inputs.push_back(collapseRows ? collapseLeadingDims(b, loc, input)
                                    : input);
      break;
    case Access::Scalar: {
      auto type = cast<RankedTensorType>(input.getType());
      SmallVector<Value> zeros(type.getRank(),
                               arith::ConstantIndexOp::create(b, loc, 0));
      inputs.push_back(tensor::ExtractOp::create(b, loc, input, zeros));
      break;
    }
    }
  }
  SmallVector<Value> outs;
  for (Value init : op.getDpsInits())
    outs.push_back(collapseRows ? collapseLeadingDims(b, loc, init) : init);
  return outs;
}

SmallVector<Value> TileEpilogue::apply(OpBuilder &b, Location loc, Value acc,
                                       Value row, Value col,
                                       ValueRange outs) const {
  auto vectorOf = [&](Type scalar) { return VectorType::get({lanes}, scalar); };
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  auto read = [&](Value source, SmallVector<Value> indices) -> Value {
    auto type = cast<RankedTensorType>(source.getType());
    Value pad = arith::ConstantOp::create(
        b, loc, b.getZeroAttr(type.getElementType()));
    return vector::TransferReadOp::create(b, loc,
                                          vectorOf(type.getElementType()),
                                          source, indices, pad,
                                          ArrayRef<bool>{true});
  };
  linalg::GenericOp generic = op;
  Block &body = generic.getRegion().front();
  IRMapping mapping;
  for (auto [i, how] : llvm::enumerate(access)) {
    Value lanesValue;
    switch (how) {
    case Access::Accumulator:
      lanesValue = acc;
      break;
    case Access::Tile:
      lanesValue = read(inputs[i], {row, col});
      break;
    case Access::Columns: {
      auto type = cast<RankedTensorType>(inputs[i].getType());
      SmallVector<Value> indices(type.getRank() - 1, zero);
      indices.push_back(col);
      lanesValue = read(inputs[i], indices);
      break;
    }
    case Access::Scalar:
      lanesValue = vector::BroadcastOp::create(
          b, loc, vectorOf(inputs[i].getType()), inputs[i]);
      break;
    }
    mapping.map(body.getArgument(i), lanesValue);
  }
  // Values from outside the body are the same in every lane.
  auto lookup = [&](Value scalar) -> Value {
    if (Value mapped = mapping.lookupOrNull(scalar))
      return mapped;
    return vector::BroadcastOp::create(b, loc, vectorOf(scalar.getType()),
                                       scalar);
  };
  for (Operation &inner : body.without_terminator()) {
    Type resultType = vectorOf(inner.getResult(0).getType());
    Value laneResult;
    if (auto constant = dyn_cast<arith::ConstantOp>(inner)) {
      laneResult = arith::ConstantOp::create(
          b, loc,
          DenseElementsAttr::get(cast<ShapedType>(resultType),
                                 constant.getValue()));
    } else {
      OperationState state(loc, inner.getName());
      for (Value operand : inner.getOperands())
        state.addOperands(lookup(operand));
      state.addAttributes(inner.getAttrs());
      state.addTypes(resultType);
      laneResult = b.create(state)->getResult(0);
    }
    mapping.map(inner.getResult(0), laneResult);
  }
  SmallVector<Value> written;
  for (auto [value, out] :
       llvm::zip(body.getTerminator()->getOperands(), outs))
    written.push_back(vector::TransferWriteOp::create(b, loc, lookup(value),
                                                      out, ValueRange{row, col},
                                                      ArrayRef<bool>{true})
                          .getResult());
  return written;
}

SmallVector<Value> TileEpilogue::replace(RewriterBase &rewriter, Location loc,
                           ValueRange outs) const {
  SmallVector<Value> results;
  linalg::GenericOp generic = op;
  for (auto [out, init] : llvm::zip(outs, generic.getDpsInits())) {
    if (!collapseRows) {
      results.push_back(out);
      continue;
    }
    // tensor.reshape: an expand_shape with two dynamic dims in one group
    // crashes MLIR 22's expand-strided-metadata.
    auto type = cast<RankedTensorType>(init.getType());
    SmallVector<Value> dims;
    for (int64_t d = 0; d < type.getRank(); ++d)
      dims.push_back(tensor::DimOp::create(rewriter, loc, init, d));
    Value shape = tensor::FromElementsOp::create(rewriter, loc, dims);
    results.push_back(
        tensor::ReshapeOp::create(rewriter, loc, type, out, shape));
  }
  rewriter.replaceOp(generic, results);
  return results;
}
