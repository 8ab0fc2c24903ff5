// Footprint baseline for locks_tinyrt.cpp: the same with std::mutex, as three
// distinct types so that count<> is instantiated three times there as well.
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

template <int>
struct std_lock : std::mutex {};

int main() {
    long n = count<std_lock<0>>() + count<std_lock<1>>() + count<std_lock<2>>();
    return n == 6000 ? 0 : 1;
}
