// The operating system's threads as the runtime uses them, behind one small
// header that does not include <thread> (a large header every consumer of
// tinyrt would otherwise compile): a yield of the core, and the joinable
// handle a pool keeps for each worker thread, a POSIX thread (os_thread.cpp).
// Not std::thread: its type-erased start (a heap state object with a vtable
// and RTTI) and its imports cost every program that links a pool, and a
// worker's entry is already a plain function and a pointer.
#pragma once

#include <pthread.h>
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
    // system refuses one (EAGAIN: out of threads or memory), as std::thread
    // does. At most once per handle.
    void start(void* (*entry)(void*), void* arg);

    // Waits until the started thread has returned.
    void join() noexcept;

    // The number of hardware threads, 0 if unknown (std::thread's
    // hardware_concurrency).
    static unsigned hardware_concurrency() noexcept;

private:
    pthread_t thread_{};  // valid while started_
    bool started_ = false;
};

}  // namespace tinyrt::detail
