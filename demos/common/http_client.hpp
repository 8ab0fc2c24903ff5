// The coroutine HTTP/1.1 GET, the demos' stand-in for aiohttp: connects with
// tinyrt::io::tcp_stream and suspends on the event loop while bytes travel,
// so one thread can keep many downloads in flight (the salvar cell).
// Loop thread only. No timeout of its own: wrap it, as with any task,
//   co_await tinyrt::wait_for(demo::http::get(url), 2s);
#pragma once

#include <string>

#include "common/http_message.hpp"
#include "tinyrt/coro.hpp"

namespace demo::http {

// Same errors as get_blocking (http_blocking_client.hpp): std::system_error
// from the socket ("Connection refused"), http_error for a malformed or
// truncated response. `url_text` is taken by value: the coroutine outlives
// the caller's expression.
[[nodiscard]] tinyrt::task<response> get(std::string url_text);

}  // namespace demo::http
