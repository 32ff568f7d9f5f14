//===- TileEpilogue.h - elementwise consumers applied in registers -*- C++ -*-===//
//
// A register-tiled contraction's result usually feeds one elementwise op:
// the int8 matmul's i32 accumulators are dequantized (scale, bias), maybe
// passed through an activation, added to a residual and requantized. Run as
// separate ops that is one more pass over memory per op and, with threads,
// one more parallel region whose rows sit in the other core's cache. A
// TileEpilogue is such a consumer, applied to each accumulator vector while
// it is still in a register: the kernel writes the consumer's results and
// the i32 tensor is never materialized.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_TARGET_CPU_TILEEPILOGUE_H
#define QOPT_LIB_TARGET_CPU_TILEEPILOGUE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

#include <optional>

namespace mlir::qopt {

class TileEpilogue {
public:
  /// The epilogue of `result`, a [rows, N] (or, with `collapseRows`,
  /// [B, M, N] viewed as [B * M, N]) contraction result whose tiles are
  /// vectors of `lanes` consecutive columns: its only user, a
  /// linalg.generic with all-parallel loops that reads it with the
  /// identity map, whose other inputs are read with the identity map, by
  /// the last dim only, or not at all (a scalar), whose results are
  /// written with the identity map, and whose body holds elementwise arith
  /// and math ops only. nullopt otherwise (the kernel then stores `result`).
  static std::optional<TileEpilogue> match(Value result, int64_t lanes,
                                           bool collapseRows);

  linalg::GenericOp getOp() const { return op; }

  /// The tensors the kernel fills: the epilogue's inits (viewed as 2-D
  /// when collapsing rows). Also prepares the inputs it reads. Call once,
  /// with the insertion point at the epilogue, before building the kernel.
  SmallVector<Value> prepare(OpBuilder &b, Location loc);

  /// Applies the epilogue to `acc`, the accumulator vector of row `row`,
  /// columns [col, col + lanes), and writes its results into `outs` (the
  /// values prepare returned, or their updates). Returns the new outs.
  SmallVector<Value> apply(OpBuilder &b, Location loc, Value acc, Value row,
                           Value col, ValueRange outs) const;

  /// Replaces the epilogue's results with the kernel's final `outs`
  /// (reshaped back to [B, M, N] when collapsing rows); returns them.
  SmallVector<Value> replace(RewriterBase &rewriter, Location loc, ValueRange outs) const;

private:
  enum class Access { Accumulator, Tile, Columns, Scalar };
  TileEpilogue(linalg::GenericOp op, int64_t lanes, bool collapseRows)
      : op(op), lanes(lanes), collapseRows(collapseRows) {}

  linalg::GenericOp op;
  int64_t lanes;
  bool collapseRows;
  SmallVector<Access> access;   // per input
  SmallVector<Value> inputs;    // per input, after prepare
};

} // namespace mlir::qopt

#endif // QOPT_LIB_TARGET_CPU_TILEEPILOGUE_H
