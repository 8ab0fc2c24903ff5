#include "common/http_message.hpp"

#include <arpa/inet.h>

#include <cctype>
#include <charconv>

namespace demo::http {
namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    }
    return true;
}

// RFC 9110 token characters: what a method or a field name may contain.
bool is_token(std::string_view s) noexcept {
    if (s.empty()) return false;
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) != 0) continue;
        if (std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) return false;
    }
    return true;
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string printable(std::string_view s) {
    std::string out;
    for (char c : s.substr(0, 60)) {
        auto u = static_cast<unsigned char>(c);
        out += (u >= 0x20 && u < 0x7f) ? c : '?';
    }
    if (s.size() > 60) out += "...";
    return out;
}

// Splits a head into its first line and header fields. Every line must end
// in CRLF and the head in an empty line.
std::pair<std::string_view, header_list> split_head(std::string_view head, const char* what) {
    if (head.size() < 4 || head.substr(head.size() - 4) != "\r\n\r\n")
        throw http_error(std::string("malformed ") + what +
                         ": head does not end with a blank line");
    head.remove_suffix(2);  // keep the last field's CRLF, drop the blank line
    std::size_t eol = head.find("\r\n");
    std::string_view first = head.substr(0, eol);
    head.remove_prefix(eol + 2);
    header_list headers;
    while (!head.empty()) {
        eol = head.find("\r\n");
        std::string_view line = head.substr(0, eol);
        head.remove_prefix(eol + 2);
        std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || !is_token(line.substr(0, colon)))
            throw http_error(std::string("malformed ") + what + " header line: '" +
                             printable(line) + "'");
        headers.emplace_back(std::string(line.substr(0, colon)),
                             std::string(trim(line.substr(colon + 1))));
    }
    return {first, std::move(headers)};
}

std::size_t parse_content_length(const header_list& headers) {
    const std::string* text = nullptr;
    for (const auto& [name, value] : headers) {
        if (!iequals(name, "Content-Length")) continue;
        // Two different lengths make the body boundary ambiguous (request
        // smuggling); RFC 9112 section 6.3 says reject.
        if (text != nullptr && *text != value)
            throw http_error("malformed response: conflicting Content-Length headers");
        text = &value;
    }
    if (text == nullptr) throw http_error("malformed response: no Content-Length header");
    std::size_t n = 0;
    const char* end = text->data() + text->size();
    auto [ptr, ec] = std::from_chars(text->data(), end, n);
    if (text->empty() || ec != std::errc{} || ptr != end)
        throw http_error("malformed response: bad Content-Length '" + printable(*text) + "'");
    if (n > max_body_bytes) throw http_error("response too large: Content-Length " + *text);
    return n;
}

}  // namespace

std::optional<std::size_t> find_head_end(std::string_view buffer) noexcept {
    std::size_t at = buffer.find("\r\n\r\n");
    if (at == std::string_view::npos) return std::nullopt;
    return at + 4;
}

bool response_reader::feed(std::string_view bytes) {
    buffer_.append(bytes);
    if (!head_) {
        std::optional<std::size_t> end = find_head_end(buffer_);
        if (!end) {
            if (buffer_.size() > max_head_bytes)
                throw http_error("malformed response: head larger than 16 KiB");
            return false;
        }
        head_ = parse_response_head(std::string_view(buffer_).substr(0, *end));
        buffer_.erase(0, *end);  // what arrived past the blank line is the body's start
        buffer_.reserve(head_->content_length);
    }
    if (buffer_.size() > head_->content_length)
        throw http_error("malformed response: more bytes than Content-Length");
    return buffer_.size() == head_->content_length;
}

void response_reader::closed_early() const {
    if (!head_) {
        throw http_error(buffer_.empty() ? "server closed the connection without answering"
                                         : "truncated response: connection closed inside the head");
    }
    throw http_error("truncated response: got " + std::to_string(buffer_.size()) + " of " +
                     std::to_string(head_->content_length) + " body bytes");
}

response response_reader::take() {
    return {head_->status, std::move(head_->reason), std::move(head_->headers),
            std::move(buffer_)};
}

request_head parse_request_head(std::string_view head) {
    auto [line, headers] = split_head(head, "request");
    // METHOD SP TARGET SP HTTP/1.x
    std::size_t sp1 = line.find(' ');
    std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos)
        throw http_error("malformed request line: '" + printable(line) + "'");
    std::string_view method = line.substr(0, sp1);
    std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::string_view version = line.substr(sp2 + 1);
    if (!is_token(method) || target.empty() || target.front() != '/' ||
        target.find(' ') != std::string_view::npos ||
        (version != "HTTP/1.1" && version != "HTTP/1.0"))
        throw http_error("malformed request line: '" + printable(line) + "'");
    return {std::string(method), std::string(target), std::move(headers)};
}

response_head parse_response_head(std::string_view head) {
    auto [line, headers] = split_head(head, "response");
    // HTTP/1.x SP 3DIGIT SP reason
    if (line.size() < 12 ||
        (line.substr(0, 9) != "HTTP/1.1 " && line.substr(0, 9) != "HTTP/1.0 ") ||
        std::isdigit(static_cast<unsigned char>(line[9])) == 0 ||
        std::isdigit(static_cast<unsigned char>(line[10])) == 0 ||
        std::isdigit(static_cast<unsigned char>(line[11])) == 0 ||
        (line.size() > 12 && line[12] != ' '))
        throw http_error("malformed status line: '" + printable(line) + "'");
    response_head r;
    r.status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    if (r.status < 100) throw http_error("malformed status line: '" + printable(line) + "'");
    r.reason = line.size() > 13 ? std::string(line.substr(13)) : std::string();
    r.content_length = parse_content_length(headers);
    r.headers = std::move(headers);
    return r;
}

const std::string* find_header(const header_list& headers, std::string_view name) noexcept {
    for (const auto& [n, v] : headers) {
        if (iequals(n, name)) return &v;
    }
    return nullptr;
}

std::string format_request(std::string_view method, std::string_view host,
                           std::string_view target) {
    std::string r;
    r.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
    r.append("Host: ").append(host).append("\r\n");
    r.append("User-Agent: tinyrt-demo\r\nAccept: */*\r\nConnection: close\r\n\r\n");
    return r;
}

std::string format_response_head(int status, std::string_view reason, std::size_t content_length,
                                 std::string_view content_type) {
    std::string r = "HTTP/1.1 " + std::to_string(status) + " ";
    r.append(reason).append("\r\n");
    r.append("Server: tinyrt-demo\r\nContent-Type: ").append(content_type).append("\r\n");
    r.append("Content-Length: ").append(std::to_string(content_length)).append("\r\n");
    r.append("Connection: close\r\n\r\n");
    return r;
}

url parse_url(std::string_view text) {
    constexpr std::string_view scheme = "http://";
    if (text.substr(0, scheme.size()) != scheme)
        throw http_error("unsupported URL '" + printable(text) + "' (only http:// is served here)");
    std::string_view rest = text.substr(scheme.size());
    std::size_t slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    url u;
    u.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    std::size_t colon = authority.rfind(':');
    std::string_view host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
        std::string_view port = authority.substr(colon + 1);
        unsigned p = 0;
        auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
        if (port.empty() || ec != std::errc{} || ptr != port.data() + port.size() || p == 0 ||
            p > 65535)
            throw http_error("bad port in URL '" + printable(text) + "'");
        u.port = static_cast<unsigned short>(p);
    }
    u.host = host == "localhost" ? "127.0.0.1" : std::string(host);
    in_addr probe{};
    if (::inet_pton(AF_INET, u.host.c_str(), &probe) != 1)
        throw http_error("bad host in URL '" + printable(text) + "' (an IPv4 address is expected)");
    return u;
}

std::string file_name_of(std::string_view url_text) {
    std::size_t q = url_text.find_first_of("?#");
    url_text = url_text.substr(0, q);
    while (!url_text.empty() && url_text.back() == '/') url_text.remove_suffix(1);
    std::size_t slash = url_text.rfind('/');
    std::string_view last = slash == std::string_view::npos ? url_text : url_text.substr(slash + 1);
    if (last.empty() || last.find(':') != std::string_view::npos) return "index.html";
    return std::string(last);
}

}  // namespace demo::http
