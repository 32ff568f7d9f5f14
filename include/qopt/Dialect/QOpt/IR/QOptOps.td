//===- QOptOps.td - all qopt ops ------------------------------*- tablegen -*-===//
//
// Umbrella file that tablegen runs on: the ops of every category.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QOPT_IR_QOPTOPS_TD
#define QOPT_DIALECT_QOPT_IR_QOPTOPS_TD

include "qopt/Dialect/QOpt/IR/QOptBase.td"
include "qopt/Dialect/QOpt/IR/QOptInterfaces.td"
include "qopt/Dialect/QOpt/IR/QOptOpsElementwise.td"
include "qopt/Dialect/QOpt/IR/QOptOpsLinalg.td"
include "qopt/Dialect/QOpt/IR/QOptOpsNN.td"
include "qopt/Dialect/QOpt/IR/QOptOpsReduction.td"
include "qopt/Dialect/QOpt/IR/QOptOpsShape.td"
include "qopt/Dialect/QOpt/IR/QOptOpsQuant.td"
include "qopt/Dialect/QOpt/IR/QOptOpsTarget.td"

#endif // QOPT_DIALECT_QOPT_IR_QOPTOPS_TD
