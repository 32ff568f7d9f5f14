//===- PrecisionPlan.cpp - --precision=auto and plan files ---------*- C++ -*-===//
//
// The sensitivity-driven precision plan (docs/quantization.md, "Automatic
// precision plans") and the --plan-out file.
//
//===----------------------------------------------------------------------===//

#include "qopt/Compiler/Compiler.h"

#include "qopt/Quantization/NodeNames.h"

#include "mlir/IR/Matchers.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::qopt;

namespace {

struct Candidate {
  Precision precision;
  int64_t bytes = 0;
  /// Output SQNR with only this layer at `precision`, and the noise power
  /// it adds relative to the output's signal power.
  double sqnrDb = std::numeric_limits<double>::infinity();
  double noise = 0;
};

struct PlannedLayer {
  std::string name;
  /// Index among the function's quantizable ops (to find it in clones).
  size_t index = 0;
  /// candidates[0] is f32; the others by decreasing bytes.
  std::vector<Candidate> candidates;
  size_t chosen = 0;
  std::string reason;
};

std::vector<Operation *> getQuantizableOps(ModuleOp module) {
  std::vector<Operation *> ops;
  module.walk([&](QuantizableOpInterface op) { ops.push_back(op); });
  return ops;
}

void setPrecision(Operation *op, Precision precision) {
  op->setAttr("qopt.precision",
              PrecisionAttr::get(op->getContext(), precision));
}

double toDb(double noise) {
  return noise <= 0 ? std::numeric_limits<double>::infinity()
                    : -10.0 * std::log10(noise);
}

llvm::json::Value jsonDb(double db) {
  return std::isfinite(db) ? llvm::json::Value(db) : llvm::json::Value(nullptr);
}

} // namespace

FailureOr<llvm::json::Object>
mlir::qopt::planPrecisions(ModuleOp module, const CompileOptions &options,
                           llvm::function_ref<void(OpPassManager &)>
                               buildQuantize) {
  Location loc = module.getLoc();
  const AutoPrecisionOptions &budget = options.autoPrecision;
  bool vnni = targetHasFeature(options.cpu, "avx512vnni");
  std::string target =
      vnni ? "cpu with AVX-512 VNNI: int8 weights in [-127, 127]"
           : "cpu without AVX-512 VNNI: int8 weights in [-63, 63] (the AVX2 "
             "kernel's i16 pair sums)";
  target += "; fp8 is not a candidate (no fp8 on the CPU; --target=cuda, "
            "sm_89+)";

  // The layers, their candidates and sizes.
  std::vector<Operation *> ops = getQuantizableOps(module);
  std::vector<PlannedLayer> layers;
  std::vector<PlannedLayer> fixed;
  llvm::Regex keep("^(" + options.keepFloat + ")$");
  for (auto [index, op] : llvm::enumerate(ops)) {
    auto q = cast<QuantizableOpInterface>(op);
    PlannedLayer layer;
    layer.name = getNodeName(op);
    layer.index = index;
    unsigned w = q.getWeightOperandIndex();
    Value weight = w < op->getNumOperands() ? op->getOperand(w) : Value();
    auto type = weight ? dyn_cast<RankedTensorType>(weight.getType())
                       : RankedTensorType();
    if (!options.keepFloat.empty() && keep.match(layer.name)) {
      layer.reason = "--keep-float";
      fixed.push_back(std::move(layer));
      continue;
    }
    if (!type || !type.hasStaticShape() ||
        !matchPattern(weight, m_Constant())) {
      layer.reason = "no constant weight: nothing to save, so it stays fp32";
      fixed.push_back(std::move(layer));
      continue;
    }
    WeightDims dims = getWeightDims(q, type);
    // bf16 is not a CPU candidate: emulated (rounded f32), it saves bytes
    // but no time, and each candidate costs one compile to measure.
    SmallVector<Precision> precisions = {Precision::f32, Precision::w8a8};
    // Weight-only int4 needs a 2-D weight with an even K.
    if (type.getRank() == 2 && dims.k % 2 == 0)
      precisions.push_back(Precision::w4a16);
    for (Precision p : precisions)
      if (q.supportsPrecision(p))
        layer.candidates.push_back(
            {p, getWeightBytes(p, dims, options)});
    layers.push_back(std::move(layer));
  }

  // A size budget below the smallest plan fails before anything is
  // measured.
  if (budget.sizeBudgetMB) {
    int64_t smallest = 0;
    for (PlannedLayer &layer : layers) {
      int64_t least = layer.candidates.front().bytes;
      for (const Candidate &c : layer.candidates)
        least = std::min(least, c.bytes);
      smallest += least;
    }
    if (smallest > static_cast<int64_t>(*budget.sizeBudgetMB * 1048576.0)) {
      std::string message;
      llvm::raw_string_ostream os(message);
      os << "--size-budget=" << llvm::format("%g", *budget.sizeBudgetMB)
         << " MB cannot be met: the smallest plan qopt can make (every "
            "weight layer at its smallest candidate) needs "
         << llvm::format("%.3f", smallest / 1048576.0) << " MB of weights";
      return emitError(loc) << message;
    }
  }

  // Sensitivities: one compile per (layer, candidate), against the fp32
  // outputs.
  FailureOr<std::unique_ptr<OutputReference>> reference =
      OutputReference::create(module, options);
  if (failed(reference))
    return failure();
  auto measurePlan = [&](llvm::function_ref<void(std::vector<Operation *> &)>
                             assign) -> FailureOr<double> {
    OwningOpRef<ModuleOp> clone(cast<ModuleOp>(module->clone()));
    std::vector<Operation *> cloneOps = getQuantizableOps(*clone);
    assign(cloneOps);
    PassManager pm(module.getContext());
    buildQuantize(pm);
    if (failed(pm.run(*clone)))
      return emitError(loc) << "--precision=auto: cannot quantize a candidate "
                               "plan";
    return (*reference)->measure(*clone);
  };
  bool progress = options.calibration.progress && llvm::errs().is_displayed();
  size_t total = 0, done = 0;
  for (PlannedLayer &layer : layers)
    total += layer.candidates.size() - 1;
  for (PlannedLayer &layer : layers) {
    for (Candidate &c : llvm::drop_begin(layer.candidates)) {
      FailureOr<double> db = measurePlan([&](std::vector<Operation *> &ops) {
        setPrecision(ops[layer.index], c.precision);
      });
      if (failed(db))
        return failure();
      c.sqnrDb = *db;
      c.noise = std::isfinite(*db) ? std::pow(10.0, -*db / 10.0) : 0.0;
      if (progress)
        llvm::errs() << llvm::formatv(
            "\rprecision plan: {0}/{1} sensitivities measured", ++done, total);
    }
  }
  if (progress)
    llvm::errs() << "\n";

  // Greedy: from all-fp32, repeatedly take the move (a layer to a cheaper
  // candidate) that adds the least noise per byte saved, while the budget
  // allows.
  auto totalNoise = [&] {
    double noise = 0;
    for (PlannedLayer &layer : layers)
      noise += layer.candidates[layer.chosen].noise;
    return noise;
  };
  auto totalBytes = [&] {
    int64_t bytes = 0;
    for (PlannedLayer &layer : layers)
      bytes += layer.candidates[layer.chosen].bytes;
    return bytes;
  };
  int64_t sizeBudget =
      budget.sizeBudgetMB
          ? static_cast<int64_t>(*budget.sizeBudgetMB * 1048576.0)
          : 0;
  std::vector<std::pair<size_t, size_t>> history; // (layer, previous)
  while (true) {
    if (budget.sizeBudgetMB && totalBytes() <= sizeBudget)
      break;
    double bestRatio = std::numeric_limits<double>::infinity();
    size_t bestLayer = 0, bestCandidate = 0;
    bool found = false;
    double noiseNow = totalNoise();
    for (auto [l, layer] : llvm::enumerate(layers)) {
      const Candidate &current = layer.candidates[layer.chosen];
      for (auto [c, candidate] : llvm::enumerate(layer.candidates)) {
        int64_t saved = current.bytes - candidate.bytes;
        if (saved <= 0)
          continue;
        double added = candidate.noise - current.noise;
        if (budget.accuracyBudgetDb &&
            toDb(noiseNow + added) < *budget.accuracyBudgetDb)
          continue;
        double ratio = added / static_cast<double>(saved);
        if (ratio < bestRatio) {
          bestRatio = ratio;
          bestLayer = l;
          bestCandidate = c;
          found = true;
        }
      }
    }
    if (!found)
      break;
    history.push_back({bestLayer, layers[bestLayer].chosen});
    layers[bestLayer].chosen = bestCandidate;
  }
  // Check the whole plan; noise powers do not add exactly, so back off
  // (undo the last moves) while an accuracy budget is missed.
  double predicted = toDb(totalNoise());
  auto applyChosen = [&](std::vector<Operation *> &target) {
    for (PlannedLayer &layer : layers)
      setPrecision(target[layer.index],
                   layer.candidates[layer.chosen].precision);
  };
  FailureOr<double> measured = measurePlan(applyChosen);
  if (failed(measured))
    return failure();
  int backoffs = 0;
  while (budget.accuracyBudgetDb && *measured < *budget.accuracyBudgetDb &&
         !history.empty() && backoffs < 8) {
    auto [l, previous] = history.back();
    history.pop_back();
    layers[l].chosen = previous;
    ++backoffs;
    measured = measurePlan(applyChosen);
    if (failed(measured))
      return failure();
  }

  // The decisions, and their record.
  applyChosen(ops);
  for (PlannedLayer &layer : fixed)
    setPrecision(ops[layer.index], Precision::f32);
  llvm::json::Array records;
  auto recordOf = [&](const PlannedLayer &layer) {
    llvm::json::Object sensitivity;
    for (size_t c = 1; c < layer.candidates.size(); ++c)
      sensitivity[getPrecisionName(layer.candidates[c].precision)] =
          jsonDb(layer.candidates[c].sqnrDb);
    Precision chosen = layer.candidates.empty()
                           ? Precision::f32
                           : layer.candidates[layer.chosen].precision;
    std::string reason = layer.reason;
    if (reason.empty()) {
      const Candidate &c = layer.candidates[layer.chosen];
      reason = layer.chosen == 0
                   ? std::string("fp32")
                   : llvm::formatv("{0} ({1:f1} dB alone)",
                                   getPrecisionName(chosen), c.sqnrDb)
                         .str();
      // Why not a cheaper candidate.
      bool cheaperExists = llvm::any_of(layer.candidates, [&](auto &other) {
        return other.bytes < c.bytes;
      });
      if (cheaperExists)
        reason += budget.accuracyBudgetDb
                      ? ": a cheaper candidate would miss the accuracy budget"
                      : ": the size budget is met without going cheaper";
      else
        reason += ": the cheapest candidate";
    }
    llvm::json::Object record{{"name", layer.name},
                              {"precision", getPrecisionName(chosen)},
                              {"reason", reason}};
    if (!layer.candidates.empty())
      record["sensitivity_db"] = std::move(sensitivity);
    return record;
  };
  std::vector<const PlannedLayer *> all;
  for (PlannedLayer &layer : layers)
    all.push_back(&layer);
  for (PlannedLayer &layer : fixed)
    all.push_back(&layer);
  llvm::sort(all, [](const PlannedLayer *a, const PlannedLayer *b) {
    return a->index < b->index;
  });
  for (const PlannedLayer *layer : all)
    records.push_back(recordOf(*layer));
  llvm::json::Object budgetRecord;
  if (budget.accuracyBudgetDb)
    budgetRecord["accuracy_db"] = *budget.accuracyBudgetDb;
  if (budget.sizeBudgetMB)
    budgetRecord["size_mb"] = *budget.sizeBudgetMB;
  return llvm::json::Object{
      {"budget", std::move(budgetRecord)},
      {"target", target},
      {"candidates", llvm::json::Array{"fp32", "int8", "w4a16"}},
      {"predicted_sqnr_db", jsonDb(predicted)},
      {"measured_sqnr_db", jsonDb(*measured)},
      {"backoffs", backoffs},
      {"weights_bytes", totalBytes()},
      {"layers", std::move(records)}};
}

LogicalResult mlir::qopt::writePlan(ModuleOp module,
                                    const CompileOptions &options,
                                    ArrayRef<LayerRecord> layers,
                                    const llvm::json::Object *autoRecord) {
  // Per layer the final precision; auto's reason and sensitivities join by
  // name.
  std::map<std::string, const llvm::json::Object *> autoLayers;
  if (autoRecord)
    if (const llvm::json::Array *records = autoRecord->getArray("layers"))
      for (const llvm::json::Value &v : *records)
        if (const llvm::json::Object *o = v.getAsObject())
          if (std::optional<StringRef> name = o->getString("name"))
            autoLayers[name->str()] = o;
  llvm::json::Array entries;
  for (const LayerRecord &layer : layers) {
    llvm::json::Object entry{{"name", layer.name},
                             {"precision", getPrecisionName(layer.precision)},
                             {"bytes", layer.bytesQuantized}};
    auto it = autoLayers.find(layer.name);
    if (it != autoLayers.end()) {
      if (const llvm::json::Value *reason = it->second->get("reason"))
        entry["reason"] = *reason;
      if (const llvm::json::Value *s = it->second->get("sensitivity_db"))
        entry["sensitivity_db"] = *s;
    }
    entries.push_back(std::move(entry));
  }
  llvm::json::Object plan{{"layers", std::move(entries)}};
  if (autoRecord) {
    llvm::json::Object summary = *autoRecord;
    summary.erase("layers");
    plan["auto"] = std::move(summary);
  }
  return writeFileAtomically(
      module.getLoc(), options.planOut,
      [&](llvm::raw_pwrite_stream &os, std::string &) {
        os << llvm::formatv("{0:2}", llvm::json::Value(std::move(plan)))
           << "\n";
        return success();
      });
}
