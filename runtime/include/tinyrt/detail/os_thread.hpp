// The operating system's threads as the runtime uses them, behind one small
// header that does not include <thread> (a large header every consumer of
// tinyrt would otherwise compile): a yield of the core, and the joinable
// handle a pool keeps for each worker thread: a std::thread, built in the
// handle's own storage by os_thread.cpp, the one file that includes <thread>.
#pragma once

#include <sched.h>

namespace tinyrt::detail {

// Gives the core to another runnable thread, if any (std::this_thread::yield).
inline void yield_thread() noexcept {
    ::sched_yield();
}

// One started thread that must be joined before the handle is destroyed
// (like a std::thread: destroying a handle that was started and not joined
// ends the program). Owner thread only; not movable.
class os_thread {
public:
    os_thread() noexcept = default;
    ~os_thread();
    os_thread(const os_thread&) = delete;
    os_thread& operator=(const os_thread&) = delete;

    // Runs entry(arg) on a new thread. Raises std::system_error if the
    // system refuses one (EAGAIN: out of threads or memory): std::thread's
    // own error. At most once per handle.
    void start(void* (*entry)(void*), void* arg);

    // Waits until the started thread has returned.
    void join() noexcept;

    // The number of hardware threads, 0 if unknown (std::thread's
    // hardware_concurrency).
    static unsigned hardware_concurrency() noexcept;

    // Room for a std::thread (one native handle; os_thread.cpp checks).
    static constexpr unsigned storage_size = sizeof(void*);
    static constexpr unsigned storage_align = alignof(void*);

private:
    // A std::thread, constructed by start() (os_thread.cpp).
    alignas(storage_align) unsigned char storage_[storage_size];
    bool started_ = false;
};

}  // namespace tinyrt::detail
