// Footprint: one coroutine that sleeps on the event loop (tinyrt::run, sleep_for).
#include <tinyrt/coro.hpp>

using namespace std::chrono_literals;

tinyrt::task<int> f(int n) {
    co_await tinyrt::sleep_for(1ms);
    co_return n + 41;
}

int main(int argc, char**) { return tinyrt::run(f(argc)) == 42 ? 0 : 1; }
