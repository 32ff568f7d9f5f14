//===- Quantization.cpp - quantization ops -> linalg ---*- C++ -*-===//
//
// (patterns to be written)
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "qopt/Conversion/QOptToLinalg/QOptToLinalg.h"
#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::to_linalg;

void mlir::qopt::populateQOptQuantizationToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {}
