//===- ConvUtils.h - sliding windows of Conv and pools ----------*- C++ -*-===//
//
// What the float convolutions and pools (ConvPool.cpp) and the integer
// convolutions (Quantization.cpp) share: index arithmetic that folds static
// sizes, the ONNX output-size and auto_pad formulas of a sliding window, and
// the loop nest of a convolution written as one contraction
// `linalg.generic`.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_CONVERSION_QOPTTOLINALG_CONVUTILS_H
#define QOPT_LIB_CONVERSION_QOPTTOLINALG_CONVUTILS_H

#include "Utils.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::qopt::to_linalg {

//===----------------------------------------------------------------------===//
// Index arithmetic that folds static values
//===----------------------------------------------------------------------===//

/// Signed index arithmetic on OpFoldResults: constants fold to attributes
/// (no IR), anything else becomes `arith` ops on index values.
class IndexMath {
public:
  IndexMath(OpBuilder &b, Location loc) : b(b), loc(loc) {}

  OpFoldResult cst(int64_t v) const { return b.getIndexAttr(v); }
  Value value(OpFoldResult v) const {
    return getValueOrCreateConstantIndexOp(b, loc, v);
  }
  OpFoldResult add(OpFoldResult x, OpFoldResult y) const {
    if (isConstantIntValue(y, 0))
      return x;
    if (isConstantIntValue(x, 0))
      return y;
    return fold(
        x, y, [](int64_t a, int64_t c) { return a + c; },
        [&](Value a, Value c) -> Value {
          return arith::AddIOp::create(b, loc, a, c);
        });
  }
  OpFoldResult add(OpFoldResult x, int64_t y) const { return add(x, cst(y)); }
  OpFoldResult sub(OpFoldResult x, OpFoldResult y) const {
    if (isConstantIntValue(y, 0))
      return x;
    return fold(
        x, y, [](int64_t a, int64_t c) { return a - c; },
        [&](Value a, Value c) -> Value {
          return arith::SubIOp::create(b, loc, a, c);
        });
  }
  OpFoldResult sub(OpFoldResult x, int64_t y) const { return sub(x, cst(y)); }
  OpFoldResult mul(OpFoldResult x, int64_t y) const {
    if (y == 1)
      return x;
    return fold(
        x, cst(y), [](int64_t a, int64_t c) { return a * c; },
        [&](Value a, Value c) -> Value {
          return arith::MulIOp::create(b, loc, a, c);
        });
  }
  OpFoldResult floorDiv(OpFoldResult x, int64_t y) const {
    if (y == 1)
      return x;
    return fold(
        x, cst(y),
        [](int64_t a, int64_t c) { return llvm::divideFloorSigned(a, c); },
        [&](Value a, Value c) -> Value {
          return arith::FloorDivSIOp::create(b, loc, a, c);
        });
  }
  OpFoldResult ceilDiv(OpFoldResult x, int64_t y) const {
    if (y == 1)
      return x;
    return fold(
        x, cst(y),
        [](int64_t a, int64_t c) { return llvm::divideCeilSigned(a, c); },
        [&](Value a, Value c) -> Value {
          return arith::CeilDivSIOp::create(b, loc, a, c);
        });
  }
  OpFoldResult max(OpFoldResult x, int64_t y) const {
    return fold(
        x, cst(y), [](int64_t a, int64_t c) { return std::max(a, c); },
        [&](Value a, Value c) -> Value {
          return arith::MaxSIOp::create(b, loc, a, c);
        });
  }
  OpFoldResult neg(OpFoldResult x) const { return sub(cst(0), x); }

private:
  template <typename F, typename G>
  OpFoldResult fold(OpFoldResult x, OpFoldResult y, F f, G g) const {
    std::optional<int64_t> sx = getConstantIntValue(x);
    std::optional<int64_t> sy = getConstantIntValue(y);
    if (sx && sy)
      return cst(f(*sx, *sy));
    return g(value(x), value(y));
  }

  OpBuilder &b;
  Location loc;
};

inline bool isZero(OpFoldResult v) { return isConstantIntValue(v, 0); }

//===----------------------------------------------------------------------===//
// One spatial dim of a sliding window
//===----------------------------------------------------------------------===//

/// The extent of a kernel of `kernel` taps `dilation` apart:
/// (kernel - 1) * dilation + 1.
inline int64_t getWindowExtent(int64_t kernel, int64_t dilation) {
  return (kernel - 1) * dilation + 1;
}

/// The input length that `count` windows of `extent`, `stride` apart,
/// cover: (count - 1) * stride + extent.
OpFoldResult getWindowSpan(const IndexMath &m, OpFoldResult count,
                           int64_t stride, int64_t extent);

/// ONNX's output size along a dim of size `in` padded by `lo` / `hi`:
/// floor((in + lo + hi - extent) / stride) + 1 (ceil with `ceilMode`).
OpFoldResult getWindowOutputSize(const IndexMath &m, OpFoldResult in,
                                 OpFoldResult lo, OpFoldResult hi,
                                 int64_t stride, int64_t extent, bool ceilMode);

/// Splits `total` padding between the beginning and the end of a dim as
/// auto_pad SAME_UPPER (the odd element at the end) or SAME_LOWER (at the
/// beginning) does.
std::pair<OpFoldResult, OpFoldResult>
splitSamePadding(const IndexMath &m, OpFoldResult total, bool upper);

/// The pads and the output size of auto_pad SAME_UPPER / SAME_LOWER.
struct SamePadding {
  OpFoldResult lo, hi, out;
};

/// auto_pad SAME_*: out = ceil(in / stride) windows, the padding they need
/// beyond `in` (never negative) split by splitSamePadding.
SamePadding getSamePadding(const IndexMath &m, OpFoldResult in, int64_t stride,
                           int64_t extent, bool upper);

//===----------------------------------------------------------------------===//
// Loop nests
//===----------------------------------------------------------------------===//

/// The input coordinate o * stride + k * dilation of every spatial dim i,
/// with o the loop `firstOut + i` (output position) and k the loop
/// `firstTap + i` (kernel tap).
SmallVector<AffineExpr> getWindowInputExprs(MLIRContext *ctx, unsigned firstOut,
                                            unsigned firstTap,
                                            ArrayRef<int64_t> strides,
                                            ArrayRef<int64_t> dilations);

/// A grouped N-D convolution as one contraction over the loops
/// (n, m, o_1..o_N, c, k_1..k_N): m the output channel, c the input channel
/// within m's group, o the output position and k the kernel tap per spatial
/// dim. The maps read the (padded) input [N, C, ...], the weight
/// [M, C / group, k...] and write the output [N, M, out...].
struct ConvContraction {
  unsigned numLoops;
  AffineMap input, weight, output;
  SmallVector<utils::IteratorType> iterators;
};

/// `outPerGroup` / `inPerGroup`: the output / input channels of a group
/// (unused for `group` 1); one stride and dilation per spatial dim.
ConvContraction getConvContraction(MLIRContext *ctx, int64_t group,
                                   int64_t outPerGroup, int64_t inPerGroup,
                                   ArrayRef<int64_t> strides,
                                   ArrayRef<int64_t> dilations);

} // namespace mlir::qopt::to_linalg

#endif // QOPT_LIB_CONVERSION_QOPTTOLINALG_CONVUTILS_H
