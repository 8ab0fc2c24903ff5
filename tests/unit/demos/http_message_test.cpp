// The demos' HTTP/1.1 code on its own: well-formed responses assemble the
// same whatever the chunking, and every malformed or truncated one is
// rejected with a message that says what was wrong.
#include <doctest/doctest.h>

#include <string>

#include "common/http_message.hpp"

using demo::http::http_error;
using demo::http::response_reader;

namespace {

const std::string ok_head = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Demo: yes\r\n\r\n";

// Feeds `bytes` in pieces of `step`; true when the reader says it is complete.
bool feed_in_pieces(response_reader& r, const std::string& bytes, std::size_t step) {
    bool done = false;
    for (std::size_t at = 0; at < bytes.size(); at += step) {
        REQUIRE_FALSE(done);  // nothing may follow a complete response
        done = r.feed(std::string_view(bytes).substr(at, step));
    }
    return done;
}

std::string error_of(const std::string& bytes, bool then_close) {
    response_reader r;
    try {
        bool done = r.feed(bytes);
        if (then_close && !done) r.closed_early();
    } catch (const http_error& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("http: a response assembles the same whether it arrives whole or a byte at a time") {
    for (std::size_t step : {ok_head.size() + 5, std::size_t{1}, std::size_t{7}}) {
        response_reader r;
        REQUIRE(feed_in_pieces(r, ok_head + "hello", step));
        auto resp = r.take();
        CHECK(resp.status == 200);
        CHECK(resp.reason == "OK");
        CHECK(resp.body == "hello");
        const std::string* demo = demo::http::find_header(resp.headers, "x-demo");  // any case
        REQUIRE(demo != nullptr);
        CHECK(*demo == "yes");
    }
}

TEST_CASE("http: an empty body is complete with the head") {
    response_reader r;
    CHECK(r.feed("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));
    CHECK(r.take().status == 404);
}

TEST_CASE("http: truncated responses say where they were cut") {
    CHECK(error_of("", true) == "server closed the connection without answering");
    CHECK(error_of("HTTP/1.1 200 OK\r\nContent-Len", true) ==
          "truncated response: connection closed inside the head");
    CHECK(error_of(ok_head + "hel", true) == "truncated response: got 3 of 5 body bytes");
}

TEST_CASE("http: malformed responses are rejected, never guessed at") {
    CHECK(error_of("HTTP/1.1 200 OK\r\n\r\nhello", false) ==
          "malformed response: no Content-Length header");
    CHECK(error_of(ok_head + "hello!", false) == "malformed response: more bytes than Content-Length");
    CHECK(error_of("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", false) ==
          "malformed response: conflicting Content-Length headers");
    CHECK(error_of("HTTP/1.1 200 OK\r\nContent-Length: five\r\n\r\n", false).rfind(
              "malformed response: bad Content-Length", 0) == 0);
    CHECK(error_of("HTTX 200 OK\r\nContent-Length: 0\r\n\r\n", false).rfind(
              "malformed status line", 0) == 0);
    CHECK(error_of(std::string(demo::http::max_head_bytes + 10, 'a'), false) ==
          "malformed response: head larger than 16 KiB");
}

TEST_CASE("http: URLs other than http://IPv4:port/path are refused with a reason") {
    auto u = demo::http::parse_url("http://127.0.0.1:8080/a/0002.jpg");
    CHECK(u.host == "127.0.0.1");
    CHECK(u.port == 8080);
    CHECK(u.target == "/a/0002.jpg");
    CHECK(demo::http::file_name_of("http://127.0.0.1:8080/a/0002.jpg") == "0002.jpg");
    CHECK_THROWS_AS(demo::http::parse_url("https://127.0.0.1/"), http_error);
    CHECK_THROWS_AS(demo::http::parse_url("http://example.org/"), http_error);
    CHECK_THROWS_AS(demo::http::parse_url("http://127.0.0.1:99999/"), http_error);
}
