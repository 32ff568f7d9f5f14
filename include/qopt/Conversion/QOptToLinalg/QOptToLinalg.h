//===- QOptToLinalg.h - qopt -> linalg/tensor/arith patterns -----*- C++ -*-===//
//
// The type converter and the pattern groups (one per op category) of the
// qopt -> linalg lowering. The ConvertQOptToLinalgPass uses all of them;
// other pipelines can pick groups.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_CONVERSION_QOPTTOLINALG_QOPTTOLINALG_H
#define QOPT_CONVERSION_QOPTTOLINALG_QOPTTOLINALG_H

#include "mlir/Transforms/DialectConversion.h"

namespace mlir::qopt {

/// Maps qopt's builtin tensor types to the types the lowering produces:
/// signed / unsigned integer elements become signless of the same width;
/// everything else is unchanged.
class QOptToLinalgTypeConverter : public TypeConverter {
public:
  QOptToLinalgTypeConverter();
};

/// Add, Mul, ..., Relu, Erf, comparisons, logic, Where, Clip, Cast.
void populateQOptElementwiseToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns);
/// MatMul, Gemm (and later Conv, Einsum).
void populateQOptLinearAlgebraToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns);
/// Constant, Reshape, Transpose, Concat, Slice, Gather, ... (tensor ops).
void populateQOptShapeToLinalgPatterns(const TypeConverter &converter,
                                       RewritePatternSet &patterns);
/// ReduceSum / Mean / Max / ..., ArgMax / ArgMin.
void populateQOptReductionToLinalgPatterns(const TypeConverter &converter,
                                           RewritePatternSet &patterns);
/// Softmax, LayerNormalization, BatchNormalization, pooling, Conv.
void populateQOptNNToLinalgPatterns(const TypeConverter &converter,
                                    RewritePatternSet &patterns);

/// Conv, ConvTranspose, pooling, Batch/Instance/LpNormalization, Hardmax,
/// DepthToSpace / SpaceToDepth, Resize.
void populateQOptConvPoolToLinalgPatterns(const TypeConverter &converter,
                                          RewritePatternSet &patterns);
/// GatherElements / GatherND, Scatter*, Trilu, ConstantOfShape, Range, Size,
/// Tile, Pad, CumSum, TopK, Einsum.
void populateQOptDataMovementToLinalgPatterns(const TypeConverter &converter,
                                              RewritePatternSet &patterns);
/// QuantizeLinear / DequantizeLinear / DynamicQuantizeLinear and the integer
/// ONNX ops (MatMulInteger, QLinearMatMul, ConvInteger, QLinearConv).
void populateQOptQuantizationToLinalgPatterns(const TypeConverter &converter,
                                              RewritePatternSet &patterns);

/// All of the above.
void populateQOptToLinalgConversionPatterns(const TypeConverter &converter,
                                            RewritePatternSet &patterns);

} // namespace mlir::qopt

#endif // QOPT_CONVERSION_QOPTTOLINALG_QOPTTOLINALG_H
