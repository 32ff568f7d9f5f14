//===- AssignPrecision.cpp - qopt-assign-precision ----------------*- C++ -*-===//
//
// See Passes.td. Writes each quantizable op's precision decision as a
// `qopt.precision` attribute; qopt-quantize materializes it.
//
//===----------------------------------------------------------------------===//

#include "qopt/Quantization/NodeNames.h"
#include "qopt/Quantization/Passes.h"

#include "llvm/Support/Regex.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_ASSIGNPRECISIONPASS
#include "qopt/Quantization/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;
using namespace mlir::qopt;

namespace {
struct AssignPrecisionPass
    : mlir::qopt::impl::AssignPrecisionPassBase<AssignPrecisionPass> {
  using Base::Base;

  void runOnOperation() override {
    std::optional<Precision> target = symbolizePrecision(precision);
    if (!target) {
      getOperation().emitError()
          << "qopt-assign-precision: unknown precision '" << precision
          << "' (f32, f16, bf16, fp8, w8a8, w8a16, w4a16, w8a8_dynamic, "
             "w4_lut, w8_lut, ternary)";
      return signalPassFailure();
    }
    // Anchored: the regex must match the whole node name.
    llvm::Regex keep("^(" + keepFloat + ")$");
    std::string error;
    if (!keepFloat.empty() && !keep.isValid(error)) {
      getOperation().emitError()
          << "qopt-assign-precision: invalid keep-float regex '" << keepFloat
          << "': " << error;
      return signalPassFailure();
    }
    MLIRContext *ctx = &getContext();
    getOperation().walk([&](QuantizableOpInterface op) {
      Precision chosen = *target;
      if (!op.supportsPrecision(chosen) ||
          (!keepFloat.empty() && keep.match(getNodeName(op.getOperation()))))
        chosen = Precision::f32;
      op->setAttr("qopt.precision", PrecisionAttr::get(ctx, chosen));
    });
  }
};
} // namespace
