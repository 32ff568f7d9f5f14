//===- HoistVectorTransfers.cpp - qopt-cpu-hoist-vector-transfers -*- C++ -*-===//
//
// Keeps tiled-contraction accumulators in registers across the K loop by
// hoisting invariant vector.transfer_read/write pairs (upstream's hoisting
// utility, wrapped as a pass of the CPU pipeline).
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CPU/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_HOISTVECTORTRANSFERSPASS
#include "qopt/Target/CPU/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {
struct HoistVectorTransfersPass
    : mlir::qopt::impl::HoistVectorTransfersPassBase<
          HoistVectorTransfersPass> {
  void runOnOperation() override {
    linalg::hoistRedundantVectorTransfers(getOperation(),
                                          /*verifyNonZeroTrip=*/true);
  }
};
} // namespace
