// RUN: qopt-opt %s -qopt-cpu-tile-and-vectorize="n-tile=0" -verify-diagnostics -split-input-file

// Invalid options are reported on the function, once, and nothing is
// rewritten.
// expected-error @below {{qopt-cpu-tile-and-vectorize: m-tile, n-tile and vector-width must be positive (got m-tile=8 n-tile=0 vector-width=16)}}
func.func @bad_tile(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}
