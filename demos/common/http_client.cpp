#include "common/http_client.hpp"

#include "tinyrt/io.hpp"

namespace demo::http {

tinyrt::task<response> get(std::string url_text) {
    url u = parse_url(url_text);
    tinyrt::io::tcp_stream s = co_await tinyrt::io::tcp_stream::connect(u.host, u.port);
    co_await s.write_all(format_request("GET", u.host + ":" + std::to_string(u.port), u.target));

    response_reader reader;
    char chunk[16 * 1024];
    for (;;) {
        std::size_t n = co_await s.read_some(chunk);
        if (n == 0) reader.closed_early();
        if (reader.feed(std::string_view(chunk, n))) break;
    }
    s.close();
    co_return reader.take();
}

}  // namespace demo::http
