//===- LowerDeviceGlobals.cpp - qopt-cuda-lower-device-globals ---*- C++ -*-===//
//
// qopt.cuda.device_global -> a call of the support code's upload cache and
// a memref descriptor over the device pointer; see Passes.td.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CUDA/Passes.h"

#include "mlir/Conversion/LLVMCommon/MemRefBuilder.h"
#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/DataLayoutInterfaces.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_LOWERDEVICEGLOBALSPASS
#include "qopt/Target/CUDA/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {

constexpr StringLiteral kUploadFunction = "qopt_cuda_device_global";

struct LowerDeviceGlobalsPass
    : mlir::qopt::impl::LowerDeviceGlobalsPassBase<LowerDeviceGlobalsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    SmallVector<qopt::CUDADeviceGlobalOp> ops;
    module.walk([&](qopt::CUDADeviceGlobalOp op) { ops.push_back(op); });
    if (ops.empty())
      return;
    IRRewriter rewriter(ctx);
    auto ptrType = LLVM::LLVMPointerType::get(ctx);
    auto i64 = rewriter.getI64Type();
    auto upload = module.lookupSymbol<LLVM::LLVMFuncOp>(kUploadFunction);
    if (!upload) {
      rewriter.setInsertionPointToStart(module.getBody());
      upload = LLVM::LLVMFuncOp::create(
          rewriter, module.getLoc(), kUploadFunction,
          LLVM::LLVMFunctionType::get(ptrType, {ptrType, i64}));
    }
    LLVMTypeConverter converter(ctx);
    for (qopt::CUDADeviceGlobalOp op : ops) {
      rewriter.setInsertionPoint(op);
      Location loc = op.getLoc();
      MemRefType type = op.getType();
      Value host =
          memref::GetGlobalOp::create(rewriter, loc, type, op.getNameAttr());
      Value address =
          memref::ExtractAlignedPointerAsIndexOp::create(rewriter, loc, host);
      Value address64 = arith::IndexCastOp::create(rewriter, loc, i64, address);
      Value hostPtr = LLVM::IntToPtrOp::create(rewriter, loc, ptrType, address64);
      // Bytes as LLVM lays the global out (index: 8, i1: 1).
      int64_t elementBytes = std::max<int64_t>(
          1, DataLayout::closest(op).getTypeSize(type.getElementType()));
      Value bytes = LLVM::ConstantOp::create(
          rewriter, loc, i64,
          rewriter.getI64IntegerAttr(type.getNumElements() * elementBytes));
      Value devicePtr =
          LLVM::CallOp::create(rewriter, loc, upload, ValueRange{hostPtr, bytes})
              .getResult();
      Value descriptor = MemRefDescriptor::fromStaticShape(
          rewriter, loc, converter, type, devicePtr);
      rewriter.replaceOpWithNewOp<UnrealizedConversionCastOp>(op, type,
                                                              descriptor);
    }
  }
};

} // namespace
