// A blocking HTTP/1.1 GET, the demos' stand-in for Python's requests.get: one
// connection per request, ordinary blocking sockets, so a thread that calls it
// sleeps in the kernel until the bytes arrive. The pool_map download cell runs
// it sequentially and then on a tinyrt::pool.
#pragma once

#include <chrono>
#include <string_view>

#include "common/http_message.hpp"

namespace demo::http {

// GET `url_text` and return the whole response once its Content-Length body
// has arrived. Errors are exceptions with a message fit to print:
//   std::system_error  connect/read/write failed ("Connection refused"), or
//                      no progress for `timeout` ("Connection timed out")
//   http_error         malformed head, or the body ended early ("truncated")
// Any status is returned as-is; a 404 is not an error at this level.
response get_blocking(std::string_view url_text,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace demo::http
