//===- QOptOpsTarget.td - ops the CPU code generator emits ----*- tablegen -*-===//
//
// Vector-level ops that exist only between qopt-cpu-tile-and-vectorize and
// the lowering to LLVM: machine instructions that need value semantics (no
// memory effects) through bufferization, which an llvm.call_intrinsic does
// not have. Never produced by the importer or the graph passes.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QOPT_IR_QOPTOPSTARGET_TD
#define QOPT_DIALECT_QOPT_IR_QOPTOPSTARGET_TD

include "qopt/Dialect/QOpt/IR/QOptBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def QOpt_X86DotU8S8Op : QOpt_Op<"x86.dot_u8s8", [Pure,
    AllTypesMatch<["acc", "a", "b", "result"]>]> {
  let summary = "AVX-512 VNNI vpdpbusd: 16 lanes of 4 u8 x s8 products into i32";
  let description = [{
    For each of the 16 i32 lanes j: `result[j] = acc[j] + sum over t < 4 of
    zext(byte 4j+t of a) * sext(byte 4j+t of b)`, with a and b the 64 bytes
    of their lanes (unsigned and signed). Lowers to
    `llvm.x86.avx512.vpdpbusd.512` (`qopt-cpu-lower-target-ops`); emitted by
    qopt-cpu-tile-and-vectorize only for targets with avx512vnni.

    Example:
    ```mlir
    %r = qopt.x86.dot_u8s8 %acc, %a, %b : vector<16xi32>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[16], [I32]>:$acc,
                       VectorOfLengthAndType<[16], [I32]>:$a,
                       VectorOfLengthAndType<[16], [I32]>:$b);
  let results = (outs VectorOfLengthAndType<[16], [I32]>:$result);
  let assemblyFormat = "$acc `,` $a `,` $b attr-dict `:` type($result)";
}

#endif // QOPT_DIALECT_QOPT_IR_QOPTOPSTARGET_TD
