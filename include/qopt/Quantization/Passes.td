//===- Passes.td - qopt quantization passes -----------------*- tablegen -*-===//
//
// The graph-level quantization passes on qopt IR (DESIGN.md, "Data flow"):
// observers for calibration, then scale propagation and quantization.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_QUANTIZATION_PASSES_TD
#define QOPT_QUANTIZATION_PASSES_TD

include "mlir/Pass/PassBase.td"

def InsertObserversPass : Pass<"qopt-insert-observers", "func::FuncOp"> {
  let summary = "Mark every float tensor quantization needs with qopt.observe";
  let description = [{
    Inserts one `qopt.observe` after each float tensor that a quantizable op
    (MatMul, Gemm, Conv, ConvTranspose: QuantizableOpInterface) reads as an
    activation or produces, and routes the quantizable uses through it.
    Constant operands (weights, biases) are not observed: their ranges come
    from their values. A tensor several quantizable ops read gets one
    observer; an activation operand's observer records the axis the op
    reduces over (`channel_axis`: K of a matmul, input channels of a conv),
    along which the calibration run keeps per-channel absmax.

    Observers are numbered in program order (`id`) and named after the ONNX
    value: the function argument's `qopt.name`, or the producing node's name
    (with `:N` for its N-th result when it has several).

    Before:
    ```mlir
    %y = qopt.matmul %x, %w : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
    ```
    After:
    ```mlir
    %0 = qopt.observe %x {channel_axis = 1 : i64, id = 0 : i64, name = "x"} : tensor<4x8xf32>
    %1 = qopt.matmul %0, %w : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
    %y = qopt.observe %1 {id = 1 : i64, name = "fc"} : tensor<4x16xf32>
    ```

    An existing observer is left as it is (running the pass twice changes
    nothing).
  }];
  let dependentDialects = ["::mlir::qopt::QOptDialect"];
}

def ExposeObserversPass : Pass<"qopt-expose-observers", "ModuleOp"> {
  let summary = "Return every observed tensor from @main (the calibration build)";
  let description = [{
    The calibration build: appends the operand of every `qopt.observe` in
    `@main` to its results, in `id` order, named `qopt.observer.<id>`
    (`qopt.name` result attribute), so the compiled model hands the
    observed tensors to the calibration run. The model's own outputs keep
    their positions. Fails on a function with duplicate observer ids.
  }];
  let dependentDialects = ["::mlir::qopt::QOptDialect"];
}

def PropagateScalesPass : Pass<"qopt-propagate-scales", "func::FuncOp"> {
  let summary = "Share one scale across scale-preserving ops instead of requantizing";
  let description = [{
    On calibrated IR (observers with `range`), before qopt-quantize. A
    tensor that reaches an observer only through scale-preserving ops
    (reshape, transpose, flatten, squeeze / unsqueeze, slice, split,
    gather, expand, tile, max-pool, and relu when the source range is
    non-negative) takes the range of the first observer up that chain; its
    observer records `scale_source = <id>`. Its quantized values are then
    exactly the source's quantized values moved around, so no
    requantization happens there (an integer pipeline can run the op on
    the 8-bit values directly). Every consumer of one source shares the
    source's scale, so consumers never disagree, and the number of
    requantizations is the number of observers with no scale source.

    A concat whose result and inputs are all observed (directly or through
    scale-preserving ops) gets one shared range: the union of theirs, set on
    the result's observer and on every input's observer (`scale_source` = the
    result's id), so the concat itself needs no requantization.

    A relu after a range that goes negative does not share: the source's
    negative half would waste half of the 8-bit levels of a non-negative
    tensor, so it keeps its own range (one requantization).

    Before:
    ```mlir
    %0 = qopt.observe %x {id = 0 : i64, ..., range = array<f64: -2.0, 6.0>}
    %1 = qopt.transpose %0 ...
    %2 = qopt.observe %1 {id = 1 : i64, ..., range = array<f64: -1.9, 5.5>}
    ```
    After: observer 1 has `range = array<f64: -2.0, 6.0>, scale_source = 0`.
  }];
  let dependentDialects = ["::mlir::qopt::QOptDialect"];
}

def SmoothQuantPass : Pass<"qopt-smoothquant", "func::FuncOp"> {
  let summary = "SmoothQuant: move activation outliers into the weights";
  let description = [{
    On calibrated IR (observers with `channel_min` / `channel_max`), before
    qopt-propagate-scales. For each observed activation X whose every use is
    a linear layer with a constant 2-D weight (MatMul `X W`, Gemm with
    transA = 0), computes per input channel j

        s_j = max|X_j|^alpha / max|W_j|^(1 - alpha)

    (max |W_j| over every such layer: Q, K and V projections reading one
    LayerNorm share one s), divides X by s in the op that produces it and
    multiplies row j of every weight by s_j. The model's function is
    unchanged in exact arithmetic; X / s has outliers spread into W, where
    per-channel weight scales absorb them.

    The producer must absorb the division, through ops that commute with a
    positive per-channel scale (Relu; an Add of a per-channel constant,
    which is divided too):

    * LayerNormalization over the last axis: Scale (gamma) and B (beta);
    * Mul by a per-channel constant (RMSNorm's gamma);
    * a preceding MatMul / Gemm with a constant weight: its output
      channels (and Gemm's bias).

    Every value on that chain must have no other user: a tensor that also
    feeds a residual Add is not smoothed. A tensor that cannot be smoothed
    gets `qopt.smoothquant_skipped = "<reason>"` and is left as it is.

    The observer's statistics are updated in place (channel ranges divided
    by s, min / max and the clipping range recomputed from them), so no
    second calibration run is needed; it records `smoothed` and
    `smooth_alpha`. An observer that already has `smooth_alpha` (written by
    qopt-compile's `--smoothquant=auto` search) uses it instead of `alpha`.

    Example (alpha = 0.5, channel 1 an outlier):
    ```mlir
    %ln = qopt.layer_normalization %x, %gamma, %beta ...
    %0 = qopt.observe %ln {channel_axis = 2, channel_max = [1, 50], ...}
    %q = qopt.matmul %0, %wq ...
    ```
    becomes gamma / s, beta / s, rows of %wq times s, and `channel_max` of
    the observer divided by s.
  }];
  let options = [
    Option<"alpha", "alpha", "double", "0.5",
           "Migration strength in [0, 1]: 0 keeps activations, 1 moves all "
           "of their range into the weights">,
  ];
  let dependentDialects = ["::mlir::qopt::QOptDialect"];
}

def AssignPrecisionPass : Pass<"qopt-assign-precision", "func::FuncOp"> {
  let summary = "Decide each quantizable op's precision (qopt.precision)";
  let description = [{
    Writes the precision decision of every quantizable op (MatMul, Gemm,
    Conv: QuantizableOpInterface) as a `qopt.precision` attribute, which
    qopt-quantize then materializes: `precision` for each op that supports
    it, `#qopt.precision<f32>` for the others and for every op whose ONNX
    node name matches the `keep-float` regular expression (matched against
    the whole name; qopt-compile's `--keep-float=REGEX`). Decisions are
    plain attributes, so they can be written by hand or by another pass and
    lit-tested from text.

    `precision` is any `Precision` (f32, f16, bf16, fp8, w8a8, w8a16,
    w4a16, w8a8_dynamic, w4_lut, w8_lut, ternary); qopt-quantize falls back
    to f32 (and rewrites the attribute) for an op a weight-only precision
    does not fit, such as attention's activation x activation matmuls.

    `plan` names a JSON file (`{"layers": [ {"name": ..., "precision": ...} ]}`,
    precisions spelled as on qopt-compile's command line: fp32, int8,
    w4a16, w8a8-dynamic, ...; other keys ignored, so qopt-compile's
    `--plan-out` file reads back): its layers get their precision, the
    others `precision`. A name the model does not have, an unknown
    precision or a malformed file is one error naming it. `keep-float`
    wins over the plan.

    Example (`keep-float=attn.*`):
    ```mlir
    %q = qopt.matmul %x, %w {qopt.precision = #qopt.precision<w8a8>} ...  // node "mlp.fc"
    %s = qopt.matmul %a, %b {qopt.precision = #qopt.precision<f32>} ...   // node "attn.scores"
    ```
  }];
  let options = [
    Option<"precision", "precision", "std::string", "\"w8a8\"",
           "The precision assigned where supported">,
    Option<"keepFloat", "keep-float", "std::string", "\"\"",
           "Regular expression over ONNX node names whose ops stay f32">,
    Option<"plan", "plan", "std::string", "\"\"",
           "JSON plan file: {\"layers\": [ {\"name\", \"precision\"} ]} "
           "assigns those layers (by ONNX node name) their precision; the "
           "others get `precision`">,
  ];
  let dependentDialects = ["::mlir::qopt::QOptDialect"];
}

def QuantizePass : Pass<"qopt-quantize", "func::FuncOp"> {
  let summary = "Materialize each quantizable op's precision (W8A8 in QDQ form, weight-only, fp16 / bf16)";
  let description = [{
    Materializes the `qopt.precision` of each quantizable op (w8a8 when it
    has none); an op whose weight does not fit a weight-only precision (not
    a 2-D f32 constant) stays f32 and its attribute says so:

    * `f32`: nothing.
    * `w8a16`: the weight as below (int8 per output channel), activations
      float.
    * `w4a16`: the weight as `qopt.dequantize_groupwise` of int4 codes
      packed two per byte along K, one scale per `group-size` rows of K and
      output channel (symmetric [-7, 7] by default; asymmetric [0, 15] with a
      zero point per group when `int4-symmetric=false`).
    * `ternary`: `qopt.dequantize_groupwise` of 2-bit codes {-1, 0, +1}
      times one scale per output channel (TWN's threshold 0.7 mean|w|).
    * `w4_lut` / `w8_lut`: `qopt.lookup_codebook` of 4- / 8-bit indices
      into a k-means codebook of 16 / 256 values per output channel.
    * `f16` / `bf16`: the weight stored in the narrow type behind a
      `qopt.cast` to f32, each activation rounded to it (cast there and
      back); products and sums stay f32.
    * `w8a8_dynamic`: the weight as below, each activation row (last axis:
      one token) quantized to u8 with its own range at run time (reduce
      min / max, no calibration).
    * `fp8`: an error (the CPU pipeline has no fp8).
    * `w8a8`, static, below.

    For every quantizable op that supports w8a8 and is assigned it (or
    nothing), whose activation operands all come from calibrated
    observers (`range` set) and whose weight is a float constant or a
    calibrated activation (attention), rewrites it to ONNX QDQ form:

    * activations, per tensor: `dequantize_linear(quantize_linear(x))` with
      the observer's range as asymmetric u8 (scale = (hi - lo) / 255, zero
      point = round(-lo / scale)) or, with `activation-symmetric`,
      symmetric s8 (scale = max|range| / 127, zero point 0);
    * constant weights, per output channel (the op's weight channel axis):
      symmetric int8 at compile time, q = round_half_even(w / s) clamped to
      [-L, L], s = max |w| of the channel / L (1 for an all-zero channel),
      L = `weight-max` (127; 63 for AVX2 targets), stored as an i8 constant
      behind a per-axis
      `dequantize_linear`;
    * biases stay float.

    The op gets `qopt.precision = #qopt.precision<w8a8>`. Ops whose inputs
    are not calibrated, or whose weight is neither constant nor observed,
    stay float. The QDQ form is what ONNX Runtime and TensorRT exchange;
    its numerics are those of int8 inputs with exact accumulation.

    Before:
    ```mlir
    %0 = qopt.observe %x {..., method = "minmax", range = array<f64: -1.0, 3.0>} : tensor<4x8xf32>
    %y = qopt.matmul %0, %w : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
    ```
    After:
    ```mlir
    %q = qopt.quantize_linear %0, %s, %zp : (tensor<4x8xf32>, tensor<f32>, tensor<ui8>) -> tensor<4x8xui8>
    %dq = qopt.dequantize_linear %q, %s, %zp : (tensor<4x8xui8>, tensor<f32>, tensor<ui8>) -> tensor<4x8xf32>
    %wq = qopt.constant dense<...> : tensor<8x16xi8>
    %wdq = qopt.dequantize_linear %wq, %ws {axis = 1 : i64} : (tensor<8x16xi8>, tensor<16xf32>) -> tensor<8x16xf32>
    %y = qopt.matmul %dq, %wdq {qopt.precision = #qopt.precision<w8a8>} : ...
    ```
  }];
  let options = [
    Option<"activationSymmetric", "activation-symmetric", "bool", "false",
           "Quantize activations as symmetric s8 (zero point 0) instead of "
           "asymmetric u8">,
    Option<"weightMax", "weight-max", "int64_t", "127",
           "Largest weight magnitude (1..127): 127 uses all of int8; 63 "
           "keeps every adjacent weight pair's |w0| + |w1| <= 128, which "
           "the AVX2 int8 kernel needs to sum byte pairs in i16 (qopt-compile "
           "sets it for targets without AVX-512 VNNI)">,
    Option<"groupSize", "group-size", "int64_t", "128",
           "w4a16: rows of K per scale (K itself when it is smaller or not "
           "a multiple)">,
    Option<"int4Symmetric", "int4-symmetric", "bool", "true",
           "w4a16: symmetric codes (scale = max|w| / 7) instead of "
           "asymmetric ones with a zero point per group">,
  ];
  let dependentDialects = ["::mlir::qopt::QOptDialect"];
}

def FuseQDQPass : Pass<"qopt-fuse-qdq", "func::FuncOp"> {
  let summary = "QDQ matmuls and convs -> integer ops with a fused float epilogue";
  let description = [{
    Rewrites a MatMul with a 2-D or 3-D activation ([M, K] or [B, M, K]
    against a [K, N] weight), or a Gemm (alpha = beta = 1, no transA), whose
    activation is `dequantize_linear(quantize_linear(x, sx, zx))` per tensor
    and whose weight is `dequantize_linear(wq, sw)` of a constant int8
    tensor, per output channel with zero point 0 (what qopt-quantize and
    the usual QDQ exporters produce), into

      acc = matmul_integer(quantize_linear(x, sx, zx) : u8, wq as [K, N])
      y   = float(acc) * S[n] + O[n],   S[n] = sx * sw[n],
            O[n] = bias[n] - zx * sum_k wq[k, n] * S[n]

    with int32 accumulation (exact) and the zero point's correction folded
    into the constant O at compile time. Signed (s8) activations are
    quantized as u8 with zero point + 128 instead (the same integers,
    shifted), since the CPU's integer dot product multiplies u8 by s8.

    A QDQ Conv (2-D, group 1, explicit or no pads, weight [F, C, KH, KW]
    per output channel) becomes the same with
    `conv_integer(pad(quantize_linear(x), zx), wq)`: the input is padded
    with its zero point so padded taps cancel in the correction, and S, O
    are [F, 1, 1]. Only output shapes the integer conv kernel takes are
    rewritten: OW a multiple or a divisor >= 2 of 16 with OH * OW % 16 ==
    0, or output rows padded to a multiple of 16 that is at most 2.5 x OW.

    QOperator models: a QLinearMatMul / QLinearConv with a constant s8
    weight (zero point 0) is first decomposed into
    `quantize_linear(op(dequantize_linear(x), dequantize_linear(w)))` (its
    int32 bias becomes B * sx * sw in float); its u8 input is used as is.
    A ConvInteger / MatMulInteger with a u8 input zero point and a constant
    s8 weight without one becomes `op(pad(x, zx), w) - zx * sum(w)` (an
    int32 constant per output channel), the zero-point-free form the kernel
    runs. A dequantize_linear of any u8 tensor counts as a quantized
    activation.

    The rewrites only pay off on the integer kernels, so they apply when
    `integer-kernel` is set (qopt-compile sets it when --cpu has AVX-512
    VNNI or AVX2) and the shapes fit the kernels (K % 4 == 0, N % 16 == 0
    for matmuls); without it, 32-bit integer multiplies would be slower
    than the float ops. With `pairwise-weights` (AVX2 targets) an op is
    rewritten only when its weight's adjacent-k pairs have |w0| + |w1| <=
    128 (what qopt-quantize's weight-max=63 guarantees); the others stay
    QDQ.

    A MatMul of two quantized activations (attention's Q x K^T and P x V;
    same batch dims, rank 2-4) becomes `matmul_integer(a : u8, b : s8)`
    with b re-quantized as s8 (its u8 zero point shifted by -128, the same
    integers) and the zero points' terms taken from run-time sums:
      y = sa * sb * (acc - za * sum_k b[k, n] - zb * sum_k (a[m, k] - za)).
    Without AVX-512 VNNI (pairwise-weights) it stays QDQ: a run-time
    operand's byte pairs cannot be checked.

    Everything else (per-axis activations, weights with zero points,
    grouped convs, 4-D matmul activations with a constant weight) keeps its
    QDQ form, which computes the same values in float.
  }];
  let options = [
    Option<"integerKernel", "integer-kernel", "bool", "true",
           "The target runs u8 x s8 integer matmuls fast (AVX-512 VNNI, or "
           "AVX2 with pairwise-weights)">,
    Option<"pairwiseWeights", "pairwise-weights", "bool", "false",
           "The integer kernel sums byte pairs in i16 (AVX2 vpmaddubsw): "
           "rewrite only ops whose constant weights have |w[2i]| + "
           "|w[2i+1]| <= 128 along K, for which that sum is exact">,
  ];
  let dependentDialects = ["::mlir::qopt::QOptDialect"];
}

#endif // QOPT_QUANTIZATION_PASSES_TD
