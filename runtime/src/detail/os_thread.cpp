// os_thread over POSIX threads (os_thread.hpp).
#include "tinyrt/detail/os_thread.hpp"

#include <unistd.h>

#include <system_error>

#include "tinyrt/detail/config.hpp"
#include "tinyrt/detail/system_error.hpp"

namespace tinyrt::detail {

os_thread::~os_thread() {
    if (started_) fatal("a worker thread was destroyed without being joined");
}

void os_thread::start(void* (*entry)(void*), void* arg) {
    // pthread_create returns the error instead of setting errno.
    if (const int err = ::pthread_create(&thread_, nullptr, entry, arg); err != 0) {
#if TINYRT_EXCEPTIONS && defined(__GLIBCXX__)
        // The exception std::thread raises, thrown inside libstdc++ (the
        // function its std::thread calls), so no program that links a pool
        // compiles std::system_error's message composition.
        std::__throw_system_error(err);
#else
        throw_system_error(err, "tinyrt: pthread_create");
#endif
    }
    started_ = true;
}

void os_thread::join() noexcept {
    if (!started_) return;
    // The only failures are misuse (EDEADLK: joining itself, EINVAL), which
    // a pool's shutdown rules out (it refuses to run on its own workers).
    ::pthread_join(thread_, nullptr);
    started_ = false;
}

unsigned os_thread::hardware_concurrency() noexcept {
    // What std::thread::hardware_concurrency reports on glibc: the online CPUs.
    const long n = ::sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? static_cast<unsigned>(n) : 0;
}

}  // namespace tinyrt::detail
