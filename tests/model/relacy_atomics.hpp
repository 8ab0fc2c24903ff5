// The atomics policy for the Relacy models: detail/atomics_policy.hpp's
// interface on Relacy's primitives, so that the runtime's templates run
// under the model checker unchanged.
//
// Include it after every runtime header: <relacy/relacy.hpp> defines macros
// (new, delete, malloc, memory_order_relaxed, ...) that would rewrite any
// code after it. They are undefined again below; the models use Relacy's
// API explicitly.
//
// Each operation passes the caller's source position (std::source_location,
// a default argument, so evaluated where the runtime's code calls it) to
// Relacy, whose failure histories then name the runtime's own lines.
#pragma once

#include <atomic>
#include <cstdint>
#include <relacy/relacy.hpp>
#include <source_location>

#undef new
#undef delete
#undef malloc
#undef calloc
#undef realloc
#undef free
#undef assert
#undef errno
#undef memory_order_relaxed
#undef memory_order_consume
#undef memory_order_acquire
#undef memory_order_release
#undef memory_order_acq_rel
#undef memory_order_seq_cst

namespace tinyrt::model {

using where = std::source_location;

inline rl::debug_info info(const where& w) noexcept {
    return rl::debug_info(w.function_name(), w.file_name(), w.line());
}

inline rl::memory_order order(std::memory_order mo) noexcept {
    switch (mo) {
        case std::memory_order::relaxed:
            return rl::mo_relaxed;
        case std::memory_order::consume:
            return rl::mo_consume;
        case std::memory_order::acquire:
            return rl::mo_acquire;
        case std::memory_order::release:
            return rl::mo_release;
        case std::memory_order::acq_rel:
            return rl::mo_acq_rel;
        case std::memory_order::seq_cst:
            return rl::mo_seq_cst;
    }
    return rl::mo_seq_cst;
}

// std::atomic's interface, as far as the runtime uses it, on rl::atomic.
template <class T>
class atomic {
public:
    // Value-initialized, as std::atomic<T>() is since C++20. Initialization
    // is relaxed, as std::atomic's: the object is published, if at all, by
    // whatever hands it to another thread.
    atomic(where w = where::current()) { a_.store(T{}, rl::mo_relaxed, info(w)); }
    atomic(T v, where w = where::current()) { a_.store(v, rl::mo_relaxed, info(w)); }
    atomic(const atomic&) = delete;
    atomic& operator=(const atomic&) = delete;

    T load(std::memory_order mo = std::memory_order::seq_cst, where w = where::current()) const {
        return a_.load(order(mo), info(w));
    }
    void store(T v, std::memory_order mo = std::memory_order::seq_cst, where w = where::current()) {
        a_.store(v, order(mo), info(w));
    }
    T exchange(T v, std::memory_order mo = std::memory_order::seq_cst, where w = where::current()) {
        return a_.exchange(v, order(mo), info(w));
    }
    bool compare_exchange_weak(T& expected, T desired, std::memory_order success,
                               std::memory_order failure, where w = where::current()) {
        return a_.compare_exchange_weak(expected, desired, order(success), info(w), order(failure),
                                        info(w));
    }
    bool compare_exchange_strong(T& expected, T desired, std::memory_order success,
                                 std::memory_order failure, where w = where::current()) {
        return a_.compare_exchange_strong(expected, desired, order(success), info(w),
                                          order(failure), info(w));
    }
    bool compare_exchange_strong(T& expected, T desired,
                                 std::memory_order mo = std::memory_order::seq_cst,
                                 where w = where::current()) {
        return a_.compare_exchange_strong(expected, desired, order(mo), info(w));
    }
    template <class D>
    T fetch_add(D d, std::memory_order mo = std::memory_order::seq_cst,
                where w = where::current()) {
        return a_.fetch_add(d, order(mo), info(w));
    }
    template <class D>
    T fetch_sub(D d, std::memory_order mo = std::memory_order::seq_cst,
                where w = where::current()) {
        return a_.fetch_sub(d, order(mo), info(w));
    }

private:
    rl::atomic<T> a_;
};

// A futex on a model word: one Relacy mutex and condition variable per word.
// futex_wait checks the word under the mutex and waits on the condition
// variable, which releases the mutex atomically; futex_wake takes the mutex
// and notifies. A waker stores the new value before it takes the mutex, so a
// waiter either checks after the waker's critical section (and sees the new
// value) or is already waiting when it notifies: the kernel's guarantee. A
// waiter nobody wakes stays blocked, and Relacy reports the deadlock.
struct futex_queue {
    rl::mutex m;
    rl::condition_variable cv;
};

// Relacy's mutex behind std::lock_guard's lock()/unlock().
class mutex {
public:
    void lock(where w = where::current()) { m_.lock(info(w)); }
    void unlock(where w = where::current()) { m_.unlock(info(w)); }

private:
    rl::mutex m_;
};

// A 32-bit word that a futex can wait on: the atomic plus its wait queue.
class futex_atomic : public atomic<std::uint32_t> {
public:
    using atomic<std::uint32_t>::atomic;

    void wait(std::uint32_t expected, where w = where::current()) {
        queue_.m.lock(info(w));
        // relaxed: the queue's mutex orders it after a waker's store (see above)
        if (load(std::memory_order::relaxed, w) == expected) queue_.cv.wait(queue_.m, info(w));
        queue_.m.unlock(info(w));
    }
    void wake(int count, where w = where::current()) {
        queue_.m.lock(info(w));
        if (count == 1) {
            queue_.cv.notify_one(info(w));
        } else {
            queue_.cv.notify_all(info(w));
        }
        queue_.m.unlock(info(w));
    }

private:
    futex_queue queue_;
};

template <class T>
struct atomic_for {
    using type = atomic<T>;
};
template <>
struct atomic_for<std::uint32_t> {
    using type = futex_atomic;
};

// The policy (detail/atomics_policy.hpp). Relacy has no membarrier: both
// halves of the asymmetric fence are seq_cst fences, the pairing the
// runtime itself falls back to (sched/detail/asymmetric_fence.hpp).
struct relacy_atomics {
    template <class T>
    using atomic = typename atomic_for<T>::type;
    using mutex = model::mutex;

    static void fence_seq_cst(where w = where::current()) {
        rl::atomic_thread_fence(rl::mo_seq_cst, info(w));
    }
    static void asymmetric_light_fence(where w = where::current()) { fence_seq_cst(w); }
    static void asymmetric_heavy_fence(where w = where::current()) { fence_seq_cst(w); }
    static void futex_wait(futex_atomic& word, std::uint32_t expected, where w = where::current()) {
        word.wait(expected, w);
    }
    static void futex_wake(futex_atomic& word, int count, where w = where::current()) {
        word.wake(count, w);
    }
};

}  // namespace tinyrt::model
