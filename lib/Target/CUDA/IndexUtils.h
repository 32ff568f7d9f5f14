//===- IndexUtils.h - index arithmetic the CUDA kernels share ---*- C++ -*-===//

#ifndef QOPT_LIB_TARGET_CUDA_INDEXUTILS_H
#define QOPT_LIB_TARGET_CUDA_INDEXUTILS_H

#include "mlir/Dialect/Arith/IR/Arith.h"

namespace mlir::qopt {

/// The coordinates of `linear` in a row-major space of `sizes` (the last
/// dimension fastest), with unsigned index arithmetic. The first size is
/// not needed (the outermost coordinate is what is left).
inline SmallVector<Value> delinearize(OpBuilder &b, Location loc, Value linear,
                                      ArrayRef<Value> sizes) {
  SmallVector<Value> coords(sizes.size());
  for (int64_t d = static_cast<int64_t>(sizes.size()) - 1; d > 0; --d) {
    coords[d] = arith::RemUIOp::create(b, loc, linear, sizes[d]);
    linear = arith::DivUIOp::create(b, loc, linear, sizes[d]);
  }
  if (!sizes.empty())
    coords[0] = linear;
  return coords;
}

} // namespace mlir::qopt

#endif // QOPT_LIB_TARGET_CUDA_INDEXUTILS_H
