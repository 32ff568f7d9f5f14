//===- ExpandMath.cpp - qopt-cpu-expand-math ---------------------*- C++ -*-===//
//
// Vector-friendly polynomial approximations of math functions (upstream's
// patterns, wrapped as a pass of the CPU pipeline).
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CPU/Passes.h"

#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_EXPANDMATHPASS
#include "qopt/Target/CPU/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {
struct ExpandMathPass
    : mlir::qopt::impl::ExpandMathPassBase<ExpandMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
