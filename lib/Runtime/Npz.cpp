//===- Npz.cpp - numpy .npz reader -------------------------------*- C++ -*-===//
//
// An .npz file is a zip archive of .npy members (`np.savez`). numpy streams
// its members with ZIP64 extensions and data descriptors, so the sizes and
// offsets are read from the central directory, not the local headers. Only
// stored (uncompressed) members are supported; `np.savez_compressed` needs
// deflate and is refused with a clear message. writeNpz writes stored
// members with plain (32-bit) zip headers, which np.load reads.
//
//===----------------------------------------------------------------------===//

#include "qopt/Runtime/TensorIO.h"

#include <cstdint>
#include <fstream>

#include <cstdint>
#include <cstring>

using namespace qopt;

namespace {

uint64_t readLE(const std::string &b, size_t at, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i)
    v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

} // namespace

bool qopt::readNpz(const std::string &path, std::vector<NamedTensor> &tensors,
                   std::string &error) {
  std::string b;
  if (!readFileBytes(path, b, error))
    return false;
  // Releases what was read so far and reports `message`.
  auto failWith = [&](const std::string &message) {
    error = message;
    for (NamedTensor &t : tensors)
      qopt_tensor_release(&t.tensor);
    tensors.clear();
    return false;
  };
  auto fail = [&](const std::string &why) {
    return failWith(path + ": " + why);
  };
  // End of central directory: 22 bytes + comment, searched from the end.
  size_t eocd = std::string::npos;
  for (size_t i = b.size() >= 22 ? b.size() - 22 : 0;; --i) {
    if (b.size() >= 22 && readLE(b, i, 4) == 0x06054b50) {
      eocd = i;
      break;
    }
    if (i == 0 || b.size() - i > 22 + 65535)
      break;
  }
  if (eocd == std::string::npos)
    return fail("not an .npz (zip) file");
  uint64_t count = readLE(b, eocd + 10, 2);
  uint64_t dirOffset = readLE(b, eocd + 16, 4);
  if (count == 0xffff || dirOffset == 0xffffffff) {
    // ZIP64: the locator sits right before the EOCD record.
    if (eocd < 20 || readLE(b, eocd - 20, 4) != 0x07064b50)
      return fail("malformed ZIP64 directory");
    size_t z64 = readLE(b, eocd - 20 + 8, 8);
    if (z64 + 56 > b.size() || readLE(b, z64, 4) != 0x06064b50)
      return fail("malformed ZIP64 directory");
    count = readLE(b, z64 + 32, 8);
    dirOffset = readLE(b, z64 + 48, 8);
  }
  size_t at = dirOffset;
  for (uint64_t e = 0; e < count; ++e) {
    if (at + 46 > b.size() || readLE(b, at, 4) != 0x02014b50)
      return fail("malformed central directory");
    uint64_t method = readLE(b, at + 10, 2);
    uint64_t compSize = readLE(b, at + 20, 4);
    uint64_t size = readLE(b, at + 24, 4);
    uint64_t nameLen = readLE(b, at + 28, 2);
    uint64_t extraLen = readLE(b, at + 30, 2);
    uint64_t commentLen = readLE(b, at + 32, 2);
    uint64_t local = readLE(b, at + 42, 4);
    if (at + 46 + nameLen + extraLen > b.size())
      return fail("malformed central directory");
    std::string name = b.substr(at + 46, nameLen);
    // ZIP64 extra field: the 0xffffffff fields, in order.
    for (size_t x = at + 46 + nameLen; x + 4 <= at + 46 + nameLen + extraLen;) {
      uint64_t id = readLE(b, x, 2), len = readLE(b, x + 2, 2);
      if (id == 0x0001) {
        size_t f = x + 4;
        if (size == 0xffffffff) { size = readLE(b, f, 8); f += 8; }
        if (compSize == 0xffffffff) { compSize = readLE(b, f, 8); f += 8; }
        if (local == 0xffffffff) { local = readLE(b, f, 8); f += 8; }
      }
      x += 4 + len;
    }
    at += 46 + nameLen + extraLen + commentLen;
    if (method != 0)
      return fail("member '" + name +
                  "' is compressed (np.savez_compressed); qopt reads "
                  "uncompressed archives (np.savez)");
    if (local + 30 > b.size() || readLE(b, local, 4) != 0x04034b50)
      return fail("malformed local header for '" + name + "'");
    size_t data = local + 30 + readLE(b, local + 26, 2) +
                  readLE(b, local + 28, 2);
    if (data + size > b.size())
      return fail("member '" + name + "' is truncated");
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".npy") == 0)
      name.resize(name.size() - 4);
    NamedTensor t;
    t.name = name;
    std::string why;
    if (!parseNpy(b.substr(data, size), path + ":" + name, t.tensor, why))
      return failWith(why);
    tensors.push_back(std::move(t));
  }
  return true;
}

namespace {

uint32_t crc32(const std::string &data) {
  static uint32_t table[256];
  static bool ready = false;
  if (!ready) {
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k)
        c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      table[i] = c;
    }
    ready = true;
  }
  uint32_t c = 0xffffffffu;
  for (unsigned char byte : data)
    c = table[(c ^ byte) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

void putLE(std::string &out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i)
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

/// The fields a local header and a central-directory entry share, from
/// "version needed" to "extra length": a stored member, no flags, DOS time
/// 1980-01-01, no extra field.
void putEntryFields(std::string &out, uint32_t crc, uint64_t size,
                    uint64_t nameSize) {
  putLE(out, 20, 2);   // version needed
  putLE(out, 0, 2);    // flags
  putLE(out, 0, 2);    // method: stored
  putLE(out, 0, 2);    // time
  putLE(out, 0x21, 2); // date
  putLE(out, crc, 4);
  putLE(out, size, 4); // compressed
  putLE(out, size, 4); // uncompressed
  putLE(out, nameSize, 2);
  putLE(out, 0, 2);    // extra length
}

} // namespace

bool qopt::writeNpz(const std::string &path,
                    const std::vector<NamedTensor> &tensors,
                    std::string &error) {
  std::string archive, directory;
  for (const NamedTensor &t : tensors) {
    std::string data;
    if (!serializeNpy(t.tensor, data, error)) {
      error = path + ": '" + t.name + "': " + error;
      return false;
    }
    std::string name = t.name + ".npy";
    if (data.size() >= 0xffffffffu || archive.size() >= 0xffffffffu) {
      error = path + ": archives over 4 GiB are not supported";
      return false;
    }
    uint32_t crc = crc32(data);
    uint64_t offset = archive.size();
    // Local file header.
    putLE(archive, 0x04034b50, 4);
    putEntryFields(archive, crc, data.size(), name.size());
    archive += name;
    archive += data;
    // Central directory entry.
    putLE(directory, 0x02014b50, 4);
    putLE(directory, 20, 2); // version made by
    putEntryFields(directory, crc, data.size(), name.size());
    putLE(directory, 0, 2); // comment length
    putLE(directory, 0, 2); // disk
    putLE(directory, 0, 2); // internal attributes
    putLE(directory, 0, 4); // external attributes
    putLE(directory, offset, 4);
    directory += name;
  }
  uint64_t dirOffset = archive.size();
  archive += directory;
  putLE(archive, 0x06054b50, 4);
  putLE(archive, 0, 2);
  putLE(archive, 0, 2);
  putLE(archive, tensors.size(), 2);
  putLE(archive, tensors.size(), 2);
  putLE(archive, directory.size(), 4);
  putLE(archive, dirOffset, 4);
  putLE(archive, 0, 2);
  std::ofstream out(path, std::ios::binary);
  out.write(archive.data(), archive.size());
  if (!out) {
    error = path + ": cannot write";
    return false;
  }
  return true;
}
