#include "common/http_client.hpp"

#include <optional>
#include <span>

#include "tinyrt/io.hpp"

namespace demo::http {

tinyrt::task<response> get(std::string url_text) {
    url u = parse_url(url_text);
    tinyrt::io::tcp_stream s = co_await tinyrt::io::tcp_stream::connect(u.host, u.port);
    co_await s.write_all(format_request("GET", u.host + ":" + std::to_string(u.port), u.target));

    std::string buffer;
    char chunk[16 * 1024];
    std::optional<std::size_t> head_end;
    while (!(head_end = find_head_end(buffer))) {
        if (buffer.size() > max_head_bytes)
            throw http_error("malformed response: head larger than 16 KiB");
        std::size_t n = co_await s.read_some(chunk);
        if (n == 0) {
            throw http_error(buffer.empty()
                                 ? "server closed the connection without answering"
                                 : "truncated response: connection closed inside the head");
        }
        buffer.append(chunk, n);
    }
    response_head head = parse_response_head(std::string_view(buffer).substr(0, *head_end));
    std::string body = buffer.substr(*head_end);
    if (body.size() > head.content_length)
        throw http_error("malformed response: more bytes than Content-Length");
    // The head said how much follows; read into place without a copy.
    std::size_t have = body.size();
    body.resize(head.content_length);
    while (have < body.size()) {
        std::size_t n = co_await s.read_some(std::span<char>(body).subspan(have));
        if (n == 0) {
            throw http_error("truncated response: got " + std::to_string(have) + " of " +
                             std::to_string(head.content_length) + " body bytes");
        }
        have += n;
    }
    s.close();
    co_return response{head.status, std::move(head.reason), std::move(head.headers),
                       std::move(body)};
}

}  // namespace demo::http
