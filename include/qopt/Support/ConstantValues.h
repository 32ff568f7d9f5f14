//===- ConstantValues.h - values of dense / resource constants ----*- C++ -*-===//
//
// Passes read weights and scales that the importer stores either as dense
// elements or as dense_resource blobs (large initializers): the
// quantization passes and the CPU code generator's weight packing.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_SUPPORT_CONSTANTVALUES_H
#define QOPT_SUPPORT_CONSTANTVALUES_H

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cstring>
#include <type_traits>
#include <optional>
#include <vector>

namespace mlir::qopt {

/// The elements of a constant with element type T (float for f32,
/// int8_t for i8/ui8 storage), dense, splat or resource; nothing when the
/// element type does not match.
template <typename T>
std::optional<std::vector<T>> getConstantValues(Attribute value) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements)
    return std::nullopt;
  Type elem = elements.getElementType();
  bool ok = std::is_floating_point_v<T> ? elem.isF32()
                                        : elem.isInteger(8 * sizeof(T));
  if (!ok)
    return std::nullopt;
  int64_t count = elements.getNumElements();
  std::vector<T> values(count);
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob ||
        blob->getData().size() != static_cast<size_t>(count) * sizeof(T))
      return std::nullopt;
    std::memcpy(values.data(), blob->getData().data(), count * sizeof(T));
    return values;
  }
  int64_t i = 0;
  if constexpr (std::is_floating_point_v<T>) {
    auto dense = dyn_cast<DenseFPElementsAttr>(value);
    if (!dense)
      return std::nullopt;
    for (APFloat v : dense.getValues<APFloat>())
      values[i++] = v.convertToFloat();
  } else {
    auto dense = dyn_cast<DenseIntElementsAttr>(value);
    if (!dense)
      return std::nullopt;
    for (APInt v : dense.getValues<APInt>())
      values[i++] = static_cast<T>(v.getSExtValue());
  }
  return values;
}

} // namespace mlir::qopt

#endif // QOPT_SUPPORT_CONSTANTVALUES_H
