// RUN: qopt-opt %s -qopt-cpu-expand-math -split-input-file | FileCheck %s

// -qopt-cpu-expand-math replaces math functions on f32 scalars and vectors
// by upstream's polynomial approximations (arith ops and math.fma, with
// vector constants for vector operands), so vectorized code needs no libm
// call per lane. f16 goes through f32; f64 is left to LLVM / libm. The pass
// reports no errors; the negative cases are ops it must leave alone.

// erf, tanh and exp on vector<8xf32>: no math call of those remains; the
// result keeps its vector type.
// CHECK-LABEL: func.func @vector_f32
// CHECK-SAME:    (%[[X:.*]]: vector<8xf32>) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK-NOT:     math.erf
// CHECK-NOT:     math.tanh
// CHECK-NOT:     math.exp
// CHECK-DAG:     arith.constant dense<{{.*}}> : vector<8xf32>
// CHECK-DAG:     math.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<8xf32>
// CHECK-DAG:     arith.mulf %{{.*}}, %{{.*}} : vector<8xf32>
// CHECK-DAG:     arith.select %{{.*}}, %{{.*}}, %{{.*}} : vector<8xi1>, vector<8xf32>
// CHECK-NOT:     math.erf
// CHECK-NOT:     math.tanh
// CHECK-NOT:     math.exp
// CHECK:         return %{{.*}}, %{{.*}}, %{{.*}} : vector<8xf32>, vector<8xf32>, vector<8xf32>
func.func @vector_f32(%x: vector<8xf32>) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>) {
  %0 = math.erf %x : vector<8xf32>
  %1 = math.tanh %x : vector<8xf32>
  %2 = math.exp %x : vector<8xf32>
  return %0, %1, %2 : vector<8xf32>, vector<8xf32>, vector<8xf32>
}

// -----

// Scalars are expanded as well, and so is math.log.
// CHECK-LABEL: func.func @scalar_f32
// CHECK-NOT:     math.erf
// CHECK-NOT:     math.log
// CHECK:         math.fma %{{.*}}, %{{.*}}, %{{.*}} : f32
// CHECK-NOT:     math.erf
// CHECK-NOT:     math.log
// CHECK:         return
func.func @scalar_f32(%x: f32) -> (f32, f32) {
  %0 = math.erf %x : f32
  %1 = math.log %x : f32
  return %0, %1 : f32, f32
}

// -----

// f16: extended to f32, approximated there, truncated back.
// CHECK-LABEL: func.func @vector_f16
// CHECK-SAME:    (%[[X:.*]]: vector<4xf16>)
// CHECK:         arith.extf %[[X]] : vector<4xf16> to vector<4xf32>
// CHECK-NOT:     math.tanh
// CHECK:         %[[Y:.*]] = arith.truncf %{{.*}} : vector<4xf32> to vector<4xf16>
// CHECK:         return %[[Y]] : vector<4xf16>
func.func @vector_f16(%x: vector<4xf16>) -> vector<4xf16> {
  %0 = math.tanh %x : vector<4xf16>
  return %0 : vector<4xf16>
}

// -----

// Must not transform: f64 has no approximation here.
// CHECK-LABEL: func.func @f64_untouched
// CHECK-SAME:    (%[[X:.*]]: vector<4xf64>, %[[Y:.*]]: f64)
// CHECK-NEXT:    %[[E:.*]] = math.erf %[[X]] : vector<4xf64>
// CHECK-NEXT:    %[[P:.*]] = math.exp %[[Y]] : f64
// CHECK-NEXT:    return %[[E]], %[[P]]
func.func @f64_untouched(%x: vector<4xf64>, %y: f64) -> (vector<4xf64>, f64) {
  %0 = math.erf %x : vector<4xf64>
  %1 = math.exp %y : f64
  return %0, %1 : vector<4xf64>, f64
}

// -----

// Must not transform: sqrt and rsqrt are left to LLVM (the rsqrt
// approximation needs AVX2, which this pass does not assume).
// CHECK-LABEL: func.func @sqrt_untouched
// CHECK-SAME:    (%[[X:.*]]: vector<8xf32>)
// CHECK-NEXT:    %[[S:.*]] = math.sqrt %[[X]] : vector<8xf32>
// CHECK-NEXT:    %[[R:.*]] = math.rsqrt %[[X]] : vector<8xf32>
// CHECK-NEXT:    return %[[S]], %[[R]]
func.func @sqrt_untouched(%x: vector<8xf32>) -> (vector<8xf32>, vector<8xf32>) {
  %0 = math.sqrt %x : vector<8xf32>
  %1 = math.rsqrt %x : vector<8xf32>
  return %0, %1 : vector<8xf32>, vector<8xf32>
}
