// RUN: qopt-opt %s -split-input-file -verify-diagnostics

// One case per diagnostic of the qopt verifiers (lib/Dialect/QOpt/IR/
// QOptOps.cpp), plus the ODS type and trait constraints worth showing. Each
// message is checked word for word.

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

func.func @add_element_types(%a: tensor<4xf32>, %b: tensor<4xf16>) {
  // expected-error @+1 {{'qopt.add' op requires the same element type for all operands and results}}
  %0 = qopt.add %a, %b : (tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return
}

// -----

func.func @mul_broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'qopt.mul' op operands don't have broadcast-compatible shapes}}
  %0 = qopt.mul %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @sub_result_shape(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'qopt.sub' op result type '4x3' not broadcast compatible with broadcasted operands's shapes '2x3'}}
  %0 = qopt.sub %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @equal_result_type(%a: tensor<3xf32>) {
  // expected-error @+1 {{'qopt.equal' op result #0 must be tensor of 1-bit signless integer values, but got 'tensor<3xf32>'}}
  %0 = qopt.equal %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @and_operand_type(%a: tensor<3xi8>) {
  // expected-error @+1 {{'qopt.and' op operand #0 must be tensor of 1-bit signless integer values, but got 'tensor<3xi8>'}}
  %0 = qopt.and %a, %a : (tensor<3xi8>, tensor<3xi8>) -> tensor<3xi1>
  return
}

// -----

// The variadic ops' own "expects at least one input" check is preceded by the
// SameOperandsAndResultElementType trait, which rejects zero operands first.
func.func @max_no_inputs() {
  // expected-error @+1 {{'qopt.max' op expected 1 or more operands, but found 0}}
  %0 = qopt.max : () -> tensor<f32>
  return
}

// -----

func.func @gelu_approximate(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qopt.gelu' op expects approximate to be 'none' or 'tanh', got 'erf'}}
  %0 = qopt.gelu %x {approximate = "erf"} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @clip_min_not_scalar(%x: tensor<4xf32>, %lo: tensor<2xf32>) {
  // expected-error @+1 {{'qopt.clip' op expects min to be a scalar or a 1-element tensor}}
  %0 = qopt.clip %x min %lo : (tensor<4xf32>, tensor<2xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @clip_max_not_scalar(%x: tensor<4xf32>, %lo: tensor<f32>, %hi: tensor<1x1xf32>) {
  // expected-error @+1 {{'qopt.clip' op expects max to be a scalar or a 1-element tensor}}
  %0 = qopt.clip %x min %lo max %hi : (tensor<4xf32>, tensor<f32>, tensor<1x1xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @cast_shape(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qopt.cast' op requires the same shape for all operands and results}}
  %0 = qopt.cast %x : (tensor<4xf32>) -> tensor<5xi32>
  return
}

// -----

func.func @relu_element_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qopt.relu' op requires the same element type for all operands and results}}
  %0 = qopt.relu %x : (tensor<4xf32>) -> tensor<4xf16>
  return
}

// -----

func.func @softmax_axis(%x: tensor<2x4x8xf32>) {
  // expected-error @+1 {{'qopt.softmax' op expects axis in [-3, 2], got 3}}
  %0 = qopt.softmax %x {axis = 3 : i64} : (tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  return
}

// -----

func.func @log_softmax_negative_axis(%x: tensor<?x4x8xf32>) {
  // expected-error @+1 {{'qopt.log_softmax' op expects axis in [-3, 2], got -4}}
  %0 = qopt.log_softmax %x {axis = -4 : i64} : (tensor<?x4x8xf32>) -> tensor<?x4x8xf32>
  return
}

// -----

func.func @hardmax_axis(%x: tensor<8xf32>) {
  // expected-error @+1 {{'qopt.hardmax' op expects axis in [-1, 0], got 1}}
  %0 = qopt.hardmax %x {axis = 1 : i64} : (tensor<8xf32>) -> tensor<8xf32>
  return
}

// -----

func.func @softmax_integer(%x: tensor<8xi32>) {
  // expected-error @+1 {{'qopt.softmax' op operand #0 must be tensor of floating-point values, but got 'tensor<8xi32>'}}
  %0 = qopt.softmax %x : (tensor<8xi32>) -> tensor<8xi32>
  return
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

// -----

func.func @matmul_scalar(%a: tensor<f32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'qopt.matmul' op expects operands of rank >= 1}}
  %0 = qopt.matmul %a, %b : (tensor<f32>, tensor<4xf32>) -> tensor<f32>
  return
}

// -----

func.func @matmul_contraction(%a: tensor<?x128x768xf32>, %b: tensor<512x64xf32>) {
  // expected-error @+1 {{'qopt.matmul' op expects the contracted dimensions to match, got 768 (A) and 512 (B)}}
  %0 = qopt.matmul %a, %b : (tensor<?x128x768xf32>, tensor<512x64xf32>) -> tensor<?x128x64xf32>
  return
}

// -----

func.func @matmul_vector_contraction(%a: tensor<4x8xf32>, %b: tensor<6xf32>) {
  // expected-error @+1 {{'qopt.matmul' op expects the contracted dimensions to match, got 8 (A) and 6 (B)}}
  %0 = qopt.matmul %a, %b : (tensor<4x8xf32>, tensor<6xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @gemm_rank(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{'qopt.gemm' op expects A and B to be 2-D}}
  %0 = qopt.gemm %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @gemm_contraction(%a: tensor<?x256xf32>, %b: tensor<256x128xf32>) {
  // With transB, B is [N, K]: K is B's dimension 1 (128), not 256.
  // expected-error @+1 {{'qopt.gemm' op expects the contracted dimensions to match, got 256 (A) and 128 (B)}}
  %0 = qopt.gemm %a, %b {transB = 1 : i64} : (tensor<?x256xf32>, tensor<256x128xf32>) -> tensor<?x256xf32>
  return
}

// -----

func.func @conv_auto_pad(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'qopt.conv' op expects auto_pad to be one of NOTSET, SAME_UPPER, SAME_LOWER, VALID, got 'SAME'}}
  %0 = qopt.conv %x, %w {auto_pad = "SAME"} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @conv_group(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'qopt.conv' op expects group >= 1, got 0}}
  %0 = qopt.conv %x, %w {group = 0 : i64} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_input_rank(%x: tensor<3x8xf32>, %w: tensor<4x3xf32>) {
  // expected-error @+1 {{'qopt.conv' op expects the input to have rank >= 3 ([N, C, D1, ...]), got rank 2}}
  %0 = qopt.conv %x, %w : (tensor<3x8xf32>, tensor<4x3xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @conv_weight_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3xf32>) {
  // expected-error @+1 {{'qopt.conv' op expects the weight to have the input's rank (4), got rank 3}}
  %0 = qopt.conv %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_kernel_shape_size(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'qopt.conv' op expects kernel_shape to have 2 entries (one per spatial dimension), got 3}}
  %0 = qopt.conv %x, %w {kernel_shape = array<i64: 3, 3, 3>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_strides_size(%x: tensor<?x3x?x?xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'qopt.conv' op expects strides to have 2 entries (one per spatial dimension), got 1}}
  %0 = qopt.conv %x, %w {strides = array<i64: 2>} : (tensor<?x3x?x?xf32>, tensor<4x3x3x3xf32>) -> tensor<?x4x?x?xf32>
  return
}

// -----

func.func @conv_dilations_size(%x: tensor<*xf32>, %w: tensor<4x3x3x3xf32>) {
  // The input is unranked: the weight's rank gives the spatial rank.
  // expected-error @+1 {{'qopt.conv' op expects dilations to have 2 entries (one per spatial dimension), got 4}}
  %0 = qopt.conv %x, %w {dilations = array<i64: 1, 1, 1, 1>} : (tensor<*xf32>, tensor<4x3x3x3xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @conv_pads_size(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'qopt.conv' op expects pads to have 4 entries (begin and end per spatial dimension), got 2}}
  %0 = qopt.conv %x, %w {pads = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @conv_strides_positive(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'qopt.conv' op expects kernel_shape, strides and dilations to be positive}}
  %0 = qopt.conv %x, %w {strides = array<i64: 1, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_pads_negative(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'qopt.conv' op expects pads to be non-negative}}
  %0 = qopt.conv %x, %w {pads = array<i64: 0, -1, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x5xf32>
  return
}

// -----

func.func @conv_input_channels(%x: tensor<1x8x8x8xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+1 {{'qopt.conv' op expects the input channels (8) to equal the weight's dimension 1 (3) times group (2)}}
  %0 = qopt.conv %x, %w {group = 2 : i64} : (tensor<1x8x8x8xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x6x6xf32>
  return
}

// -----

func.func @conv_output_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<6x1x3x3xf32>) {
  // expected-error @+1 {{'qopt.conv' op expects the output channels (6) to be a multiple of group (4)}}
  %0 = qopt.conv %x, %w {group = 4 : i64} : (tensor<1x4x8x8xf32>, tensor<6x1x3x3xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @conv_kernel_shape_weight(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x5xf32>) {
  // expected-error @+1 {{'qopt.conv' op expects kernel_shape to match the weight's spatial dimensions, got 3 for weight dimension 3 of size 5}}
  %0 = qopt.conv %x, %w {kernel_shape = array<i64: 3, 3>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x5xf32>) -> tensor<1x4x6x4xf32>
  return
}

// -----

func.func @conv_bias_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<1x4xf32>) {
  // expected-error @+1 {{'qopt.conv' op expects B to be 1-D, got rank 2}}
  %0 = qopt.conv %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<1x4xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_bias_size(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<8xf32>) {
  // expected-error @+1 {{'qopt.conv' op expects B to have 16 elements (the output channels), got 8}}
  %0 = qopt.conv %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>, tensor<8xf32>) -> tensor<1x16x6x6xf32>
  return
}

// -----

func.func @conv_transpose_channels(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x2x2xf32>) {
  // ConvTranspose's weight is [C, M/group, k...]: C is its dimension 0.
  // expected-error @+1 {{'qopt.conv_transpose' op expects the input channels (3) to equal the weight's dimension 0 (4)}}
  %0 = qopt.conv_transpose %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x2x2xf32>) -> tensor<1x3x9x9xf32>
  return
}

// -----

func.func @conv_transpose_kernel_shape(%x: tensor<1x3x8x8xf32>, %w: tensor<3x4x2x2xf32>) {
  // expected-error @+1 {{'qopt.conv_transpose' op expects kernel_shape to match the weight's spatial dimensions, got 3 for weight dimension 2 of size 2}}
  %0 = qopt.conv_transpose %x, %w {kernel_shape = array<i64: 3, 3>} : (tensor<1x3x8x8xf32>, tensor<3x4x2x2xf32>) -> tensor<1x4x10x10xf32>
  return
}

// -----

func.func @einsum_characters(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+1 {{'qopt.einsum' op expects the equation to hold only letters, ',', '...' and '->', got 'ij;jk->ik'}}
  %0 = qopt.einsum %a, %b {equation = "ij;jk->ik"} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @einsum_term_count(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+1 {{'qopt.einsum' op expects the equation to have 2 input terms (one per input), got 3}}
  %0 = qopt.einsum %a, %b {equation = "ij,jk,kl->il"} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @einsum_term_rank(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+1 {{'qopt.einsum' op expects term 'jkl' to have one letter per dimension of input 1 (rank 2)}}
  %0 = qopt.einsum %a, %b {equation = "ij, jkl->ik"} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @einsum_ellipsis_rank(%a: tensor<2x3xf32>) {
  // An ellipsis stands for zero or more dimensions, but three letters are
  // still too many for a rank-2 input.
  // expected-error @+1 {{'qopt.einsum' op expects term '...ijk' to have one letter per dimension of input 0 (rank 2)}}
  %0 = qopt.einsum %a {equation = "...ijk->..."} : (tensor<2x3xf32>) -> tensor<f32>
  return
}

// -----

func.func @einsum_no_equation(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'qopt.einsum' op requires attribute 'equation'}}
  %0 = qopt.einsum %a : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

// -----

func.func @layer_norm_axis(%x: tensor<?x128x768xf32>, %g: tensor<768xf32>) {
  // expected-error @+1 {{'qopt.layer_normalization' op expects axis in [-3, 2], got -4}}
  %0 = qopt.layer_normalization %x, %g {axis = -4 : i64}
      : (tensor<?x128x768xf32>, tensor<768xf32>) -> tensor<?x128x768xf32>
  return
}

// -----

func.func @layer_norm_too_many_stats(%x: tensor<?x128x768xf32>, %g: tensor<768xf32>) {
  // expected-error @+1 {{'qopt.layer_normalization' op expects at most 2 stats results (Mean, InvStdDev), got 3}}
  %0:4 = qopt.layer_normalization %x, %g
      : (tensor<?x128x768xf32>, tensor<768xf32>) -> (tensor<?x128x768xf32>, tensor<?x128x1xf32>, tensor<?x128x1xf32>, tensor<?x128x1xf32>)
  return
}

// -----

func.func @layer_norm_mean_rank(%x: tensor<?x128x768xf32>, %g: tensor<768xf32>) {
  // expected-error @+1 {{'qopt.layer_normalization' op expects Mean to have rank 3, got 2}}
  %0:2 = qopt.layer_normalization %x, %g 
      : (tensor<?x128x768xf32>, tensor<768xf32>) -> (tensor<?x128x768xf32>, tensor<?x128xf32>)
  return
}

// -----

func.func @layer_norm_inv_std_dev_dim(%x: tensor<?x128x768xf32>, %g: tensor<128x768xf32>) {
  // With axis = 1 both dimensions 1 and 2 are normalized and must be 1.
  // expected-error @+1 {{'qopt.layer_normalization' op expects InvStdDev dimension 2 to be 1 (a normalized dimension), got 768}}
  %0:3 = qopt.layer_normalization %x, %g {axis = 1 : i64}
      : (tensor<?x128x768xf32>, tensor<128x768xf32>) -> (tensor<?x128x768xf32>, tensor<?x1x1xf32>, tensor<?x1x768xf32>)
  return
}

// -----

func.func @batch_norm_rank(%x: tensor<16xf32>, %c: tensor<16xf32>) {
  // expected-error @+1 {{'qopt.batch_normalization' op expects X to have rank >= 2 ([N, C, ...]), got rank 1}}
  %0 = qopt.batch_normalization %x, %c, %c, %c, %c
      : (tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<16xf32>
  return
}

// -----

func.func @batch_norm_scale_rank(%x: tensor<?x16x8x8xf32>, %s: tensor<16x1xf32>, %c: tensor<16xf32>) {
  // expected-error @+1 {{'qopt.batch_normalization' op expects scale to be 1-D, got rank 2}}
  %0 = qopt.batch_normalization %x, %s, %c, %c, %c
      : (tensor<?x16x8x8xf32>, tensor<16x1xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<?x16x8x8xf32>
  return
}

// -----

func.func @batch_norm_var_size(%x: tensor<?x16x8x8xf32>, %c: tensor<16xf32>, %v: tensor<8xf32>) {
  // expected-error @+1 {{'qopt.batch_normalization' op expects input_var to have 16 elements (the input's channels), got 8}}
  %0 = qopt.batch_normalization %x, %c, %c, %c, %v
      : (tensor<?x16x8x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<8xf32>) -> tensor<?x16x8x8xf32>
  return
}

// -----

func.func @instance_norm_scale_size(%x: tensor<1x16x8x8xf32>, %s: tensor<4xf32>, %b: tensor<16xf32>) {
  // expected-error @+1 {{'qopt.instance_normalization' op expects scale to have 16 elements (the input's channels), got 4}}
  %0 = qopt.instance_normalization %x, %s, %b
      : (tensor<1x16x8x8xf32>, tensor<4xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

func.func @instance_norm_bias_rank(%x: tensor<1x16x8x8xf32>, %s: tensor<16xf32>, %b: tensor<f32>) {
  // expected-error @+1 {{'qopt.instance_normalization' op expects B to be 1-D, got rank 0}}
  %0 = qopt.instance_normalization %x, %s, %b
      : (tensor<1x16x8x8xf32>, tensor<16xf32>, tensor<f32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

func.func @lp_norm_type(%x: tensor<4x8xf32>) {
  // SameOperandsAndResultType makes the result type inferred from the input.
  // expected-error @+2 {{'qopt.lp_normalization' op inferred type(s) 'tensor<4x8xf32>' are incompatible with return type(s) of operation 'tensor<4x?xf32>'}}
  // expected-error @+1 {{'qopt.lp_normalization' op failed to infer returned types}}
  %0 = qopt.lp_normalization %x : (tensor<4x8xf32>) -> tensor<4x?xf32>
  return
}

//===----------------------------------------------------------------------===//
// Pooling, resize, block rearrangement
//===----------------------------------------------------------------------===//

// -----

func.func @max_pool_storage_order(%x: tensor<1x2x4x4xf32>) {
  // expected-error @+1 {{'qopt.max_pool' op expects storage_order to be 0 or 1}}
  %0 = qopt.max_pool %x {kernel_shape = array<i64: 2, 2>, storage_order = 2 : i64} : (tensor<1x2x4x4xf32>) -> tensor<1x2x3x3xf32>
  return
}

// -----

func.func @max_pool_kernel_shape_required(%x: tensor<1x2x4x4xf32>) {
  // expected-error @+1 {{'qopt.max_pool' op requires attribute 'kernel_shape'}}
  %0 = qopt.max_pool %x : (tensor<1x2x4x4xf32>) -> tensor<1x2x3x3xf32>
  return
}

// -----

func.func @max_pool_kernel_shape_size(%x: tensor<1x2x4x4xf32>) {
  // expected-error @+1 {{'qopt.max_pool' op expects kernel_shape to have 2 entries (one per spatial dimension), got 1}}
  %0 = qopt.max_pool %x {kernel_shape = array<i64: 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x3x3xf32>
  return
}

// -----

func.func @max_pool_indices_type(%x: tensor<1x2x4x4xf32>) {
  // expected-error @+1 {{'qopt.max_pool' op result #1 must be tensor of 64-bit signless integer values, but got 'tensor<1x2x3x3xi32>'}}
  %0:2 = qopt.max_pool %x {kernel_shape = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xi32>)
  return
}

// -----

func.func @average_pool_rank(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'qopt.average_pool' op expects the input to have rank >= 3 ([N, C, D1, ...]), got rank 2}}
  %0 = qopt.average_pool %x {kernel_shape = array<i64: 2>} : (tensor<2x4xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @average_pool_kernel_positive(%x: tensor<1x2x4x4xf32>) {
  // expected-error @+1 {{'qopt.average_pool' op expects kernel_shape, strides and dilations to be positive}}
  %0 = qopt.average_pool %x {kernel_shape = array<i64: 0, 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x3xf32>
  return
}

// -----

func.func @average_pool_auto_pad(%x: tensor<1x2x4x4xf32>) {
  // expected-error @+1 {{'qopt.average_pool' op expects auto_pad to be one of NOTSET, SAME_UPPER, SAME_LOWER, VALID, got 'same_upper'}}
  %0 = qopt.average_pool %x {auto_pad = "same_upper", kernel_shape = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return
}

// -----

func.func @resize_mode(%x: tensor<1x3x8x8xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'qopt.resize' op expects mode to be 'nearest', 'linear' or 'cubic', got 'bilinear'}}
  %0 = qopt.resize %x scales %s {mode = "bilinear"} : (tensor<1x3x8x8xf32>, tensor<4xf32>) -> tensor<1x3x16x16xf32>
  return
}

// -----

func.func @resize_neither(%x: tensor<1x3x8x8xf32>, %roi: tensor<8xf32>) {
  // expected-error @+1 {{'qopt.resize' op expects exactly one of scales and sizes}}
  %0 = qopt.resize %x roi %roi : (tensor<1x3x8x8xf32>, tensor<8xf32>) -> tensor<1x3x16x16xf32>
  return
}

// -----

func.func @resize_both(%x: tensor<1x3x8x8xf32>, %s: tensor<4xf32>, %n: tensor<4xi64>) {
  // expected-error @+1 {{'qopt.resize' op expects exactly one of scales and sizes}}
  %0 = qopt.resize %x scales %s sizes %n : (tensor<1x3x8x8xf32>, tensor<4xf32>, tensor<4xi64>) -> tensor<1x3x16x16xf32>
  return
}

// -----

func.func @depth_to_space_mode(%x: tensor<1x8x2x3xf32>) {
  // expected-error @+1 {{'qopt.depth_to_space' op expects mode to be 'DCR' or 'CRD', got 'RDC'}}
  %0 = qopt.depth_to_space %x {blocksize = 2 : i64, mode = "RDC"} : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
  return
}

// -----

func.func @space_to_depth_blocksize(%x: tensor<1x2x4x6xf32>) {
  // expected-error @+1 {{'qopt.space_to_depth' op requires attribute 'blocksize'}}
  %0 = qopt.space_to_depth %x : (tensor<1x2x4x6xf32>) -> tensor<1x8x2x3xf32>
  return
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

// -----

func.func @reduce_sum_axes(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{'qopt.reduce_sum' op expects axes in [-2, 1], got 2}}
  %0 = qopt.reduce_sum %x {axes = array<i64: 0, 2>} : (tensor<2x8xf32>) -> tensor<1x1xf32>
  return
}

// -----

func.func @reduce_l2_negative_axes(%x: tensor<?x?x4xf32>) {
  // expected-error @+1 {{'qopt.reduce_l2' op expects axes in [-3, 2], got -4}}
  %0 = qopt.reduce_l2 %x {axes = array<i64: -4>} : (tensor<?x?x4xf32>) -> tensor<?x?x4xf32>
  return
}

// -----

func.func @reduce_mean_repeated_axes(%x: tensor<2x8xf32>) {
  // -1 and 1 name the same axis of a rank-2 tensor.
  // expected-error @+1 {{'qopt.reduce_mean' op expects axes without repeats, got -1 twice}}
  %0 = qopt.reduce_mean %x {axes = array<i64: 1, -1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @arg_max_axis(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{'qopt.arg_max' op expects axis in [-2, 1], got 2}}
  %0 = qopt.arg_max %x {axis = 2 : i64} : (tensor<2x8xf32>) -> tensor<2x8xi64>
  return
}

// -----

func.func @arg_min_negative_axis(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{'qopt.arg_min' op expects axis in [-2, 1], got -3}}
  %0 = qopt.arg_min %x {axis = -3 : i64} : (tensor<2x8xf32>) -> tensor<2x8xi64>
  return
}

// -----

func.func @arg_max_result_type(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{'qopt.arg_max' op result #0 must be tensor of 64-bit signless integer values, but got 'tensor<1x8xi32>'}}
  %0 = qopt.arg_max %x : (tensor<2x8xf32>) -> tensor<1x8xi32>
  return
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

// -----

func.func @constant_type(%x: tensor<2xf32>) {
  // expected-error @+1 {{'qopt.constant' op failed to verify that all of {value, output} have same type}}
  %0 = "qopt.constant"() <{value = dense<1.0> : tensor<2xf32>}> : () -> tensor<3xf32>
  return
}

// -----

func.func @constant_of_shape_value(%s: tensor<2xi64>) {
  // expected-error @+1 {{'qopt.constant_of_shape' op expects value to hold one element, got 2}}
  %0 = qopt.constant_of_shape %s {value = dense<[1.0, 2.0]> : tensor<2xf32>} : (tensor<2xi64>) -> tensor<?x?xf32>
  return
}

// -----

func.func @reshape_shape_rank(%x: tensor<2x3xf32>, %s: tensor<1x2xi64>) {
  // expected-error @+1 {{'qopt.reshape' op expects shape to be a 1-D tensor, got rank 2}}
  %0 = qopt.reshape %x, %s : (tensor<2x3xf32>, tensor<1x2xi64>) -> tensor<3x2xf32>
  return
}

// -----

func.func @reshape_shape_type(%x: tensor<2x3xf32>, %s: tensor<2xi32>) {
  // expected-error @+1 {{'qopt.reshape' op operand #1 must be tensor of 64-bit signless integer values, but got 'tensor<2xi32>'}}
  %0 = qopt.reshape %x, %s : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @transpose_repeated(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'qopt.transpose' op expects perm to be a permutation of 0..2, got [0, 0, 2]}}
  %0 = qopt.transpose %x {perm = array<i64: 0, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<2x2x4xf32>
  return
}

// -----

func.func @transpose_length(%x: tensor<?x3x4xf32>) {
  // expected-error @+1 {{'qopt.transpose' op expects perm to be a permutation of 0..2, got [1, 0]}}
  %0 = qopt.transpose %x {perm = array<i64: 1, 0>} : (tensor<?x3x4xf32>) -> tensor<3x?x4xf32>
  return
}

// -----

func.func @flatten_axis(%x: tensor<2x3x4xf32>) {
  // Flatten accepts axis == rank (everything in the first dimension).
  // expected-error @+1 {{'qopt.flatten' op expects axis in [-3, 3], got 4}}
  %0 = qopt.flatten %x {axis = 4 : i64} : (tensor<2x3x4xf32>) -> tensor<24x1xf32>
  return
}

// -----

func.func @flatten_negative_axis(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'qopt.flatten' op expects axis in [-3, 3], got -4}}
  %0 = qopt.flatten %x {axis = -4 : i64} : (tensor<2x3x4xf32>) -> tensor<1x24xf32>
  return
}

// -----

func.func @squeeze_axes(%x: tensor<2x1x3xf32>) {
  // expected-error @+1 {{'qopt.squeeze' op expects axes in [-3, 2], got 3}}
  %0 = qopt.squeeze %x {axes = array<i64: 3>} : (tensor<2x1x3xf32>) -> tensor<2x1x3xf32>
  return
}

// -----

func.func @squeeze_repeated_axes(%x: tensor<2x1x3xf32>) {
  // expected-error @+1 {{'qopt.squeeze' op expects axes without repeats, got -2 twice}}
  %0 = qopt.squeeze %x {axes = array<i64: 1, -2>} : (tensor<2x1x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @squeeze_non_unit(%x: tensor<2x1x3xf32>) {
  // expected-error @+1 {{'qopt.squeeze' op expects squeezed dimension -1 to have size 1, got 3}}
  %0 = qopt.squeeze %x {axes = array<i64: -1>} : (tensor<2x1x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @unsqueeze_axes(%x: tensor<2x3xf32>) {
  // Unsqueeze's axes index the result, of rank 2 + 1.
  // expected-error @+1 {{'qopt.unsqueeze' op expects axes in [-3, 2], got 3}}
  %0 = qopt.unsqueeze %x {axes = array<i64: 3>} : (tensor<2x3xf32>) -> tensor<2x3x1xf32>
  return
}

// -----

func.func @unsqueeze_repeated_axes(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'qopt.unsqueeze' op expects axes without repeats, got -4 twice}}
  %0 = qopt.unsqueeze %x {axes = array<i64: 0, -4>} : (tensor<2x3xf32>) -> tensor<1x1x2x3xf32>
  return
}

// -----

// Concat's own "expects at least one input" check is preceded by the
// SameOperandsAndResultElementType trait, which rejects zero operands first.
func.func @concat_no_inputs() {
  // expected-error @+1 {{'qopt.concat' op expected 1 or more operands, but found 0}}
  %0 = qopt.concat {axis = 0 : i64} : () -> tensor<0xf32>
  return
}

// -----

func.func @concat_ranks(%a: tensor<2x3xf32>, %b: tensor<*xf32>, %c: tensor<3xf32>) {
  // expected-error @+1 {{'qopt.concat' op expects inputs of one rank, got ranks 2 and 1}}
  %0 = qopt.concat %a, %b, %c {axis = 0 : i64} : (tensor<2x3xf32>, tensor<*xf32>, tensor<3xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @concat_axis(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) {
  // expected-error @+1 {{'qopt.concat' op expects axis in [-2, 1], got -3}}
  %0 = qopt.concat %a, %b {axis = -3 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @concat_dims(%a: tensor<2x3xf32>, %b: tensor<?x3xf32>, %c: tensor<2x4xf32>) {
  // expected-error @+1 {{'qopt.concat' op expects inputs to match in dimension 1 (all but the concatenation axis), got 3 and 4}}
  %0 = qopt.concat %a, %b, %c {axis = -2 : i64} : (tensor<2x3xf32>, tensor<?x3xf32>, tensor<2x4xf32>) -> tensor<?x3xf32>
  return
}

// -----

func.func @concat_element_types(%a: tensor<2x3xf32>, %b: tensor<2x3xf16>) {
  // expected-error @+1 {{'qopt.concat' op requires the same element type for all operands and results}}
  %0 = qopt.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3xf16>) -> tensor<4x3xf32>
  return
}

// -----

func.func @split_axis(%x: tensor<2x6xf32>) {
  // expected-error @+1 {{'qopt.split' op expects axis in [-2, 1], got 2}}
  %0:2 = qopt.split %x {axis = 2 : i64} : (tensor<2x6xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>)
  return
}

// -----

func.func @gather_axis(%x: tensor<30522x768xf32>, %i: tensor<?x128xi64>) {
  // expected-error @+1 {{'qopt.gather' op expects axis in [-2, 1], got -3}}
  %0 = qopt.gather %x, %i {axis = -3 : i64} : (tensor<30522x768xf32>, tensor<?x128xi64>) -> tensor<?x128x768xf32>
  return
}

// -----

func.func @gather_indices_type(%x: tensor<30522x768xf32>, %i: tensor<?x128xf32>) {
  // expected-error @+1 {{'qopt.gather' op operand #1 must be tensor of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<?x128xf32>'}}
  %0 = qopt.gather %x, %i : (tensor<30522x768xf32>, tensor<?x128xf32>) -> tensor<?x128x768xf32>
  return
}

// -----

func.func @gather_elements_rank(%x: tensor<4x5xf32>, %i: tensor<4xi64>) {
  // expected-error @+1 {{'qopt.gather_elements' op expects indices to have the rank of data (2), got rank 1}}
  %0 = qopt.gather_elements %x, %i : (tensor<4x5xf32>, tensor<4xi64>) -> tensor<4xf32>
  return
}

// -----

func.func @gather_elements_axis(%x: tensor<4x5xf32>, %i: tensor<4x2xi32>) {
  // expected-error @+1 {{'qopt.gather_elements' op expects axis in [-2, 1], got 2}}
  %0 = qopt.gather_elements %x, %i {axis = 2 : i64} : (tensor<4x5xf32>, tensor<4x2xi32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @pad_mode(%x: tensor<2x3xf32>, %p: tensor<4xi64>) {
  // expected-error @+1 {{'qopt.pad' op expects mode to be 'constant', 'reflect', 'edge' or 'wrap', got 'symmetric'}}
  %0 = qopt.pad %x, %p {mode = "symmetric"} : (tensor<2x3xf32>, tensor<4xi64>) -> tensor<?x?xf32>
  return
}

// -----

func.func @range_element_types(%s: tensor<i64>, %l: tensor<i32>) {
  // expected-error @+1 {{'qopt.range' op requires the same element type for all operands and results}}
  %0 = qopt.range %s, %l, %s : (tensor<i64>, tensor<i32>, tensor<i64>) -> tensor<?xi64>
  return
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

// -----

func.func @quantize_scale_rank(%x: tensor<4x8xf32>, %s: tensor<4x1xf32>) {
  // expected-error @+1 {{'qopt.quantize_linear' op expects y_scale to be a scalar (per tensor) or 1-D (per axis), got rank 2}}
  %0 = qopt.quantize_linear %x, %s : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xui8>
  return
}

// -----

func.func @quantize_per_axis_size(%x: tensor<4x8xf32>, %s: tensor<8xf32>, %zp: tensor<8xi8>) {
  // expected-error @+1 {{'qopt.quantize_linear' op expects y_scale to have 4 elements (dimension 0 of x), got 8}}
  %0 = qopt.quantize_linear %x, %s, %zp {axis = 0 : i64} : (tensor<4x8xf32>, tensor<8xf32>, tensor<8xi8>) -> tensor<4x8xi8>
  return
}

// -----

func.func @quantize_per_axis_axis(%x: tensor<4x8xf32>, %s: tensor<?xf32>) {
  // A 1-D scale of unknown size quantizes per axis: the axis is checked.
  // expected-error @+1 {{'qopt.quantize_linear' op expects axis in [-2, 1], got 2}}
  %0 = qopt.quantize_linear %x, %s {axis = 2 : i64} : (tensor<4x8xf32>, tensor<?xf32>) -> tensor<4x8xui8>
  return
}

// -----

func.func @quantize_zero_point_shape(%x: tensor<4x8xf32>, %s: tensor<4xf32>, %zp: tensor<i8>) {
  // expected-error @+1 {{'qopt.quantize_linear' op expects y_zero_point to have the shape of y_scale}}
  %0 = qopt.quantize_linear %x, %s, %zp {axis = 0 : i64} : (tensor<4x8xf32>, tensor<4xf32>, tensor<i8>) -> tensor<4x8xi8>
  return
}

// -----

func.func @quantize_result_type(%x: tensor<4x8xf32>, %s: tensor<f32>, %zp: tensor<i8>) {
  // expected-error @+1 {{'qopt.quantize_linear' op expects the result element type 'ui8' to match the zero point's ('i8'; uint8 when y_zero_point is absent)}}
  %0 = qopt.quantize_linear %x, %s, %zp : (tensor<4x8xf32>, tensor<f32>, tensor<i8>) -> tensor<4x8xui8>
  return
}

// -----

func.func @quantize_result_type_default(%x: tensor<4x8xf32>, %s: tensor<1xf32>) {
  // expected-error @+1 {{'qopt.quantize_linear' op expects the result element type 'i8' to match the zero point's ('ui8'; uint8 when y_zero_point is absent)}}
  %0 = qopt.quantize_linear %x, %s : (tensor<4x8xf32>, tensor<1xf32>) -> tensor<4x8xi8>
  return
}

// -----

func.func @quantize_result_int32(%x: tensor<4x8xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{'qopt.quantize_linear' op result #0 must be tensor of 8-bit signless integer or 8-bit unsigned integer or quantized type values, but got 'tensor<4x8xi32>'}}
  %0 = qopt.quantize_linear %x, %s : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xi32>
  return
}

// -----

// A !quant.uniform result type must state the op's own scale and zero point.
func.func @quantize_uniform_scale(%x: tensor<4x8xf32>) {
  %s = qopt.constant dense<0.5> : tensor<f32>
  %zp = qopt.constant dense<10> : tensor<ui8>
  // expected-error @+1 {{'qopt.quantize_linear' op expects the !quant.uniform type's scale 2.500000e-01 to equal the scale operand's 5.000000e-01}}
  %0 = qopt.quantize_linear %x, %s, %zp : (tensor<4x8xf32>, tensor<f32>, tensor<ui8>) -> tensor<4x8x!quant.uniform<u8:f32, 0.25:10>>
  return
}

// -----

func.func @quantize_uniform_zero_point(%x: tensor<4x8xf32>) {
  %s = qopt.constant dense<0.5> : tensor<f32>
  %zp = qopt.constant dense<10> : tensor<ui8>
  // expected-error @+1 {{'qopt.quantize_linear' op expects the !quant.uniform type's zero point(s) to equal the zero point operand's}}
  %0 = qopt.quantize_linear %x, %s, %zp : (tensor<4x8xf32>, tensor<f32>, tensor<ui8>) -> tensor<4x8x!quant.uniform<u8:f32, 0.5:11>>
  return
}

// -----

func.func @quantize_uniform_storage(%x: tensor<4x8xf32>) {
  %s = qopt.constant dense<0.5> : tensor<f32>
  %zp = qopt.constant dense<10> : tensor<ui8>
  // expected-error @+1 {{'qopt.quantize_linear' op expects the result element type 'i8' to match the zero point's ('ui8'; uint8 when y_zero_point is absent)}}
  %0 = qopt.quantize_linear %x, %s, %zp : (tensor<4x8xf32>, tensor<f32>, tensor<ui8>) -> tensor<4x8x!quant.uniform<i8:f32, 0.5:10>>
  return
}

// -----

func.func @dequantize_per_axis_dimension(%w: tensor<4x8x!quant.uniform<i8:f32:1, {0.5, 0.5, 0.5, 0.5}>>) {
  %s = qopt.constant dense<0.5> : tensor<4xf32>
  // expected-error @+1 {{'qopt.dequantize_linear' op expects the !quant.uniform type's quantized dimension (1) to be axis 0}}
  %0 = qopt.dequantize_linear %w, %s {axis = 0 : i64} : (tensor<4x8x!quant.uniform<i8:f32:1, {0.5, 0.5, 0.5, 0.5}>>, tensor<4xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @dequantize_scale_rank(%x: tensor<4x8xi8>, %s: tensor<1x1xf32>) {
  // expected-error @+1 {{'qopt.dequantize_linear' op expects x_scale to be a scalar (per tensor) or 1-D (per axis), got rank 2}}
  %0 = qopt.dequantize_linear %x, %s : (tensor<4x8xi8>, tensor<1x1xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @dequantize_per_axis_negative(%x: tensor<4x8xi8>, %s: tensor<4xf32>) {
  // axis = -1 is dimension 1 of x (8 elements).
  // expected-error @+1 {{'qopt.dequantize_linear' op expects x_scale to have 8 elements (dimension 1 of x), got 4}}
  %0 = qopt.dequantize_linear %x, %s {axis = -1 : i64} : (tensor<4x8xi8>, tensor<4xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @dequantize_per_axis_negative_range(%x: tensor<4x8xi8>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'qopt.dequantize_linear' op expects axis in [-2, 1], got -3}}
  %0 = qopt.dequantize_linear %x, %s {axis = -3 : i64} : (tensor<4x8xi8>, tensor<4xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @dequantize_zero_point_shape(%x: tensor<4x8xi8>, %s: tensor<f32>, %zp: tensor<2xi8>) {
  // expected-error @+1 {{'qopt.dequantize_linear' op expects x_zero_point to have the shape of x_scale}}
  %0 = qopt.dequantize_linear %x, %s, %zp : (tensor<4x8xi8>, tensor<f32>, tensor<2xi8>) -> tensor<4x8xf32>
  return
}

// -----

func.func @dequantize_zero_point_type(%x: tensor<4x8xui8>, %s: tensor<f32>, %zp: tensor<i8>) {
  // expected-error @+1 {{'qopt.dequantize_linear' op expects x and x_zero_point to have one element type}}
  %0 = qopt.dequantize_linear %x, %s, %zp : (tensor<4x8xui8>, tensor<f32>, tensor<i8>) -> tensor<4x8xf32>
  return
}

// -----

func.func @dynamic_quantize_input_type(%x: tensor<4xf16>) {
  // expected-error @+1 {{'qopt.dynamic_quantize_linear' op operand #0 must be tensor of 32-bit float values, but got 'tensor<4xf16>'}}
  %0:3 = qopt.dynamic_quantize_linear %x : (tensor<4xf16>) -> (tensor<4xui8>, tensor<f32>, tensor<ui8>)
  return
}

// -----

func.func @matmul_integer_result(%a: tensor<2x4xi8>, %b: tensor<4x3xi8>) {
  // expected-error @+1 {{'qopt.matmul_integer' op result #0 must be tensor of 32-bit signless integer values, but got 'tensor<2x3xi8>'}}
  %0 = qopt.matmul_integer %a, %b : (tensor<2x4xi8>, tensor<4x3xi8>) -> tensor<2x3xi8>
  return
}

// -----

func.func @qlinear_matmul_zero_point(%a: tensor<2x4xui8>, %s: tensor<f32>, %azp: tensor<i8>,
                                     %b: tensor<4x3xi8>) {
  // expected-error @+1 {{'qopt.qlinear_matmul' op failed to verify that all of {a, a_zero_point} have same element type}}
  %0 = qopt.qlinear_matmul %a, %s, %azp, %b, %s, %azp, %s, %azp
      : (tensor<2x4xui8>, tensor<f32>, tensor<i8>, tensor<4x3xi8>, tensor<f32>, tensor<i8>, tensor<f32>, tensor<i8>) -> tensor<2x3xi8>
  return
}

// -----

func.func @conv_integer_group(%x: tensor<1x4x8x8xui8>, %w: tensor<4x4x3x3xi8>) {
  // expected-error @+1 {{'qopt.conv_integer' op expects the input channels (4) to equal the weight's dimension 1 (4) times group (2)}}
  %0 = qopt.conv_integer %x, %w {group = 2 : i64} : (tensor<1x4x8x8xui8>, tensor<4x4x3x3xi8>) -> tensor<1x4x6x6xi32>
  return
}

// -----

func.func @qlinear_conv_weight_rank(%x: tensor<1x3x8x8xui8>, %s: tensor<f32>, %xzp: tensor<ui8>,
                                    %w: tensor<4x3x3xi8>, %wzp: tensor<i8>) {
  // expected-error @+1 {{'qopt.qlinear_conv' op expects the weight to have the input's rank (4), got rank 3}}
  %0 = qopt.qlinear_conv %x, %s, %xzp, %w, %s, %wzp, %s, %xzp
      : (tensor<1x3x8x8xui8>, tensor<f32>, tensor<ui8>, tensor<4x3x3xi8>, tensor<f32>, tensor<i8>, tensor<f32>, tensor<ui8>) -> tensor<1x4x6x6xui8>
  return
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

// -----

func.func @precision_kind(%x: tensor<4xf32>) {
  // expected-error @+2 {{expected ::mlir::qopt::Precision to be one of: f32, f16, bf16, fp8, w8a8, w8a16, w4a16}}
  // expected-error @+1 {{failed to parse QOpt_PrecisionAttr parameter 'value' which is to be a `::mlir::qopt::Precision`}}
  %0 = qopt.relu %x {qopt.precision = #qopt.precision<int4>} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

//===----------------------------------------------------------------------===//
// Calibration
//===----------------------------------------------------------------------===//

// -----

func.func @observe_negative_id(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qopt.observe' op expects a non-negative id, got -1}}
  %0 = qopt.observe %x {id = -1 : i64, name = "x"} : tensor<4xf32>
  return
}

// -----

func.func @observe_min_without_max(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qopt.observe' op expects min and max together}}
  %0 = qopt.observe %x {id = 0 : i64, name = "x", min = -1.0 : f64} : tensor<4xf32>
  return
}

// -----

func.func @observe_min_above_max(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qopt.observe' op expects min <= max, got [2.000000e+00, 1.000000e+00]}}
  %0 = qopt.observe %x {id = 0 : i64, name = "x", min = 2.0 : f64, max = 1.0 : f64} : tensor<4xf32>
  return
}

// -----

func.func @observe_bad_range(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qopt.observe' op expects range = [lo, hi] with lo <= hi}}
  %0 = qopt.observe %x {id = 0 : i64, name = "x", method = "minmax", range = array<f64: 1.0, -1.0>} : tensor<4xf32>
  return
}

// -----

func.func @observe_range_without_method(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qopt.observe' op expects a method with the range}}
  %0 = qopt.observe %x {id = 0 : i64, name = "x", range = array<f64: -1.0, 1.0>} : tensor<4xf32>
  return
}

// -----

func.func @observe_axis_out_of_range(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'qopt.observe' op channel_axis 2 is out of range for rank 2}}
  %0 = qopt.observe %x {id = 0 : i64, name = "x", channel_axis = 2 : i64} : tensor<4x8xf32>
  return
}

// -----

func.func @observe_channel_count(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'qopt.observe' op expects 8 channel_min values (dim 1), got 2}}
  %0 = qopt.observe %x {id = 0 : i64, name = "x", channel_axis = 1 : i64, channel_min = array<f32: 1.0, 2.0>, channel_max = array<f32: 1.0, 2.0>} : tensor<4x8xf32>
  return
}

// -----

func.func @observe_channel_min_without_max(%x: tensor<4x2xf32>) {
  // expected-error @+1 {{'qopt.observe' op expects channel_min and channel_max of the same size}}
  %0 = qopt.observe %x {id = 0 : i64, name = "x", channel_axis = 1 : i64, channel_min = array<f32: -1.0, -2.0>} : tensor<4x2xf32>
  return
}

// -----

func.func @observe_smooth_alpha(%x: tensor<4x2xf32>) {
  // expected-error @+1 {{'qopt.observe' op expects smooth_alpha in [0, 1]}}
  %0 = qopt.observe %x {id = 0 : i64, name = "x", smooth_alpha = 1.5 : f64} : tensor<4x2xf32>
  return
}

// -----

func.func @observe_channels_without_axis(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'qopt.observe' op channel_min / channel_max need a channel_axis}}
  %0 = qopt.observe %x {id = 0 : i64, name = "x", channel_min = array<f32: -1.0>, channel_max = array<f32: 1.0>} : tensor<4x8xf32>
  return
}

// -----

func.func @observe_int(%x: tensor<4xi8>) {
  // expected-error @+1 {{'qopt.observe' op operand #0 must be tensor of floating-point values}}
  %0 = qopt.observe %x {id = 0 : i64, name = "x"} : tensor<4xi8>
  return
}

// -----

func.func @x86_dot_wrong_width(%a: vector<8xi32>) {
  // expected-error @+1 {{'qopt.x86.dot_u8s8' op operand #0 must be vector of 32-bit signless integer values of length 16}}
  %0 = qopt.x86.dot_u8s8 %a, %a, %a : vector<8xi32>
  return
}

// -----

func.func @observe_scale_source_without_range(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qopt.observe' op expects a range with scale_source}}
  %0 = qopt.observe %x {id = 1 : i64, name = "x", scale_source = 0 : i64} : tensor<4xf32>
  return
}

// -----

func.func @groupwise_bits(%c: tensor<2x2xui8>, %s: tensor<2x2xf32>) {
  // expected-error @+1 {{'qopt.dequantize_groupwise' op expects bits = 2, 4 or 8, got 3}}
  %0 = qopt.dequantize_groupwise %c, %s {bits = 3 : i64, group_size = 2 : i64} : (tensor<2x2xui8>, tensor<2x2xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @groupwise_packing(%c: tensor<2x2xui8>, %s: tensor<2x2xf32>) {
  // expected-error @+1 {{'qopt.dequantize_groupwise' op expects codes of shape [K / 2, N] for a result of shape [8, 2] (2 codes per byte along axis 0)}}
  %0 = qopt.dequantize_groupwise %c, %s {bits = 4 : i64, group_size = 2 : i64} : (tensor<2x2xui8>, tensor<2x2xf32>) -> tensor<8x2xf32>
  return
}

// -----

func.func @groupwise_group(%c: tensor<2x2xui8>, %s: tensor<2x2xf32>) {
  // expected-error @+1 {{'qopt.dequantize_groupwise' op expects group_size to divide 4, got 3}}
  %0 = qopt.dequantize_groupwise %c, %s {bits = 4 : i64, group_size = 3 : i64} : (tensor<2x2xui8>, tensor<2x2xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @groupwise_scales(%c: tensor<2x2xui8>, %s: tensor<1x2xf32>) {
  // expected-error @+1 {{'qopt.dequantize_groupwise' op expects scales and zero_points of shape [2, 2]}}
  %0 = qopt.dequantize_groupwise %c, %s {bits = 4 : i64, group_size = 2 : i64} : (tensor<2x2xui8>, tensor<1x2xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @codebook_shape(%c: tensor<2x2xui8>, %b: tensor<2x8xf32>) {
  // expected-error @+1 {{'qopt.lookup_codebook' op expects a codebook of shape [2, 16]}}
  %0 = qopt.lookup_codebook %c, %b {bits = 4 : i64} : (tensor<2x2xui8>, tensor<2x8xf32>) -> tensor<4x2xf32>
  return
}
