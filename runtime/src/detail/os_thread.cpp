// os_thread on POSIX threads: out of line, so that neither <thread> nor the
// error path is compiled into every program that starts a pool.
#include "tinyrt/detail/os_thread.hpp"

#include <unistd.h>

#include <system_error>

#include "tinyrt/detail/config.hpp"

namespace tinyrt::detail {

os_thread::~os_thread() {
    if (joinable_) fatal("a worker thread was destroyed without being joined");
}

void os_thread::start(void* (*entry)(void*), void* arg) {
    const int error = ::pthread_create(&handle_, nullptr, entry, arg);
    if (error != 0) {
        TINYRT_THROW(
            std::system_error(error, std::generic_category(), "tinyrt: starting a thread"));
    }
    joinable_ = true;
}

void os_thread::join() noexcept {
    if (!joinable_) return;
    ::pthread_join(handle_, nullptr);
    joinable_ = false;
}

unsigned os_thread::hardware_concurrency() noexcept {
    const long n = ::sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? static_cast<unsigned>(n) : 0;
}

}  // namespace tinyrt::detail
