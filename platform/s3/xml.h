// SPDX-License-Identifier: Apache-2.0
//
// Just enough XML for S3 responses: find elements by name and read their text. S3's
// documents are flat, machine-written and never nest an element inside one of the same
// name, so a scanner suffices; no DTDs, namespaces are ignored, CDATA is not used by S3.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slatedb::s3 {

// The inner text of every <name ...>...</name> (or <name/>, as empty) in `xml`, in order.
// Occurrences are not nested in each other; an unterminated element ends the scan.
std::vector<std::string_view> XmlElements(std::string_view xml, std::string_view name);

// The decoded text of the first <name> element, or nullopt if there is none.
std::optional<std::string> XmlText(std::string_view xml, std::string_view name);

// Replaces the five predefined entities and numeric character references (as UTF-8).
std::string XmlUnescape(std::string_view text);

}  // namespace slatedb::s3
