//===- QOptOps.cpp - qopt op verifiers ---------------------------*- C++ -*-===//
//
// Verifiers for the qopt ops. Each check names the ONNX attribute or operand
// at fault and what it expects; test/Dialect/QOpt/invalid.mlir tests every
// message word for word. Shapes are checked only where they are static:
// dynamic (`?`) dimensions and unranked tensors are accepted.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

#include "qopt/Support/ConstantValues.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace mlir::qopt;

#define GET_OP_CLASSES
#include "qopt/Dialect/QOpt/IR/QOptOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Returns the rank of `value`'s type, or std::nullopt when it is unranked.
static std::optional<int64_t> rankOf(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type)
    return std::nullopt;
  return type.getRank();
}

/// Returns dimension `dim` of `value` when it is statically known.
static std::optional<int64_t> staticDim(Value value, int64_t dim) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || dim < 0 || dim >= type.getRank() || type.isDynamicDim(dim))
    return std::nullopt;
  return type.getDimSize(dim);
}

/// Checks that `axis` indexes a tensor of rank `rank` (negative axes count
/// from the end). `extra` widens the range for ops that index their result
/// (Flatten accepts axis == rank).
static LogicalResult verifyAxis(Operation *op, StringRef name, int64_t axis,
                                std::optional<int64_t> rank,
                                int64_t extra = 0) {
  if (!rank)
    return success();
  int64_t lo = -(*rank), max = *rank - 1 + extra;
  if (axis < lo || axis > max)
    return op->emitOpError() << "expects " << name << " in [" << lo << ", "
                             << max << "], got " << axis;
  return success();
}

/// Checks a list of axes: each in range for `rank`, none repeated.
static LogicalResult verifyAxes(Operation *op, StringRef name,
                                ArrayRef<int64_t> axes,
                                std::optional<int64_t> rank) {
  llvm::SmallSet<int64_t, 8> seen;
  for (int64_t axis : axes) {
    if (failed(verifyAxis(op, name, axis, rank)))
      return failure();
    int64_t normalized = rank && axis < 0 ? axis + *rank : axis;
    if (!seen.insert(normalized).second)
      return op->emitOpError() << "expects " << name
                               << " without repeats, got " << axis
                               << " twice";
  }
  return success();
}

/// Checks that `value` is a scalar or a one-element 1-D tensor.
static LogicalResult verifyScalar(Operation *op, StringRef name, Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || type.getRank() == 0 ||
      (type.getRank() == 1 && type.getDimSize(0) == 1) ||
      (type.getRank() == 1 && type.isDynamicDim(0)))
    return success();
  return op->emitOpError() << "expects " << name
                           << " to be a scalar or a 1-element tensor";
}

/// Checks the attributes the convolution and pooling family shares.
/// `weight` is null for pooling. `transposed` selects ConvTranspose's weight
/// layout [C, M/group, k...].
static LogicalResult
verifyConvLike(Operation *op, Value input, Value weight, StringRef autoPad,
               int64_t group, std::optional<ArrayRef<int64_t>> kernelShape,
               std::optional<ArrayRef<int64_t>> pads,
               std::optional<ArrayRef<int64_t>> strides,
               std::optional<ArrayRef<int64_t>> dilations,
               bool transposed = false) {
  static const char *const kAutoPads[] = {"NOTSET", "SAME_UPPER", "SAME_LOWER",
                                          "VALID"};
  if (!llvm::is_contained(kAutoPads, autoPad))
    return op->emitOpError()
           << "expects auto_pad to be one of NOTSET, SAME_UPPER, SAME_LOWER, "
              "VALID, got '"
           << autoPad << "'";
  if (group < 1)
    return op->emitOpError() << "expects group >= 1, got " << group;

  std::optional<int64_t> rank = rankOf(input);
  if (rank && *rank < 3)
    return op->emitOpError()
           << "expects the input to have rank >= 3 ([N, C, D1, ...]), got rank "
           << *rank;
  std::optional<int64_t> weightRank = weight ? rankOf(weight) : std::nullopt;
  if (rank && weightRank && *rank != *weightRank)
    return op->emitOpError() << "expects the weight to have the input's rank ("
                             << *rank << "), got rank " << *weightRank;
  if (!rank)
    rank = weightRank;
  if (!rank)
    return success();
  int64_t spatial = *rank - 2;

  auto checkSize = [&](StringRef name, std::optional<ArrayRef<int64_t>> values,
                       int64_t expected, StringRef what) -> LogicalResult {
    if (values && static_cast<int64_t>(values->size()) != expected)
      return op->emitOpError()
             << "expects " << name << " to have " << expected << " entries ("
             << what << "), got " << values->size();
    return success();
  };
  if (failed(checkSize("kernel_shape", kernelShape, spatial,
                       "one per spatial dimension")) ||
      failed(checkSize("strides", strides, spatial,
                       "one per spatial dimension")) ||
      failed(checkSize("dilations", dilations, spatial,
                       "one per spatial dimension")) ||
      failed(checkSize("pads", pads, 2 * spatial,
                       "begin and end per spatial dimension")))
    return failure();
  auto allPositive = [](std::optional<ArrayRef<int64_t>> values) {
    return !values || llvm::all_of(*values, [](int64_t v) { return v > 0; });
  };
  if (!allPositive(kernelShape) || !allPositive(strides) ||
      !allPositive(dilations))
    return op->emitOpError()
           << "expects kernel_shape, strides and dilations to be positive";
  if (pads && llvm::any_of(*pads, [](int64_t v) { return v < 0; }))
    return op->emitOpError() << "expects pads to be non-negative";

  if (!weight)
    return success();
  // Channels: Conv's weight is [M, C/group, k...], ConvTranspose's is
  // [C, M/group, k...].
  std::optional<int64_t> channels = staticDim(input, 1);
  if (!transposed) {
    std::optional<int64_t> perGroup = staticDim(weight, 1);
    if (channels && perGroup && *channels != *perGroup * group)
      return op->emitOpError()
             << "expects the input channels (" << *channels
             << ") to equal the weight's dimension 1 (" << *perGroup
             << ") times group (" << group << ")";
    std::optional<int64_t> outChannels = staticDim(weight, 0);
    if (outChannels && *outChannels % group != 0)
      return op->emitOpError()
             << "expects the output channels (" << *outChannels
             << ") to be a multiple of group (" << group << ")";
  } else {
    std::optional<int64_t> weightChannels = staticDim(weight, 0);
    if (channels && weightChannels && *channels != *weightChannels)
      return op->emitOpError()
             << "expects the input channels (" << *channels
             << ") to equal the weight's dimension 0 (" << *weightChannels
             << ")";
  }
  if (kernelShape) {
    for (auto [i, k] : llvm::enumerate(*kernelShape)) {
      std::optional<int64_t> dim = staticDim(weight, i + 2);
      if (dim && *dim != k)
        return op->emitOpError()
               << "expects kernel_shape to match the weight's spatial "
                  "dimensions, got "
               << k << " for weight dimension " << i + 2 << " of size "
               << *dim;
    }
  }
  return success();
}

/// Checks a normalization parameter or bias: 1-D with `channels` elements,
/// `channelsName` saying which channels those are.
static LogicalResult
verifyChannelParam(Operation *op, StringRef name, Value param,
                   std::optional<int64_t> channels,
                   StringRef channelsName = "the input's channels") {
  std::optional<int64_t> rank = rankOf(param);
  if (rank && *rank != 1)
    return op->emitOpError() << "expects " << name << " to be 1-D, got rank "
                             << *rank;
  std::optional<int64_t> size = staticDim(param, 0);
  if (channels && size && *size != *channels)
    return op->emitOpError() << "expects " << name << " to have " << *channels
                             << " elements (" << channelsName << "), got "
                             << *size;
  return success();
}

/// Checks a QuantizeLinear/DequantizeLinear scale and zero point: one element
/// (per tensor) or a 1-D tensor with one element per entry of `axis` of `x`.
static LogicalResult verifyQuantParams(Operation *op, Value x, Value scale,
                                       Value zeroPoint, int64_t axis,
                                       StringRef scaleName,
                                       StringRef zeroPointName) {
  std::optional<int64_t> scaleRank = rankOf(scale);
  if (scaleRank && *scaleRank > 1)
    return op->emitOpError() << "expects " << scaleName
                             << " to be a scalar (per tensor) or 1-D (per "
                                "axis), got rank "
                             << *scaleRank;
  std::optional<int64_t> count = staticDim(scale, 0);
  bool perAxis = scaleRank && *scaleRank == 1 && (!count || *count != 1);
  if (perAxis) {
    if (failed(verifyAxis(op, "axis", axis, rankOf(x))))
      return failure();
    std::optional<int64_t> xRank = rankOf(x);
    if (xRank && count) {
      int64_t normalized = axis < 0 ? axis + *xRank : axis;
      std::optional<int64_t> dim = staticDim(x, normalized);
      if (dim && *dim != *count)
        return op->emitOpError()
               << "expects " << scaleName << " to have " << *dim
               << " elements (dimension " << normalized << " of x), got "
               << *count;
    }
  }
  if (zeroPoint) {
    auto scaleType = dyn_cast<RankedTensorType>(scale.getType());
    auto zpType = dyn_cast<RankedTensorType>(zeroPoint.getType());
    if (scaleType && zpType &&
        failed(verifyCompatibleShape(scaleType.getShape(), zpType.getShape())))
      return op->emitOpError() << "expects " << zeroPointName
                               << " to have the shape of " << scaleName;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

static LogicalResult verifyVariadic(Operation *op) {
  if (op->getNumOperands() == 0)
    return op->emitOpError() << "expects at least one input";
  return success();
}
LogicalResult MaxOp::verify() { return verifyVariadic(*this); }
LogicalResult MinOp::verify() { return verifyVariadic(*this); }
LogicalResult SumOp::verify() { return verifyVariadic(*this); }
LogicalResult MeanOp::verify() { return verifyVariadic(*this); }

LogicalResult GeluOp::verify() {
  if (getApproximate() != "none" && getApproximate() != "tanh")
    return emitOpError() << "expects approximate to be 'none' or 'tanh', got '"
                         << getApproximate() << "'";
  return success();
}

LogicalResult ClipOp::verify() {
  if (getMin() && failed(verifyScalar(*this, "min", getMin())))
    return failure();
  if (getMax() && failed(verifyScalar(*this, "max", getMax())))
    return failure();
  return success();
}

template <typename SoftmaxLike>
static LogicalResult verifySoftmaxLike(SoftmaxLike op) {
  return verifyAxis(op, "axis", static_cast<int64_t>(op.getAxis()),
                    rankOf(op.getInput()));
}
LogicalResult SoftmaxOp::verify() { return verifySoftmaxLike(*this); }
LogicalResult LogSoftmaxOp::verify() { return verifySoftmaxLike(*this); }
LogicalResult HardmaxOp::verify() { return verifySoftmaxLike(*this); }

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::verify() {
  std::optional<int64_t> rankA = rankOf(getA()), rankB = rankOf(getB());
  if ((rankA && *rankA == 0) || (rankB && *rankB == 0))
    return emitOpError() << "expects operands of rank >= 1";
  if (!rankA || !rankB)
    return success();
  std::optional<int64_t> kA = staticDim(getA(), *rankA - 1);
  std::optional<int64_t> kB = staticDim(getB(), *rankB == 1 ? 0 : *rankB - 2);
  if (kA && kB && *kA != *kB)
    return emitOpError()
           << "expects the contracted dimensions to match, got " << *kA
           << " (A) and " << *kB << " (B)";
  return success();
}

LogicalResult GemmOp::verify() {
  std::optional<int64_t> rankA = rankOf(getA()), rankB = rankOf(getB());
  if ((rankA && *rankA != 2) || (rankB && *rankB != 2))
    return emitOpError() << "expects A and B to be 2-D";
  std::optional<int64_t> kA = staticDim(getA(), getTransA() ? 0 : 1);
  std::optional<int64_t> kB = staticDim(getB(), getTransB() ? 1 : 0);
  if (kA && kB && *kA != *kB)
    return emitOpError()
           << "expects the contracted dimensions to match, got " << *kA
           << " (A) and " << *kB << " (B)";
  return success();
}

LogicalResult ConvOp::verify() {
  if (failed(verifyConvLike(*this, getX(), getW(), getAutoPad(), getGroup(),
                            getKernelShape(), getPads(), getStrides(),
                            getDilations())))
    return failure();
  if (getB())
    return verifyChannelParam(*this, "B", getB(), staticDim(getW(), 0),
                              "the output channels");
  return success();
}

LogicalResult ConvTransposeOp::verify() {
  return verifyConvLike(*this, getX(), getW(), getAutoPad(), getGroup(),
                        getKernelShape(), getPads(), getStrides(),
                        getDilations(), /*transposed=*/true);
}

LogicalResult EinsumOp::verify() {
  StringRef equation = getEquation();
  if (equation.find_first_not_of(
          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ,.-> ") !=
      StringRef::npos)
    return emitOpError() << "expects the equation to hold only letters, ',', "
                            "'...' and '->', got '"
                         << equation << "'";
  StringRef lhs = equation.split("->").first;
  SmallVector<StringRef> terms;
  lhs.split(terms, ',');
  if (terms.size() != getInputs().size())
    return emitOpError() << "expects the equation to have " << getInputs().size()
                         << " input terms (one per input), got "
                         << terms.size();
  for (auto [i, term] : llvm::enumerate(terms)) {
    std::string letters = term.trim().str();
    bool ellipsis = StringRef(letters).contains("...");
    int64_t count = llvm::count_if(letters, [](char c) { return isalpha(c); });
    std::optional<int64_t> rank = rankOf(getInputs()[i]);
    if (rank && ((!ellipsis && count != *rank) || (ellipsis && count > *rank)))
      return emitOpError() << "expects term '" << term.trim()
                           << "' to have one letter per dimension of input "
                           << i << " (rank " << *rank << ")";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Normalization, pooling, resize
//===----------------------------------------------------------------------===//

LogicalResult LayerNormalizationOp::verify() {
  std::optional<int64_t> rank = rankOf(getX());
  if (failed(verifyAxis(*this, "axis", static_cast<int64_t>(getAxis()), rank)))
    return failure();
  if (getStats().size() > 2)
    return emitOpError() << "expects at most 2 stats results (Mean, "
                            "InvStdDev), got "
                         << getStats().size();
  if (!rank)
    return success();
  int64_t axis = static_cast<int64_t>(getAxis());
  if (axis < 0)
    axis += *rank;
  for (auto [name, stat] : {std::pair<StringRef, Value>{"Mean", getMean()},
                            {"InvStdDev", getInvStdDev()}}) {
    if (!stat)
      continue;
    auto type = cast<ShapedType>(stat.getType());
    if (!type.hasRank())
      continue;
    if (type.getRank() != *rank)
      return emitOpError() << "expects " << name << " to have rank " << *rank
                           << ", got " << type.getRank();
    for (int64_t d = axis; d < *rank; ++d)
      if (!type.isDynamicDim(d) && type.getDimSize(d) != 1)
        return emitOpError() << "expects " << name << " dimension " << d
                             << " to be 1 (a normalized dimension), got "
                             << type.getDimSize(d);
  }
  return success();
}

LogicalResult BatchNormalizationOp::verify() {
  std::optional<int64_t> rank = rankOf(getX());
  if (rank && *rank < 2)
    return emitOpError() << "expects X to have rank >= 2 ([N, C, ...]), got rank "
                         << *rank;
  std::optional<int64_t> channels = staticDim(getX(), 1);
  for (auto [name, value] :
       {std::pair<StringRef, Value>{"scale", getScale()},
        {"B", getB()},
        {"input_mean", getInputMean()},
        {"input_var", getInputVar()}})
    if (failed(verifyChannelParam(*this, name, value, channels)))
      return failure();
  return success();
}

LogicalResult InstanceNormalizationOp::verify() {
  std::optional<int64_t> channels = staticDim(getInput(), 1);
  if (failed(verifyChannelParam(*this, "scale", getScale(), channels)))
    return failure();
  return verifyChannelParam(*this, "B", getB(), channels);
}

LogicalResult MaxPoolOp::verify() {
  if (getStorageOrder() != 0 && getStorageOrder() != 1)
    return emitOpError() << "expects storage_order to be 0 or 1";
  return verifyConvLike(*this, getX(), Value(), getAutoPad(), 1,
                        getKernelShape(), getPads(), getStrides(),
                        getDilations());
}

LogicalResult AveragePoolOp::verify() {
  return verifyConvLike(*this, getX(), Value(), getAutoPad(), 1,
                        getKernelShape(), getPads(), getStrides(),
                        getDilations());
}

LogicalResult ResizeOp::verify() {
  StringRef mode = getMode();
  if (mode != "nearest" && mode != "linear" && mode != "cubic")
    return emitOpError()
           << "expects mode to be 'nearest', 'linear' or 'cubic', got '" << mode
           << "'";
  if (static_cast<bool>(getScales()) == static_cast<bool>(getSizes()))
    return emitOpError() << "expects exactly one of scales and sizes";
  return success();
}

LogicalResult DepthToSpaceOp::verify() {
  if (getMode() != "DCR" && getMode() != "CRD")
    return emitOpError() << "expects mode to be 'DCR' or 'CRD', got '"
                         << getMode() << "'";
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

#define QOPT_REDUCE_VERIFIER(OP)                                               \
  LogicalResult OP::verify() {                                                 \
    if (auto axes = getAxes())                                                 \
      return verifyAxes(*this, "axes", *axes, rankOf(getData()));              \
    return success();                                                          \
  }
QOPT_REDUCE_VERIFIER(ReduceMeanOp)
QOPT_REDUCE_VERIFIER(ReduceSumOp)
QOPT_REDUCE_VERIFIER(ReduceMaxOp)
QOPT_REDUCE_VERIFIER(ReduceMinOp)
QOPT_REDUCE_VERIFIER(ReduceProdOp)
QOPT_REDUCE_VERIFIER(ReduceL1Op)
QOPT_REDUCE_VERIFIER(ReduceL2Op)
QOPT_REDUCE_VERIFIER(ReduceSumSquareOp)
QOPT_REDUCE_VERIFIER(ReduceLogSumOp)
QOPT_REDUCE_VERIFIER(ReduceLogSumExpOp)
#undef QOPT_REDUCE_VERIFIER

LogicalResult ArgMaxOp::verify() {
  return verifyAxis(*this, "axis", static_cast<int64_t>(getAxis()),
                    rankOf(getData()));
}
LogicalResult ArgMinOp::verify() {
  return verifyAxis(*this, "axis", static_cast<int64_t>(getAxis()),
                    rankOf(getData()));
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  std::optional<int64_t> rank = rankOf(getShape());
  if (rank && *rank != 1)
    return emitOpError() << "expects shape to be a 1-D tensor, got rank "
                         << *rank;
  return success();
}

LogicalResult TransposeOp::verify() {
  std::optional<ArrayRef<int64_t>> perm = getPerm();
  std::optional<int64_t> rank = rankOf(getData());
  if (!perm || !rank)
    return success();
  SmallVector<int64_t> sorted(perm->begin(), perm->end());
  llvm::sort(sorted);
  bool isPermutation = static_cast<int64_t>(sorted.size()) == *rank;
  for (auto [i, v] : llvm::enumerate(sorted))
    isPermutation &= v == static_cast<int64_t>(i);
  if (!isPermutation) {
    InFlightDiagnostic diag = emitOpError()
                              << "expects perm to be a permutation of 0.."
                              << *rank - 1 << ", got [";
    llvm::interleaveComma(*perm, diag);
    return diag << "]";
  }
  return success();
}

LogicalResult FlattenOp::verify() {
  return verifyAxis(*this, "axis", static_cast<int64_t>(getAxis()),
                    rankOf(getInput()), /*extra=*/1);
}

LogicalResult SqueezeOp::verify() {
  std::optional<ArrayRef<int64_t>> axes = getAxes();
  if (!axes)
    return success();
  std::optional<int64_t> rank = rankOf(getData());
  if (failed(verifyAxes(*this, "axes", *axes, rank)))
    return failure();
  for (int64_t axis : *axes) {
    std::optional<int64_t> dim =
        staticDim(getData(), rank && axis < 0 ? axis + *rank : axis);
    if (dim && *dim != 1)
      return emitOpError() << "expects squeezed dimension " << axis
                           << " to have size 1, got " << *dim;
  }
  return success();
}

LogicalResult UnsqueezeOp::verify() {
  std::optional<int64_t> rank = rankOf(getData());
  if (rank)
    *rank += getAxes().size();
  return verifyAxes(*this, "axes", getAxes(), rank);
}

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError() << "expects at least one input";
  std::optional<int64_t> rank;
  for (Value input : getInputs()) {
    std::optional<int64_t> r = rankOf(input);
    if (!r)
      continue;
    if (rank && *rank != *r)
      return emitOpError() << "expects inputs of one rank, got ranks " << *rank
                           << " and " << *r;
    rank = r;
  }
  int64_t axis = getAxis();
  if (failed(verifyAxis(*this, "axis", axis, rank)))
    return failure();
  if (!rank)
    return success();
  if (axis < 0)
    axis += *rank;
  for (int64_t d = 0; d < *rank; ++d) {
    if (d == axis)
      continue;
    std::optional<int64_t> size;
    for (Value input : getInputs()) {
      std::optional<int64_t> s = staticDim(input, d);
      if (size && s && *size != *s)
        return emitOpError()
               << "expects inputs to match in dimension " << d
               << " (all but the concatenation axis), got " << *size << " and "
               << *s;
      if (s)
        size = s;
    }
  }
  return success();
}

LogicalResult SplitOp::verify() {
  return verifyAxis(*this, "axis", static_cast<int64_t>(getAxis()),
                    rankOf(getInput()));
}

LogicalResult GatherOp::verify() {
  return verifyAxis(*this, "axis", static_cast<int64_t>(getAxis()),
                    rankOf(getData()));
}

LogicalResult GatherElementsOp::verify() {
  std::optional<int64_t> rank = rankOf(getData());
  std::optional<int64_t> indicesRank = rankOf(getIndices());
  if (rank && indicesRank && *rank != *indicesRank)
    return emitOpError() << "expects indices to have the rank of data ("
                         << *rank << "), got rank " << *indicesRank;
  return verifyAxis(*this, "axis", static_cast<int64_t>(getAxis()), rank);
}

LogicalResult PadOp::verify() {
  StringRef mode = getMode();
  if (mode != "constant" && mode != "reflect" && mode != "edge" &&
      mode != "wrap")
    return emitOpError() << "expects mode to be 'constant', 'reflect', 'edge' "
                            "or 'wrap', got '"
                         << mode << "'";
  return success();
}

LogicalResult ConstantOfShapeOp::verify() {
  if (auto value = getValue(); value && value->getNumElements() != 1)
    return emitOpError() << "expects value to hold one element, got "
                         << value->getNumElements();
  return success();
}

//===----------------------------------------------------------------------===//
// Quantization ops
//===----------------------------------------------------------------------===//

Type mlir::qopt::getStorageTypeOrSelf(Type type) {
  auto quantized = dyn_cast<quant::QuantizedType>(type);
  if (!quantized)
    return type;
  // The dialect's ONNX int8 is signless i8, uint8 is ui8.
  return IntegerType::get(type.getContext(),
                          quantized.getStorageTypeIntegralWidth(),
                          quantized.isSigned() ? IntegerType::Signless
                                               : IntegerType::Unsigned);
}

/// A quantized tensor's `!quant.uniform` element type must describe the
/// op's own parameters: f32 expressed type, and the scale(s) / zero
/// point(s) of the constant operands (scales to 1e-6 relative: the type
/// prints 7 significant digits); per axis along `axis`.
static LogicalResult verifyUniformType(Operation *op, Type elem, Value x,
                                       Value scale, Value zeroPoint,
                                       int64_t axis) {
  auto quantized = dyn_cast<quant::QuantizedType>(elem);
  if (!quantized)
    return success();
  auto uniform = dyn_cast<quant::UniformQuantizedType>(elem);
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(elem);
  if ((!uniform && !perAxis) || !quantized.getExpressedType().isF32())
    return op->emitOpError()
           << "expects a !quant.uniform type expressing f32, got " << elem;
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  if (uniform) {
    scales.push_back(uniform.getScale());
    zeroPoints.push_back(uniform.getZeroPoint());
  } else {
    llvm::append_range(scales, perAxis.getScales());
    llvm::append_range(zeroPoints, perAxis.getZeroPoints());
    std::optional<int64_t> rank = rankOf(x);
    int64_t normalized = rank && axis < 0 ? axis + *rank : axis;
    if (perAxis.getQuantizedDimension() != normalized)
      return op->emitOpError()
             << "expects the !quant.uniform type's quantized dimension ("
             << perAxis.getQuantizedDimension() << ") to be axis "
             << normalized;
  }
  Attribute scaleAttr;
  if (matchPattern(scale, m_Constant(&scaleAttr))) {
    std::optional<std::vector<float>> values =
        getConstantValues<float>(scaleAttr);
    if (values && values->size() != scales.size())
      return op->emitOpError()
             << "expects the !quant.uniform type to have " << values->size()
             << " scale(s), got " << scales.size();
    for (size_t i = 0; values && i < values->size(); ++i)
      if (std::fabs(scales[i] - (*values)[i]) >
          1e-6 * std::fabs(static_cast<double>((*values)[i])))
        return op->emitOpError()
               << "expects the !quant.uniform type's scale " << scales[i]
               << " to equal the scale operand's " << (*values)[i];
  }
  Attribute zpAttr;
  if (zeroPoint && matchPattern(zeroPoint, m_Constant(&zpAttr))) {
    auto zpElem = cast<IntegerType>(getElementTypeOrSelf(zeroPoint.getType()));
    SmallVector<int64_t> values;
    for (const APInt &v : cast<DenseIntElementsAttr>(zpAttr).getValues<APInt>())
      values.push_back(zpElem.isUnsigned() ? v.getZExtValue()
                                           : v.getSExtValue());
    if (values.size() == 1 && zeroPoints.size() > 1)
      values.assign(zeroPoints.size(), values[0]);
    if (ArrayRef<int64_t>(values) != ArrayRef<int64_t>(zeroPoints))
      return op->emitOpError()
             << "expects the !quant.uniform type's zero point(s) to equal "
                "the zero point operand's";
  } else if (!zeroPoint && llvm::any_of(zeroPoints,
                                        [](int64_t z) { return z != 0; })) {
    return op->emitOpError()
           << "expects zero point(s) 0 in the !quant.uniform type without "
              "a zero point operand";
  }
  return success();
}

LogicalResult QuantizeLinearOp::verify() {
  if (failed(verifyQuantParams(*this, getX(), getYScale(), getYZeroPoint(),
                               getAxis(), "y_scale", "y_zero_point")))
    return failure();
  Type resultElement = getElementTypeOrSelf(getY().getType());
  if (failed(verifyUniformType(*this, resultElement, getX(), getYScale(),
                               getYZeroPoint(), getAxis())))
    return failure();
  resultElement = getStorageTypeOrSelf(resultElement);
  Type expected = getYZeroPoint()
                      ? getElementTypeOrSelf(getYZeroPoint().getType())
                      : IntegerType::get(getContext(), 8, IntegerType::Unsigned);
  if (resultElement != expected)
    return emitOpError() << "expects the result element type " << resultElement
                         << " to match the zero point's (" << expected
                         << "; uint8 when y_zero_point is absent)";
  return success();
}

/// Shared checks of the packed weight-only ops: 2-D static `codes` and
/// `y`, `bits` in {2, 4, 8}, `axis` 0 or 1, and y's `axis` dim = codes' dim
/// times 8 / bits (the other dims equal).
static LogicalResult verifyPackedCodes(Operation *op, Value codes, Value y,
                                       int64_t bits, int64_t axis) {
  if (bits != 2 && bits != 4 && bits != 8)
    return op->emitOpError() << "expects bits = 2, 4 or 8, got " << bits;
  if (axis != 0 && axis != 1)
    return op->emitOpError() << "expects axis 0 or 1, got " << axis;
  auto codesType = dyn_cast<RankedTensorType>(codes.getType());
  auto yType = dyn_cast<RankedTensorType>(y.getType());
  if (!codesType || !yType || codesType.getRank() != 2 ||
      yType.getRank() != 2 || !codesType.hasStaticShape() ||
      !yType.hasStaticShape())
    return op->emitOpError() << "expects static 2-D codes and result";
  int64_t perByte = 8 / bits;
  if (yType.getDimSize(axis) != codesType.getDimSize(axis) * perByte ||
      yType.getDimSize(1 - axis) != codesType.getDimSize(1 - axis))
    return op->emitOpError()
           << "expects codes of shape " << (axis == 0 ? "[K / " : "[N, K / ")
           << perByte << (axis == 0 ? ", N]" : "]") << " for a result of "
           << "shape [" << yType.getDimSize(0) << ", " << yType.getDimSize(1)
           << "] (" << perByte << " codes per byte along axis " << axis
           << ")";
  return success();
}

LogicalResult DequantizeGroupwiseOp::verify() {
  int64_t axis = static_cast<int64_t>(getAxis());
  int64_t bits = static_cast<int64_t>(getBits());
  if (failed(verifyPackedCodes(*this, getCodes(), getY(), bits, axis)))
    return failure();
  auto yType = cast<RankedTensorType>(getY().getType());
  int64_t k = yType.getDimSize(axis), n = yType.getDimSize(1 - axis);
  int64_t group = static_cast<int64_t>(getGroupSize());
  if (group <= 0 || k % group != 0)
    return emitOpError() << "expects group_size to divide " << k << ", got "
                         << group;
  SmallVector<int64_t> expected = {k / group, n};
  if (axis == 1)
    std::swap(expected[0], expected[1]);
  for (Value v : {getScales(), getZeroPoints()}) {
    if (!v)
      continue;
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type || type.getShape() != ArrayRef<int64_t>(expected))
      return emitOpError() << "expects scales and zero_points of shape ["
                           << expected[0] << ", " << expected[1] << "]";
  }
  return success();
}

LogicalResult LookupCodebookOp::verify() {
  int64_t axis = static_cast<int64_t>(getAxis());
  int64_t bits = static_cast<int64_t>(getBits());
  if (failed(verifyPackedCodes(*this, getCodes(), getY(), bits, axis)))
    return failure();
  auto yType = cast<RankedTensorType>(getY().getType());
  int64_t n = yType.getDimSize(1 - axis);
  auto type = dyn_cast<RankedTensorType>(getCodebook().getType());
  if (!type || type.getRank() != 2 || type.getDimSize(0) != n ||
      type.getDimSize(1) != (int64_t(1) << bits))
    return emitOpError() << "expects a codebook of shape [" << n << ", "
                         << (int64_t(1) << bits) << "]";
  return success();
}

LogicalResult ObserveOp::verify() {
  if (static_cast<int64_t>(getId()) < 0)
    return emitOpError() << "expects a non-negative id, got "
                         << static_cast<int64_t>(getId());
  if (getMin().has_value() != getMax().has_value())
    return emitOpError() << "expects min and max together";
  if (getMin() && getMin()->convertToDouble() > getMax()->convertToDouble())
    return emitOpError() << "expects min <= max, got ["
                         << getMin()->convertToDouble() << ", "
                         << getMax()->convertToDouble() << "]";
  if (std::optional<ArrayRef<double>> range = getRange()) {
    if (range->size() != 2 || (*range)[0] > (*range)[1])
      return emitOpError() << "expects range = [lo, hi] with lo <= hi";
    if (!getMethod())
      return emitOpError() << "expects a method with the range";
  }
  if (getScaleSource() && !getRange())
    return emitOpError() << "expects a range with scale_source";
  auto type = dyn_cast<RankedTensorType>(getX().getType());
  if (std::optional<int64_t> axis = getChannelAxis()) {
    if (type && (*axis < 0 || *axis >= type.getRank()))
      return emitOpError() << "channel_axis " << *axis
                           << " is out of range for rank " << type.getRank();
    for (auto [name, values] :
         {std::make_pair("channel_min", getChannelMin()),
          std::make_pair("channel_max", getChannelMax())})
      if (values && type && !type.isDynamicDim(*axis) &&
          static_cast<int64_t>(values->size()) != type.getDimSize(*axis))
        return emitOpError() << "expects " << type.getDimSize(*axis) << " "
                             << name << " values (dim " << *axis << "), got "
                             << values->size();
    if (getChannelMin().has_value() != getChannelMax().has_value() ||
        (getChannelMin() && getChannelMin()->size() != getChannelMax()->size()))
      return emitOpError()
             << "expects channel_min and channel_max of the same size";
  } else if (getChannelMin() || getChannelMax()) {
    return emitOpError() << "channel_min / channel_max need a channel_axis";
  }
  if (std::optional<APFloat> alpha = getSmoothAlpha())
    if (!(alpha->convertToDouble() >= 0 && alpha->convertToDouble() <= 1))
      return emitOpError() << "expects smooth_alpha in [0, 1]";
  return success();
}

LogicalResult DequantizeLinearOp::verify() {
  if (failed(verifyQuantParams(*this, getX(), getXScale(), getXZeroPoint(),
                               getAxis(), "x_scale", "x_zero_point")))
    return failure();
  Type xElement = getElementTypeOrSelf(getX().getType());
  if (failed(verifyUniformType(*this, xElement, getX(), getXScale(),
                               getXZeroPoint(), getAxis())))
    return failure();
  if (getXZeroPoint() && getStorageTypeOrSelf(xElement) !=
                             getElementTypeOrSelf(getXZeroPoint().getType()))
    return emitOpError() << "expects x and x_zero_point to have one element "
                            "type";
  return success();
}

LogicalResult ConvIntegerOp::verify() {
  return verifyConvLike(*this, getX(), getW(), getAutoPad(), getGroup(),
                        getKernelShape(), getPads(), getStrides(),
                        getDilations());
}

LogicalResult QLinearConvOp::verify() {
  return verifyConvLike(*this, getX(), getW(), getAutoPad(), getGroup(),
                        getKernelShape(), getPads(), getStrides(),
                        getDilations());
}

LogicalResult
CUDADeviceGlobalOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  // The dialect does not depend on memref: the global is checked through its
  // generic form (a `memref.global` with `constant` and a matching `type`).
  Operation *global =
      symbolTable.lookupNearestSymbolFrom(*this, getNameAttr());
  if (!global || global->getName().getStringRef() != "memref.global")
    return emitOpError() << "expects '" << getName()
                         << "' to name a memref.global";
  if (!global->hasAttr("constant"))
    return emitOpError() << "expects '" << getName()
                         << "' to be a constant memref.global (only "
                            "constants are uploaded once)";
  auto type = global->getAttrOfType<TypeAttr>("type");
  if (!type || type.getValue() != getType())
    return emitOpError() << "result type " << getType()
                         << " does not match the global's type "
                         << (type ? type.getValue() : Type());
  return success();
}
