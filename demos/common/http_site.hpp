// The files the demos' loopback server serves, generated in memory: the five
// pages of the notebook's download cell (some KB of HTML each) and the five
// LabelMe "images" of the salvar cell (some hundred KB of JPEG-framed bytes).
// Content is a pure function of the path, so a test can regenerate what was
// served and compare downloads byte for byte.
//
// Paths keep the notebook's URLs after the scheme: "https://ufrn.br/" becomes
// "/ufrn.br/" on 127.0.0.1. A path prefix tells the server to misbehave:
//   /slow/<path>       serve <path> after the slow delay (a timeout target)
//   /truncated/<path>  promise <path>'s full length, send half, then close
//   /malformed/<path>  answer without a Content-Length (a broken server)
//   anything unknown   404 Not Found
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace demo::http {

struct site_file {
    std::string path;          // "/ufrn.br/"
    std::string content_type;  // "text/html; charset=utf-8"
    std::string body;
};

// What a request for a target asks the server to do.
enum class fault { none, slow, truncated, malformed };

struct routed_target {
    fault kind = fault::none;
    std::string_view path;  // the target with the fault prefix removed
};
routed_target route(std::string_view target) noexcept;

class site {
public:
    site();  // generates every file (about 1.5 MB, a few milliseconds)

    // The file served at `path` (no fault prefix), or nullptr: 404.
    const site_file* find(std::string_view path) const noexcept;
    const std::vector<site_file>& files() const noexcept { return files_; }

private:
    std::vector<site_file> files_;
};

// The notebook's lists, as paths on the loopback server.
const std::vector<std::string>& page_paths();   // docs.python.org/3/, ufrn.br/, ...
const std::vector<std::string>& image_paths();  // .../boston_static_street/0002.jpg ...

}  // namespace demo::http
