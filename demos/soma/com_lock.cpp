// In [9]: the same race, fixed with a lock around `soma = soma + step`, once
// with each of tinyrt's locks and once with std::mutex, timed side by side.
#include <cstdio>
#include <mutex>

#include "soma.hpp"
#include "tinyrt/sync.hpp"

namespace soma {

namespace {

template <typename Lock>
void com(const options& opt, const char* name) {
    Lock lock;
    long sum = 0;  // a plain long: the lock is what makes sharing it correct
    const double seconds = run_together(opt.threads, "com lock", [&](long t) {
        const long step = step_of(t);
        for (long i = 0; i < opt.n; ++i) {
            lock.lock();  // L.acquire()
            sum = sum + step;
            lock.unlock();  // L.release()
        }
    });
    const double pairs = static_cast<double>(opt.n) * static_cast<double>(opt.threads);
    std::printf("Resultado concorrente: %-4ld %-20s %8.4f s %9.1f ns por lock/unlock\n", sum, name,
                seconds, seconds * 1e9 / pairs);
}

}  // namespace

void concorrente_com_lock(const options& opt) {
    std::printf("Com lock (%ld threads, %ld operações cada):\n", opt.threads, opt.n);
    com<tinyrt::spinlock>(opt, "tinyrt::spinlock");
    com<tinyrt::ticket_lock>(opt, "tinyrt::ticket_lock");
    com<tinyrt::mutex>(opt, "tinyrt::mutex");
    com<std::mutex>(opt, "std::mutex");
}

}  // namespace soma
