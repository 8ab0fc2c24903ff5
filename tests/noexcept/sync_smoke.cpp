// The three locks build and work without exceptions or RTTI: mutual
// exclusion from four threads, try_lock, and the standard guards.
#include <mutex>
#include <thread>
#include <vector>

#include "check.hpp"
#include "tinyrt/sync.hpp"

namespace {

template <typename Lock>
void check_lock() {
    Lock lock;
    NOEXCEPT_CHECK(lock.try_lock());
    NOEXCEPT_CHECK(!lock.try_lock());
    lock.unlock();

    long counter = 0;
    std::vector<std::thread> pool;
    for (int t = 0; t < 4; ++t) {
        pool.emplace_back([&] {
            for (int i = 0; i < 20000; ++i) {
                std::lock_guard<Lock> g(lock);
                ++counter;
            }
        });
    }
    for (auto& th : pool) th.join();
    NOEXCEPT_CHECK(counter == 4 * 20000);

    Lock other;
    {
        std::scoped_lock both(lock, other);
        NOEXCEPT_CHECK(!other.try_lock());
    }
    NOEXCEPT_CHECK(other.try_lock());
    other.unlock();
}

}  // namespace

int main() {
    check_lock<tinyrt::spinlock>();
    check_lock<tinyrt::ticket_lock>();
    check_lock<tinyrt::mutex>();
    return 0;
}
