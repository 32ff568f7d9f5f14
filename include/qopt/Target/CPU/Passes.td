//===- Passes.td - CPU target passes -----------------------*- tablegen -*-===//

#ifndef QOPT_TARGET_CPU_PASSES_TD
#define QOPT_TARGET_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def MarkEntryPointsPass : Pass<"qopt-mark-entry-points", "ModuleOp"> {
  let summary = "Give public functions a C interface for the model ABI";
  let description = [{
    Sets `llvm.emit_c_interface` on every public function with a body, so
    `convert-func-to-llvm` emits `_mlir_ciface_<name>` (memref descriptors
    passed by pointer), which the model's `qopt_model_run` entry calls.
    The `qopt.name` / `qopt.dim_params` argument and result attributes are
    dropped (qopt-record-model-signature has recorded them).

    Before: `func.func @main(%x: memref<?x4xf32>) -> memref<?x4xf32>`
    After:  `func.func @main(...) attributes {llvm.emit_c_interface}`
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def RecordModelSignaturePass : Pass<"qopt-record-model-signature", "ModuleOp"> {
  let summary = "Record the model's input/output signature for the runtime";
  let description = [{
    Reads `func.func @main` while its types still carry ONNX meaning
    (signed / unsigned integers, symbolic dim names in `qopt.dim_params`,
    tensor names in `qopt.name`) and stores the text the runtime parses as
    the module attribute `qopt.model_signature`:

    ```
    qopt-model-signature 1
    input<TAB>x<TAB>f32<TAB>-1,-1,32<TAB>batch,seq,
    output<TAB>y<TAB>f32<TAB>-1,-1,32<TAB>batch,seq,
    ```
    Dynamic dims are -1. Lowering keeps module attributes, and the CPU code
    generator embeds the text in the shared library
    (`qopt_model_signature()`). docs/runtime.md describes the format.
  }];
}

#endif // QOPT_TARGET_CPU_PASSES_TD
