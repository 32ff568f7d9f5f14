//===- FuseQDQ.cpp - qopt-fuse-qdq --------------------------------*- C++ -*-===//
//
// See Passes.td: QDQ MatMul / Gemm / Conv -> matmul_integer / conv_integer
// + a float epilogue with the zero-point correction folded into constants;
// QDQ activation x activation MatMuls with run-time zero-point sums;
// QOperator ops decomposed or stripped of input zero points first.
//
//===----------------------------------------------------------------------===//

#include "qopt/Quantization/Passes.h"

#include "ScalarConstant.h"
#include "qopt/Support/BytePairs.h"
#include "qopt/Support/ConstantValues.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
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
    auto elem = type ? dyn_cast<IntegerType>(type.getElementType())
                     : IntegerType();
    if (!type || !s || !z || !isUnsigned || !elem || !elem.isUnsigned())
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
/// no (or zero) zero point, of rank `rank`; returns the int8 values and one
/// scale per index of `axis`.
bool matchWeight(Value value, int64_t rank, int64_t axis,
                 std::vector<int8_t> &q, std::vector<float> &scales,
                 RankedTensorType &qType) {
  auto dq = value.getDefiningOp<DequantizeLinearOp>();
  if (!dq)
    return false;
  // The int8 constant, or its !quant.uniform view (quant.scast).
  Value stored = dq.getX();
  if (auto cast = stored.getDefiningOp<quant::StorageCastOp>())
    stored = cast.getInput();
  Attribute qAttr, sAttr;
  if (!matchPattern(stored, m_Constant(&qAttr)) ||
      !matchPattern(dq.getXScale(), m_Constant(&sAttr)))
    return false;
  auto type = dyn_cast<RankedTensorType>(stored.getType());
  if (!type || type.getRank() != rank || !type.hasStaticShape() ||
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
  int64_t dqAxis = dq.getAxis() < 0 ? dq.getAxis() + rank : dq.getAxis();
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

/// The u8 zero point the integer kernel sees: s8 activations are shifted
/// by 128 to u8 (the same integers, offset).
int64_t unsignedZeroPoint(const ActivationQDQ &act) {
  return act.isUnsigned ? act.zeroPoint : act.zeroPoint + 128;
}

/// The activation as u8: the QOperator input as is, or quantize_linear of
/// the float tensor with the (shifted) zero point.
Value quantizeActivation(OpBuilder &b, Location loc, const ActivationQDQ &act,
                         RankedTensorType floatType) {
  if (act.xq)
    return act.xq;
  auto u8 = IntegerType::get(b.getContext(), 8, IntegerType::Unsigned);
  Value sx = createScalarConstant(
      b, loc, b.getF32Type(), b.getF32FloatAttr(static_cast<float>(act.scale)));
  Value zx = createScalarConstant(
      b, loc, u8, IntegerAttr::get(u8, APInt(8, unsignedZeroPoint(act))));
  return QuantizeLinearOp::create(b, loc, floatType.clone(u8), act.x, sx, zx,
                                  /*axis=*/1);
}

/// float(acc) * S + O per output channel c, with S[c] = sx * sw[c] and
/// O[c] = bias[c] - zx * wsum[c] * S[c] (the zero point's cross term, exact
/// since acc holds sum x * w of the raw u8 x); S and O are constants of
/// `channelShape`, which broadcasts against `yType` along the channels.
Value buildEpilogue(OpBuilder &b, Location loc, Value acc,
                    RankedTensorType yType, const ActivationQDQ &act,
                    ArrayRef<float> wScales, ArrayRef<int64_t> wsums,
                    ArrayRef<float> bias, ArrayRef<int64_t> channelShape) {
  int64_t zp = unsignedZeroPoint(act);
  size_t n = wScales.size();
  std::vector<float> scale(n), offset(n);
  for (size_t c = 0; c < n; ++c) {
    scale[c] = static_cast<float>(act.scale * wScales[c]);
    offset[c] = static_cast<float>(bias[c] - static_cast<double>(zp) *
                                                 wsums[c] *
                                                 static_cast<double>(scale[c]));
  }
  Value accF = CastOp::create(b, loc, yType, acc);
  auto vecType = RankedTensorType::get(channelShape, b.getF32Type());
  Value s = ConstantOp::create(
      b, loc, DenseElementsAttr::get(vecType, ArrayRef<float>(scale)));
  Value o = ConstantOp::create(
      b, loc, DenseElementsAttr::get(vecType, ArrayRef<float>(offset)));
  Value scaled = MulOp::create(b, loc, yType, accF, s);
  return AddOp::create(b, loc, yType, scaled, o);
}

/// Per output channel, the sum over K of a weight of `k` x `cols` values,
/// K-major ([K, N]) or channel-major ([N, K]) as in bytePairsFitI16.
std::vector<int64_t> sumOverK(const std::vector<int8_t> &w, int64_t k,
                              int64_t cols, bool kMajor) {
  std::vector<int64_t> sums(cols, 0);
  for (int64_t kk = 0; kk < k; ++kk)
    for (int64_t c = 0; c < cols; ++c)
      sums[c] += kMajor ? w[kk * cols + c] : w[c * k + kk];
  return sums;
}

/// Whether `zp` is absent or a constant of zeros.
bool isZeroOrAbsent(Value zp) {
  if (!zp)
    return true;
  Attribute attr;
  if (!matchPattern(zp, m_Constant(&attr)))
    return false;
  std::optional<std::vector<int8_t>> values = getConstantValues<int8_t>(attr);
  return values && llvm::all_of(*values, [](int8_t v) { return v == 0; });
}

/// Whether the integer convolution kernel takes a [N, F, OH, OW] output:
/// its 16-lane columns are one output row's chunk or whole rows, or rows
/// padded to a multiple of 16 that at most 2.5x OW (rewriteU8S8Conv).
bool fitsConvKernel(RankedTensorType yType) {
  int64_t oh = yType.getDimSize(2), ow = yType.getDimSize(3);
  bool packedRows = (ow % 16 == 0 || (16 % ow == 0 && 16 / ow <= 8)) &&
                    (oh * ow) % 16 == 0;
  int64_t owp = (ow + 15) / 16 * 16;
  return packedRows || 2 * owp <= 5 * ow;
}

/// `xq` (u8 NCHW) padded by the ONNX `pads` [top, left, bottom, right]
/// with the zero point `zp`; `xq` itself without padding, failure when the
/// pads are not 2-D.
FailureOr<Value> padWithZeroPoint(OpBuilder &b, Location loc, Value xq,
                                  std::optional<ArrayRef<int64_t>> pads,
                                  int64_t zp) {
  if (!pads || llvm::all_of(*pads, [](int64_t p) { return p == 0; }))
    return xq;
  if (pads->size() != 4)
    return failure();
  SmallVector<int64_t> full = {0, 0, (*pads)[0], (*pads)[1],
                               0, 0, (*pads)[2], (*pads)[3]};
  auto padsType = RankedTensorType::get({8}, b.getI64Type());
  Value padsValue = ConstantOp::create(
      b, loc, DenseElementsAttr::get(padsType, ArrayRef<int64_t>(full)));
  auto xType = cast<RankedTensorType>(xq.getType());
  auto u8 = xType.getElementType();
  Value zx = createScalarConstant(b, loc, u8, IntegerAttr::get(u8, APInt(8, zp)));
  SmallVector<int64_t> paddedShape(xType.getShape());
  paddedShape[2] += full[2] + full[6];
  paddedShape[3] += full[3] + full[7];
  return PadOp::create(b, loc, xType.clone(paddedShape), xq, padsValue, zx,
                       Value(), b.getStringAttr("constant"))
      .getResult();
}

/// A 2-D group-1 conv_integer of `xq` by the constant `wq` with no zero
/// points or pads, taking the rest of its geometry from `conv`.
template <typename ConvLikeOp>
Value createIntegerConv(OpBuilder &b, Location loc, ConvLikeOp conv,
                        RankedTensorType accType, Value xq, Value wq) {
  return ConvIntegerOp::create(
      b, loc, accType, xq, wq, Value(), Value(), b.getStringAttr("NOTSET"),
      conv.getDilationsAttr(), b.getI64IntegerAttr(1),
      conv.getKernelShapeAttr(), DenseI64ArrayAttr(), conv.getStridesAttr());
}

/// The values of a constant float bias of `n` elements (or one, broadcast),
/// all zero without one; nullopt when it is not such a constant.
std::optional<std::vector<float>> getBias(Value bias, int64_t n) {
  if (!bias)
    return std::vector<float>(n, 0.0f);
  Attribute attr;
  if (!matchPattern(bias, m_Constant(&attr)))
    return std::nullopt;
  auto type = dyn_cast<ShapedType>(cast<TypedAttr>(attr).getType());
  std::optional<std::vector<float>> values = getConstantValues<float>(attr);
  if (!type || !values)
    return std::nullopt;
  if (values->size() == 1)
    return std::vector<float>(n, (*values)[0]);
  if (static_cast<int64_t>(values->size()) != n || type.getRank() != 1)
    return std::nullopt;
  return values;
}

/// Replaces `op`'s result with `replacement`, then erases `op` and the
/// producers (QDQ ops, constants) only it used. A producer can be reached
/// twice: each op is visited once.
void replaceAndEraseDead(Operation *op, Value replacement) {
  op->getResult(0).replaceAllUsesWith(replacement);
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
}

struct FuseQDQPass : mlir::qopt::impl::FuseQDQPassBase<FuseQDQPass> {
  using Base::Base;

  /// Whether the integer kernel computes this weight exactly: always, or
  /// with pairwise-weights (AVX2) when its k pairs fit i16 sums.
  bool kernelTakes(const std::vector<int8_t> &w, int64_t k, int64_t cols,
                   bool kMajor) const {
    return !pairwiseWeights || bytePairsFitI16(w, k, cols, kMajor);
  }

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
    if (!matchWeight(w, /*rank=*/2, transB ? 0 : 1, q, wScales, qType))
      return failure();
    int64_t k = qType.getDimSize(transB ? 1 : 0);
    int64_t n = qType.getDimSize(transB ? 0 : 1);
    // The integer kernel's shapes (4 k per lane, 16 columns per register).
    if (k % 4 != 0 || n % 16 != 0)
      return failure();
    int64_t lastDim = aType.getRank() - 1;
    if (aType.getDimSize(lastDim) != k && !aType.isDynamicDim(lastDim))
      return failure();
    std::optional<std::vector<float>> biasValues = getBias(bias, n);
    if (!biasValues)
      return failure();
    // Weight as [K, N]; u8 activations (s8 ones shifted by 128).
    std::vector<int8_t> kn(k * n);
    for (int64_t kk = 0; kk < k; ++kk)
      for (int64_t nn = 0; nn < n; ++nn)
        kn[kk * n + nn] = transB ? q[nn * k + kk] : q[kk * n + nn];
    if (!kernelTakes(kn, k, n, /*kMajor=*/true))
      return failure();
    // Per column: sum_k wq[k, n] (for the zero point's correction).
    std::vector<int64_t> colsums = sumOverK(kn, k, n, /*kMajor=*/true);
    OpBuilder b(op);
    Location loc = op->getLoc();
    Value xq = quantizeActivation(b, loc, *act, aType);
    auto wType = RankedTensorType::get({k, n}, b.getIntegerType(8));
    Value wq = ConstantOp::create(
        b, loc, DenseElementsAttr::get(wType, ArrayRef<int8_t>(kn)));
    Value acc = MatMulIntegerOp::create(
        b, loc, yType.clone(b.getIntegerType(32)), xq, wq, Value(), Value());
    Value y = buildEpilogue(b, loc, acc, yType, *act, wScales, colsums,
                            *biasValues, {n});
    replaceAndEraseDead(op, y);
    return success();
  }

  /// A MatMul of two quantized activations (attention's Q x K^T and
  /// P x V): a [..., M, K] and b [..., K, N], each DQ(Q(x)) per tensor,
  /// with the same batch dims. a is quantized as u8 (zero point za) and b
  /// as s8 (zero point zb: a u8 zero point shifted by -128, the same
  /// integers), so that with r[m] = sum_k (a - za) and c[n] = sum_k b
  ///   sum_k (a - za)(b - zb) = sum_k a * b - za * c[n] - zb * r[m]
  /// and y = sa * sb * that, with both sums taken at run time.
  LogicalResult rewriteActivationMatmul(MatMulOp op) {
    auto aType = dyn_cast<RankedTensorType>(op.getA().getType());
    auto bType = dyn_cast<RankedTensorType>(op.getB().getType());
    auto yType = dyn_cast<RankedTensorType>(op.getY().getType());
    if (!aType || !bType || !yType || aType.getRank() < 2 ||
        aType.getRank() > 4 || bType.getRank() != aType.getRank() ||
        yType.getRank() != aType.getRank() || !yType.getElementType().isF32())
      return failure();
    int64_t rank = aType.getRank();
    for (int64_t d = 0; d + 2 < rank; ++d)
      if (aType.getDimSize(d) != bType.getDimSize(d))
        return failure();
    std::optional<ActivationQDQ> a = matchActivation(op.getA());
    std::optional<ActivationQDQ> bAct = matchActivation(op.getB());
    if (!a || !bAct || !bAct->x)
      return failure();
    OpBuilder b(op);
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    auto i8 = IntegerType::get(ctx, 8), i32 = IntegerType::get(ctx, 32);
    auto f32 = b.getF32Type();
    auto scalar = [&](Type t, Attribute v) {
      return createScalarConstant(b, loc, t, v);
    };
    Value aq = quantizeActivation(b, loc, *a, aType);
    int64_t za = unsignedZeroPoint(*a);
    int64_t zb = bAct->isUnsigned ? bAct->zeroPoint - 128 : bAct->zeroPoint;
    Value bq = QuantizeLinearOp::create(
        b, loc, bType.clone(i8), bAct->x,
        scalar(f32, b.getF32FloatAttr(static_cast<float>(bAct->scale))),
        scalar(i8, IntegerAttr::get(i8, APInt(8, zb, /*isSigned=*/true))),
        /*axis=*/1);
    auto accType = yType.clone(i32);
    Value corrected = MatMulIntegerOp::create(b, loc, accType, aq, bq,
                                              Value(), Value());
    // - za * sum_k b[k, n], broadcast over rows ([..., 1, N]).
    auto reduceSum = [&](Value v, RankedTensorType type, int64_t axis) {
      SmallVector<int64_t> shape(type.getShape());
      shape[axis] = 1;
      return ReduceSumOp::create(b, loc, type.clone(shape), v,
                                 b.getDenseI64ArrayAttr({axis}),
                                 b.getI64IntegerAttr(1),
                                 b.getI64IntegerAttr(0))
          .getResult();
    };
    if (za != 0) {
      Value bWide = CastOp::create(b, loc, bType.clone(i32), bq);
      Value colsum = reduceSum(bWide, bType.clone(i32), rank - 2);
      Value term = MulOp::create(b, loc, colsum.getType(), colsum,
                                 scalar(i32, b.getI32IntegerAttr(za)));
      corrected = SubOp::create(b, loc, accType, corrected, term);
    }
    // - zb * sum_k (a[m, k] - za), broadcast over columns ([..., M, 1]).
    if (zb != 0) {
      Value aWide = CastOp::create(b, loc, aType.clone(i32), aq);
      Value centered = SubOp::create(b, loc, aType.clone(i32), aWide,
                                     scalar(i32, b.getI32IntegerAttr(za)));
      Value rowsum = reduceSum(centered, aType.clone(i32), rank - 1);
      Value term = MulOp::create(b, loc, rowsum.getType(), rowsum,
                                 scalar(i32, b.getI32IntegerAttr(zb)));
      corrected = SubOp::create(b, loc, accType, corrected, term);
    }
    Value accF = CastOp::create(b, loc, yType, corrected);
    Value y = MulOp::create(
        b, loc, yType, accF,
        scalar(f32, b.getF32FloatAttr(
                        static_cast<float>(a->scale * bAct->scale))));
    replaceAndEraseDead(op, y);
    return success();
  }

  /// A QDQ Conv: 2-D, group 1, static shapes, explicit (or no) pads, a
  /// constant per-output-channel s8 weight [F, C, KH, KW], an optional
  /// constant float bias [F]. Its output positions must fill the kernel's
  /// 16-lane columns, or rows padded to them (fitsConvKernel).
  LogicalResult rewriteConv(ConvOp op) {
    auto xType = dyn_cast<RankedTensorType>(op.getX().getType());
    auto yType = dyn_cast<RankedTensorType>(op.getY().getType());
    if (!xType || !yType || xType.getRank() != 4 || !xType.hasStaticShape() ||
        !yType.hasStaticShape() || !yType.getElementType().isF32() ||
        op.getGroup() != 1 ||
        (op.getAutoPad() != "NOTSET" && op.getAutoPad() != "VALID"))
      return failure();
    if (!fitsConvKernel(yType))
      return failure();
    std::optional<ActivationQDQ> act = matchActivation(op.getX());
    if (!act)
      return failure();
    std::vector<int8_t> q;
    std::vector<float> wScales;
    RankedTensorType qType;
    if (!matchWeight(op.getW(), /*rank=*/4, /*axis=*/0, q, wScales, qType))
      return failure();
    int64_t f = qType.getDimSize(0);
    int64_t k = qType.getNumElements() / f;
    std::optional<std::vector<float>> biasValues = getBias(op.getB(), f);
    if (!biasValues)
      return failure();
    if (!kernelTakes(q, k, f, /*kMajor=*/false))
      return failure();
    std::vector<int64_t> rowsums = sumOverK(q, k, f, /*kMajor=*/false);

    OpBuilder b(op);
    Location loc = op.getLoc();
    Value xq = quantizeActivation(b, loc, *act, xType);
    // Padded taps must read the zero point, so that their term cancels
    // with the correction; the pad is explicit and the conv pads nothing.
    FailureOr<Value> padded = padWithZeroPoint(
        b, loc, xq, op.getAutoPad() == "NOTSET" ? op.getPads() : std::nullopt,
        unsignedZeroPoint(*act));
    if (failed(padded))
      return failure();
    Value wq = ConstantOp::create(
        b, loc, DenseElementsAttr::get(qType, ArrayRef<int8_t>(q)));
    Value acc = createIntegerConv(b, loc, op,
                                  yType.clone(b.getIntegerType(32)), *padded,
                                  wq);
    Value y = buildEpilogue(b, loc, acc, yType, *act, wScales, rowsums,
                            *biasValues, {f, 1, 1});
    replaceAndEraseDead(op, y);
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

  /// QLinearConv with a constant s8 weight (zero point 0) and constant
  /// scales becomes quantize_linear(conv(dequantize_linear(x),
  /// dequantize_linear(w), B * sx * sw)), whose conv rewriteConv runs on
  /// the integer kernel.
  void decomposeQLinearConv(QLinearConvOp op) {
    auto xType = dyn_cast<RankedTensorType>(op.getX().getType());
    auto wType = dyn_cast<RankedTensorType>(op.getW().getType());
    auto yType = dyn_cast<RankedTensorType>(op.getY().getType());
    auto xElem = dyn_cast<IntegerType>(getElementTypeOrSelf(op.getX()));
    auto wElem = dyn_cast<IntegerType>(getElementTypeOrSelf(op.getW()));
    Attribute xsAttr, wsAttr;
    if (!xType || !wType || !yType || xType.getRank() != 4 ||
        !wType.hasStaticShape() || !xElem || !xElem.isUnsigned() || !wElem ||
        wElem.isUnsigned() || !matchPattern(op.getW(), m_Constant()) ||
        !isZeroOrAbsent(op.getWZeroPoint()) ||
        !matchPattern(op.getXScale(), m_Constant(&xsAttr)) ||
        !matchPattern(op.getWScale(), m_Constant(&wsAttr)))
      return;
    int64_t f = wType.getDimSize(0);
    std::optional<std::vector<float>> xs = getConstantValues<float>(xsAttr);
    std::optional<std::vector<float>> ws = getConstantValues<float>(wsAttr);
    if (!xs || xs->size() != 1 || !ws ||
        (ws->size() != 1 && static_cast<int64_t>(ws->size()) != f))
      return;
    // The int32 bias B is in units of sx * sw[f].
    std::vector<float> bias(f, 0.0f);
    if (Value bValue = op.getB()) {
      Attribute bAttr;
      std::optional<std::vector<int32_t>> bInts;
      if (!matchPattern(bValue, m_Constant(&bAttr)) ||
          !(bInts = getConstantValues<int32_t>(bAttr)) ||
          static_cast<int64_t>(bInts->size()) != f)
        return;
      for (int64_t ff = 0; ff < f; ++ff)
        bias[ff] = static_cast<float>(static_cast<double>((*bInts)[ff]) *
                                      (*xs)[0] *
                                      (*ws)[ws->size() == 1 ? 0 : ff]);
    }
    OpBuilder b(op);
    Location loc = op.getLoc();
    auto f32 = b.getF32Type();
    Value x = DequantizeLinearOp::create(b, loc, xType.clone(f32), op.getX(),
                                         op.getXScale(), op.getXZeroPoint(),
                                         /*axis=*/1);
    Value w = DequantizeLinearOp::create(b, loc, wType.clone(f32), op.getW(),
                                         op.getWScale(), op.getWZeroPoint(),
                                         /*axis=*/0);
    Value biasValue = ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(RankedTensorType::get({f}, f32),
                               ArrayRef<float>(bias)));
    Value y = ConvOp::create(b, loc, yType.clone(f32), x, w, biasValue,
                             op.getAutoPadAttr(), op.getDilationsAttr(),
                             op.getGroupAttr(), op.getKernelShapeAttr(),
                             op.getPadsAttr(), op.getStridesAttr());
    Value q = QuantizeLinearOp::create(b, loc, yType, y, op.getYScale(),
                                       op.getYZeroPoint(), /*axis=*/1);
    op.getY().replaceAllUsesWith(q);
    op.erase();
  }

  /// ConvInteger / MatMulInteger of a u8 input with a per-tensor zero point
  /// zx by a constant s8 weight without one: the kernel multiplies raw
  /// bytes, so this becomes op(pad(x, zx), w) - zx * sum(w) per output
  /// channel (the same integers).
  void stripInputZeroPoint(Operation *op) {
    auto conv = dyn_cast<ConvIntegerOp>(op);
    auto mm = dyn_cast<MatMulIntegerOp>(op);
    Value x = conv ? conv.getX() : mm.getA();
    Value w = conv ? conv.getW() : mm.getB();
    Value xZp = conv ? conv.getXZeroPoint() : mm.getAZeroPoint();
    Value wZp = conv ? conv.getWZeroPoint() : mm.getBZeroPoint();
    auto xType = dyn_cast<RankedTensorType>(x.getType());
    auto wType = dyn_cast<RankedTensorType>(w.getType());
    auto yType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    auto xElem = dyn_cast<IntegerType>(getElementTypeOrSelf(x));
    auto wElem = dyn_cast<IntegerType>(getElementTypeOrSelf(w));
    Attribute wAttr;
    bool isUnsigned = false;
    std::optional<int64_t> zp = getScalarInt(xZp, isUnsigned);
    if (!xType || !wType || !yType || !wType.hasStaticShape() || !xElem ||
        !xElem.isUnsigned() || !wElem || wElem.isUnsigned() || !zp ||
        !isUnsigned || !isZeroOrAbsent(wZp) ||
        !matchPattern(w, m_Constant(&wAttr)))
      return;
    std::optional<std::vector<int8_t>> q = getConstantValues<int8_t>(wAttr);
    if (!q)
      return;
    int64_t channels;
    std::vector<int32_t> correction;
    if (conv) {
      if (xType.getRank() != 4 || !yType.hasStaticShape() ||
          conv.getGroup() != 1 || !fitsConvKernel(yType) ||
          (conv.getAutoPad() != "NOTSET" && conv.getAutoPad() != "VALID"))
        return;
      channels = wType.getDimSize(0);
      int64_t k = wType.getNumElements() / channels;
      if (!kernelTakes(*q, k, channels, /*kMajor=*/false))
        return;
      for (int64_t sum : sumOverK(*q, k, channels, /*kMajor=*/false))
        correction.push_back(static_cast<int32_t>(*zp * sum));
    } else {
      if (xType.getRank() < 2 || xType.getRank() > 3 || wType.getRank() != 2)
        return;
      int64_t k = wType.getDimSize(0);
      channels = wType.getDimSize(1);
      if (k % 4 != 0 || channels % 16 != 0 ||
          !kernelTakes(*q, k, channels, /*kMajor=*/true))
        return;
      for (int64_t sum : sumOverK(*q, k, channels, /*kMajor=*/true))
        correction.push_back(static_cast<int32_t>(*zp * sum));
    }
    OpBuilder b(op);
    Location loc = op->getLoc();
    Value acc;
    if (conv) {
      FailureOr<Value> padded = padWithZeroPoint(
          b, loc, x,
          conv.getAutoPad() == "NOTSET" ? conv.getPads() : std::nullopt, *zp);
      if (failed(padded))
        return;
      acc = createIntegerConv(b, loc, conv, yType, *padded, w);
    } else {
      acc = MatMulIntegerOp::create(b, loc, yType, x, w, Value(), Value());
    }
    SmallVector<int64_t> shape = {channels};
    if (conv)
      shape.append({1, 1});
    Value c = ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(RankedTensorType::get(shape, b.getI32Type()),
                               ArrayRef<int32_t>(correction)));
    replaceAndEraseDead(op, SubOp::create(b, loc, yType, acc, c));
  }

  void runOnOperation() override {
    if (!integerKernel)
      return;
    SmallVector<QLinearMatMulOp> qlinear;
    getOperation().walk([&](QLinearMatMulOp op) { qlinear.push_back(op); });
    for (QLinearMatMulOp op : qlinear)
      decomposeQLinearMatMul(op);
    SmallVector<QLinearConvOp> qlinearConvs;
    getOperation().walk([&](QLinearConvOp op) { qlinearConvs.push_back(op); });
    for (QLinearConvOp op : qlinearConvs)
      decomposeQLinearConv(op);
    SmallVector<Operation *> integerOps;
    getOperation().walk([&](Operation *op) {
      if ((isa<ConvIntegerOp>(op) &&
           cast<ConvIntegerOp>(op).getXZeroPoint()) ||
          (isa<MatMulIntegerOp>(op) &&
           cast<MatMulIntegerOp>(op).getAZeroPoint()))
        integerOps.push_back(op);
    });
    for (Operation *op : integerOps)
      stripInputZeroPoint(op);
    // A decomposed QLinearMatMul whose matmul does not qualify computes
    // the same values in float (QDQ semantics).
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (isa<MatMulOp, GemmOp, ConvOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      if (auto conv = dyn_cast<ConvOp>(op)) {
        (void)rewriteConv(conv);
        continue;
      }
      if (auto mm = dyn_cast<MatMulOp>(op)) {
        // A constant weight, else two activations (VNNI only: a run-time
        // operand's byte pairs cannot be checked for AVX2).
        if (failed(rewrite(op, mm.getA(), mm.getB(), /*transB=*/false,
                           Value())) &&
            !pairwiseWeights)
          (void)rewriteActivationMatmul(mm);
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
