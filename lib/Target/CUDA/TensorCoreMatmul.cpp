//===- TensorCoreMatmul.cpp - int8 matmuls on mma.sync -----------*- C++ -*-===//
//
// A block of 4 warps computes a 64x64 tile of C (each warp 32x32: 2 x 4
// mma.sync.m16n8k32 tiles) of C[b..., m, n] += A[b..., m, k] * B[b..., k, n]
// (or B[b..., n, k]), all int8 in, int32 accumulated. Fragments follow the
// PTX ISA's layouts for m16n8k32 with 8-bit multiplicands; with
// g = lane / 4 and t = lane % 4 a lane holds
//   A (16x32, row): a0 = A[g][4t..4t+3],    a1 = A[g+8][4t..4t+3],
//                   a2 = A[g][16+4t..],     a3 = A[g+8][16+4t..]
//   B (32x8, col):  b0 = B[4t..4t+3][g],    b1 = B[16+4t..16+4t+3][g]
//   C (16x8):       c0, c1 = C[g][2t, 2t+1], c2, c3 = C[g+8][2t, 2t+1]
// four bytes per register, the lowest k in the lowest byte. Fragments are
// read straight from global memory, element by element with clamped
// indices and masks for the edges (any M, N, K); staging through shared
// memory (and ldmatrix) is the next step for speed.
//
//===----------------------------------------------------------------------===//

#include "TensorCoreMatmul.h"

#include "IndexUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

namespace {

constexpr int64_t kWarpTileM = 32, kWarpTileN = 32, kBlockTile = 64;

/// What the matcher found: operands, signedness and the B layout.
struct Int8Matmul {
  Value a, b, c;
  bool aSigned, bSigned;
  /// B is indexed [..., n, k] (else [..., k, n]).
  bool bTransposed;
  /// B has the batch dimensions (else one B for every batch).
  bool bBatched;
  int64_t numBatch;
};

/// The i8 value `v` is extended by: true for extsi, false for extui.
std::optional<std::pair<BlockArgument, bool>> getExtendedArg(Value v) {
  Operation *def = v.getDefiningOp();
  if (!def || !isa<arith::ExtSIOp, arith::ExtUIOp>(def))
    return std::nullopt;
  auto arg = dyn_cast<BlockArgument>(def->getOperand(0));
  if (!arg || !arg.getType().isInteger(8))
    return std::nullopt;
  return std::make_pair(arg, isa<arith::ExtSIOp>(def));
}

FailureOr<Int8Matmul> matchInt8Matmul(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || op->getNumRegions() != 1)
    return failure();
  int64_t loops = op.getNumLoops();
  if (loops < 3 || op.getNumReductionLoops() != 1 ||
      op.getIteratorTypesArray().back() != utils::IteratorType::reduction)
    return failure();
  MLIRContext *ctx = op->getContext();
  int64_t numBatch = loops - 3;
  auto dim = [&](int64_t d) { return getAffineDimExpr(d, ctx); };
  SmallVector<AffineExpr> batch;
  for (int64_t d = 0; d < numBatch; ++d)
    batch.push_back(dim(d));
  AffineExpr m = dim(numBatch), n = dim(numBatch + 1), k = dim(numBatch + 2);
  auto withBatch = [&](bool batched, ArrayRef<AffineExpr> tail) {
    SmallVector<AffineExpr> results;
    if (batched)
      results.append(batch);
    results.append(tail.begin(), tail.end());
    return AffineMap::get(loops, 0, results, ctx);
  };
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (maps[0] != withBatch(true, {m, k}) || maps[2] != withBatch(true, {m, n}))
    return failure();
  Int8Matmul match;
  match.numBatch = numBatch;
  bool found = false;
  for (bool batched : {true, false})
    for (bool transposed : {false, true})
      if (!found && maps[1] == withBatch(batched, transposed
                                                      ? ArrayRef<AffineExpr>{n, k}
                                                      : ArrayRef<AffineExpr>{k, n})) {
        match.bBatched = batched;
        match.bTransposed = transposed;
        found = true;
      }
  if (!found)
    return failure();
  // yield(out + ext(a) * ext(b)) on i8, i8 -> i32.
  Block &body = op->getRegion(0).front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getValues()[0].getDefiningOp<arith::AddIOp>();
  if (!add || !add.getType().isInteger(32))
    return failure();
  Value out = body.getArgument(2);
  Value product = add.getLhs() == out   ? add.getRhs()
                  : add.getRhs() == out ? add.getLhs()
                                        : Value();
  auto mul = product ? product.getDefiningOp<arith::MulIOp>() : nullptr;
  if (!mul)
    return failure();
  auto lhs = getExtendedArg(mul.getLhs()), rhs = getExtendedArg(mul.getRhs());
  if (!lhs || !rhs || lhs->first == rhs->first)
    return failure();
  if (lhs->first.getArgNumber() == 1)
    std::swap(lhs, rhs);
  if (lhs->first.getArgNumber() != 0 || rhs->first.getArgNumber() != 1)
    return failure();
  match.aSigned = lhs->second;
  match.bSigned = rhs->second;
  match.a = op.getDpsInputs()[0];
  match.b = op.getDpsInputs()[1];
  match.c = op.getDpsInits()[0];
  return match;
}

/// Emits the kernel body; `b` is inside the launch.
class KernelBuilder {
public:
  KernelBuilder(OpBuilder &b, Location loc, const Int8Matmul &mm,
                gpu::LaunchOp launch, Value sizeM, Value sizeN, Value sizeK,
                ArrayRef<Value> batchSizes)
      : b(b), loc(loc), mm(mm), sizeM(sizeM), sizeN(sizeN), sizeK(sizeK) {
    Value tx = launch.getThreadIds().x;
    Value warp = div(tx, cst(32));
    Value lane = rem(tx, cst(32));
    g = div(lane, cst(4));
    t = rem(lane, cst(4));
    mBase = add(mul(launch.getBlockIds().y, cst(kBlockTile)),
                mul(div(warp, cst(2)), cst(kWarpTileM)));
    nBase = add(mul(launch.getBlockIds().x, cst(kBlockTile)),
                mul(rem(warp, cst(2)), cst(kWarpTileN)));
    // The batch point of this block: blockIdx.z, delinearized.
    batchIndices =
        qopt::delinearize(b, loc, launch.getBlockIds().z, batchSizes);
    lastM = sub(sizeM, cst(1));
    lastN = sub(sizeN, cst(1));
    lastK = sub(sizeK, cst(1));
  }

  void build() {
    auto i32 = b.getI32Type();
    // Accumulators: C's current values (the op accumulates into them).
    SmallVector<Value> acc;
    for (int64_t i = 0; i < 2; ++i)
      for (int64_t j = 0; j < 4; ++j)
        for (int64_t r = 0; r < 4; ++r) {
          auto [row, col] = accumulatorCoord(i, j, r);
          acc.push_back(loadMasked(mm.c, cIndices(row, col), inM(row),
                                   inN(col), {}, i32));
        }
    auto loop = scf::ForOp::create(b, loc, cst(0), sizeK, cst(32), acc);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      Value k0 = loop.getInductionVar();
      SmallVector<Value> aFrag, bFrag;
      for (int64_t i = 0; i < 2; ++i)
        for (int64_t q = 0; q < 4; ++q) {
          Value row = add(mBase, cst(16 * i + (q % 2) * 8));
          row = add(row, g);
          Value kBase = add(k0, add(mul(t, cst(4)), cst((q / 2) * 16)));
          aFrag.push_back(loadPacked(kBase, inM(row), [&](Value k) {
            return aIndices(clampTo(row, lastM), k);
          }, mm.a));
        }
      for (int64_t j = 0; j < 4; ++j)
        for (int64_t q = 0; q < 2; ++q) {
          Value col = add(add(nBase, cst(8 * j)), g);
          Value kBase = add(k0, add(mul(t, cst(4)), cst(16 * q)));
          bFrag.push_back(loadPacked(kBase, inN(col), [&](Value k) {
            return bIndices(k, clampTo(col, lastN));
          }, mm.b));
        }
      auto accType = LLVM::LLVMStructType::getLiteral(
          b.getContext(), {i32, i32, i32, i32});
      SmallVector<Value> next;
      for (int64_t i = 0; i < 2; ++i)
        for (int64_t j = 0; j < 4; ++j) {
          ValueRange a(ArrayRef<Value>(aFrag).slice(4 * i, 4));
          ValueRange bb(ArrayRef<Value>(bFrag).slice(2 * j, 2));
          SmallVector<Value> c(
              loop.getRegionIterArgs().slice(16 * i + 4 * j, 4));
          auto mma = NVVM::MmaOp::create(
              b, loc, accType, a, bb, c, ArrayRef<int64_t>{16, 8, 32},
              std::nullopt, NVVM::MMAIntOverflow::wrapped,
              std::array<NVVM::MMATypes, 2>{
                  mm.aSigned ? NVVM::MMATypes::s8 : NVVM::MMATypes::u8,
                  mm.bSigned ? NVVM::MMATypes::s8 : NVVM::MMATypes::u8},
              std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                             NVVM::MMALayout::col});
          for (int64_t r = 0; r < 4; ++r)
            next.push_back(LLVM::ExtractValueOp::create(b, loc, mma, r));
        }
      scf::YieldOp::create(b, loc, next);
    }
    // Store the tile's in-bounds elements.
    for (int64_t i = 0; i < 2; ++i)
      for (int64_t j = 0; j < 4; ++j)
        for (int64_t r = 0; r < 4; ++r) {
          auto [row, col] = accumulatorCoord(i, j, r);
          Value ok = arith::AndIOp::create(b, loc, inM(row), inN(col));
          auto guard = scf::IfOp::create(b, loc, ok, /*else=*/false);
          OpBuilder::InsertionGuard insertion(b);
          b.setInsertionPointToStart(&guard.getThenRegion().front());
          memref::StoreOp::create(b, loc, loop.getResult(16 * i + 4 * j + r),
                                  mm.c, cIndices(row, col));
        }
  }

private:
  Value cst(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivUIOp::create(b, loc, x, y); }
  Value rem(Value x, Value y) { return arith::RemUIOp::create(b, loc, x, y); }
  Value clampTo(Value x, Value last) {
    return arith::MinUIOp::create(b, loc, x, last);
  }
  Value less(Value x, Value bound) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, bound);
  }
  Value inM(Value row) { return less(row, sizeM); }
  Value inN(Value col) { return less(col, sizeN); }

  std::pair<Value, Value> accumulatorCoord(int64_t i, int64_t j, int64_t r) {
    Value row = add(add(mBase, cst(16 * i + (r / 2) * 8)), g);
    Value col = add(add(nBase, cst(8 * j + r % 2)), mul(t, cst(2)));
    return {row, col};
  }

  SmallVector<Value> withBatch(bool batched, Value x, Value y) {
    SmallVector<Value> indices;
    if (batched)
      indices.append(batchIndices);
    indices.append({x, y});
    return indices;
  }
  SmallVector<Value> aIndices(Value row, Value k) {
    return withBatch(true, row, k);
  }
  SmallVector<Value> bIndices(Value k, Value col) {
    return mm.bTransposed ? withBatch(mm.bBatched, col, k)
                          : withBatch(mm.bBatched, k, col);
  }
  SmallVector<Value> cIndices(Value row, Value col) {
    return withBatch(true, clampTo(row, lastM), clampTo(col, lastN));
  }

  /// memref[indices] where `ok1 && ok2 && ok3`, else 0 (the indices are
  /// clamped in bounds, so the load itself is always valid).
  Value loadMasked(Value memref, ArrayRef<Value> indices, Value ok1,
                   Value ok2, Value ok3, Type type) {
    Value ok = arith::AndIOp::create(b, loc, ok1, ok2);
    if (ok3)
      ok = arith::AndIOp::create(b, loc, ok, ok3);
    Value v = memref::LoadOp::create(b, loc, memref, indices);
    Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(type));
    return arith::SelectOp::create(b, loc, ok, v, zero);
  }

  /// Four bytes at k = kBase .. kBase+3 (masked beyond K and where `rowOk`
  /// is false), packed low to high into an i32.
  Value loadPacked(Value kBase, Value rowOk,
                   llvm::function_ref<SmallVector<Value>(Value)> indices,
                   Value memref) {
    auto i32 = b.getI32Type();
    Value packed;
    for (int64_t e = 0; e < 4; ++e) {
      Value k = add(kBase, cst(e));
      Value byte = loadMasked(memref, indices(clampTo(k, lastK)), rowOk,
                              less(k, sizeK), {}, b.getI8Type());
      Value word = arith::ExtUIOp::create(b, loc, i32, byte);
      if (e > 0)
        word = arith::ShLIOp::create(
            b, loc, word,
            arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(8 * e)));
      packed = packed ? arith::OrIOp::create(b, loc, packed, word) : word;
    }
    return packed;
  }

  OpBuilder &b;
  Location loc;
  const Int8Matmul &mm;
  Value sizeM, sizeN, sizeK, lastM, lastN, lastK;
  Value g, t, mBase, nBase;
  SmallVector<Value> batchIndices;
};

} // namespace

LogicalResult mlir::qopt::mapInt8MatmulToTensorCores(RewriterBase &rewriter,
                                                     linalg::LinalgOp op) {
  FailureOr<Int8Matmul> match = matchInt8Matmul(op);
  if (failed(match))
    return failure();
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  int64_t batch = match->numBatch;
  auto dimOf = [&](Value v, int64_t d) -> Value {
    return memref::DimOp::create(rewriter, loc, v, d);
  };
  Value sizeM = dimOf(match->c, batch), sizeN = dimOf(match->c, batch + 1);
  Value sizeK = dimOf(match->a, batch + 1);
  SmallVector<Value> batchSizes;
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value batchCount = one;
  for (int64_t d = 0; d < batch; ++d) {
    batchSizes.push_back(dimOf(match->c, d));
    batchCount =
        arith::MulIOp::create(rewriter, loc, batchCount, batchSizes.back());
  }
  Value tile = arith::ConstantIndexOp::create(rewriter, loc, kBlockTile);
  Value gridX = arith::CeilDivUIOp::create(rewriter, loc, sizeN, tile);
  Value gridY = arith::CeilDivUIOp::create(rewriter, loc, sizeM, tile);
  // Nothing to do for an empty output (and a launch needs a non-empty
  // grid).
  Value empty = arith::OrIOp::create(
      rewriter, loc,
      arith::OrIOp::create(
          rewriter, loc,
          arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                gridX, zero),
          arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                gridY, zero)),
      arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                            batchCount, zero));
  auto guard = scf::IfOp::create(rewriter, loc, empty, /*else=*/true);
  rewriter.setInsertionPointToStart(&guard.getElseRegion().front());
  Value threads = arith::ConstantIndexOp::create(rewriter, loc, 128);
  auto launch = gpu::LaunchOp::create(rewriter, loc, gridX, gridY, batchCount,
                                      threads, one, one);
  Block &body = launch.getBody().front();
  rewriter.setInsertionPointToEnd(&body);
  auto terminator = gpu::TerminatorOp::create(rewriter, loc);
  rewriter.setInsertionPoint(terminator);
  KernelBuilder(rewriter, loc, *match, launch, sizeM, sizeN, sizeK,
                batchSizes)
      .build();
  rewriter.eraseOp(op);
  return success();
}
