//===- Int8Conv.cpp - u8 x s8 convolution on AVX-512 VNNI / AVX2 --*- C++ -*-===//
//
// See Transforms.h. The output is computed as [F, P] (P = OH * OW output
// positions), which is NCHW itself: rows are output channels, whose 4
// weight bytes per step are broadcast, and columns are 16 positions whose
// patch bytes come from an im2col matrix packed for vpdpbusd: 4 consecutive
// k of each position adjacent, [P / 16, K4 / 4, 16, 4] per image. The
// packing interleaves 4 row reads of the input with byte shuffles.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CPU/Transforms.h"

#include "Int8Kernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::qopt::int8;

namespace {

/// The coefficient of dim `pos` in the linear expression `expr`.
int64_t getCoefficient(AffineExpr expr, unsigned numDims, unsigned pos) {
  MLIRContext *ctx = expr.getContext();
  SmallVector<AffineExpr> zeros(numDims, getAffineConstantExpr(0, ctx));
  SmallVector<AffineExpr> unit(zeros);
  unit[pos] = getAffineConstantExpr(1, ctx);
  auto at = [&](ArrayRef<AffineExpr> dims) -> int64_t {
    auto c = dyn_cast<AffineConstantExpr>(expr.replaceDimsAndSymbols(dims, {}));
    return c ? c.getValue() : 0;
  };
  return at(unit) - at(zeros);
}

/// Stride and dilation (H, W) of a group-1 2-D NCHW convolution generic
/// (loops n, f, oh, ow, c, kh, kw), or failure when the maps differ.
FailureOr<std::array<int64_t, 4>> matchConvMaps(linalg::GenericOp op) {
  if (op.getNumLoops() != 7)
    return failure();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (maps[0].getNumResults() != 4)
    return failure();
  int64_t sh = getCoefficient(maps[0].getResult(2), 7, 2);
  int64_t dh = getCoefficient(maps[0].getResult(2), 7, 5);
  int64_t sw = getCoefficient(maps[0].getResult(3), 7, 3);
  int64_t dw = getCoefficient(maps[0].getResult(3), 7, 6);
  if (sh < 1 || dh < 1 || sw < 1 || dw < 1)
    return failure();
  MLIRContext *ctx = op.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  auto map = [&](ArrayRef<AffineExpr> exprs) {
    return AffineMap::get(7, 0, exprs, ctx);
  };
  SmallVector<AffineMap> expected = {
      map({d(0), d(4), d(2) * sh + d(5) * dh, d(3) * sw + d(6) * dw}),
      map({d(1), d(4), d(5), d(6)}), map({d(0), d(1), d(2), d(3)})};
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  iterators.append(3, utils::IteratorType::reduction);
  if (maps != expected || op.getIteratorTypesArray() != iterators)
    return failure();
  return std::array<int64_t, 4>{sh, sw, dh, dw};
}

} // namespace

FailureOr<Value> mlir::qopt::rewriteU8S8Conv(RewriterBase &rewriter,
                                             linalg::GenericOp op, Int8ISA isa,
                                             bool parallel) {
  FailureOr<Int8Operands> operands = getInt8Operands(op);
  if (failed(operands))
    return failure();
  FailureOr<std::array<int64_t, 4>> geometry = matchConvMaps(op);
  if (failed(geometry))
    return failure();
  auto [sh, sw, dh, dw] = *geometry;
  auto [x, w, init, xType, wType, cType] = *operands;
  if (!wType.hasStaticShape())
    return failure();
  for (int64_t dim = 1; dim < 4; ++dim)
    if (xType.isDynamicDim(dim) || cType.isDynamicDim(dim))
      return failure();
  int64_t f = wType.getDimSize(0), c = wType.getDimSize(1);
  int64_t kh = wType.getDimSize(2), kw = wType.getDimSize(3);
  int64_t oh = cType.getDimSize(2), ow = cType.getDimSize(3);
  int64_t k = c * kh * kw, k4 = (k + 3) / 4 * 4;
  // Each 16-position column block is one output row's chunk or whole rows
  // (OW a multiple or a small divisor of 16, OH * OW a multiple of 16).
  // Otherwise each output row is padded to OWp, the multiple of 16 above
  // OW, and the extra columns are computed and dropped (at most 2.5x the
  // work: OW = 7 of ResNet's last stage computes 16).
  bool packedRows = (ow % kLanes == 0 || (kLanes % ow == 0 && kLanes / ow <= 8)) &&
                    (oh * ow) % kLanes == 0;
  int64_t owp = packedRows ? ow : (ow + kLanes - 1) / kLanes * kLanes;
  if (!packedRows && (2 * owp > 5 * ow || !isZeroFilled(init)))
    return failure();
  int64_t p = oh * owp;
  std::optional<std::vector<int8_t>> bytes =
      getKernelWeight(w, k, f, /*kMajor=*/false, isa);
  if (!bytes)
    return failure();
  bool avx2 = isa == Int8ISA::AVX2;
  // Register tile: 8 channels x 2 panels in 16 zmm, or 4 x 1 in 8 ymm
  // pairs.
  int64_t kRows = avx2 ? 4 : 8;

  // The weight as [F, K4], zero in the padding columns.
  std::vector<int8_t> packed(f * k4, 0);
  for (int64_t ff = 0; ff < f; ++ff)
    std::copy_n(bytes->begin() + ff * k, k, packed.begin() + ff * k4);
  Location loc = op.getLoc();
  auto i8 = rewriter.getIntegerType(8);
  Value wPacked = createPackedConstant(
      rewriter, loc, RankedTensorType::get({f, k4}, i8), packed);

  auto cst = [](OpBuilder &b, Location l, int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, l, v);
  };
  int64_t panels = p / kLanes, groups = k4 / 4;
  OpFoldResult batch = tensor::getMixedSize(rewriter, loc, x, 0);
  Value batchValue = getValueOrCreateConstantIndexOp(rewriter, loc, batch);

  // im2col: col[n, panel, kg, 4 * lane + t] = x at position 16 * panel +
  // lane for k = 4 * kg + t (zero for k >= K).
  Value col = tensor::EmptyOp::create(
      rewriter, loc,
      {batch, rewriter.getIndexAttr(panels), rewriter.getIndexAttr(groups),
       rewriter.getIndexAttr(4 * kLanes)},
      i8);
  int64_t chunk = std::min(owp, kLanes), chunks = kLanes / chunk;
  int64_t span = (chunk - 1) * sw + 1;
  auto laneType = VectorType::get({kLanes}, i8);
  Value zeroByte = arith::ConstantIntOp::create(rewriter, loc, i8, 0);
  Value zeros = arith::ConstantOp::create(
      rewriter, loc, laneType,
      DenseElementsAttr::get(laneType, rewriter.getI8IntegerAttr(0)));
  SmallVector<int64_t> strided;
  for (int64_t i = 0; i < chunk; ++i)
    strided.push_back(i * sw);
  // The 16 lanes of k (c, ky, kx) for the panel's positions.
  auto gatherLanes = [&](OpBuilder &b, Location l, Value n, Value panel,
                         Value kIndex) -> Value {
    Value ch = arith::DivUIOp::create(b, l, kIndex, cst(b, l, kh * kw));
    Value tap = arith::RemUIOp::create(b, l, kIndex, cst(b, l, kh * kw));
    Value ky = arith::DivUIOp::create(b, l, tap, cst(b, l, kw));
    Value kx = arith::RemUIOp::create(b, l, tap, cst(b, l, kw));
    Value first = arith::MulIOp::create(b, l, panel, cst(b, l, kLanes));
    Value lanes = zeros;
    for (int64_t q = 0; q < chunks; ++q) {
      Value pos = arith::AddIOp::create(b, l, first, cst(b, l, q * chunk));
      Value y = arith::DivUIOp::create(b, l, pos, cst(b, l, owp));
      Value x0 = arith::RemUIOp::create(b, l, pos, cst(b, l, owp));
      Value row = arith::AddIOp::create(
          b, l, arith::MulIOp::create(b, l, y, cst(b, l, sh)),
          arith::MulIOp::create(b, l, ky, cst(b, l, dh)));
      Value column = arith::AddIOp::create(
          b, l, arith::MulIOp::create(b, l, x0, cst(b, l, sw)),
          arith::MulIOp::create(b, l, kx, cst(b, l, dw)));
      // A padded row's extra columns may run past the input row: masked.
      Value values = vector::TransferReadOp::create(
          b, l, VectorType::get({span}, i8), x,
          ValueRange{n, ch, row, column}, zeroByte,
          ArrayRef<bool>{packedRows});
      if (sw != 1)
        values = vector::ShuffleOp::create(b, l, values, values, strided);
      lanes = chunks == 1 ? values
                          : vector::InsertStridedSliceOp::create(
                                b, l, values, lanes,
                                ArrayRef<int64_t>{q * chunk},
                                ArrayRef<int64_t>{1});
    }
    return lanes;
  };
  SmallVector<Value> lbs(3, cst(rewriter, loc, 0)),
      steps(3, cst(rewriter, loc, 1));
  SmallVector<Value> ubs = {batchValue, cst(rewriter, loc, panels),
                            cst(rewriter, loc, groups)};
  scf::LoopNest im2col = scf::buildLoopNest(
      rewriter, loc, lbs, ubs, steps, ValueRange{col},
      [&](OpBuilder &b, Location l, ValueRange ivs,
          ValueRange iterArgs) -> scf::ValueVector {
        Value n = ivs[0], panel = ivs[1], kg = ivs[2];
        SmallVector<Value> rows;
        for (int64_t t = 0; t < 4; ++t) {
          Value kIndex = arith::AddIOp::create(
              b, l, arith::MulIOp::create(b, l, kg, cst(b, l, 4)),
              cst(b, l, t));
          if (k % 4 == 0) {
            rows.push_back(gatherLanes(b, l, n, panel, kIndex));
            continue;
          }
          // Only the last group runs past K: it reads k = K - 1 and keeps
          // zeros.
          Value inside = arith::CmpIOp::create(
              b, l, arith::CmpIPredicate::ult, kIndex, cst(b, l, k));
          Value clamped = arith::MinUIOp::create(b, l, kIndex, cst(b, l, k - 1));
          rows.push_back(arith::SelectOp::create(
              b, l, inside, gatherLanes(b, l, n, panel, clamped), zeros));
        }
        Value packedBytes = interleaveFourRows(b, l, rows);
        return {vector::TransferWriteOp::create(
                    b, l, packedBytes, iterArgs[0],
                    ValueRange{n, panel, kg, cst(b, l, 0)},
                    ArrayRef<bool>{true})
                    .getResult()};
      });
  if (parallel && panels > 1)
    im2col.loops[1]->setAttr(kParallelLoopAttrName, rewriter.getUnitAttr());
  col = im2col.results[0];

  // out[n, f, p] over column tiles of 2 panels (32 positions) when P
  // allows, rows of 8 output channels (then one at a time).
  SmallVector<ReassociationIndices> flat = {{0}, {1}, {2, 3}};
  Value out;
  if (packedRows) {
    out = tensor::CollapseShapeOp::create(rewriter, loc, init, flat);
  } else {
    Value empty = tensor::EmptyOp::create(
        rewriter, loc,
        {batch, rewriter.getIndexAttr(f), rewriter.getIndexAttr(p)},
        rewriter.getI32Type());
    out = linalg::FillOp::create(
              rewriter, loc,
              ValueRange{arith::ConstantIntOp::create(
                  rewriter, loc, rewriter.getI32Type(), 0)},
              ValueRange{empty})
              .getResult(0);
  }
  int64_t blocks = !avx2 && panels % 2 == 0 ? 2 : 1;
  int64_t fullRows = f / kRows * kRows;
  auto emitTile = [&](OpBuilder &b, Location l, Value acc, Value n, Value f0,
                      int64_t rows, Value panel0) -> Value {
    SmallVector<Value> rowIndex, colIndex;
    for (int64_t r = 0; r < rows; ++r)
      rowIndex.push_back(arith::AddIOp::create(b, l, f0, cst(b, l, r)));
    for (int64_t j = 0; j < blocks; ++j)
      colIndex.push_back(arith::MulIOp::create(
          b, l, arith::AddIOp::create(b, l, panel0, cst(b, l, j)),
          cst(b, l, kLanes)));
    return accumulateTile(
        b, l, acc, ValueRange{n}, rowIndex, colIndex,
        b.getIndexAttr(groups),
        /*rowsUnsigned=*/false, /*pairwiseI16=*/avx2,
        [&](OpBuilder &kb, Location kl, int64_t r, Value kg) {
          Value kByte = arith::MulIOp::create(kb, kl, kg, cst(kb, kl, 4));
          return broadcastFourBytes(kb, kl, wPacked, {rowIndex[r], kByte});
        },
        [&](OpBuilder &kb, Location kl, int64_t j, Value kg) {
          Value panel = arith::AddIOp::create(kb, kl, panel0, cst(kb, kl, j));
          return loadPanel(kb, kl, col, {n, panel, kg, cst(kb, kl, 0)});
        });
  };
  SmallVector<Value> outerUbs = {batchValue,
                                 cst(rewriter, loc, panels / blocks)};
  scf::LoopNest kernel = scf::buildLoopNest(
      rewriter, loc, ValueRange(lbs).take_front(2),
      ValueRange(outerUbs), ValueRange(steps).take_front(2), ValueRange{out},
      [&](OpBuilder &b, Location l, ValueRange ivs,
          ValueRange iterArgs) -> scf::ValueVector {
        Value n = ivs[0];
        Value panel0 = arith::MulIOp::create(b, l, ivs[1], cst(b, l, blocks));
        auto full = scf::ForOp::create(
            b, l, cst(b, l, 0), cst(b, l, fullRows), cst(b, l, kRows),
            iterArgs, [&](OpBuilder &fb, Location fl, Value f0, ValueRange a) {
              scf::YieldOp::create(
                  fb, fl, emitTile(fb, fl, a[0], n, f0, kRows, panel0));
            });
        auto rest = scf::ForOp::create(
            b, l, cst(b, l, fullRows), cst(b, l, f), cst(b, l, 1),
            full.getResults(),
            [&](OpBuilder &fb, Location fl, Value f0, ValueRange a) {
              scf::YieldOp::create(fb, fl,
                                   emitTile(fb, fl, a[0], n, f0, 1, panel0));
            });
        return {rest.getResult(0)};
      });
  if (parallel && panels / blocks > 1)
    kernel.loops[1]->setAttr(kParallelLoopAttrName, rewriter.getUnitAttr());
  if (packedRows) {
    Value result = tensor::ExpandShapeOp::create(
        rewriter, loc, cType, kernel.results[0], flat,
        tensor::getMixedSizes(rewriter, loc, init));
    rewriter.replaceOp(op, result);
    return result;
  }
  // [N, F, OH, OWp], then the first OW columns of each row.
  SmallVector<OpFoldResult> paddedSizes = {
      batch, rewriter.getIndexAttr(f), rewriter.getIndexAttr(oh),
      rewriter.getIndexAttr(owp)};
  Value padded = tensor::ExpandShapeOp::create(
      rewriter, loc,
      RankedTensorType::get({cType.getDimSize(0), f, oh, owp},
                            rewriter.getI32Type()),
      kernel.results[0], flat, paddedSizes);
  SmallVector<OpFoldResult> zeros4(4, rewriter.getIndexAttr(0)),
      ones4(4, rewriter.getIndexAttr(1));
  Value result = tensor::ExtractSliceOp::create(
      rewriter, loc, cType, padded, zeros4,
      tensor::getMixedSizes(rewriter, loc, init), ones4);
  rewriter.replaceOp(op, result);
  return result;
}
