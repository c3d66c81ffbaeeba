// SPDX-License-Identifier: Apache-2.0
//
// The settings table (slatedb/settings.h) for the Python layer: `_Settings` holds one
// slatedb::Settings and sets, merges and prints it by upstream's names; `_settings_table()`
// lists every entry. slatedb/_settings.py reads files and the environment into JSON and
// hands it here, so Python refuses a bad setting with the core's message, as JavaScript
// and C++ do. Also: the core's dotenv parser, error-kind table and prefix successor.
#include <pybind11/stl.h>

#include "bindings.h"
#include "runtime.h"
#include "slatedb/error_kinds.h"
#include "slatedb/key_range.h"
#include "slatedb/platform/dotenv.h"

namespace slatedb::python {

namespace {

void Check(const Status& s) {
  if (!s.ok()) ThrowStatus(s);
}

}  // namespace

void RegisterSettings(py::module_& m) {
  py::class_<PySettings>(m, "_Settings")
      .def(py::init<>())
      .def(
          "set",
          [](PySettings& self, const std::string& key, const std::string& value_json) {
            Check(SetSetting(&self.settings, key, value_json));
          },
          py::arg("key"), py::arg("value_json"))
      .def(
          "get",
          [](const PySettings& self, const std::string& key) {
            Result<std::string> r = GetSettingJson(self.settings, key);
            Check(r.status());
            return *r;
          },
          py::arg("key"))
      .def(
          "merge_json",
          [](PySettings& self, const std::string& json, const std::string& origin,
             bool require_complete) {
            Check(MergeSettingsJson(&self.settings, json, origin, require_complete));
          },
          py::arg("json"), py::arg("origin") = "", py::arg("require_complete") = false)
      .def(
          "merge_env",
          [](PySettings& self, const std::string& prefix, const py::dict& environ) {
            std::vector<std::pair<std::string, std::string>> vars;
            for (const auto& [name, value] : environ) {
              vars.emplace_back(py::str(name).cast<std::string>(),
                                py::str(value).cast<std::string>());
            }
            Check(MergeSettingsEnv(&self.settings, prefix, vars));
          },
          py::arg("prefix"), py::arg("environ"))
      .def("validate", [](const PySettings& self) { Check(self.settings.Validate()); })
      .def("to_json", [](const PySettings& self) { return SettingsToJson(self.settings); })
      .def("copy", [](const PySettings& self) { return PySettings{self.settings}; })
      .def("__repr__", [](const PySettings& self) {
        return "<slatedb settings " + SettingsToJson(self.settings) + ">";
      });

  // The table's name for `key` (camelCase and aliases allowed), or None if it is no setting.
  m.def("_setting_name", [](const std::string& key) -> py::object {
    Result<std::string> name = CanonicalSettingName(key);
    if (!name.ok()) return py::none();
    return py::str(*name);
  });
  // The table as JSON text (slatedb/settings.h SettingsTableJson).
  m.def("_settings_table_json", []() { return SettingsTableJson(); });
  // The smallest key after every key starting with `prefix`, b"" if none (key_range.h).
  m.def("_prefix_successor", [](const py::bytes& prefix) {
    return py::bytes(PrefixSuccessor(std::string_view(prefix)).value_or(std::string()));
  });
  // The core's error-kind table as JSON text (slatedb/error_kinds.h).
  m.def("_error_tables_json", []() { return ErrorTablesJson(); });

  // Variables of dotenv text up to its first malformed line (as upstream's loader, which
  // stops there without an error).
  m.def("_parse_dotenv",
        [](const std::string& text) { return ParseDotEnvPartial(text).variables; });
}

}  // namespace slatedb::python
