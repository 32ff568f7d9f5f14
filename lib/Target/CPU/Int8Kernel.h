//===- Int8Kernel.h - pieces of the u8 x s8 register-tile kernels -*- C++ -*-===//
//
// Shared by the VNNI matmul (Int8Matmul.cpp) and convolution (Int8Conv.cpp)
// rewrites: the contraction body they match, compile-time packed constants
// and the register tile's k loop.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_TARGET_CPU_INT8KERNEL_H
#define QOPT_LIB_TARGET_CPU_INT8KERNEL_H

#include "qopt/Target/CPU/Transforms.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

#include <optional>
#include <vector>

namespace mlir::qopt::int8 {

/// i32 lanes of a zmm register; each holds the sum of 4 byte products.
inline constexpr int64_t kLanes = 16;

/// Whether `op`'s body is yield(addi(acc, muli(extui(in0), extsi(in1)))),
/// in any operand order: a u8 x s8 -> i32 contraction.
bool isU8S8MultiplyAccumulate(linalg::GenericOp op);

/// The operands of a u8 x s8 -> i32 contraction on tensors: inputs a, b
/// (i8 storage) and init (i32), all ranked.
struct Int8Operands {
  Value a, b, init;
  RankedTensorType aType, bType, cType;
};

/// `op`'s operands when it is such a contraction (pure tensor semantics, 2
/// inputs, 1 init, isU8S8MultiplyAccumulate); failure otherwise.
FailureOr<Int8Operands> getInt8Operands(linalg::GenericOp op);

/// Whether `init` is a linalg.fill of zero (the contraction starts from 0).
bool isZeroFilled(Value init);

/// The bytes of the constant weight `w` (`k` x `cols` values, K-major or
/// channel-major as in BytePairs.h) when the kernel for `isa` computes it
/// exactly: any int8 for VNNI, adjacent-k pairs with |w0| + |w1| <= 128 for
/// AVX2; nullopt when `w` is not such a constant.
std::optional<std::vector<int8_t>> getKernelWeight(Value w, int64_t k,
                                                   int64_t cols, bool kMajor,
                                                   Int8ISA isa);

/// Whether `op` has exactly the indexing maps `maps` and iterators all
/// parallel but the last, a reduction (a matmul-shaped contraction).
bool hasMatmulMaps(linalg::GenericOp op, ArrayRef<AffineMap> maps);

/// A constant of `type` holding `bytes` (int8), 64-byte aligned so vector
/// loads of it never split cache lines.
Value createPackedConstant(OpBuilder &b, Location loc, RankedTensorType type,
                           ArrayRef<int8_t> bytes);

/// The 4 bytes of `source` at `indices` (the last one a byte offset)
/// broadcast to the 16 lanes as one i32 each.
Value broadcastFourBytes(OpBuilder &b, Location loc, Value source,
                         ValueRange indices);

/// The 64 bytes of `source` at `indices` as 16 i32 lanes.
Value loadPanel(OpBuilder &b, Location loc, Value source, ValueRange indices);

/// The 64 bytes whose byte 4 * lane + t is lane `lane` of rows[t], for 4
/// vectors of 16 bytes (k = 4 kg + t of 16 columns): the layout
/// `qopt.x86.dot_u8s8` multiplies. Three byte shuffles.
Value interleaveFourRows(OpBuilder &b, Location loc, ArrayRef<Value> rows);

/// Loads one operand of the tile for step kg: row r's (or column block
/// j's) 4 bytes per lane as a 16-lane i32 vector.
using OperandLoader =
    function_ref<Value(OpBuilder &, Location, int64_t index, Value kg)>;

/// The k loop of one register tile held in registers: `accs` are the
/// tile's rows x `cols` accumulators (row-major, 16 i32 lanes each), and
/// for kg in [0, groups) acc[r][j] += dot(rowOperand(r, kg),
/// columnOperand(j, kg)) (see accumulateTile). Returns the final
/// accumulators, in the same order.
SmallVector<Value> accumulateRegisters(OpBuilder &b, Location loc,
                                       ValueRange accs, int64_t cols,
                                       OpFoldResult groups, bool rowsUnsigned,
                                       bool pairwiseI16,
                                       OperandLoader rowOperand,
                                       OperandLoader columnOperand);

/// One register tile of the i32 tensor `c`, whose last two dims are rows
/// and columns (`prefix` indexes the dims before them): the tile's
/// accumulators are read from c at rows rowIndex[r] and columns
/// colIndex[j] .. colIndex[j] + 16, then for kg in [0, groups)
/// acc[r][j] += dot(rowOperand(r, kg), columnOperand(j, kg)), where dot
/// multiplies the u8 bytes of the row operand by the s8 bytes of the column
/// operand when `rowsUnsigned`, and the other way round otherwise. With
/// `pairwiseI16` the dot products carry the guarantee that byte pair sums
/// fit in i16 (the AVX2 lowering). Returns c with the tile written back.
Value accumulateTile(OpBuilder &b, Location loc, Value c, ValueRange prefix,
                     ArrayRef<Value> rowIndex, ArrayRef<Value> colIndex,
                     OpFoldResult groups, bool rowsUnsigned, bool pairwiseI16,
                     OperandLoader rowOperand, OperandLoader columnOperand);

} // namespace mlir::qopt::int8

#endif // QOPT_LIB_TARGET_CPU_INT8KERNEL_H
