//===- ConvertQOptToLinalg.cpp - the convert-qopt-to-linalg pass --*- C++ -*-===//
//
// The type converter (signless integers) and the thin pass that applies every
// pattern group with a partial conversion in which the whole qopt dialect is
// illegal. Function signatures are converted too, keeping their argument and
// result attributes (qopt.name, qopt.dim_params).
//
//===----------------------------------------------------------------------===//

#include "qopt/Conversion/Passes.h"
#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_CONVERTQOPTTOLINALGPASS
#include "qopt/Conversion/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;
using namespace mlir::qopt;

QOptToLinalgTypeConverter::QOptToLinalgTypeConverter() {
  addConversion([](Type type) { return type; });
  addConversion([](IntegerType type) -> Type {
    if (type.isSignless())
      return type;
    return IntegerType::get(type.getContext(), type.getWidth());
  });
  // !quant types lower to their (signless) storage integers.
  addConversion([](quant::QuantizedType type) -> Type {
    return IntegerType::get(type.getContext(),
                            type.getStorageTypeIntegralWidth());
  });
  addConversion([this](RankedTensorType type) -> Type {
    Type elem = convertType(type.getElementType());
    return elem ? RankedTensorType::get(type.getShape(), elem) : Type();
  });
  addConversion([this](UnrankedTensorType type) -> Type {
    Type elem = convertType(type.getElementType());
    return elem ? UnrankedTensorType::get(elem) : Type();
  });
  // Values crossing between converted and unconverted IR keep their bits.
  auto materialize = [](OpBuilder &b, Type type, ValueRange inputs,
                        Location loc) -> Value {
    return UnrealizedConversionCastOp::create(b, loc, type, inputs)
        .getResult(0);
  };
  addSourceMaterialization(materialize);
  addTargetMaterialization(materialize);
}

void mlir::qopt::populateQOptToLinalgConversionPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  populateQOptElementwiseToLinalgPatterns(converter, patterns);
  populateQOptLinearAlgebraToLinalgPatterns(converter, patterns);
  populateQOptShapeToLinalgPatterns(converter, patterns);
  populateQOptReductionToLinalgPatterns(converter, patterns);
  populateQOptNNToLinalgPatterns(converter, patterns);
  populateQOptConvPoolToLinalgPatterns(converter, patterns);
  populateQOptDataMovementToLinalgPatterns(converter, patterns);
  populateQOptQuantizationToLinalgPatterns(converter, patterns);
}

namespace {
struct ConvertQOptToLinalgPass
    : mlir::qopt::impl::ConvertQOptToLinalgPassBase<ConvertQOptToLinalgPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    QOptToLinalgTypeConverter converter;
    ConversionTarget target(*ctx);
    target.addIllegalDialect<QOptDialect>();
    target.addIllegalOp<quant::StorageCastOp>();
    target.addLegalDialect<arith::ArithDialect, bufferization::BufferizationDialect,
                           linalg::LinalgDialect, math::MathDialect,
                           scf::SCFDialect, tensor::TensorDialect>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return converter.isSignatureLegal(op.getFunctionType()) &&
             converter.isLegal(&op.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(
        [&](Operation *op) { return converter.isLegal(op); });

    RewritePatternSet patterns(ctx);
    populateQOptToLinalgConversionPatterns(converter, patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);

    // Report every op without a lowering at once, by ONNX node.
    SmallVector<Operation *> unsupported;
    getOperation().walk([&](Operation *op) {
      if (isa<QOptDialect>(op->getDialect()) && !hasLowering(op, patterns))
        unsupported.push_back(op);
    });
    if (!unsupported.empty()) {
      InFlightDiagnostic diag = getOperation().emitError()
                                << unsupported.size()
                                << " op(s) have no lowering to linalg yet";
      for (Operation *op : unsupported) {
        Diagnostic &note = diag.attachNote(op->getLoc());
        note << "'" << op->getName() << "' has no lowering";
        // Imported ops carry the ONNX node name: say which node it is.
        if (auto name = dyn_cast<NameLoc>(op->getLoc()))
          note << " (ONNX node '" << name.getName().getValue() << "')";
      }
      return signalPassFailure();
    }
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }

  static bool hasLowering(Operation *op, RewritePatternSet &patterns) {
    for (const std::unique_ptr<RewritePattern> &p :
         patterns.getNativePatterns())
      if (p->getRootKind() == op->getName())
        return true;
    return false;
  }
};
} // namespace
