//===- ModelABI.cpp - signature text and the C entry points ------*- C++ -*-===//
//
// See ModelABI.h for the ABI. The signature is built from the qopt-level
// types; the entry points are added to the translated LLVM module.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CPU/ModelABI.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::qopt;

static std::optional<StringRef> dtypeName(Type type) {
  if (type.isF32())
    return StringRef("f32");
  if (type.isF16())
    return StringRef("f16");
  if (type.isBF16())
    return StringRef("bf16");
  if (type.isF64())
    return StringRef("f64");
  auto intType = dyn_cast<IntegerType>(type);
  if (!intType)
    return std::nullopt;
  switch (intType.getWidth()) {
  case 1:
    return StringRef("bool");
  case 8:
    return StringRef(intType.isUnsigned() ? "u8" : "i8");
  case 16:
    return StringRef(intType.isUnsigned() ? "u16" : "i16");
  case 32:
    return StringRef(intType.isUnsigned() ? "u32" : "i32");
  case 64:
    return StringRef(intType.isUnsigned() ? "u64" : "i64");
  default:
    return std::nullopt;
  }
}

/// One `kind<TAB>name<TAB>dtype<TAB>dims<TAB>params` line.
static LogicalResult printEntry(llvm::raw_ostream &os, Location loc,
                                StringRef kind, unsigned index, Type type,
                                DictionaryAttr attrs) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  std::optional<StringRef> dtype =
      tensor ? dtypeName(tensor.getElementType()) : std::nullopt;
  if (!tensor || !dtype)
    return emitError(loc) << "model " << kind << " " << index << " has type "
                          << type
                          << ", which the runtime ABI does not support (needs "
                             "a ranked tensor of float / integer / bool)";
  std::string name = (kind + Twine(index)).str();
  if (attrs)
    if (auto n = attrs.getAs<StringAttr>("qopt.name"))
      name = n.getValue().str();
  for (char c : name)
    if (c == '\t' || c == '\n')
      return emitError(loc) << "tensor name '" << name
                            << "' contains a tab or newline";
  os << kind << '\t' << name << '\t' << *dtype << '\t';
  llvm::interleave(
      tensor.getShape(), os,
      [&](int64_t d) { os << (ShapedType::isDynamic(d) ? -1 : d); }, ",");
  os << '\t';
  ArrayAttr params = attrs ? attrs.getAs<ArrayAttr>("qopt.dim_params")
                           : ArrayAttr();
  for (int64_t i = 0; i < tensor.getRank(); ++i) {
    if (i)
      os << ',';
    if (params && i < static_cast<int64_t>(params.size()))
      if (auto p = dyn_cast<StringAttr>(params[i]))
        os << p.getValue();
  }
  os << '\n';
  return success();
}

FailureOr<std::string> mlir::qopt::buildModelSignature(func::FuncOp main) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "qopt-model-signature " << kModelSignatureVersion << "\n";
  FunctionType type = main.getFunctionType();
  for (unsigned i = 0; i < type.getNumInputs(); ++i)
    if (failed(printEntry(os, main.getLoc(), "input", i, type.getInput(i),
                          main.getArgAttrDict(i))))
      return failure();
  for (unsigned i = 0; i < type.getNumResults(); ++i)
    if (failed(printEntry(os, main.getLoc(), "output", i, type.getResult(i),
                          main.getResultAttrDict(i))))
      return failure();
  return text;
}

LogicalResult mlir::qopt::addModelABI(llvm::Module &module,
                                      llvm::StringRef signature,
                                      unsigned numInputs, std::string &error) {
  llvm::Function *entry = module.getFunction("_mlir_ciface_main");
  if (!entry) {
    error = "the lowered module has no _mlir_ciface_main";
    return failure();
  }
  if (entry->arg_size() != numInputs + 1) {
    error = "_mlir_ciface_main takes " + std::to_string(entry->arg_size()) +
            " arguments, expected " + std::to_string(numInputs + 1);
    return failure();
  }
  llvm::LLVMContext &ctx = module.getContext();
  llvm::IRBuilder<> b(ctx);
  llvm::Type *i32 = b.getInt32Ty();
  llvm::PointerType *ptr = b.getPtrTy();

  auto define = [&](StringRef name, llvm::FunctionType *type) {
    auto *fn = llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage,
                                      name, module);
    fn->setVisibility(llvm::GlobalValue::DefaultVisibility);
    b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", fn));
    return fn;
  };

  define("qopt_model_abi_version", llvm::FunctionType::get(i32, false));
  b.CreateRet(b.getInt32(kModelABIVersion));

  llvm::Constant *text = llvm::ConstantDataArray::getString(ctx, signature);
  auto *global = new llvm::GlobalVariable(
      module, text->getType(), /*isConstant=*/true,
      llvm::GlobalValue::PrivateLinkage, text, "qopt.signature");
  define("qopt_model_signature", llvm::FunctionType::get(ptr, false));
  b.CreateRet(global);

  llvm::Function *run =
      define("qopt_model_run", llvm::FunctionType::get(b.getVoidTy(), {ptr},
                                                       false));
  llvm::Value *args = run->getArg(0);
  SmallVector<llvm::Value *> callArgs;
  for (unsigned i = 0; i <= numInputs; ++i) {
    llvm::Value *slot = b.CreateConstInBoundsGEP1_64(ptr, args, i);
    callArgs.push_back(b.CreateLoad(ptr, slot));
  }
  b.CreateCall(entry, callArgs);
  b.CreateRetVoid();
  return success();
}
