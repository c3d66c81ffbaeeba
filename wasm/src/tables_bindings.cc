// SPDX-License-Identifier: Apache-2.0
//
// The core's one-definition tables for JavaScript: error kinds (slatedb/error_kinds.h), the
// settings table and default settings (slatedb/settings.h), settings checked by name, and
// the prefix-successor rule (slatedb/key_range.h). Each settles inside the call, so the JS
// side can use them synchronously (SlateRt.callSync).
#include <emscripten/emscripten.h>

#include <string>
#include <string_view>

#include "js_host.h"
#include "slatedb/error_kinds.h"
#include "slatedb/key_range.h"
#include "slatedb/settings.h"

extern "C" {

EMSCRIPTEN_KEEPALIVE void slatedb_error_tables(int call) {
  slatedb::wasm::SettleOk(call, slatedb::ErrorTablesJson());
}

EMSCRIPTEN_KEEPALIVE void slatedb_settings_table(int call) {
  slatedb::wasm::SettleOk(call, slatedb::SettingsTableJson());
}

// Resolves with the default settings merged with `json` (a settings object as JSON; empty:
// none), as upstream's JSON document, after the checks an open makes; rejects with
// InvalidError otherwise.
EMSCRIPTEN_KEEPALIVE void slatedb_settings_resolve(const char* json, size_t len, int call) {
  slatedb::Settings settings;
  slatedb::Status st =
      len == 0 ? slatedb::Status::Ok()
               : slatedb::MergeSettingsJson(&settings, std::string_view(json, len), "settings");
  if (st.ok()) st = settings.Validate();
  if (!st.ok()) return slatedb::wasm::SettleError(call, st);
  slatedb::wasm::SettleOk(call, slatedb::SettingsToJson(settings));
}

// Resolves with the successor of the prefix (num = 1), or nothing (num = 0: none exists, the
// range runs to the end).
EMSCRIPTEN_KEEPALIVE void slatedb_prefix_successor(const char* prefix, size_t len, int call) {
  std::optional<std::string> end = slatedb::PrefixSuccessor(std::string_view(prefix, len));
  slatedb::wasm::SettleOk(call, end.value_or(std::string()), end ? 1 : 0);
}

}  // extern "C"
