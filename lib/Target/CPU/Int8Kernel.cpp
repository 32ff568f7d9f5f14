//===- Int8Kernel.cpp - pieces of the u8 x s8 register-tile kernels -------===//
//
// See Int8Kernel.h.
//
//===----------------------------------------------------------------------===//

#include "Int8Kernel.h"

#include "qopt/Dialect/QOpt/IR/QOptDialect.h"
#include "qopt/Support/BytePairs.h"
#include "qopt/Support/ConstantValues.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::qopt;

bool int8::isU8S8MultiplyAccumulate(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getValues()[0].getDefiningOp<arith::AddIOp>();
  if (!add)
    return false;
  Value acc = body.getArgument(2), a = body.getArgument(0),
        b = body.getArgument(1);
  Value product = add.getLhs() == acc   ? add.getRhs()
                  : add.getRhs() == acc ? add.getLhs()
                                        : Value();
  auto mul = product ? product.getDefiningOp<arith::MulIOp>() : nullptr;
  if (!mul)
    return false;
  auto isExtUIOf = [](Value v, Value of) {
    auto ext = v.getDefiningOp<arith::ExtUIOp>();
    return ext && ext.getIn() == of;
  };
  auto isExtSIOf = [](Value v, Value of) {
    auto ext = v.getDefiningOp<arith::ExtSIOp>();
    return ext && ext.getIn() == of;
  };
  return (isExtUIOf(mul.getLhs(), a) && isExtSIOf(mul.getRhs(), b)) ||
         (isExtUIOf(mul.getRhs(), a) && isExtSIOf(mul.getLhs(), b));
}

bool int8::hasMatmulMaps(linalg::GenericOp op, ArrayRef<AffineMap> maps) {
  SmallVector<utils::IteratorType> iterators(op.getNumLoops() - 1,
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  return op.getIndexingMapsArray() == maps &&
         op.getIteratorTypesArray() == iterators;
}

FailureOr<int8::Int8Operands> int8::getInt8Operands(linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || !isU8S8MultiplyAccumulate(op))
    return failure();
  Int8Operands o;
  o.a = op.getDpsInputs()[0];
  o.b = op.getDpsInputs()[1];
  o.init = op.getDpsInits()[0];
  o.aType = dyn_cast<RankedTensorType>(o.a.getType());
  o.bType = dyn_cast<RankedTensorType>(o.b.getType());
  o.cType = dyn_cast<RankedTensorType>(o.init.getType());
  if (!o.aType || !o.bType || !o.cType ||
      !o.aType.getElementType().isInteger(8) ||
      !o.bType.getElementType().isInteger(8) ||
      !o.cType.getElementType().isInteger(32))
    return failure();
  return o;
}

bool int8::isZeroFilled(Value init) {
  auto fill = init.getDefiningOp<linalg::FillOp>();
  return fill && matchPattern(fill.getInputs()[0], m_Zero());
}

std::optional<std::vector<int8_t>>
int8::getKernelWeight(Value w, int64_t k, int64_t cols, bool kMajor,
                      Int8ISA isa) {
  Attribute value;
  if (!matchPattern(w, m_Constant(&value)))
    return std::nullopt;
  std::optional<std::vector<int8_t>> bytes = getConstantValues<int8_t>(value);
  if (!bytes || static_cast<int64_t>(bytes->size()) != k * cols ||
      (isa == Int8ISA::AVX2 && !bytePairsFitI16(*bytes, k, cols, kMajor)))
    return std::nullopt;
  return bytes;
}

Value int8::createPackedConstant(OpBuilder &b, Location loc,
                                 RankedTensorType type,
                                 ArrayRef<int8_t> bytes) {
  return arith::ConstantOp::create(
      b, loc, type,
      DenseResourceElementsAttr::get(
          type, "qopt.packed_int8_weight",
          HeapAsmResourceBlob::allocateAndCopyWithAlign(
              ArrayRef<char>(reinterpret_cast<const char *>(bytes.data()),
                             bytes.size()),
              64)));
}

Value int8::broadcastFourBytes(OpBuilder &b, Location loc, Value source,
                               ValueRange indices) {
  auto i8 = b.getIntegerType(8), i32 = b.getIntegerType(32);
  Value zero = arith::ConstantIntOp::create(b, loc, i8, 0);
  Value four = vector::TransferReadOp::create(
      b, loc, VectorType::get({4}, i8), source, indices, zero,
      ArrayRef<bool>{true});
  Value word =
      vector::BitCastOp::create(b, loc, VectorType::get({1}, i32), four);
  Value scalar = vector::ExtractOp::create(b, loc, word, 0);
  return vector::BroadcastOp::create(b, loc, VectorType::get({kLanes}, i32),
                                     scalar);
}

Value int8::loadPanel(OpBuilder &b, Location loc, Value source,
                      ValueRange indices) {
  auto i8 = b.getIntegerType(8), i32 = b.getIntegerType(32);
  Value zero = arith::ConstantIntOp::create(b, loc, i8, 0);
  Value raw = vector::TransferReadOp::create(
      b, loc, VectorType::get({4 * kLanes}, i8), source, indices, zero,
      ArrayRef<bool>{true});
  return vector::BitCastOp::create(b, loc, VectorType::get({kLanes}, i32),
                                   raw);
}

Value int8::interleaveFourRows(OpBuilder &b, Location loc,
                              ArrayRef<Value> rows) {
  SmallVector<int64_t> pairs, interleave;
  for (int64_t i = 0; i < 2 * kLanes; ++i)
    pairs.push_back(i);
  for (int64_t lane = 0; lane < kLanes; ++lane)
    for (int64_t t = 0; t < 4; ++t)
      interleave.push_back(t * kLanes + lane);
  Value low = vector::ShuffleOp::create(b, loc, rows[0], rows[1], pairs);
  Value high = vector::ShuffleOp::create(b, loc, rows[2], rows[3], pairs);
  return vector::ShuffleOp::create(b, loc, low, high, interleave);
}

SmallVector<Value> int8::accumulateRegisters(
    OpBuilder &b, Location loc, ValueRange accs, int64_t cols,
    OpFoldResult groups, bool rowsUnsigned, bool pairwiseI16,
    OperandLoader rowOperand, OperandLoader columnOperand) {
  int64_t rows = accs.size() / cols;
  auto cst = [](OpBuilder &bb, Location l, int64_t v) -> Value {
    return arith::ConstantIndexOp::create(bb, l, v);
  };
  auto loop = scf::ForOp::create(
      b, loc, cst(b, loc, 0), getValueOrCreateConstantIndexOp(b, loc, groups),
      cst(b, loc, 1), accs,
      [&](OpBuilder &kb, Location kl, Value kg, ValueRange iter) {
        SmallVector<Value> columns;
        for (int64_t j = 0; j < cols; ++j)
          columns.push_back(columnOperand(kb, kl, j, kg));
        SmallVector<Value> next;
        for (int64_t r = 0; r < rows; ++r) {
          Value row = rowOperand(kb, kl, r, kg);
          for (int64_t j = 0; j < cols; ++j) {
            Value u = rowsUnsigned ? row : columns[j];
            Value s = rowsUnsigned ? columns[j] : row;
            next.push_back(X86DotU8S8Op::create(kb, kl, iter[r * cols + j],
                                                u, s, pairwiseI16));
          }
        }
        scf::YieldOp::create(kb, kl, next);
      });
  return loop.getResults();
}

Value int8::accumulateTile(OpBuilder &b, Location loc, Value c,
                          ValueRange prefix, ArrayRef<Value> rowIndex,
                          ArrayRef<Value> colIndex, OpFoldResult groups,
                          bool rowsUnsigned, bool pairwiseI16,
                          OperandLoader rowOperand,
                          OperandLoader columnOperand) {
  int64_t rows = rowIndex.size(), cols = colIndex.size();
  auto i32 = b.getIntegerType(32);
  auto lanesType = VectorType::get({kLanes}, i32);
  Value zero = arith::ConstantIntOp::create(b, loc, i32, 0);
  auto at = [&](int64_t r, int64_t j) {
    SmallVector<Value> indices(prefix);
    indices.push_back(rowIndex[r]);
    indices.push_back(colIndex[j]);
    return indices;
  };
  SmallVector<Value> accs;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < cols; ++j)
      accs.push_back(vector::TransferReadOp::create(
          b, loc, lanesType, c, at(r, j), zero, ArrayRef<bool>{true}));
  SmallVector<Value> sums =
      accumulateRegisters(b, loc, accs, cols, groups, rowsUnsigned,
                          pairwiseI16, rowOperand, columnOperand);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < cols; ++j)
      c = vector::TransferWriteOp::create(b, loc, sums[r * cols + j], c,
                                          at(r, j), ArrayRef<bool>{true})
              .getResult();
  return c;
}
