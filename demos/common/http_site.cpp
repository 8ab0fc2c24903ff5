#include "common/http_site.hpp"

#include <cstdint>

namespace demo::http {
namespace {

// xorshift64: cheap, deterministic filler so every image differs and a
// byte-level corruption in transit cannot go unnoticed.
std::uint64_t next(std::uint64_t& s) noexcept {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
}

std::uint64_t seed_of(std::string_view path) noexcept {
    std::uint64_t h = 1469598103934665603ULL;  // FNV-1a over the path
    for (char c : path) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    return h | 1;
}

std::string make_page(std::string_view path, std::size_t paragraphs) {
    std::string host(path.substr(1, path.find('/', 1) - 1));
    std::string html =
        "<!DOCTYPE html>\n<html lang=\"pt-BR\">\n<head><meta charset=\"utf-8\"><title>" + host +
        "</title></head>\n<body>\n<h1>" + host + "</h1>\n";
    std::uint64_t s = seed_of(path);
    for (std::size_t i = 0; i < paragraphs; ++i) {
        html += "<p id=\"p" + std::to_string(i) + "\">Conteúdo gerado para " + host +
                ", parágrafo " + std::to_string(i) + ", marca " +
                std::to_string(next(s) % 1000000) +
                ". Uma página de teste servida em 127.0.0.1 no lugar do site original.</p>\n";
    }
    html += "</body>\n</html>\n";
    return html;
}

std::string make_image(std::string_view path, std::size_t bytes) {
    std::string img;
    img.reserve(bytes);
    img += "\xFF\xD8\xFF\xE0";  // JPEG SOI + APP0 marker, so `file` calls it an image
    std::uint64_t s = seed_of(path);
    while (img.size() + 2 < bytes) img += static_cast<char>(next(s) & 0xFF);
    img += "\xFF\xD9";  // EOI
    return img;
}

}  // namespace

routed_target route(std::string_view target) noexcept {
    struct prefix {
        std::string_view text;
        fault kind;
    };
    for (prefix p : {prefix{"/slow/", fault::slow}, prefix{"/truncated/", fault::truncated},
                     prefix{"/malformed/", fault::malformed}}) {
        // Keep the prefix's last '/': the rest is the file's own path.
        if (target.substr(0, p.text.size()) == p.text)
            return {p.kind, target.substr(p.text.size() - 1)};
    }
    return {fault::none, target};
}

const std::vector<std::string>& page_paths() {
    static const std::vector<std::string> paths = {"/docs.python.org/3/", "/ufrn.br/",
                                                   "/www.uol.com.br/", "/learnyouahaskell.com/",
                                                   "/sigaa.ufrn.br/"};
    return paths;
}

const std::vector<std::string>& image_paths() {
    static const std::vector<std::string> paths = [] {
        std::vector<std::string> p;
        for (const char* n : {"0002", "0003", "0004", "0006", "0007"})
            p.push_back(std::string("/people.csail.mit.edu/brussell/research/LabelMe/Images/"
                                    "boston_static_street/") +
                        n + ".jpg");
        return p;
    }();
    return paths;
}

site::site() {
    std::size_t i = 0;
    for (const auto& p : page_paths())
        files_.push_back({p, "text/html; charset=utf-8", make_page(p, 20 + 15 * i++)});
    i = 0;
    for (const auto& p : image_paths())
        files_.push_back({p, "image/jpeg", make_image(p, 150'000 + 37'000 * i++)});
}

const site_file* site::find(std::string_view path) const noexcept {
    for (const auto& f : files_) {
        if (f.path == path) return &f;
    }
    return nullptr;
}

}  // namespace demo::http
