//===- Pooling.cpp - NCHW pooling as row vectors ------------------*- C++ -*-===//
//
// See Transforms.h. linalg.pooling_nchw_{max,sum} are convolution-like ops
// the generic vectorizer does not handle; in NCHW an output row's window
// elements are a strided subset of one input row, so each window offset is
// a contiguous load plus a lane-selecting shuffle.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CPU/Transforms.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace {
/// Outputs per vector chunk of a row.
constexpr int64_t kChunk = 32;
} // namespace

FailureOr<Value> mlir::qopt::rewritePoolingAsRowVectors(RewriterBase &rewriter,
                                                        linalg::LinalgOp op,
                                                        bool parallel) {
  bool isMax = isa<linalg::PoolingNchwMaxOp>(op);
  if ((!isMax && !isa<linalg::PoolingNchwSumOp>(op)) ||
      !op.hasPureTensorSemantics())
    return failure();
  Value input = op.getDpsInputs()[0];
  Value init = op.getDpsInits()[0];
  auto inputType = dyn_cast<RankedTensorType>(input.getType());
  auto windowType = dyn_cast<RankedTensorType>(op.getDpsInputs()[1].getType());
  auto initType = dyn_cast<RankedTensorType>(init.getType());
  if (!inputType || !windowType || !initType ||
      !windowType.hasStaticShape())
    return failure();
  Type elem = initType.getElementType();
  if (!isa<FloatType>(elem) || inputType.getElementType() != elem)
    return failure();
  for (int64_t d = 1; d < 4; ++d)
    if (inputType.isDynamicDim(d) || initType.isDynamicDim(d))
      return failure();
  auto stridesAttr = op->getAttrOfType<DenseIntElementsAttr>("strides");
  auto dilationsAttr = op->getAttrOfType<DenseIntElementsAttr>("dilations");
  if (!stridesAttr || !dilationsAttr)
    return failure();
  SmallVector<int64_t> strides(stridesAttr.getValues<int64_t>());
  SmallVector<int64_t> dilations(dilationsAttr.getValues<int64_t>());
  int64_t c = initType.getDimSize(1), oh = initType.getDimSize(2);
  int64_t ow = initType.getDimSize(3);
  int64_t kh = windowType.getDimSize(0), kw = windowType.getDimSize(1);
  int64_t chunk = std::min(ow, kChunk);
  int64_t fullChunks = ow / chunk, tail = ow % chunk;

  Location loc = op.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(rewriter, loc, v);
  };
  Value zero = index(0), one = index(1);
  Value padding = arith::ConstantOp::create(rewriter, loc, elem,
                                            rewriter.getZeroAttr(elem));
  AffineExpr d0, d1;
  bindDims(ctx, d0, d1);
  AffineMap rowMap = AffineMap::get(2, 0, d0 * strides[0] + d1 * dilations[0]);
  AffineMap colMap = AffineMap::get(2, 0, d0 * strides[1] + d1 * dilations[1]);

  // Accumulates the outputs [first, first + size) of row (n, ch, y) into
  // `dest`, starting from the init row.
  auto emitChunk = [&](OpBuilder &b, Location l, Value dest, Value n, Value ch,
                       Value y, Value first, int64_t size) -> Value {
    // One read per window row covers every window column of the `size`
    // outputs; each window column then picks its lanes.
    int64_t span = strides[1] * (size - 1) + dilations[1] * (kw - 1) + 1;
    auto spanType = VectorType::get({span}, elem);
    auto sizeType = VectorType::get({size}, elem);
    Value acc = vector::TransferReadOp::create(
        b, l, sizeType, dest, ValueRange{n, ch, y, first}, padding,
        ArrayRef<bool>{true});
    Value column = affine::AffineApplyOp::create(
        b, l, colMap, ValueRange{first, arith::ConstantIndexOp::create(b, l, 0)});
    for (int64_t ky = 0; ky < kh; ++ky) {
      Value row = affine::AffineApplyOp::create(
          b, l, rowMap, ValueRange{y, arith::ConstantIndexOp::create(b, l, ky)});
      Value values = vector::TransferReadOp::create(
          b, l, spanType, input, ValueRange{n, ch, row, column}, padding,
          ArrayRef<bool>{true});
      for (int64_t kx = 0; kx < kw; ++kx) {
        Value picked = values;
        if (span != size) {
          SmallVector<int64_t> lanes;
          for (int64_t j = 0; j < size; ++j)
            lanes.push_back(j * strides[1] + kx * dilations[1]);
          picked = vector::ShuffleOp::create(b, l, values, values, lanes);
        }
        acc = isMax ? arith::MaximumFOp::create(b, l, acc, picked).getResult()
                    : arith::AddFOp::create(b, l, acc, picked).getResult();
      }
    }
    return vector::TransferWriteOp::create(b, l, acc, dest,
                                           ValueRange{n, ch, y, first},
                                           ArrayRef<bool>{true})
        .getResult();
  };

  OpFoldResult batch = tensor::getMixedSize(rewriter, loc, init, 0);
  SmallVector<Value> lbs(3, zero), steps(3, one);
  SmallVector<Value> ubs = {
      getValueOrCreateConstantIndexOp(rewriter, loc, batch), index(c),
      index(oh)};
  scf::LoopNest nest = scf::buildLoopNest(
      rewriter, loc, lbs, ubs, steps, ValueRange{init},
      [&](OpBuilder &b, Location l, ValueRange ivs,
          ValueRange iterArgs) -> scf::ValueVector {
        Value n = ivs[0], ch = ivs[1], y = ivs[2];
        Value dest = iterArgs[0];
        Value chunkSize = arith::ConstantIndexOp::create(b, l, chunk);
        if (fullChunks == 1) {
          dest = emitChunk(b, l, dest, n, ch, y,
                           arith::ConstantIndexOp::create(b, l, 0), chunk);
        } else {
          auto chunks = scf::ForOp::create(
              b, l, arith::ConstantIndexOp::create(b, l, 0),
              arith::ConstantIndexOp::create(b, l, fullChunks * chunk),
              chunkSize, ValueRange{dest},
              [&](OpBuilder &ib, Location il, Value first, ValueRange args) {
                Value next =
                    emitChunk(ib, il, args[0], n, ch, y, first, chunk);
                scf::YieldOp::create(ib, il, next);
              });
          dest = chunks.getResult(0);
        }
        if (tail != 0)
          dest = emitChunk(
              b, l, dest, n, ch, y,
              arith::ConstantIndexOp::create(b, l, fullChunks * chunk), tail);
        return {dest};
      });
  if (parallel)
    nest.loops[1]->setAttr(kParallelLoopAttrName, rewriter.getUnitAttr());
  Value result = nest.results[0];
  rewriter.replaceOp(op, result);
  return result;
}
