// os_thread over std::thread, kept in the handle's own storage: the
// standard library starts the thread and raises its std::system_error on a
// refusal, so no error formatting is compiled here.
#include "tinyrt/detail/os_thread.hpp"

#include <new>
#include <thread>

#include "tinyrt/detail/config.hpp"

namespace tinyrt::detail {

namespace {
std::thread& thread_in(unsigned char* storage) noexcept {
    return *std::launder(static_cast<std::thread*>(static_cast<void*>(storage)));
}
}  // namespace

static_assert(sizeof(std::thread) <= os_thread::storage_size &&
              alignof(std::thread) <= os_thread::storage_align);

os_thread::~os_thread() {
    if (started_) {
        if (thread_in(storage_).joinable())
            fatal("a worker thread was destroyed without being joined");
        thread_in(storage_).~thread();
    }
}

void os_thread::start(void* (*entry)(void*), void* arg) {
    new (storage_) std::thread(entry, arg);
    started_ = true;
}

void os_thread::join() noexcept {
    if (started_ && thread_in(storage_).joinable()) thread_in(storage_).join();
}

unsigned os_thread::hardware_concurrency() noexcept {
    return std::thread::hardware_concurrency();
}

}  // namespace tinyrt::detail
