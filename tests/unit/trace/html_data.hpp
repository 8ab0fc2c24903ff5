// The run embedded in a write_html page: the text of its
// <script type="application/json" id="tinyrt-data"> element.
#pragma once

#include <stdexcept>
#include <string>

namespace trace_test {

inline std::string embedded_data(const std::string& html) {
    const std::string open = "<script type=\"application/json\" id=\"tinyrt-data\">";
    const auto from = html.find(open);
    if (from == std::string::npos) throw std::runtime_error("html: no tinyrt-data element");
    const auto begin = from + open.size();
    const auto end = html.find("</script>", begin);
    if (end == std::string::npos) throw std::runtime_error("html: tinyrt-data is not closed");
    return html.substr(begin, end - begin);
}

}  // namespace trace_test
