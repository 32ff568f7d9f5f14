//===- FoldTransposes.cpp - qopt-example-fold-transposes --------*- C++ -*-===//
//
// The pass is thin: one rewrite pattern, applied greedily. It matches
// `qopt.transpose` by name (the generic Operation API), so the plugin needs
// no qopt headers or libraries: only MLIR.
//
//===----------------------------------------------------------------------===//

#include "ExamplePasses.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace qopt_example {
#define GEN_PASS_DECL
#define GEN_PASS_DEF_FOLDTRANSPOSESPASS
#define GEN_PASS_REGISTRATION
#include "ExamplePasses.h.inc"
} // namespace qopt_example

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kTranspose = "qopt.transpose";

/// The permutation of a qopt.transpose: its `perm`, or the reversal ONNX
/// uses when `perm` is absent. Empty when the input is not ranked.
SmallVector<int64_t> getPermutation(Operation *op) {
  if (auto perm = op->getAttrOfType<DenseI64ArrayAttr>("perm"))
    return SmallVector<int64_t>(perm.asArrayRef());
  auto type = dyn_cast<RankedTensorType>(op->getOperand(0).getType());
  SmallVector<int64_t> reversed;
  for (int64_t d = type ? type.getRank() - 1 : -1; d >= 0; --d)
    reversed.push_back(d);
  return reversed;
}

bool isIdentity(ArrayRef<int64_t> perm) {
  for (auto [i, p] : llvm::enumerate(perm))
    if (p != static_cast<int64_t>(i))
      return false;
  return true;
}

/// transpose(transpose(x, inner), outer) -> transpose(x, inner o outer);
/// transpose(x, identity) -> x.
struct FoldTranspose : RewritePattern {
  FoldTranspose(MLIRContext *ctx) : RewritePattern(kTranspose, 1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    SmallVector<int64_t> perm = getPermutation(op);
    if (perm.empty())
      return failure();
    if (isIdentity(perm) &&
        op->getOperand(0).getType() == op->getResult(0).getType()) {
      rewriter.replaceOp(op, op->getOperand(0));
      return success();
    }
    Operation *inner = op->getOperand(0).getDefiningOp();
    if (!inner || inner->getName().getStringRef() != kTranspose)
      return failure();
    SmallVector<int64_t> innerPerm = getPermutation(inner);
    if (innerPerm.size() != perm.size())
      return failure();
    // Output dim i of the outer op is its input dim perm[i], which is the
    // inner op's input dim innerPerm[perm[i]].
    SmallVector<int64_t> composed;
    for (int64_t p : perm)
      composed.push_back(innerPerm[p]);
    rewriter.modifyOpInPlace(op, [&] {
      op->setOperand(0, inner->getOperand(0));
      op->setAttr("perm", rewriter.getDenseI64ArrayAttr(composed));
    });
    return success();
  }
};

struct FoldTransposesPass
    : qopt_example::impl::FoldTransposesPassBase<FoldTransposesPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldTranspose>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    if (!expectNoneLeft)
      return;
    bool left = false;
    getOperation()->walk([&](Operation *op) {
      if (op->getName().getStringRef() != kTranspose)
        return;
      op->emitError() << "qopt-example-fold-transposes: a transpose is left "
                         "after folding (expect-none-left)";
      left = true;
    });
    if (left)
      signalPassFailure();
  }
};

} // namespace

void qopt_example::registerPasses() { registerFoldTransposesPass(); }
