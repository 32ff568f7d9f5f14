//===- Int8BatchedMatmul.cpp - u8 x s8 matmul of two activations --*- C++ -*-===//
//
// See Transforms.h. Attention's Q x K^T and P x V multiply two run-time
// tensors, so the VNNI layout of B ([N/16, K/4, 16, 4] bytes) is packed at
// run time, once per batch entry, with zero rows / columns up to K4 and N16
// (multiples of 4 and 16); A is padded to K4 when K is not statically a
// multiple of 4. The kernel is the constant-weight one's register tile
// (8 rows x 16 columns here), into an i32 buffer [B, M, N16] whose first N
// columns are the result.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CPU/Transforms.h"

#include "Int8Kernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::qopt::int8;

namespace {
constexpr int64_t kRows = 8; // rows of the register tile

} // namespace

FailureOr<Value> mlir::qopt::rewriteU8S8BatchedMatmul(RewriterBase &rewriter,
                                                      linalg::GenericOp op,
                                                      bool parallel) {
  // Loops (b..., m, n, k), maps A (b..., m, k), B (b..., k, n),
  // C (b..., m, n), with up to 2 batch dims.
  unsigned loops = op.getNumLoops();
  FailureOr<Int8Operands> operands = getInt8Operands(op);
  if (failed(operands) || loops < 3 || loops > 5)
    return failure();
  MLIRContext *ctx = op.getContext();
  unsigned batchDims = loops - 3;
  SmallVector<AffineExpr> batch;
  for (unsigned i = 0; i < batchDims; ++i)
    batch.push_back(getAffineDimExpr(i, ctx));
  AffineExpr dm = getAffineDimExpr(batchDims, ctx),
             dn = getAffineDimExpr(batchDims + 1, ctx),
             dk = getAffineDimExpr(batchDims + 2, ctx);
  auto map = [&](AffineExpr x, AffineExpr y) {
    SmallVector<AffineExpr> exprs(batch);
    exprs.append({x, y});
    return AffineMap::get(loops, 0, exprs, ctx);
  };
  if (!hasMatmulMaps(op, {map(dm, dk), map(dk, dn), map(dm, dn)}))
    return failure();
  auto [a, b, init, aType, bType, cType] = *operands;
  if (!isZeroFilled(init))
    return failure();

  Location loc = op.getLoc();
  auto i8 = rewriter.getIntegerType(8), i32 = rewriter.getIntegerType(32);
  auto cst = [](OpBuilder &bb, Location l, int64_t v) -> Value {
    return arith::ConstantIndexOp::create(bb, l, v);
  };
  // Everything as [batch, rows, cols]: batch dims collapsed (or a unit
  // batch added).
  auto to3d = [&](Value v) -> Value {
    auto type = cast<RankedTensorType>(v.getType());
    if (batchDims == 1)
      return v;
    if (batchDims == 2)
      return tensor::CollapseShapeOp::create(
          rewriter, loc, v, SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}});
    SmallVector<OpFoldResult> sizes = {rewriter.getIndexAttr(1)};
    llvm::append_range(sizes, tensor::getMixedSizes(rewriter, loc, v));
    SmallVector<int64_t> shape = {1};
    llvm::append_range(shape, type.getShape());
    return tensor::ExpandShapeOp::create(
        rewriter, loc, type.clone(shape), v,
        SmallVector<ReassociationIndices>{{0, 1}, {2}}, sizes);
  };
  Value a3 = to3d(a), b3 = to3d(b);
  Value batchSize = tensor::DimOp::create(rewriter, loc, a3, 0);
  Value m = tensor::DimOp::create(rewriter, loc, a3, 1);
  Value k = tensor::DimOp::create(rewriter, loc, a3, 2);
  Value n = tensor::DimOp::create(rewriter, loc, b3, 2);
  auto ceilDiv = [&](Value v, int64_t d) -> Value {
    return arith::DivUIOp::create(
        rewriter, loc,
        arith::AddIOp::create(rewriter, loc, v, cst(rewriter, loc, d - 1)),
        cst(rewriter, loc, d));
  };
  Value groups = ceilDiv(k, 4), panels = ceilDiv(n, kLanes);
  Value zeroByte = arith::ConstantIntOp::create(rewriter, loc, i8, 0);

  // A with K padded to K4 (zeros; B's padding rows are zero too).
  int64_t kStatic = aType.getDimSize(aType.getRank() - 1);
  if (ShapedType::isDynamic(kStatic) || kStatic % 4 != 0) {
    Value k4 = arith::MulIOp::create(rewriter, loc, groups,
                                     cst(rewriter, loc, 4));
    SmallVector<OpFoldResult> low(3, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> high(2, rewriter.getIndexAttr(0));
    high.push_back(arith::SubIOp::create(rewriter, loc, k4, k).getResult());
    auto a3Type = cast<RankedTensorType>(a3.getType());
    a3 = tensor::PadOp::create(
        rewriter, loc,
        RankedTensorType::get({a3Type.getDimSize(0), a3Type.getDimSize(1),
                               ShapedType::kDynamic},
                              i8),
        a3, low, high, zeroByte);
  }

  // B packed: bp[batch, panel, kg, 4 * lane + t] = B[batch, 4 kg + t,
  // 16 panel + lane], zero outside K x N.
  Value bp = tensor::EmptyOp::create(
      rewriter, loc,
      {OpFoldResult(batchSize), OpFoldResult(panels), OpFoldResult(groups),
       rewriter.getIndexAttr(4 * kLanes)},
      i8);
  auto laneType = VectorType::get({kLanes}, i8);
  Value zeros = arith::ConstantOp::create(
      rewriter, loc, laneType,
      DenseElementsAttr::get(laneType, rewriter.getI8IntegerAttr(0)));
  Value zero = cst(rewriter, loc, 0), one = cst(rewriter, loc, 1);
  scf::LoopNest pack = scf::buildLoopNest(
      rewriter, loc, {zero, zero, zero}, {batchSize, panels, groups},
      {one, one, one}, ValueRange{bp},
      [&](OpBuilder &bb, Location l, ValueRange ivs,
          ValueRange iterArgs) -> scf::ValueVector {
        Value column = arith::MulIOp::create(bb, l, ivs[1], cst(bb, l, kLanes));
        Value lastRow = arith::SubIOp::create(bb, l, k, cst(bb, l, 1));
        SmallVector<Value> rows;
        for (int64_t t = 0; t < 4; ++t) {
          Value row = arith::AddIOp::create(
              bb, l, arith::MulIOp::create(bb, l, ivs[2], cst(bb, l, 4)),
              cst(bb, l, t));
          Value inside = arith::CmpIOp::create(
              bb, l, arith::CmpIPredicate::ult, row, k);
          Value clamped = arith::MinUIOp::create(bb, l, row, lastRow);
          // Columns past N read as zero (a masked read).
          Value values = vector::TransferReadOp::create(
              bb, l, laneType, b3, ValueRange{ivs[0], clamped, column},
              zeroByte, ArrayRef<bool>{false});
          rows.push_back(
              arith::SelectOp::create(bb, l, inside, values, zeros));
        }
        return {vector::TransferWriteOp::create(
                    bb, l, interleaveFourRows(bb, l, rows), iterArgs[0],
                    ValueRange{ivs[0], ivs[1], ivs[2], cst(bb, l, 0)},
                    ArrayRef<bool>{true})
                    .getResult()};
      });
  bp = pack.results[0];

  // C [batch, M, N16], zero-filled.
  Value n16 = arith::MulIOp::create(rewriter, loc, panels,
                                    cst(rewriter, loc, kLanes));
  SmallVector<OpFoldResult> cSizes = {batchSize, m, n16};
  Value c = linalg::FillOp::create(
                rewriter, loc,
                ValueRange{arith::ConstantIntOp::create(rewriter, loc, i32, 0)},
                ValueRange{tensor::EmptyOp::create(rewriter, loc, cSizes, i32)})
                .getResult(0);
  Value fullRows = arith::MulIOp::create(
      rewriter, loc,
      arith::DivUIOp::create(rewriter, loc, m, cst(rewriter, loc, kRows)),
      cst(rewriter, loc, kRows));
  auto emitTile = [&](OpBuilder &bb, Location l, Value acc, Value batchIndex,
                      Value m0, int64_t rows, Value panel) -> Value {
    SmallVector<Value> rowIndex;
    for (int64_t r = 0; r < rows; ++r)
      rowIndex.push_back(arith::AddIOp::create(bb, l, m0, cst(bb, l, r)));
    Value column = arith::MulIOp::create(bb, l, panel, cst(bb, l, kLanes));
    return accumulateTile(
        bb, l, acc, ValueRange{batchIndex}, rowIndex, {column}, groups,
        /*rowsUnsigned=*/true, /*pairwiseI16=*/false,
        [&](OpBuilder &kb, Location kl, int64_t r, Value kg) {
          Value kByte = arith::MulIOp::create(kb, kl, kg, cst(kb, kl, 4));
          return broadcastFourBytes(kb, kl, a3, {batchIndex, rowIndex[r], kByte});
        },
        [&](OpBuilder &kb, Location kl, int64_t, Value kg) {
          return loadPanel(kb, kl, bp,
                           {batchIndex, panel, kg, cst(kb, kl, 0)});
        });
  };
  scf::LoopNest kernel = scf::buildLoopNest(
      rewriter, loc, {zero, zero}, {batchSize, panels}, {one, one},
      ValueRange{c},
      [&](OpBuilder &bb, Location l, ValueRange ivs,
          ValueRange iterArgs) -> scf::ValueVector {
        auto full = scf::ForOp::create(
            bb, l, cst(bb, l, 0), fullRows, cst(bb, l, kRows), iterArgs,
            [&](OpBuilder &mb, Location ml, Value m0, ValueRange acc) {
              scf::YieldOp::create(
                  mb, ml, emitTile(mb, ml, acc[0], ivs[0], m0, kRows, ivs[1]));
            });
        auto rest = scf::ForOp::create(
            bb, l, fullRows, m, cst(bb, l, 1), full.getResults(),
            [&](OpBuilder &mb, Location ml, Value m0, ValueRange acc) {
              scf::YieldOp::create(
                  mb, ml, emitTile(mb, ml, acc[0], ivs[0], m0, 1, ivs[1]));
            });
        return {rest.getResult(0)};
      });
  if (parallel) {
    pack.loops[0]->setAttr(kParallelLoopAttrName, rewriter.getUnitAttr());
    kernel.loops[0]->setAttr(kParallelLoopAttrName, rewriter.getUnitAttr());
  }

  // The first N columns, in the original shape.
  SmallVector<OpFoldResult> offsets(3, rewriter.getIndexAttr(0)),
      strides(3, rewriter.getIndexAttr(1));
  SmallVector<OpFoldResult> sizes = {batchSize, m, n};
  Value result = tensor::ExtractSliceOp::create(rewriter, loc,
                                                kernel.results[0], offsets,
                                                sizes, strides);
  if (batchDims != 1) {
    // tensor.reshape: expand_shape with two dynamic dims in one group
    // crashes MLIR 22's expand-strided-metadata.
    SmallVector<Value> dims;
    for (int64_t d = 0; d < cType.getRank(); ++d)
      dims.push_back(tensor::DimOp::create(rewriter, loc, init, d));
    Value shape = tensor::FromElementsOp::create(rewriter, loc, dims);
    result = tensor::ReshapeOp::create(rewriter, loc, cType, result, shape);
  } else if (result.getType() != cType) {
    result = tensor::CastOp::create(rewriter, loc, cType, result);
  }
  rewriter.replaceOp(op, result);
  return result;
}
