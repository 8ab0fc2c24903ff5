// HTTP/1.1 messages for the demos' loopback server and client: the request
// line, the status line, headers and Content-Length bodies. Just enough of
// RFC 9112 for one request per connection; anything else is rejected with an
// http_error that says what was wrong, never guessed at.
//
// Parsing is split from I/O so the blocking client, the coroutine client and
// the server share it: callers read until find_head_end() sees the blank line,
// parse the head, then read exactly content_length body bytes.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace demo::http {

// A malformed or truncated message, or an unusable URL. what() is the
// message the demos print.
class http_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A head bigger than this is refused: a server that never sends the blank
// line must not make the client buffer forever.
inline constexpr std::size_t max_head_bytes = 16 * 1024;
// Bodies above this are refused before anything is allocated for them.
inline constexpr std::size_t max_body_bytes = 64 * 1024 * 1024;

using header_list = std::vector<std::pair<std::string, std::string>>;

struct request_head {
    std::string method;  // "GET"
    std::string target;  // "/docs.python.org/3/"
    header_list headers;
};

struct response_head {
    int status = 0;      // 200, 404, ...
    std::string reason;  // "OK"
    header_list headers;
    std::size_t content_length = 0;
};

struct response {
    int status = 0;
    std::string reason;
    header_list headers;
    std::string body;
};

// Where in `buffer` the head ends (one past the blank line), if it is complete.
std::optional<std::size_t> find_head_end(std::string_view buffer) noexcept;

// Parse a complete head (everything up to and including the blank line).
// Throw http_error on anything malformed.
request_head parse_request_head(std::string_view head);
// The response must carry a valid Content-Length: the client needs it to
// tell a complete body from a truncated one.
response_head parse_response_head(std::string_view head);

// Assembles a response from the bytes a client reads, whatever the transport
// (the blocking client and the coroutine client share it):
//   while (!reader.feed(bytes_just_read)) { read more; on end of stream: reader.closed_early(); }
//   response r = reader.take();
class response_reader {
public:
    // Adds the bytes just read; true once the head and the whole
    // Content-Length body are there. Throws http_error on a malformed head or
    // on bytes past Content-Length.
    bool feed(std::string_view bytes);
    // The server closed the connection before the response was complete:
    // throws http_error saying where it was cut.
    [[noreturn]] void closed_early() const;
    // The complete response (after feed() returned true).
    response take();

private:
    std::string buffer_;                 // the head while it is incomplete, then the body
    std::optional<response_head> head_;  // once the blank line has arrived
};

// Case-insensitive header lookup (field names are case-insensitive).
const std::string* find_header(const header_list& headers, std::string_view name) noexcept;

// Serialisation. The request asks the server to close after answering, which
// is the only mode the demo server speaks.
std::string format_request(std::string_view method, std::string_view host, std::string_view target);
std::string format_response_head(int status, std::string_view reason, std::size_t content_length,
                                 std::string_view content_type);

// http://HOST:PORT/PATH with HOST an IPv4 literal or "localhost" (the demos
// only ever talk to 127.0.0.1).
struct url {
    std::string host;  // dotted IPv4, "localhost" already mapped to 127.0.0.1
    unsigned short port = 80;
    std::string target;  // "/..." (at least "/")
};
url parse_url(std::string_view text);

// The last path segment of a URL ("0002.jpg"), or "index.html" for "/".
std::string file_name_of(std::string_view url_text);

}  // namespace demo::http
