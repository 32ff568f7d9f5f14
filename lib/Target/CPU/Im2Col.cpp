//===- Im2Col.cpp - convolution as packed im2col + contraction ----*- C++ -*-===//
//
// See Transforms.h. Upstream's rewriteInIm2Col builds the im2col matrix with
// a generic whose maps use floordiv/mod, which neither tiles nor vectorizes,
// and lays it out [K, OH*OW], so the micro-kernel strides OH*OW elements per
// K step (4 KiB apart for a 32x32 image: every row in the same L1 set).
// Here the copy is a loop nest of row-sized vector transfers and the matrix
// is written directly in the packed panel layout [OH*OW / n, K, n].
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CPU/Transforms.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

FailureOr<Value> mlir::qopt::rewriteConvAsPackedIm2Col(
    RewriterBase &rewriter, linalg::Conv2DNchwFchwOp conv, int64_t nTile,
    bool parallel) {
  if (!conv.hasPureTensorSemantics())
    return failure();
  Value input = conv.getInputs()[0], filter = conv.getInputs()[1];
  Value init = conv.getOutputs()[0];
  auto inputType = dyn_cast<RankedTensorType>(input.getType());
  auto filterType = dyn_cast<RankedTensorType>(filter.getType());
  auto initType = dyn_cast<RankedTensorType>(init.getType());
  if (!inputType || !filterType || !initType || !filterType.hasStaticShape())
    return failure();
  Type elem = initType.getElementType();
  if (!isa<FloatType>(elem) || inputType.getElementType() != elem ||
      filterType.getElementType() != elem)
    return failure();
  for (int64_t d = 1; d < 4; ++d)
    if (inputType.isDynamicDim(d) || initType.isDynamicDim(d))
      return failure();
  SmallVector<int64_t> strides(conv.getStrides().getValues<int64_t>());
  SmallVector<int64_t> dilations(conv.getDilations().getValues<int64_t>());
  if (strides[1] != 1 || dilations[1] != 1)
    return failure();
  int64_t c = inputType.getDimSize(1), f = filterType.getDimSize(0);
  int64_t kh = filterType.getDimSize(2), kw = filterType.getDimSize(3);
  int64_t oh = initType.getDimSize(2), ow = initType.getDimSize(3);
  int64_t k = c * kh * kw, p = oh * ow;
  if (p % nTile != 0 || (ow % nTile != 0 && nTile % ow != 0))
    return failure();
  // A row is moved in chunks that never straddle a panel; the chunks of a
  // row are unrolled (their border handling is static).
  int64_t chunk = std::min(ow, nTile), chunks = ow / chunk;
  if (chunks > 8)
    return failure();

  // Zero padding of H and W (ONNX pads) is applied while copying, so the
  // padded input is never materialized.
  Value source = input;
  int64_t padTop = 0, padLeft = 0;
  if (auto pad = input.getDefiningOp<tensor::PadOp>()) {
    SmallVector<int64_t> low(pad.getStaticLow()), high(pad.getStaticHigh());
    Value padValue = pad.getConstantPaddingValue();
    auto sourceType = cast<RankedTensorType>(pad.getSourceType());
    if (padValue && matchPattern(padValue, m_AnyZeroFloat()) &&
        low[0] == 0 && low[1] == 0 && high[0] == 0 && high[1] == 0 &&
        llvm::none_of(low, ShapedType::isDynamic) &&
        llvm::none_of(high, ShapedType::isDynamic) &&
        !sourceType.isDynamicDim(2) && !sourceType.isDynamicDim(3)) {
      source = pad.getSource();
      padTop = low[2];
      padLeft = low[3];
    }
  }
  auto sourceType = cast<RankedTensorType>(source.getType());
  int64_t height = sourceType.getDimSize(2), width = sourceType.getDimSize(3);

  Location loc = conv.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  OpFoldResult batch = tensor::getMixedSize(rewriter, loc, input, 0);
  Value col = tensor::EmptyOp::create(
      rewriter, loc,
      {batch, rewriter.getIndexAttr(p / nTile), rewriter.getIndexAttr(k),
       rewriter.getIndexAttr(nTile)},
      elem);
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(rewriter, loc, v);
  };
  Value zero = index(0), one = index(1);
  Value padding = arith::ConstantOp::create(rewriter, loc, elem,
                                            rewriter.getZeroAttr(elem));
  auto chunkType = VectorType::get({chunk}, elem);
  Value zeros = arith::ConstantOp::create(
      rewriter, loc, chunkType,
      DenseElementsAttr::get(chunkType, rewriter.getZeroAttr(elem)));
  // Loops: n, oh, c, kh; the window columns and the chunks of the output
  // row are unrolled (which lanes fall in the padding is static for each).
  // Each output row's column entries are one contiguous [K, chunk] block of
  // its panel.
  SmallVector<Value> lbs(4, zero), steps(4, one);
  SmallVector<Value> ubs = {
      getValueOrCreateConstantIndexOp(rewriter, loc, batch), index(oh),
      index(c), index(kh)};
  AffineExpr d0, d1, d2;
  bindDims(ctx, d0, d1, d2);
  // The input row (outside [0, height) in the padding) and the K index of
  // window column 0.
  AffineMap rowMap =
      AffineMap::get(2, 0, d0 * strides[0] + d1 * dilations[0] - padTop);
  AffineMap kMap = AffineMap::get(2, 0, (d0 * kh + d1) * kw);
  bool rowsPadded =
      padTop > 0 || (oh - 1) * strides[0] + (kh - 1) * dilations[0] >=
                        height + padTop;
  scf::LoopNest nest = scf::buildLoopNest(
      rewriter, loc, lbs, ubs, steps, ValueRange{col},
      [&](OpBuilder &b, Location l, ValueRange ivs,
          ValueRange iterArgs) -> scf::ValueVector {
        Value n = ivs[0], y = ivs[1], ch = ivs[2], ky = ivs[3];
        Value row = affine::AffineApplyOp::create(b, l, rowMap, {y, ky});
        Value k0 = affine::AffineApplyOp::create(b, l, kMap, {ch, ky});
        // A row in the top/bottom padding reads row 0 and writes zeros.
        Value rowValid;
        if (rowsPadded) {
          Value zeroIndex = arith::ConstantIndexOp::create(b, l, 0);
          Value above = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge,
                                              row, zeroIndex);
          Value below = arith::CmpIOp::create(
              b, l, arith::CmpIPredicate::slt, row,
              arith::ConstantIndexOp::create(b, l, height));
          rowValid = arith::AndIOp::create(b, l, above, below);
          row = arith::SelectOp::create(b, l, rowValid, row, zeroIndex);
        }
        // The output row's first flat index y * ow is a multiple of the
        // chunk, so each chunk lies in one panel.
        Value flat = arith::MulIOp::create(
            b, l, y, arith::ConstantIndexOp::create(b, l, ow));
        Value dest = iterArgs[0];
        for (int64_t kx = 0; kx < kw; ++kx) {
          Value kIndex = arith::AddIOp::create(
              b, l, k0, arith::ConstantIndexOp::create(b, l, kx));
          for (int64_t x = 0; x < chunks; ++x) {
            // Lane j reads input column first + j; lanes outside
            // [0, width) are padding.
            int64_t first = x * chunk + kx * dilations[1] - padLeft;
            int64_t lo = std::clamp<int64_t>(-first, 0, chunk);
            int64_t hi = std::clamp<int64_t>(width - first, lo, chunk);
            Value values = zeros;
            if (hi > lo) {
              Value column = arith::ConstantIndexOp::create(b, l, first + lo);
              values = vector::TransferReadOp::create(
                  b, l, VectorType::get({hi - lo}, elem), source,
                  ValueRange{n, ch, row, column}, padding,
                  ArrayRef<bool>{true});
              if (hi - lo != chunk)
                values = vector::InsertStridedSliceOp::create(
                    b, l, values, zeros, ArrayRef<int64_t>{lo},
                    ArrayRef<int64_t>{1});
              if (rowValid)
                values =
                    arith::SelectOp::create(b, l, rowValid, values, zeros);
            }
            Value p0 = arith::AddIOp::create(
                b, l, flat, arith::ConstantIndexOp::create(b, l, x * chunk));
            Value panel = arith::DivUIOp::create(
                b, l, p0, arith::ConstantIndexOp::create(b, l, nTile));
            Value lane = arith::RemUIOp::create(
                b, l, p0, arith::ConstantIndexOp::create(b, l, nTile));
            dest = vector::TransferWriteOp::create(
                       b, l, values, dest, ValueRange{n, panel, kIndex, lane},
                       ArrayRef<bool>{true})
                       .getResult();
          }
        }
        return {dest};
      });
  if (parallel)
    nest.loops[1]->setAttr(kParallelLoopAttrName, rewriter.getUnitAttr());
  Value packed = nest.results[0];

  // out[n, f, panel, lane] += filter[f, k] * col[n, panel, k, lane].
  auto filter2Type = RankedTensorType::get({f, k}, elem);
  Value filter2 = tensor::CollapseShapeOp::create(
      rewriter, loc, filter2Type, filter,
      SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
  SmallVector<ReassociationIndices> flatGroups = {{0}, {1}, {2, 3}};
  Value init3 = tensor::CollapseShapeOp::create(rewriter, loc, init,
                                                flatGroups);
  auto init4Type = RankedTensorType::get(
      {initType.getDimSize(0), f, p / nTile, nTile}, elem);
  Value init4 = tensor::ExpandShapeOp::create(
      rewriter, loc, init4Type, init3, flatGroups,
      {batch, rewriter.getIndexAttr(f), rewriter.getIndexAttr(p / nTile),
       rewriter.getIndexAttr(nTile)});
  AffineExpr dn, df, dp, dl, dk;
  bindDims(ctx, dn, df, dp, dl, dk);
  SmallVector<AffineMap> maps = {AffineMap::get(5, 0, {df, dk}, ctx),
                                 AffineMap::get(5, 0, {dn, dp, dk, dl}, ctx),
                                 AffineMap::get(5, 0, {dn, df, dp, dl}, ctx)};
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  auto contraction = linalg::GenericOp::create(
      rewriter, loc, TypeRange{init4Type}, ValueRange{filter2, packed},
      ValueRange{init4}, maps, iterators,
      [](OpBuilder &b, Location l, ValueRange args) {
        Value product = arith::MulFOp::create(b, l, args[0], args[1]);
        Value sum = arith::AddFOp::create(b, l, args[2], product);
        linalg::YieldOp::create(b, l, sum);
      });
  Value result3 = tensor::CollapseShapeOp::create(
      rewriter, loc, contraction.getResult(0), flatGroups);
  Value result = tensor::ExpandShapeOp::create(
      rewriter, loc, initType, result3, flatGroups,
      tensor::getMixedSizes(rewriter, loc, init));
  rewriter.replaceOp(conv, result);
  return result;
}
