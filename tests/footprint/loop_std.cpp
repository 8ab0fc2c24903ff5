// Footprint baseline for loop_tinyrt.cpp: the sleep on a std::thread, the
// result handed back under a std::mutex.
#include <chrono>
#include <mutex>
#include <thread>

using namespace std::chrono_literals;

int main(int argc, char**) {
    std::mutex m;
    int r = 0;
    std::thread t([&] {
        std::this_thread::sleep_for(1ms);
        std::lock_guard<std::mutex> g(m);
        r = argc + 41;
    });
    t.join();
    std::lock_guard<std::mutex> g(m);
    return r == 42 ? 0 : 1;
}
