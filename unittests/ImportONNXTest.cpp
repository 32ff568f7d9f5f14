//===- ImportONNXTest.cpp - unit tests of the importer's API -----*- C++ -*-===//
//
// The parts of the importer lit cannot reach from the command line: the
// --input-shape parser, external-data path checks, and the library calls
// the Python package will make.
//
//===----------------------------------------------------------------------===//

#include "qopt/Import/ONNX/ImportONNX.h"

#include "../lib/Import/ONNX/TensorConversion.h"
#include "qopt/Dialect/QOpt/IR/QOptDialect.h"
#include "qopt/InitAll.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::qopt;

TEST(InputShapes, ParsesNamesAndDims) {
  std::string error;
  FailureOr<std::vector<InputShape>> shapes =
      parseInputShapes("input_ids:1x128,mask:?x128", error);
  ASSERT_TRUE(succeeded(shapes)) << error;
  ASSERT_EQ(shapes->size(), 2u);
  EXPECT_EQ((*shapes)[0].name, "input_ids");
  EXPECT_EQ((*shapes)[0].dims, (std::vector<int64_t>{1, 128}));
  EXPECT_EQ((*shapes)[1].dims,
            (std::vector<int64_t>{InputShape::kDynamic, 128}));
}

TEST(InputShapes, RejectsBadSyntax) {
  std::string error;
  EXPECT_TRUE(failed(parseInputShapes("input_ids", error)));
  EXPECT_NE(error.find("expected NAME:DIMS"), std::string::npos);
  EXPECT_TRUE(failed(parseInputShapes("x:1xfoo", error)));
  EXPECT_NE(error.find("bad dimension 'foo'"), std::string::npos);
  EXPECT_TRUE(failed(parseInputShapes("x:-3", error)));
}

TEST(ExternalData, RefusesPathsLeavingTheModelFolder) {
  SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("qopt-ext", dir));
  SmallString<128> inside(dir);
  llvm::sys::path::append(inside, "weights.bin");
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(inside, ec);
    ASSERT_FALSE(ec);
    os << "1234";
  }
  std::string error;
  EXPECT_EQ(onnx_import::resolveExternalDataPath("weights.bin", dir, error),
            inside.str().str());
  EXPECT_EQ(onnx_import::resolveExternalDataPath("/etc/passwd", dir, error),
            "");
  EXPECT_NE(error.find("must be a path relative"), std::string::npos);
  EXPECT_EQ(onnx_import::resolveExternalDataPath("../x.bin", dir, error), "");
  EXPECT_NE(error.find("'..' is not allowed"), std::string::npos);
  SmallString<128> link(dir);
  llvm::sys::path::append(link, "escape.bin");
  ASSERT_FALSE(llvm::sys::fs::create_link("/etc/hostname", link));
  EXPECT_EQ(onnx_import::resolveExternalDataPath("escape.bin", dir, error),
            "");
  EXPECT_NE(error.find("outside the model's folder"), std::string::npos);
  llvm::sys::fs::remove_directories(dir);
}

TEST(Import, BuildsMainFunctionFromText) {
  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry);
  const char *text = R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[N, 4] x) => (float[N, 4] y) {
      r = Relu(x)
      y = Add(r, x)
    }
  )";
  OwningOpRef<ModuleOp> module =
      importONNXModel(text, "inline.onnxtxt", &context);
  ASSERT_TRUE(module);
  auto func = (*module).lookupSymbol<func::FuncOp>("main");
  ASSERT_TRUE(func);
  EXPECT_EQ(func.getNumArguments(), 1u);
  int numOps = 0;
  func.walk([&](Operation *op) { numOps += isa<ReluOp, AddOp>(op); });
  EXPECT_EQ(numOps, 2);
}

TEST(Import, ListsSupportedOperatorsWithVersions) {
  std::vector<SupportedOp> ops = getSupportedONNXOps();
  auto find = [&](StringRef type) {
    return llvm::find_if(ops, [&](const SupportedOp &op) {
      return op.opType == type && op.domain.empty();
    });
  };
  ASSERT_NE(find("Softmax"), ops.end());
  EXPECT_EQ(find("Softmax")->sinceVersion, 1);
  ASSERT_NE(find("LayerNormalization"), ops.end());
  EXPECT_EQ(find("LayerNormalization")->sinceVersion, 17);
  EXPECT_EQ(find("NonMaxSuppression"), ops.end());
}
