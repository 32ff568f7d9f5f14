//===- Report.cpp - --report=DIR: report.json and report.html -----*- C++ -*-===//
//
// What a compile decided and measured, per observed tensor and per layer
// (quantizable op), for people (report.html: self-contained, no network,
// an inline SVG chart) and for tools (report.json). See docs/quantization.md,
// "The report".
//
//===----------------------------------------------------------------------===//

#include "qopt/Compiler/Compiler.h"

#include "qopt/Quantization/NodeNames.h"
#include "qopt/Quantization/Passes.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::qopt;

namespace {

/// A weight computed from constants only: a constant, or one behind the
/// dequantizing ops qopt-quantize writes.
bool isConstantDerived(Value value) {
  Operation *def = value.getDefiningOp();
  if (!def)
    return false;
  if (matchPattern(value, m_Constant()))
    return true;
  if (isa<DequantizeLinearOp, DequantizeGroupwiseOp, LookupCodebookOp,
          CastOp, quant::StorageCastOp>(def))
    return isConstantDerived(def->getOperand(0));
  return false;
}

/// JSON has no infinity: an exact (identical) tensor reports null.
llvm::json::Value decibels(double db) {
  return std::isfinite(db) ? llvm::json::Value(db) : llvm::json::Value(nullptr);
}

std::string escapeHTML(StringRef text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '&':
      out += "&amp;";
      break;
    case '"':
      out += "&quot;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string formatBytes(int64_t bytes) {
  if (bytes >= (int64_t(1) << 20))
    return llvm::formatv("{0:f2} MB", bytes / 1048576.0).str();
  if (bytes >= 1024)
    return llvm::formatv("{0:f1} KB", bytes / 1024.0).str();
  return std::to_string(bytes) + " B";
}

std::string formatDb(std::optional<double> db) {
  if (!db)
    return "";
  if (!std::isfinite(*db))
    return "exact";
  return llvm::formatv("{0:f1} dB", *db).str();
}

/// Writes `text` to DIR/name.
LogicalResult writeFile(Location loc, StringRef dir, StringRef name,
                        StringRef text) {
  SmallString<256> path(dir);
  llvm::sys::path::append(path, name);
  return writeFileAtomically(loc, path,
                             [&](llvm::raw_pwrite_stream &os, std::string &) {
                               os << text;
                               return success();
                             });
}

/// The SVG bar chart of per-layer error: one bar per layer with a measured
/// output SQNR, its length the layer's noise power relative to the worst
/// layer's (so the longest bar is the layer that hurts most), labelled with
/// the SQNR.
std::string renderChart(ArrayRef<LayerRecord> layers,
                        const AccuracyMeasurement &accuracy) {
  struct Bar {
    std::string label;
    double db;
  };
  std::vector<Bar> bars;
  for (const LayerRecord &layer : layers) {
    auto it = accuracy.tensorSQNR.find(layer.outputObserver);
    if (layer.precision == Precision::f32 || it == accuracy.tensorSQNR.end())
      continue;
    bars.push_back({layer.name, it->second});
  }
  if (bars.empty())
    return "<p>No quantized layer has a measured output.</p>\n";
  double worst = std::numeric_limits<double>::infinity();
  for (const Bar &bar : bars)
    worst = std::min(worst, bar.db);
  const int rowHeight = 22, labelWidth = 260, barWidth = 420;
  int height = rowHeight * static_cast<int>(bars.size()) + 30;
  std::string svg;
  llvm::raw_string_ostream os(svg);
  os << "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"error-chart\" "
        "width=\""
     << labelWidth + barWidth + 90 << "\" height=\"" << height
     << "\" role=\"img\" aria-label=\"per-layer error\">\n";
  os << "<text x=\"" << labelWidth << "\" y=\"14\" font-size=\"12\" "
        "fill=\"#555\">noise power relative to the worst layer (longer = "
        "worse)</text>\n";
  for (auto [i, bar] : llvm::enumerate(bars)) {
    int y = 22 + static_cast<int>(i) * rowHeight;
    // Noise power relative to the worst layer's: 10^((worst - db) / 10).
    double relative =
        std::isfinite(bar.db) ? std::pow(10.0, (worst - bar.db) / 10.0) : 0.0;
    int width = std::max(1, static_cast<int>(std::lround(relative * barWidth)));
    const char *color = bar.db <= worst + 1e-9 ? "#d62728"
                        : bar.db <= worst + 3.0 ? "#ff7f0e"
                                                : "#1f77b4";
    os << "<text x=\"" << labelWidth - 6 << "\" y=\"" << y + 14
       << "\" font-size=\"12\" text-anchor=\"end\">" << escapeHTML(bar.label)
       << "</text>\n";
    os << "<rect class=\"bar\" x=\"" << labelWidth << "\" y=\"" << y + 3
       << "\" width=\"" << width << "\" height=\"" << rowHeight - 6
       << "\" fill=\"" << color << "\"/>\n";
    os << "<text x=\"" << labelWidth + width + 6 << "\" y=\"" << y + 14
       << "\" font-size=\"12\">" << formatDb(bar.db) << "</text>\n";
  }
  os << "</svg>\n";
  return svg;
}

} // namespace

WeightDims mlir::qopt::getWeightDims(QuantizableOpInterface layer,
                                     RankedTensorType weightType) {
  int64_t elements = weightType.getNumElements();
  int64_t axis = layer.getWeightChannelAxis();
  int64_t n = axis >= 0 && axis < weightType.getRank()
                  ? std::max<int64_t>(weightType.getDimSize(axis), 1)
                  : 1;
  return {elements / n, n};
}

int64_t mlir::qopt::getWeightBytes(Precision precision, WeightDims dims,
                                   const CompileOptions &options) {
  int64_t k = dims.k, n = dims.n, elements = k * n;
  switch (precision) {
  case Precision::f32:
  case Precision::fp8: // not materialized on the CPU
    return elements * 4;
  case Precision::f16:
  case Precision::bf16:
    return elements * 2;
  case Precision::w8a8:
  case Precision::w8a16:
  case Precision::w8a8_dynamic:
    return elements + n * 4;
  case Precision::w4a16: {
    int64_t group = std::min(options.groupSize, k);
    if (group <= 0 || k % group)
      group = k;
    int64_t groups = group > 0 ? k / group : 1;
    return elements / 2 + groups * n * 4 * (options.int4Symmetric ? 1 : 2);
  }
  case Precision::ternary:
    return elements / 4 + n * 4;
  case Precision::w4_lut:
    return elements / 2 + n * 16 * 4;
  case Precision::w8_lut:
    return elements + n * 256 * 4;
  }
  return elements * 4;
}

std::vector<LayerRecord>
mlir::qopt::collectLayers(ModuleOp module, const CompileOptions &options) {
  std::vector<LayerRecord> layers;
  module.walk([&](QuantizableOpInterface q) {
    Operation *op = q.getOperation();
    LayerRecord layer;
    layer.name = getNodeName(op);
    layer.op = op->getName().getStringRef().str();
    if (auto attr = op->getAttrOfType<PrecisionAttr>("qopt.precision"))
      layer.precision = attr.getValue();
    unsigned weightIndex = q.getWeightOperandIndex();
    if (weightIndex < op->getNumOperands()) {
      Value weight = op->getOperand(weightIndex);
      auto type = dyn_cast<RankedTensorType>(weight.getType());
      if (type && type.hasStaticShape() && isConstantDerived(weight)) {
        layer.parameters = type.getNumElements();
        layer.bytesFp32 = layer.parameters * 4;
        layer.bytesQuantized =
            getWeightBytes(layer.precision, getWeightDims(q, type), options);
      }
    }
    // The activation input's observer, seen through the QDQ pair
    // qopt-quantize put in front of it.
    for (unsigned index : q.getActivationOperandIndices()) {
      if (index >= op->getNumOperands())
        continue;
      Value v = op->getOperand(index);
      for (int depth = 0; depth < 3 && v && !v.getDefiningOp<ObserveOp>();
           ++depth) {
        Operation *def = v.getDefiningOp();
        v = def && def->getNumOperands() ? def->getOperand(0) : Value();
      }
      if (v)
        if (auto observer = v.getDefiningOp<ObserveOp>()) {
          layer.inputObserver = observer.getId();
          break;
        }
    }
    for (Operation *user : op->getResult(0).getUsers())
      if (auto observer = dyn_cast<ObserveOp>(user))
        layer.outputObserver = observer.getId();
    layers.push_back(std::move(layer));
  });
  return layers;
}

LogicalResult mlir::qopt::writeReport(ModuleOp module,
                                      const CompileOptions &options,
                                      ArrayRef<LayerRecord> layers,
                                      const AccuracyMeasurement *accuracy) {
  Location loc = module.getLoc();
  const CalibrationOptions &calibration = options.calibration;
  StringRef dir = calibration.reportPath;
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return emitError(loc) << "cannot create --report='" << dir
                          << "': " << ec.message();
  std::map<int64_t, ObserveOp> byId;
  module.walk([&](ObserveOp op) { byId[op.getId()] = op; });

  // Per observed tensor.
  llvm::json::Array tensors;
  int64_t samples = 0;
  for (auto &[id, op] : byId) {
    llvm::json::Object entry{{"id", id}, {"name", op.getName()}};
    if (op.getMin()) {
      entry["min"] = op.getMin()->convertToDouble();
      entry["max"] = op.getMax()->convertToDouble();
    }
    if (std::optional<int64_t> n = op.getSamples())
      samples = std::max(samples, *n);
    if (std::optional<ArrayRef<double>> range = op.getRange()) {
      entry["method"] = op.getMethod()->str();
      entry["range"] = llvm::json::Array{(*range)[0], (*range)[1]};
      QuantParams u8 = computeQuantParams((*range)[0], (*range)[1], false);
      QuantParams s8 = computeQuantParams((*range)[0], (*range)[1], true);
      entry["u8"] = llvm::json::Object{{"scale", u8.scale},
                                       {"zero_point", u8.zeroPoint}};
      entry["s8"] = llvm::json::Object{{"scale", s8.scale},
                                       {"zero_point", s8.zeroPoint}};
    }
    if (std::optional<int64_t> axis = op.getChannelAxis())
      entry["channel_axis"] = *axis;
    if (op.getSmoothed())
      entry["smooth_alpha"] = op.getSmoothAlpha()->convertToDouble();
    if (auto skipped =
            op->getAttrOfType<StringAttr>("qopt.smoothquant_skipped"))
      entry["smoothquant_skipped"] = skipped.getValue().str();
    if (accuracy) {
      auto it = accuracy->tensorSQNR.find(id);
      if (it != accuracy->tensorSQNR.end())
        entry["sqnr_db"] = decibels(it->second);
    }
    tensors.push_back(std::move(entry));
  }

  // Per layer, and the model's totals.
  llvm::json::Array layerArray;
  int64_t bytesFp32 = 0, bytesQuantized = 0;
  for (const LayerRecord &layer : layers) {
    bytesFp32 += layer.bytesFp32;
    bytesQuantized += layer.bytesQuantized;
    llvm::json::Object entry{
        {"name", layer.name},
        {"op", layer.op},
        {"precision", getPrecisionName(layer.precision)},
        {"parameters", layer.parameters},
        {"bytes_fp32", layer.bytesFp32},
        {"bytes", layer.bytesQuantized},
        {"bytes_saved", layer.bytesFp32 - layer.bytesQuantized}};
    if (layer.inputObserver >= 0) {
      entry["input_tensor"] = layer.inputObserver;
      ObserveOp in = byId.count(layer.inputObserver)
                         ? byId[layer.inputObserver]
                         : ObserveOp();
      if (in && in.getRange())
        entry["input_range"] =
            llvm::json::Array{(*in.getRange())[0], (*in.getRange())[1]};
    }
    if (layer.outputObserver >= 0) {
      entry["output_tensor"] = layer.outputObserver;
      if (accuracy) {
        auto it = accuracy->tensorSQNR.find(layer.outputObserver);
        if (it != accuracy->tensorSQNR.end())
          entry["sqnr_db"] = decibels(it->second);
      }
    }
    if (layer.sensitivityDb)
      entry["sensitivity_db"] = decibels(*layer.sensitivityDb);
    layerArray.push_back(std::move(entry));
  }
  llvm::json::Object model{{"weights_bytes_fp32", bytesFp32},
                           {"weights_bytes", bytesQuantized}};
  if (accuracy && accuracy->outputSQNR)
    model["output_sqnr_db"] = decibels(*accuracy->outputSQNR);

  llvm::json::Object report{
      {"calibration",
       llvm::json::Object{{"data", calibration.dataDir},
                          {"samples", samples},
                          {"method", calibration.method.str()}}},
      {"precision", options.precision == Precision::w8a8
                        ? std::string("int8")
                        : getPrecisionName(options.precision)},
      {"model", std::move(model)},
      {"layers", std::move(layerArray)},
      {"tensors", std::move(tensors)}};
  if (options.smoothQuant.enabled)
    report["smoothquant"] =
        options.smoothQuant.autoAlpha
            ? llvm::json::Value("auto")
            : llvm::json::Value(options.smoothQuant.alpha);
  if (options.precision == Precision::w8a8) {
    report["activations"] = options.activationSymmetric ? "s8" : "u8";
    report["weight_max"] = getInt8WeightMax(options.cpu);
  }
  std::string json;
  llvm::raw_string_ostream(json)
      << llvm::formatv("{0:2}", llvm::json::Value(std::move(report))) << "\n";
  if (failed(writeFile(loc, dir, "report.json", json)))
    return failure();

  // report.html: the same, for people.
  std::string html;
  llvm::raw_string_ostream os(html);
  os << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<title>qopt quantization report</title>\n<style>\n"
        "body{font-family:sans-serif;margin:24px;color:#222}\n"
        "table{border-collapse:collapse;font-size:13px}\n"
        "th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}\n"
        "th{background:#f0f0f0}td.name{text-align:left}\n"
        ".summary td{text-align:left}\n</style>\n</head>\n<body>\n"
        "<h1>qopt quantization report</h1>\n";
  os << "<table class=\"summary\">\n";
  auto row = [&](StringRef key, const std::string &value) {
    os << "<tr><th>" << key << "</th><td>" << escapeHTML(value)
       << "</td></tr>\n";
  };
  row("precision", options.precision == Precision::w8a8
                       ? "int8 (w8a8)"
                       : getPrecisionName(options.precision));
  row("calibration", calibration.dataDir + " (" + std::to_string(samples) +
                         " samples, " + calibration.method.str() + ")");
  if (options.smoothQuant.enabled)
    row("SmoothQuant",
        options.smoothQuant.autoAlpha
            ? std::string("auto (alpha per layer)")
            : llvm::formatv("alpha {0}", options.smoothQuant.alpha).str());
  row("weights", formatBytes(bytesFp32) + " fp32 -> " +
                     formatBytes(bytesQuantized) +
                     (bytesQuantized > 0
                          ? llvm::formatv(" ({0:f2}x smaller)",
                                          double(bytesFp32) / bytesQuantized)
                                .str()
                          : std::string()));
  if (accuracy && accuracy->outputSQNR)
    row("output SQNR vs fp32", formatDb(*accuracy->outputSQNR) +
                                   " (calibration samples)");
  os << "</table>\n<h2>Per-layer error</h2>\n";
  os << (accuracy ? renderChart(layers, *accuracy)
                  : std::string("<p>Not measured.</p>\n"));
  os << "<h2>Layers</h2>\n<table class=\"layers\">\n<tr><th>layer</th>"
        "<th>op</th><th>precision</th><th>parameters</th><th>fp32</th>"
        "<th>quantized</th><th>saved</th><th>input range</th>"
        "<th>output SQNR</th><th>sensitivity</th></tr>\n";
  for (const LayerRecord &layer : layers) {
    std::string range, sqnr;
    if (layer.inputObserver >= 0 && byId.count(layer.inputObserver))
      if (std::optional<ArrayRef<double>> r =
              byId[layer.inputObserver].getRange())
        range = llvm::formatv("[{0:g4}, {1:g4}]", (*r)[0], (*r)[1]).str();
    if (accuracy && layer.outputObserver >= 0) {
      auto it = accuracy->tensorSQNR.find(layer.outputObserver);
      if (it != accuracy->tensorSQNR.end())
        sqnr = formatDb(it->second);
    }
    os << "<tr><td class=\"name\">" << escapeHTML(layer.name) << "</td><td>"
       << escapeHTML(layer.op) << "</td><td>"
       << getPrecisionName(layer.precision) << "</td><td>"
       << layer.parameters << "</td><td>" << formatBytes(layer.bytesFp32)
       << "</td><td>" << formatBytes(layer.bytesQuantized) << "</td><td>"
       << formatBytes(layer.bytesFp32 - layer.bytesQuantized) << "</td><td>"
       << range << "</td><td>" << sqnr << "</td><td>"
       << formatDb(layer.sensitivityDb) << "</td></tr>\n";
  }
  os << "</table>\n<p>Output SQNR: each layer's result in the quantized "
        "model against the fp32 model on the calibration samples (errors "
        "of earlier layers included). Sensitivity: the model output's "
        "SQNR with only that layer quantized (--precision=auto).</p>\n"
        "</body>\n</html>\n";
  return writeFile(loc, dir, "report.html", html);
}
