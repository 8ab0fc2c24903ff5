// The three cases of bench_coro, as each runtime implements them. Every
// function runs the case once in the calling process and returns its wall
// time in nanoseconds.
#pragma once

#include <cstdint>

namespace bench_coro {

// (a) gather of n coroutines, each sleeping 10 ms.
std::int64_t tinyrt_sleep(long n);
// (b) n times: create a task of a trivial coroutine, await it.
std::int64_t tinyrt_spawn(long n);
// (c) n plain co_awaits of a trivial task.
std::int64_t tinyrt_await(long n);

#if TINYRT_BENCH_HAVE_ASIO
std::int64_t asio_sleep(long n);
std::int64_t asio_spawn(long n);
std::int64_t asio_await(long n);
#endif

}  // namespace bench_coro
