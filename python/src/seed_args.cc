// SPDX-License-Identifier: Apache-2.0
#include "seed_args.h"

#include <cctype>
#include <climits>
#include <vector>

#include "errors.h"
#include "write_ops.h"

namespace slatedb::python::seed {

namespace {

std::string TypeName(const py::handle& value) {
  return py::str(py::type::handle_of(value).attr("__qualname__"));
}

[[noreturn]] void ThrowArgTypeError(const char* name, const std::string& reason) {
  throw py::type_error(std::string("argument '") + name + "': " + reason);
}

// Re-raises the pending Python error; a TypeError gets the argument's name in front, as
// upstream's binding words it (other kinds, OverflowError above all, pass unchanged).
[[noreturn]] void RethrowNamed(const char* name) {
  py::error_already_set error;
  if (error.matches(PyExc_TypeError) &&
      Py_TYPE(error.value().ptr()) == reinterpret_cast<PyTypeObject*>(PyExc_TypeError)) {
    ThrowArgTypeError(name, py::str(error.value()));
  }
  throw error;
}

// The value of an int-like object as a C long (OverflowError past its range).
long AsLong(const py::handle& value, const char* name) {
  py::object index = py::reinterpret_steal<py::object>(PyNumber_Index(value.ptr()));
  if (!index) RethrowNamed(name);
  long out = PyLong_AsLong(index.ptr());
  if (out == -1 && PyErr_Occurred()) RethrowNamed(name);
  return out;
}

[[noreturn]] void ThrowOutOfRange() {
  PyErr_SetString(PyExc_OverflowError, "out of range integral type conversion attempted");
  throw py::error_already_set();
}

}  // namespace

void ThrowCannotConvert(const py::handle& value, const char* name, const char* target) {
  ThrowArgTypeError(name,
                    "'" + TypeName(value) + "' object cannot be converted to '" + target + "'");
}

std::string Bytes(const py::handle& value, const char* name) {
  PyObject* obj = value.ptr();
  if (PyBytes_Check(obj)) {
    return std::string(PyBytes_AS_STRING(obj), static_cast<size_t>(PyBytes_GET_SIZE(obj)));
  }
  if (PyByteArray_Check(obj)) {
    return std::string(PyByteArray_AS_STRING(obj), static_cast<size_t>(PyByteArray_GET_SIZE(obj)));
  }
  if (PyUnicode_Check(obj)) ThrowArgTypeError(name, "Can't extract `str` to `Vec`");
  if (!PySequence_Check(obj)) ThrowCannotConvert(value, name, "Sequence");
  // Any other sequence: item by item, each an int 0..255 (an array of wider ints, a
  // memoryview, a list, a range).
  std::string out;
  py::iterator it = py::reinterpret_steal<py::iterator>(PyObject_GetIter(obj));
  if (!it) RethrowNamed(name);
  for (PyObject* item; (item = PyIter_Next(it.ptr())) != nullptr;) {
    py::object owned = py::reinterpret_steal<py::object>(item);
    long byte = AsLong(owned, name);
    if (byte < 0 || byte > 255) ThrowOutOfRange();
    out.push_back(static_cast<char>(byte));
  }
  if (PyErr_Occurred()) RethrowNamed(name);
  return out;
}

std::optional<std::string> OptionalBytes(const py::handle& value, const char* name) {
  if (value.is_none()) return std::nullopt;
  return Bytes(value, name);
}

uint64_t U64(const py::handle& value, const char* name) {
  py::object index = py::reinterpret_steal<py::object>(PyNumber_Index(value.ptr()));
  if (!index) RethrowNamed(name);
  unsigned long long out = PyLong_AsUnsignedLongLong(index.ptr());
  if (out == static_cast<unsigned long long>(-1) && PyErr_Occurred()) RethrowNamed(name);
  return out;
}

std::optional<uint64_t> OptionalU64(const py::handle& value, const char* name) {
  if (value.is_none()) return std::nullopt;
  return U64(value, name);
}

uint32_t U32(const py::handle& value, const char* name) {
  long v = AsLong(value, name);
  if (v < 0 || v > static_cast<long>(UINT32_MAX)) ThrowOutOfRange();
  return static_cast<uint32_t>(v);
}

int64_t I64(const py::handle& value, const char* name) {
  static_assert(sizeof(long) == sizeof(int64_t), "a C long holds an i64 on this platform");
  return AsLong(value, name);
}

bool Bool(const py::handle& value, const char* name) {
  if (!PyBool_Check(value.ptr())) ThrowCannotConvert(value, name, "PyBool");
  return value.ptr() == Py_True;
}

std::optional<bool> OptionalBool(const py::handle& value, const char* name) {
  if (value.is_none()) return std::nullopt;
  return Bool(value, name);
}

std::string Str(const py::handle& value, const char* name) {
  if (!PyUnicode_Check(value.ptr())) ThrowCannotConvert(value, name, "PyString");
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(value.ptr(), &size);
  if (data == nullptr) RethrowNamed(name);
  return std::string(data, static_cast<size_t>(size));
}

std::optional<std::string> OptionalStr(const py::handle& value, const char* name) {
  if (value.is_none()) return std::nullopt;
  return Str(value, name);
}

void CheckNotEmpty(const std::string& key, const char* what) {
  if (key.empty()) ThrowInvalid(std::string(what) + " cannot be empty");
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

ReadArgs ConvertReadArgs(const py::handle& durability_filter, const py::handle& dirty,
                         const py::handle& cache_blocks) {
  ReadArgs out;
  out.durability_filter = OptionalStr(durability_filter, "durability_filter");
  out.dirty = OptionalBool(dirty, "dirty");
  OptionalBool(cache_blocks, "cache_blocks");
  return out;
}

ReadArgs ConvertScanArgs(const py::handle& durability_filter, const py::handle& dirty,
                         const py::handle& read_ahead_bytes, const py::handle& cache_blocks,
                         const py::handle& max_fetch_tasks) {
  ReadArgs out;
  out.durability_filter = OptionalStr(durability_filter, "durability_filter");
  out.dirty = OptionalBool(dirty, "dirty");
  OptionalU64(read_ahead_bytes, "read_ahead_bytes");
  OptionalBool(cache_blocks, "cache_blocks");
  OptionalU64(max_fetch_tasks, "max_fetch_tasks");
  return out;
}

ReadOptions ReadOptionsOf(const ReadArgs& args) {
  ReadOptions options;
  if (args.durability_filter) {
    std::string text = Lower(*args.durability_filter);
    if (text == "memory") {
      options.durability_filter = DurabilityLevel::kMemory;
    } else if (text == "remote") {
      options.durability_filter = DurabilityLevel::kRemote;
    } else {
      ThrowInvalid("invalid durability_filter: " + text + " (expected 'remote' or 'memory')");
    }
  }
  if (args.dirty) options.dirty = *args.dirty;
  return options;
}

WriteOptions WriteOptionsOf(const std::optional<bool>& await_durable) {
  WriteOptions options;
  if (await_durable) options.await_durable = *await_durable;
  return options;
}

namespace {

TtlSpec SpecOf(const Ttl& ttl) {
  TtlSpec spec;
  if (!ttl) return spec;
  spec.kind = TtlSpec::Kind::kAfterMs;
  spec.ms = *ttl > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(*ttl);
  return spec;
}

}  // namespace

void AddWrite(WriteBatch& batch, WriteBatch::OpType type, std::string_view key,
              std::string_view value, const Ttl& ttl) {
  python::AddWrite(batch, type, key, value, SpecOf(ttl));
}

PutOptions PutOptionsOf(WriteBatch::OpType type, const Ttl& ttl, bool* as_delete) {
  ResolvedWrite w = ResolveTtl(type, SpecOf(ttl));
  *as_delete = w.as_delete;
  return w.options;
}

namespace {

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The characters of UTF-8 `text` (a bad character is reported as one, by position).
std::vector<std::string> Characters(std::string_view text) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size();) {
    size_t n = 1;
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0xF0) {
      n = 4;
    } else if (c >= 0xE0) {
      n = 3;
    } else if (c >= 0xC0) {
      n = 2;
    }
    out.emplace_back(text.substr(i, n));
    i += n;
  }
  return out;
}

// Why `text` is not a UUID, in upstream's words, or nullopt; `hex` gets its 32 digits.
std::optional<std::string> UuidProblem(std::string_view text, std::string* hex) {
  std::string_view body = text;
  size_t offset = 0;  // characters before `body`
  if (body.substr(0, 9) == "urn:uuid:") {
    body.remove_prefix(9);
    offset = 9;
  } else if (body.size() == 38 && body.front() == '{' && body.back() == '}') {
    body = body.substr(1, 36);
    offset = 1;
  }
  std::vector<std::string> chars = Characters(body);
  for (size_t i = 0; i < chars.size(); ++i) {
    if (chars[i].size() != 1 || (!IsHex(chars[i][0]) && chars[i][0] != '-')) {
      return "invalid character: expected an optional prefix of `urn:uuid:` followed by "
             "[0-9a-fA-F-], found `" +
             chars[i] + "` at " + std::to_string(offset + i + 1);
    }
  }
  if (body.find('-') == std::string_view::npos) {
    if (body.size() != 32) {
      return "invalid length: expected length 32 for simple format, found " +
             std::to_string(body.size());
    }
    *hex = std::string(body);
    return std::nullopt;
  }
  std::vector<std::string_view> groups;
  for (size_t start = 0;;) {
    size_t dash = body.find('-', start);
    groups.push_back(body.substr(start, dash - start));
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  if (groups.size() != 5) {
    return "invalid group count: expected 5, found " + std::to_string(groups.size());
  }
  const size_t kGroupLengths[5] = {8, 4, 4, 4, 12};
  for (size_t i = 0; i < 5; ++i) {
    if (groups[i].size() != kGroupLengths[i]) {
      return "invalid group length in group " + std::to_string(i) + ": expected " +
             std::to_string(kGroupLengths[i]) + ", found " + std::to_string(groups[i].size());
    }
    hex->append(groups[i]);
  }
  return std::nullopt;
}

}  // namespace

std::string Uuid(const std::string& text, const std::string& what) {
  std::string hex;
  std::optional<std::string> problem = UuidProblem(text, &hex);
  if (problem) ThrowInvalid(what + ": " + *problem);
  hex = Lower(hex);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

std::optional<std::string> OptionalUuid(const std::optional<std::string>& text,
                                        const std::string& what) {
  if (!text) return std::nullopt;
  return Uuid(*text, what);
}

std::string Ulid(const std::string& text, const std::string& what) {
  if (text.size() != 26) ThrowInvalid(what + ": invalid length");
  static const std::string kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::string out = text;
  for (char& c : out) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (kCrockford.find(c) == std::string::npos) ThrowInvalid(what + ": invalid character");
  }
  return out;
}

}  // namespace slatedb::python::seed
