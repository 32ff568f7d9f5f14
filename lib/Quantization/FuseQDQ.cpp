//===- FuseQDQ.cpp - qopt-fuse-qdq --------------------------------*- C++ -*-===//
//
// See Passes.td: QDQ MatMul / Gemm -> matmul_integer + a float epilogue
// with the zero-point correction folded into constants.
//
//===----------------------------------------------------------------------===//

#include "qopt/Quantization/Passes.h"
#include "qopt/Support/ConstantValues.h"

#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_FUSEQDQPASS
#include "qopt/Quantization/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;
using namespace mlir::qopt;

namespace {

/// A scalar (or one-element) float constant.
std::optional<double> getScalarFloat(Value value) {
  DenseFPElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)) ||
      attr.getNumElements() != 1)
    return std::nullopt;
  return (*attr.getValues<APFloat>().begin()).convertToDouble();
}

/// A scalar (or one-element) integer constant, with its signedness.
std::optional<int64_t> getScalarInt(Value value, bool &isUnsigned) {
  DenseIntElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)) ||
      attr.getNumElements() != 1)
    return std::nullopt;
  auto type = cast<IntegerType>(attr.getElementType());
  isUnsigned = type.isUnsigned();
  APInt v = *attr.getValues<APInt>().begin();
  return isUnsigned ? static_cast<int64_t>(v.getZExtValue()) : v.getSExtValue();
}

/// The activation side: dequantize_linear(quantize_linear(x, s, zp), s, zp)
/// per tensor with 8-bit storage.
struct ActivationQDQ {
  Value x;  ///< the float tensor quantize_linear reads (null for xq)
  Value xq; ///< an already quantized u8 tensor (QOperator models)
  double scale;
  int64_t zeroPoint;
  bool isUnsigned;
};

std::optional<ActivationQDQ> matchActivation(Value value) {
  auto dq = value.getDefiningOp<DequantizeLinearOp>();
  if (!dq)
    return std::nullopt;
  auto q = dq.getX().getDefiningOp<QuantizeLinearOp>();
  if (!q) {
    // A tensor that arrives quantized (QLinearMatMul's input): u8 only,
    // since the kernel multiplies u8 by s8 and s8 would need a shift.
    auto type = dyn_cast<RankedTensorType>(dq.getX().getType());
    std::optional<double> s = getScalarFloat(dq.getXScale());
    bool isUnsigned = false;
    std::optional<int64_t> z =
        dq.getXZeroPoint() ? getScalarInt(dq.getXZeroPoint(), isUnsigned)
                           : std::optional<int64_t>(0);
    if (!dq.getXZeroPoint())
      isUnsigned = true;
    if (!type || !s || !z || !isUnsigned ||
        !cast<IntegerType>(type.getElementType()).isUnsigned())
      return std::nullopt;
    return ActivationQDQ{Value(), dq.getX(), *s, *z, true};
  }
  if (!q.getYZeroPoint())
    return std::nullopt;
  std::optional<double> qs = getScalarFloat(q.getYScale()),
                        dqs = getScalarFloat(dq.getXScale());
  bool qu = false, dqu = false;
  std::optional<int64_t> qz = getScalarInt(q.getYZeroPoint(), qu);
  std::optional<int64_t> dqz =
      dq.getXZeroPoint() ? getScalarInt(dq.getXZeroPoint(), dqu)
                         : std::optional<int64_t>(0);
  if (!qs || !dqs || !qz || !dqz || *qs != *dqs || *qz != *dqz ||
      (dq.getXZeroPoint() && qu != dqu) ||
      !getElementTypeOrSelf(q.getX().getType()).isF32())
    return std::nullopt;
  return ActivationQDQ{q.getX(), Value(), *qs, *qz, qu};
}

/// The weight side: dequantize_linear(constant int8, per-axis scales) with
/// no (or zero) zero point; returns the int8 values and one scale per
/// index of `axis`.
bool matchWeight(Value value, int64_t axis, std::vector<int8_t> &q,
                 std::vector<float> &scales, RankedTensorType &qType) {
  auto dq = value.getDefiningOp<DequantizeLinearOp>();
  if (!dq)
    return false;
  Attribute qAttr, sAttr;
  if (!matchPattern(dq.getX(), m_Constant(&qAttr)) ||
      !matchPattern(dq.getXScale(), m_Constant(&sAttr)))
    return false;
  auto type = dyn_cast<RankedTensorType>(dq.getX().getType());
  if (!type || type.getRank() != 2 || !type.hasStaticShape() ||
      !type.getElementType().isInteger(8) ||
      cast<IntegerType>(type.getElementType()).isUnsigned())
    return false;
  if (Value zp = dq.getXZeroPoint()) {
    Attribute zpAttr;
    if (!matchPattern(zp, m_Constant(&zpAttr)))
      return false;
    std::optional<std::vector<int8_t>> zps =
        getConstantValues<int8_t>(zpAttr);
    if (!zps || llvm::any_of(*zps, [](int8_t v) { return v != 0; }))
      return false;
  }
  std::optional<std::vector<int8_t>> values = getConstantValues<int8_t>(qAttr);
  std::optional<std::vector<float>> s = getConstantValues<float>(sAttr);
  if (!values || !s)
    return false;
  int64_t channels = type.getDimSize(axis);
  int64_t dqAxis = dq.getAxis() < 0 ? dq.getAxis() + 2 : dq.getAxis();
  if (s->size() == 1)
    scales.assign(channels, (*s)[0]);
  else if (static_cast<int64_t>(s->size()) == channels && dqAxis == axis)
    scales = *s;
  else
    return false;
  qType = type;
  q = std::move(*values);
  return true;
}

struct FuseQDQPass : mlir::qopt::impl::FuseQDQPassBase<FuseQDQPass> {
  using Base::Base;

  /// Rewrites `op` (MatMul or Gemm) reading activation `a` and weight `w`;
  /// `transB`: the weight is [N, K]; `bias`: a constant [N] or null.
  LogicalResult rewrite(Operation *op, Value a, Value w, bool transB,
                        Value bias) {
    // [..., K] x [K, N]: leading activation dims are rows (a transformer's
    // [batch, seq, K]); Gemm is 2-D by definition.
    auto aType = dyn_cast<RankedTensorType>(a.getType());
    auto yType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!aType || aType.getRank() < 2 || aType.getRank() > 3 || !yType ||
        yType.getRank() != aType.getRank() ||
        !yType.getElementType().isF32())
      return failure();
    std::optional<ActivationQDQ> act = matchActivation(a);
    if (!act)
      return failure();
    std::vector<int8_t> q;
    std::vector<float> wScales;
    RankedTensorType qType;
    if (!matchWeight(w, transB ? 0 : 1, q, wScales, qType))
      return failure();
    int64_t k = qType.getDimSize(transB ? 1 : 0);
    int64_t n = qType.getDimSize(transB ? 0 : 1);
    // The integer kernel's shapes (4 k per lane, 16 columns per register).
    if (k % 4 != 0 || n % 16 != 0)
      return failure();
    int64_t lastDim = aType.getRank() - 1;
    if (aType.getDimSize(lastDim) != k && !aType.isDynamicDim(lastDim))
      return failure();
    std::vector<float> biasValues(n, 0.0f);
    if (bias) {
      DenseFPElementsAttr biasAttr;
      if (!matchPattern(bias, m_Constant(&biasAttr)))
        return failure();
      if (biasAttr.getNumElements() == 1) {
        biasValues.assign(
            n, (*biasAttr.getValues<APFloat>().begin()).convertToFloat());
      } else if (biasAttr.getNumElements() == n &&
                 cast<ShapedType>(biasAttr.getType()).getRank() == 1) {
        int64_t i = 0;
        for (APFloat v : biasAttr.getValues<APFloat>())
          biasValues[i++] = v.convertToFloat();
      } else {
        return failure();
      }
    }
    // Weight as [K, N]; u8 activations (s8 ones shifted by 128).
    std::vector<int8_t> kn(k * n);
    for (int64_t kk = 0; kk < k; ++kk)
      for (int64_t nn = 0; nn < n; ++nn)
        kn[kk * n + nn] = transB ? q[nn * k + kk] : q[kk * n + nn];
    int64_t zp = act->isUnsigned ? act->zeroPoint : act->zeroPoint + 128;
    std::vector<float> scale(n), offset(n);
    for (int64_t nn = 0; nn < n; ++nn) {
      int64_t colsum = 0;
      for (int64_t kk = 0; kk < k; ++kk)
        colsum += kn[kk * n + nn];
      scale[nn] = static_cast<float>(act->scale * wScales[nn]);
      offset[nn] = static_cast<float>(
          biasValues[nn] - static_cast<double>(zp) * colsum *
                               static_cast<double>(scale[nn]));
    }

    OpBuilder b(op);
    Location loc = op->getLoc();
    MLIRContext *ctx = op->getContext();
    auto u8 = IntegerType::get(ctx, 8, IntegerType::Unsigned);
    auto i8 = IntegerType::get(ctx, 8);
    auto i32 = IntegerType::get(ctx, 32);
    auto scalar = [&](Type t, Attribute v) -> Value {
      return ConstantOp::create(
          b, loc, DenseElementsAttr::get(RankedTensorType::get({}, t), v));
    };
    Value xq = act->xq;
    if (!xq) {
      Value sx = scalar(b.getF32Type(),
                        b.getF32FloatAttr(static_cast<float>(act->scale)));
      Value zx = scalar(u8, IntegerAttr::get(u8, APInt(8, zp)));
      xq = QuantizeLinearOp::create(b, loc, aType.clone(u8), act->x, sx, zx,
                                    /*axis=*/1);
    }
    auto wType = RankedTensorType::get({k, n}, i8);
    Value wq = ConstantOp::create(
        b, loc, DenseElementsAttr::get(wType, ArrayRef<int8_t>(kn)));
    Value acc = MatMulIntegerOp::create(b, loc, yType.clone(i32), xq, wq,
                                        Value(), Value());
    Value accF = CastOp::create(b, loc, yType, acc);
    auto vecType = RankedTensorType::get({n}, b.getF32Type());
    Value s = ConstantOp::create(
        b, loc, DenseElementsAttr::get(vecType, ArrayRef<float>(scale)));
    Value o = ConstantOp::create(
        b, loc, DenseElementsAttr::get(vecType, ArrayRef<float>(offset)));
    Value scaled = MulOp::create(b, loc, yType, accF, s);
    Value y = AddOp::create(b, loc, yType, scaled, o);
    op->getResult(0).replaceAllUsesWith(y);
    // The float matmul and the QDQ ops only it used go away.
    // (A producer can be reached twice: each op is visited once.)
    llvm::SetVector<Operation *> worklist;
    worklist.insert(op);
    llvm::DenseSet<Operation *> erased;
    while (!worklist.empty()) {
      Operation *dead = worklist.pop_back_val();
      if (erased.contains(dead) || !isOpTriviallyDead(dead))
        continue;
      for (Value operand : dead->getOperands())
        if (Operation *producer = operand.getDefiningOp())
          if (!erased.contains(producer))
            worklist.insert(producer);
      erased.insert(dead);
      dead->erase();
    }
    return success();
  }

  /// QLinearMatMul with a constant s8 weight (zero point 0) becomes
  /// quantize_linear(matmul(dequantize_linear(a), dequantize_linear(b))),
  /// whose matmul the rewrite below turns into the integer kernel.
  void decomposeQLinearMatMul(QLinearMatMulOp op) {
    // Only what the integer matmul takes: u8 a of rank 2-3, constant s8 b
    // [K, N] with zero points 0; the rest keeps its integer lowering.
    Attribute bZp;
    auto aElem = dyn_cast<IntegerType>(getElementTypeOrSelf(op.getA()));
    auto bElem = dyn_cast<IntegerType>(getElementTypeOrSelf(op.getB()));
    auto aRank = cast<RankedTensorType>(op.getA().getType()).getRank();
    auto bRank = cast<RankedTensorType>(op.getB().getType()).getRank();
    if (!aElem || !aElem.isUnsigned() || !bElem || bElem.isUnsigned() ||
        aRank < 2 || aRank > 3 || bRank != 2 ||
        !matchPattern(op.getB(), m_Constant()) ||
        !matchPattern(op.getBZeroPoint(), m_Constant(&bZp)))
      return;
    std::optional<std::vector<int8_t>> zps = getConstantValues<int8_t>(bZp);
    if (!zps || llvm::any_of(*zps, [](int8_t v) { return v != 0; }))
      return;
    OpBuilder b(op);
    Location loc = op.getLoc();
    auto aType = cast<RankedTensorType>(op.getA().getType());
    auto bType = cast<RankedTensorType>(op.getB().getType());
    auto yType = cast<RankedTensorType>(op.getY().getType());
    auto f32 = b.getF32Type();
    // Per-column b scales run along b's last axis.
    Value a = DequantizeLinearOp::create(b, loc, aType.clone(f32), op.getA(),
                                         op.getAScale(), op.getAZeroPoint(),
                                         /*axis=*/1);
    Value w = DequantizeLinearOp::create(
        b, loc, bType.clone(f32), op.getB(), op.getBScale(),
        op.getBZeroPoint(), static_cast<uint64_t>(bType.getRank() - 1));
    Value y = MatMulOp::create(b, loc, yType.clone(f32), a, w);
    Value q = QuantizeLinearOp::create(b, loc, yType, y, op.getYScale(),
                                       op.getYZeroPoint(), /*axis=*/1);
    op.getY().replaceAllUsesWith(q);
    op.erase();
  }

  void runOnOperation() override {
    if (!integerKernel)
      return;
    SmallVector<QLinearMatMulOp> qlinear;
    getOperation().walk([&](QLinearMatMulOp op) { qlinear.push_back(op); });
    for (QLinearMatMulOp op : qlinear)
      decomposeQLinearMatMul(op);
    // A decomposed QLinearMatMul whose matmul does not qualify computes
    // the same values in float (QDQ semantics).
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (isa<MatMulOp, GemmOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      if (auto mm = dyn_cast<MatMulOp>(op)) {
        (void)rewrite(op, mm.getA(), mm.getB(), /*transB=*/false, Value());
        continue;
      }
      auto gemm = cast<GemmOp>(op);
      if (gemm.getTransA() || gemm.getAlpha().convertToDouble() != 1.0 ||
          gemm.getBeta().convertToDouble() != 1.0)
        continue;
      (void)rewrite(op, gemm.getA(), gemm.getB(), gemm.getTransB() != 0,
                    gemm.getC());
    }
  }
};

} // namespace
