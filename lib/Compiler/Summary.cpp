//===- Summary.cpp - a human summary of a qopt module ------------*- C++ -*-===//
//
// What `qopt-compile --summary` prints: the signature, the ops by kind, the
// weights and the ops quantization can target.
//
//===----------------------------------------------------------------------===//

#include "qopt/Compiler/Compiler.h"

#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::qopt;

static void printSignatureEntry(raw_ostream &os, DictionaryAttr attrs,
                                Type type) {
  StringAttr name =
      attrs ? attrs.getAs<StringAttr>("qopt.name") : StringAttr();
  os << "    " << (name ? name.getValue() : "<unnamed>") << ": " << type;
  if (auto params =
          attrs ? attrs.getAs<ArrayAttr>("qopt.dim_params") : ArrayAttr()) {
    os << "  (";
    llvm::interleaveComma(params, os, [&](Attribute a) {
      StringRef p = cast<StringAttr>(a).getValue();
      os << (p.empty() ? "-" : p);
    });
    os << ")";
  }
  os << "\n";
}

void mlir::qopt::printModelSummary(ModuleOp module, raw_ostream &os) {
  if (auto name = module->getAttrOfType<StringAttr>("qopt.graph_name"))
    os << "model: " << name.getValue() << "\n";
  if (auto producer = module->getAttrOfType<StringAttr>("qopt.producer"))
    os << "producer: " << producer.getValue() << "\n";
  if (auto opsets = module->getAttrOfType<DictionaryAttr>("qopt.opset_import")) {
    os << "opsets:";
    for (NamedAttribute entry : opsets)
      os << " " << entry.getName().getValue() << "="
         << cast<IntegerAttr>(entry.getValue()).getInt();
    os << "\n";
  }
  module.walk([&](func::FuncOp func) {
    os << "function @" << func.getSymName() << "\n  inputs:\n";
    for (unsigned i = 0; i < func.getNumArguments(); ++i)
      printSignatureEntry(os, func.getArgAttrDict(i),
                          func.getArgumentTypes()[i]);
    os << "  outputs:\n";
    for (unsigned i = 0; i < func.getNumResults(); ++i)
      printSignatureEntry(os, func.getResultAttrDict(i),
                          func.getResultTypes()[i]);

    llvm::StringMap<int64_t> counts;
    int64_t numOps = 0, numWeights = 0, numParams = 0, weightBytes = 0,
            numQuantizable = 0;
    func.walk([&](Operation *op) {
      if (op == func.getOperation() || isa<func::ReturnOp>(op))
        return;
      ++numOps;
      ++counts[op->getName().getStringRef()];
      if (isa<QuantizableOpInterface>(op))
        ++numQuantizable;
      if (auto constant = dyn_cast<ConstantOp>(op)) {
        auto type = cast<ShapedType>(constant.getType());
        ++numWeights;
        numParams += type.getNumElements();
        Type element = type.getElementType();
        weightBytes += type.getNumElements() *
                       std::max<int64_t>(1, element.getIntOrFloatBitWidth() / 8);
      }
    });
    std::vector<std::pair<std::string, int64_t>> sorted;
    for (const auto &entry : counts)
      sorted.emplace_back(entry.first().str(), entry.second);
    llvm::sort(sorted, [](const auto &a, const auto &b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    os << "  ops: " << numOps << "\n";
    for (const auto &[name, count] : sorted)
      os << llvm::format("    %-32s %lld\n", name.c_str(),
                         static_cast<long long>(count));
    os << "  weights: " << numWeights << " tensors, " << numParams
       << " parameters, "
       << llvm::format("%.2f", weightBytes / (1024.0 * 1024.0)) << " MiB\n";
    os << "  quantizable ops (MatMul/Gemm/Conv/ConvTranspose): "
       << numQuantizable << "\n";
  });
}
