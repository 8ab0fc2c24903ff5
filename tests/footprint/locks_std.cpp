// Footprint baseline for locks_tinyrt.cpp: the same with std::mutex.
#include <mutex>
#include <thread>

template <class Lock>
long count() {
    Lock lock;
    long n = 0;
    auto work = [&] {
        for (int i = 0; i < 1000; ++i) {
            std::lock_guard<Lock> g(lock);
            ++n;
        }
    };
    std::thread a(work), b(work);
    a.join();
    b.join();
    return n;
}

int main() {
    long n = count<std::mutex>() + count<std::mutex>() + count<std::mutex>();
    return n == 6000 ? 0 : 1;
}
