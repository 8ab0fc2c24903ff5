// README's "Use it in your program": tests/consumer builds and runs this
// program the four ways (find_package, add_subdirectory, FetchContent, pkg-config).
// [example: consumer]
#include <tinyrt/tinyrt.hpp>

#include <cstdio>
#include <mutex>
using namespace std::chrono_literals;

tinyrt::task<int> answer(tinyrt::pool& pool) {
    co_await tinyrt::sleep_for(1ms);                                   // on the event loop
    co_return co_await tinyrt::to_thread(pool, [] { return 6 * 7; });  // on a pool worker
}

int main() {
    tinyrt::pool pool{{.workers = 2}};
    tinyrt::mutex m;
    int total = 0;
    std::vector<int> squares = pool.map([&](int x) {
        std::lock_guard<tinyrt::mutex> guard(m);  // Lockable: std guards work
        total += x;
        return x * x;
    }, {1, 2, 3});
    int a = tinyrt::run(answer(pool));  // asyncio.run
    std::printf("tinyrt %s: %d %d %d\n", tinyrt::version().string.data(), squares[2], total, a);
    return squares[2] == 9 && total == 6 && a == 42 ? 0 : 1;
}
// [end example]
