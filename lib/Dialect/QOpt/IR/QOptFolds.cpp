//===- QOptFolds.cpp - qopt op folders ---------------------------*- C++ -*-===//
//
// Folders that remove no-op ops (identity transposes and reshapes, casts to
// the same type, x + 0, x * 1) and evaluate Shape on static tensors. They run
// under -canonicalize; test/Dialect/QOpt/canonicalize.mlir tests each.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::qopt;

/// Returns true when `attr` is a splat equal to `value` (int or float). The
/// comparison is exact in the element type: integers wider than 64 bits are
/// not truncated, and floats wider than f64 are not rounded to double.
static bool isSplatOf(Attribute attr, double value) {
  auto splat = dyn_cast_or_null<SplatElementsAttr>(attr);
  if (!splat)
    return false;
  Type element = splat.getElementType();
  if (isa<FloatType>(element)) {
    APFloat splatValue = splat.getSplatValue<APFloat>();
    return value == 0.0 ? splatValue.isZero()
                        : splatValue.isExactlyValue(value);
  }
  if (element.isSignlessInteger() || element.isSignedInteger()) {
    APInt splatValue = splat.getSplatValue<APInt>();
    return splatValue.getSignificantBits() <= 64 &&
           splatValue.getSExtValue() == static_cast<int64_t>(value);
  }
  return false;
}

/// Folds `lhs op rhs` to `lhs` when `rhs` is the identity element and
/// broadcasting does not change `lhs`'s type.
static OpFoldResult foldNeutral(Value lhs, Attribute rhs, Type resultType,
                                double neutral) {
  if (lhs.getType() == resultType && isSplatOf(rhs, neutral))
    return lhs;
  return {};
}

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldNeutral(getA(), adaptor.getB(), getType(), 0.0))
    return r;
  return foldNeutral(getB(), adaptor.getA(), getType(), 0.0);
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldNeutral(getA(), adaptor.getB(), getType(), 1.0))
    return r;
  return foldNeutral(getB(), adaptor.getA(), getType(), 1.0);
}

OpFoldResult IdentityOp::fold(FoldAdaptor) {
  if (getX().getType() == getType())
    return getX();
  return {};
}

OpFoldResult CastOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  auto type = dyn_cast<RankedTensorType>(getType());
  if (type && type.hasStaticShape() && getData().getType() == type)
    return getData();
  return {};
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  std::optional<ArrayRef<int64_t>> perm = getPerm();
  if (!perm || getData().getType() != getType())
    return {};
  for (auto [i, p] : llvm::enumerate(*perm))
    if (p != static_cast<int64_t>(i))
      return {};
  return getData();
}

OpFoldResult ShapeOp::fold(FoldAdaptor) {
  auto input = dyn_cast<RankedTensorType>(getData().getType());
  auto result = dyn_cast<RankedTensorType>(getType());
  if (!input || !result || !input.hasStaticShape())
    return {};
  int64_t rank = input.getRank();
  auto clampIndex = [&](int64_t i) {
    if (i < 0)
      i += rank;
    return std::clamp<int64_t>(i, 0, rank);
  };
  int64_t start = clampIndex(getStart());
  int64_t end = getEnd() ? clampIndex(*getEnd()) : rank;
  SmallVector<int64_t> dims;
  for (int64_t i = start; i < end; ++i)
    dims.push_back(input.getDimSize(i));
  auto type = RankedTensorType::get({static_cast<int64_t>(dims.size())},
                                    IntegerType::get(getContext(), 64));
  if (type != result)
    return {};
  return DenseElementsAttr::get(type, ArrayRef<int64_t>(dims));
}
