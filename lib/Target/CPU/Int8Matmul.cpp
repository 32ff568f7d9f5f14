//===- Int8Matmul.cpp - u8 x s8 matmul on AVX-512 VNNI / AVX2 ------*- C++ -*-===//
//
// See Transforms.h. The generic vectorizer turns an i8 contraction into
// 32-bit multiplies (vpmulld) - slower than the fp32 kernel. vpdpbusd does
// 64 u8 x s8 multiply-adds into 16 i32 lanes per instruction; it needs the
// 4 k of each lane adjacent, hence the packed weight layout.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CPU/Transforms.h"

#include "Int8Kernel.h"
#include "TileEpilogue.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::qopt::int8;

FailureOr<Value> mlir::qopt::rewriteU8S8Matmul(RewriterBase &rewriter,
                                               linalg::GenericOp op,
                                               Int8ISA isa, bool parallel) {
  // [M, K] x [K, N], or a batched activation [B, M, K] x [K, N] (a
  // transformer's linear layer), run as [B * M, K] x [K, N].
  unsigned loops = op.getNumLoops();
  FailureOr<Int8Operands> operands = getInt8Operands(op);
  if (failed(operands) || (loops != 3 && loops != 4))
    return failure();
  MLIRContext *ctx = op.getContext();
  bool batched = loops == 4;
  AffineExpr db, dm, dn, dk;
  if (batched)
    bindDims(ctx, db, dm, dn, dk);
  else
    bindDims(ctx, dm, dn, dk);
  auto map = [&](ArrayRef<AffineExpr> exprs) {
    return AffineMap::get(loops, 0, exprs, ctx);
  };
  SmallVector<AffineMap> expected =
      batched ? SmallVector<AffineMap>{map({db, dm, dk}), map({dk, dn}),
                                       map({db, dm, dn})}
              : SmallVector<AffineMap>{map({dm, dk}), map({dk, dn}),
                                       map({dm, dn})};
  if (!hasMatmulMaps(op, expected))
    return failure();
  Value a = operands->a, b = operands->b, init = operands->init;
  RankedTensorType aType = operands->aType, bType = operands->bType;
  if (!bType.hasStaticShape())
    return failure();
  int64_t k = bType.getDimSize(0), n = bType.getDimSize(1);
  if (k % 4 != 0 || n % kLanes != 0 || aType.isDynamicDim(aType.getRank() - 1))
    return failure();
  std::optional<std::vector<int8_t>> bytes =
      getKernelWeight(b, k, n, /*kMajor=*/true, isa);
  if (!bytes)
    return failure();
  bool avx2 = isa == Int8ISA::AVX2;
  // Register tile: 8 rows x 2 panels in 16 zmm, or 4 x 1 in 8 ymm pairs.
  int64_t kRows = avx2 ? 4 : 8;

  // Packed weight [N/16, K/4, 64]: lane ni of panel nb holds B[4kg + t][n]
  // for t = 0..3 (vpdpbusd multiplies the 4 bytes of each lane).
  int64_t panels = n / kLanes, groups = k / 4;
  std::vector<int8_t> packed(k * n);
  for (int64_t nb = 0; nb < panels; ++nb)
    for (int64_t kg = 0; kg < groups; ++kg)
      for (int64_t ni = 0; ni < kLanes; ++ni)
        for (int64_t t = 0; t < 4; ++t)
          packed[((nb * groups + kg) * kLanes + ni) * 4 + t] =
              (*bytes)[(4 * kg + t) * n + nb * kLanes + ni];
  auto i8 = rewriter.getIntegerType(8);
  auto packedType = RankedTensorType::get({panels, groups, 4 * kLanes}, i8);
  Location loc = op.getLoc();
  Value bPacked = createPackedConstant(rewriter, loc, packedType, packed);

  // The elementwise consumer of the i32 result (dequantization, bias,
  // activation, requantization), applied to each tile in registers: the
  // kernel is built at the consumer and writes its results.
  std::optional<TileEpilogue> epilogue =
      TileEpilogue::match(op.getResult(0), kLanes, batched);
  if (epilogue)
    rewriter.setInsertionPoint(epilogue->getOp());
  // Accumulators start at 0 in registers when the init is a zero fill;
  // the kernel then writes every element of a fresh destination.
  bool zeroInit = isZeroFilled(init);

  // A batched activation and result are viewed as 2-D (rows = B * M).
  Value originalInit = init;
  if (batched) {
    SmallVector<ReassociationIndices> rows = {{0, 1}, {2}};
    a = tensor::CollapseShapeOp::create(rewriter, loc, a, rows);
    init = tensor::CollapseShapeOp::create(rewriter, loc, init, rows);
    aType = cast<RankedTensorType>(a.getType());
  }
  SmallVector<Value> outs;
  if (epilogue) {
    outs = epilogue->prepare(rewriter, loc);
  } else if (zeroInit) {
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, init);
    outs.push_back(tensor::EmptyOp::create(
        rewriter, loc, sizes, rewriter.getIntegerType(32)));
  } else {
    outs.push_back(init);
  }

  // Column tiles of 2 panels (32 columns) when N allows, else 1.
  int64_t blocks = !avx2 && panels % 2 == 0 ? 2 : 1;
  auto cst = [&](OpBuilder &bb, Location l, int64_t v) -> Value {
    return arith::ConstantIndexOp::create(bb, l, v);
  };

  // Accumulates rows [m0, m0 + rows) x panels [panel0, panel0 + blocks) of
  // C over all of K, then stores the tile (or its epilogue) into `tiles`.
  auto emitTile = [&](OpBuilder &bb, Location l, ValueRange tiles, Value m0,
                      int64_t rows, Value panel0) -> SmallVector<Value> {
    SmallVector<Value> rowIndex, colIndex;
    for (int64_t r = 0; r < rows; ++r)
      rowIndex.push_back(arith::AddIOp::create(bb, l, m0, cst(bb, l, r)));
    for (int64_t j = 0; j < blocks; ++j) {
      Value panel = arith::AddIOp::create(bb, l, panel0, cst(bb, l, j));
      colIndex.push_back(
          arith::MulIOp::create(bb, l, panel, cst(bb, l, kLanes)));
    }
    auto i32 = bb.getIntegerType(32);
    auto lanesType = VectorType::get({kLanes}, i32);
    SmallVector<Value> accs;
    if (zeroInit) {
      Value zeros = arith::ConstantOp::create(
          bb, l, DenseElementsAttr::get(lanesType, bb.getI32IntegerAttr(0)));
      accs.assign(rows * blocks, zeros);
    } else {
      Value pad = arith::ConstantIntOp::create(bb, l, i32, 0);
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t j = 0; j < blocks; ++j)
          accs.push_back(vector::TransferReadOp::create(
              bb, l, lanesType, init, ValueRange{rowIndex[r], colIndex[j]},
              pad, ArrayRef<bool>{true}));
    }
    SmallVector<Value> sums = accumulateRegisters(
        bb, l, accs, blocks, bb.getIndexAttr(groups),
        /*rowsUnsigned=*/true, /*pairwiseI16=*/avx2,
        [&](OpBuilder &kb, Location kl, int64_t r, Value kg) {
          Value kByte = arith::MulIOp::create(kb, kl, kg, cst(kb, kl, 4));
          return broadcastFourBytes(kb, kl, a, {rowIndex[r], kByte});
        },
        [&](OpBuilder &kb, Location kl, int64_t j, Value kg) {
          Value panel = arith::AddIOp::create(kb, kl, panel0, cst(kb, kl, j));
          return loadPanel(kb, kl, bPacked, {panel, kg, cst(kb, kl, 0)});
        });
    SmallVector<Value> written(tiles);
    for (int64_t r = 0; r < rows; ++r) {
      for (int64_t j = 0; j < blocks; ++j) {
        Value sum = sums[r * blocks + j];
        if (epilogue) {
          written =
              epilogue->apply(bb, l, sum, rowIndex[r], colIndex[j], written);
        } else {
          written[0] = vector::TransferWriteOp::create(
                           bb, l, sum, written[0],
                           ValueRange{rowIndex[r], colIndex[j]},
                           ArrayRef<bool>{true})
                           .getResult();
        }
      }
    }
    return written;
  };

  Value m = aType.isDynamicDim(0)
                ? tensor::DimOp::create(rewriter, loc, a, 0).getResult()
                : cst(rewriter, loc, aType.getDimSize(0));
  Value fullRows = arith::MulIOp::create(
      rewriter, loc,
      arith::DivUIOp::create(rewriter, loc, m, cst(rewriter, loc, kRows)),
      cst(rewriter, loc, kRows));
  auto columnLoop = scf::ForOp::create(
      rewriter, loc, cst(rewriter, loc, 0),
      cst(rewriter, loc, panels / blocks), cst(rewriter, loc, 1), outs,
      [&](OpBuilder &ob, Location ol, Value tile, ValueRange iter) {
        Value panel0 =
            arith::MulIOp::create(ob, ol, tile, cst(ob, ol, blocks));
        auto full = scf::ForOp::create(
            ob, ol, cst(ob, ol, 0), fullRows, cst(ob, ol, kRows), iter,
            [&](OpBuilder &mb, Location ml, Value m0, ValueRange c) {
              scf::YieldOp::create(mb, ml,
                                   emitTile(mb, ml, c, m0, kRows, panel0));
            });
        auto rest = scf::ForOp::create(
            ob, ol, fullRows, m, cst(ob, ol, 1), full.getResults(),
            [&](OpBuilder &mb, Location ml, Value m0, ValueRange c) {
              scf::YieldOp::create(mb, ml, emitTile(mb, ml, c, m0, 1, panel0));
            });
        scf::YieldOp::create(ob, ol, rest.getResults());
      });
  if (parallel && panels / blocks > 1)
    columnLoop->setAttr(kParallelLoopAttrName, rewriter.getUnitAttr());
  if (epilogue) {
    SmallVector<Value> results =
        epilogue->replace(rewriter, loc, columnLoop.getResults());
    rewriter.eraseOp(op);
    return results.front();
  }
  Value result = columnLoop.getResult(0);
  if (batched) {
    // Back to [B, M, N]: tensor.reshape, since an expand_shape with two
    // dynamic dims in one group crashes MLIR 22's expand-strided-metadata.
    SmallVector<Value> dims;
    for (int64_t d = 0; d < 3; ++d)
      dims.push_back(tensor::DimOp::create(rewriter, loc, originalInit, d));
    Value shape = tensor::FromElementsOp::create(rewriter, loc, dims);
    result = tensor::ReshapeOp::create(rewriter, loc, originalInit.getType(),
                                       result, shape);
  }
  rewriter.replaceOp(op, result);
  return result;
}
