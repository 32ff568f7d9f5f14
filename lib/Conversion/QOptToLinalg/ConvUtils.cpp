//===- ConvUtils.cpp - sliding windows of Conv and pools --------*- C++ -*-===//
//
// See ConvUtils.h.
//
//===----------------------------------------------------------------------===//

#include "ConvUtils.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::to_linalg;

//===----------------------------------------------------------------------===//
// One spatial dim of a sliding window
//===----------------------------------------------------------------------===//

OpFoldResult to_linalg::getWindowSpan(const IndexMath &m, OpFoldResult count,
                                      int64_t stride, int64_t extent) {
  return m.add(m.mul(m.sub(count, 1), stride), extent);
}

OpFoldResult to_linalg::getWindowOutputSize(const IndexMath &m, OpFoldResult in,
                                            OpFoldResult lo, OpFoldResult hi,
                                            int64_t stride, int64_t extent,
                                            bool ceilMode) {
  OpFoldResult span = m.sub(m.add(m.add(in, lo), hi), extent);
  return m.add(ceilMode ? m.ceilDiv(span, stride) : m.floorDiv(span, stride),
               1);
}

std::pair<OpFoldResult, OpFoldResult>
to_linalg::splitSamePadding(const IndexMath &m, OpFoldResult total,
                            bool upper) {
  OpFoldResult half = m.floorDiv(total, 2);
  OpFoldResult lo = upper ? half : m.sub(total, half);
  OpFoldResult hi = m.sub(total, lo);
  return {lo, hi};
}

SamePadding to_linalg::getSamePadding(const IndexMath &m, OpFoldResult in,
                                      int64_t stride, int64_t extent,
                                      bool upper) {
  OpFoldResult out = m.ceilDiv(in, stride);
  OpFoldResult total =
      m.max(m.sub(getWindowSpan(m, out, stride, extent), in), 0);
  auto [lo, hi] = splitSamePadding(m, total, upper);
  return {lo, hi, out};
}

//===----------------------------------------------------------------------===//
// Loop nests
//===----------------------------------------------------------------------===//

SmallVector<AffineExpr>
to_linalg::getWindowInputExprs(MLIRContext *ctx, unsigned firstOut,
                               unsigned firstTap, ArrayRef<int64_t> strides,
                               ArrayRef<int64_t> dilations) {
  SmallVector<AffineExpr> exprs;
  for (auto [i, stride] : llvm::enumerate(strides))
    exprs.push_back(getAffineDimExpr(firstOut + i, ctx) * stride +
                    getAffineDimExpr(firstTap + i, ctx) * dilations[i]);
  return exprs;
}

ConvContraction to_linalg::getConvContraction(MLIRContext *ctx, int64_t group,
                                              int64_t outPerGroup,
                                              int64_t inPerGroup,
                                              ArrayRef<int64_t> strides,
                                              ArrayRef<int64_t> dilations) {
  int64_t n = strides.size();
  auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  ConvContraction conv;
  conv.numLoops = 3 + 2 * n;
  AffineExpr c = dim(2 + n);
  AffineExpr inChannel =
      group == 1 ? c : dim(1).floorDiv(outPerGroup) * inPerGroup + c;
  SmallVector<AffineExpr> xExprs = {dim(0), inChannel};
  xExprs.append(getWindowInputExprs(ctx, 2, 3 + n, strides, dilations));
  SmallVector<AffineExpr> wExprs = {dim(1), c};
  SmallVector<AffineExpr> oExprs = {dim(0), dim(1)};
  for (int64_t i = 0; i < n; ++i) {
    wExprs.push_back(dim(3 + n + i));
    oExprs.push_back(dim(2 + i));
  }
  conv.input = AffineMap::get(conv.numLoops, 0, xExprs, ctx);
  conv.weight = AffineMap::get(conv.numLoops, 0, wExprs, ctx);
  conv.output = AffineMap::get(conv.numLoops, 0, oExprs, ctx);
  conv.iterators.assign(2 + n, utils::IteratorType::parallel);
  conv.iterators.append(1 + n, utils::IteratorType::reduction);
  return conv;
}
