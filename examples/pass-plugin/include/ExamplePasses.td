//===- ExamplePasses.td - the example plugin's passes ------*- tablegen -*-===//

#ifndef QOPT_EXAMPLE_PASSES
#define QOPT_EXAMPLE_PASSES

include "mlir/Pass/PassBase.td"

def FoldTransposesPass : Pass<"qopt-example-fold-transposes"> {
  let summary = "Fold qopt.transpose chains and identity transposes";
  let description = [{
    An example of an out-of-tree pass (examples/pass-plugin). Two
    consecutive `qopt.transpose` ops become one whose permutation is the
    composition of both; a transpose whose permutation is the identity is
    replaced by its input. A transpose without `perm` (ONNX: reverse the
    dimensions) gets its permutation spelled out first.

    With `expect-none-left`, every transpose that is still there afterwards
    is an error: a check that a model's layout changes all cancel.
  }];
  let options = [
    Option<"expectNoneLeft", "expect-none-left", "bool", "false",
           "Report an error for each transpose left after folding">,
  ];
}

#endif // QOPT_EXAMPLE_PASSES
