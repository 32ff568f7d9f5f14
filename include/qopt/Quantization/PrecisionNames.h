//===- PrecisionNames.h - user-facing precision names ------------*- C++ -*-===//
//
// The names users write for a Precision: `--precision=`, the JSON plan files
// (`--plan`, `--plan-out`) and the reports. They differ from the attribute's
// keywords where those cannot spell a dash (w8a8_dynamic -> w8a8-dynamic)
// and for fp32 / fp16.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_QUANTIZATION_PRECISIONNAMES_H
#define QOPT_QUANTIZATION_PRECISIONNAMES_H

#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSwitch.h"

#include <algorithm>
#include <optional>
#include <string>

namespace mlir::qopt {

/// fp32, int8 (= w8a8), w8a8, w8a16, w4a16, fp16, bf16, fp8, w8a8-dynamic,
/// w4-lut, w8-lut, ternary.
inline std::optional<Precision> parsePrecisionName(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<Precision>>(name)
      .Case("fp32", Precision::f32)
      .Cases({"int8", "w8a8"}, Precision::w8a8)
      .Case("w8a16", Precision::w8a16)
      .Case("w4a16", Precision::w4a16)
      .Case("fp16", Precision::f16)
      .Case("bf16", Precision::bf16)
      .Case("fp8", Precision::fp8)
      .Case("w8a8-dynamic", Precision::w8a8_dynamic)
      .Case("w4-lut", Precision::w4_lut)
      .Case("w8-lut", Precision::w8_lut)
      .Case("ternary", Precision::ternary)
      .Default(std::nullopt);
}

/// The name parsePrecisionName reads back (fp32, w8a8, fp16, w4-lut, ...).
inline std::string getPrecisionName(Precision precision) {
  if (precision == Precision::f32)
    return "fp32";
  if (precision == Precision::f16)
    return "fp16";
  std::string name = stringifyPrecision(precision).str();
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
}

} // namespace mlir::qopt

#endif // QOPT_QUANTIZATION_PRECISIONNAMES_H
