// Footprint: the pool and the loop together: a coroutine sleeps on the event
// loop, then hands work to a pool worker (tinyrt::to_thread).
#include <tinyrt/tinyrt.hpp>

using namespace std::chrono_literals;

tinyrt::task<int> f(tinyrt::pool& pool, int n) {
    co_await tinyrt::sleep_for(1ms);
    co_return co_await tinyrt::to_thread(pool, [n] { return n + 41; });
}

int main(int argc, char**) {
    tinyrt::pool pool{{.workers = 2}};
    return tinyrt::run(f(pool, argc)) == 42 ? 0 : 1;
}
