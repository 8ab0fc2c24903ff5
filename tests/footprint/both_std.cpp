// Footprint baseline for both_tinyrt.cpp: a std::thread sleeps, then a
// second one computes, the result handed back under a std::mutex.
#include <chrono>
#include <mutex>
#include <thread>

using namespace std::chrono_literals;

int main(int argc, char**) {
    std::mutex m;
    int r = 0;
    std::thread sleeper([] { std::this_thread::sleep_for(1ms); });
    sleeper.join();
    std::thread worker([&] {
        std::lock_guard<std::mutex> g(m);
        r = argc + 41;
    });
    worker.join();
    std::lock_guard<std::mutex> g(m);
    return r == 42 ? 0 : 1;
}
