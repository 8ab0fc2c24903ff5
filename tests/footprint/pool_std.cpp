// Footprint baseline for pool_tinyrt.cpp: the same with std::thread + std::mutex.
#include <mutex>
#include <thread>

int main(int argc, char**) {
    std::mutex m;
    int r = 0;
    std::thread t([&] {
        std::lock_guard<std::mutex> g(m);
        r = argc + 41;
    });
    t.join();
    std::lock_guard<std::mutex> g(m);
    return r == 42 ? 0 : 1;
}
