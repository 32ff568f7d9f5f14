//===- AssignPrecision.cpp - qopt-assign-precision ----------------*- C++ -*-===//
//
// See Passes.td. Writes each quantizable op's precision decision as a
// `qopt.precision` attribute; qopt-quantize materializes it.
//
//===----------------------------------------------------------------------===//

#include "qopt/Quantization/NodeNames.h"
#include "qopt/Quantization/Passes.h"
#include "qopt/Quantization/PrecisionNames.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Regex.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_ASSIGNPRECISIONPASS
#include "qopt/Quantization/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;
using namespace mlir::qopt;

namespace {

/// Reads a plan file: {"layers": [{"name": N, "precision": P}, ...]} (other
/// keys are ignored, so a --plan-out file reads back). Fails with a message.
FailureOr<llvm::StringMap<Precision>> readPlan(StringRef path,
                                              std::string &error) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    error = "cannot read the plan '" + path.str() +
            "': " + buffer.getError().message();
    return failure();
  }
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*buffer)->getBuffer());
  if (!json) {
    error = "the plan '" + path.str() +
            "' is not JSON: " + llvm::toString(json.takeError());
    return failure();
  }
  const llvm::json::Object *root = json->getAsObject();
  const llvm::json::Array *layers = root ? root->getArray("layers") : nullptr;
  if (!layers) {
    error = "the plan '" + path.str() +
            "' has no \"layers\" array of {\"name\", \"precision\"}";
    return failure();
  }
  llvm::StringMap<Precision> plan;
  for (const llvm::json::Value &entry : *layers) {
    const llvm::json::Object *layer = entry.getAsObject();
    std::optional<StringRef> name = layer ? layer->getString("name")
                                          : std::nullopt;
    std::optional<StringRef> precision =
        layer ? layer->getString("precision") : std::nullopt;
    if (!name || !precision) {
      error = "the plan '" + path.str() +
              "': every layer needs a \"name\" and a \"precision\"";
      return failure();
    }
    std::optional<Precision> parsed = parsePrecisionName(*precision);
    if (!parsed) {
      error = "the plan '" + path.str() + "': layer '" + name->str() +
              "' has an unknown precision '" + precision->str() +
              "' (fp32, int8, w8a8-dynamic, w8a16, w4a16, fp16, bf16, "
              "w4-lut, w8-lut, ternary)";
      return failure();
    }
    plan[*name] = *parsed;
  }
  return plan;
}

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
    llvm::StringMap<Precision> planned;
    if (!plan.empty()) {
      FailureOr<llvm::StringMap<Precision>> read = readPlan(plan, error);
      if (failed(read)) {
        getOperation().emitError() << "qopt-assign-precision: " << error;
        return signalPassFailure();
      }
      planned = std::move(*read);
    }
    MLIRContext *ctx = &getContext();
    llvm::StringSet<> seen;
    getOperation().walk([&](QuantizableOpInterface op) {
      std::string name = getNodeName(op.getOperation());
      Precision chosen = *target;
      if (auto it = planned.find(name); it != planned.end()) {
        chosen = it->second;
        seen.insert(name);
      }
      if (!op.supportsPrecision(chosen) ||
          (!keepFloat.empty() && keep.match(name)))
        chosen = Precision::f32;
      op->setAttr("qopt.precision", PrecisionAttr::get(ctx, chosen));
    });
    // A plan written for another model: say which names do not exist.
    std::vector<std::string> unknown;
    for (const auto &entry : planned)
      if (!seen.contains(entry.getKey()))
        unknown.push_back(entry.getKey().str());
    if (!unknown.empty()) {
      llvm::sort(unknown);
      getOperation().emitError()
          << "qopt-assign-precision: the plan '" << plan
          << "' names layers this model does not have: "
          << llvm::join(unknown, ", ");
      return signalPassFailure();
    }
  }
};
} // namespace
