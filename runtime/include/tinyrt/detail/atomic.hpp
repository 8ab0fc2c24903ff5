// One place for every atomic type, ordering, fence and sanitizer switch in
// tinyrt.
//
// Every atomic object in the runtime is a `detail::atomic<T>`, never a bare
// `std::atomic<T>`, and code writes `x.load(acquire)` with the short aliases
// below, with a comment on the line above naming the operation it pairs with.
// Keeping the type here means one file decides what an atomic operation is:
// in a normal build `detail::atomic` is `std::atomic` itself (an alias, so
// the generated code is identical); in a chaos build (TINYRT_CHAOS, see
// chaos.hpp) it is a class derived from `std::atomic` whose every operation
// first calls chaos::point(). The protocols that the Relacy models check are
// templates on an atomics policy instead (atomics_policy.hpp), whose default
// is this type.
#pragma once

#include <atomic>

#include "tinyrt/detail/chaos.hpp"

#if defined(__SANITIZE_THREAD__)
#define TINYRT_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TINYRT_TSAN 1
#endif
#endif
#ifndef TINYRT_TSAN
#define TINYRT_TSAN 0
#endif

namespace tinyrt::detail {

#if TINYRT_CHAOS

// std::atomic with a scheduling point before every operation. Each member
// shadows the base's one of the same name and forwards its arguments
// unchanged (orders included), so code compiles and behaves as with
// std::atomic; only the interleavings change. The layout is the base's: a
// futex can still be handed the word.
template <class T>
class atomic : public std::atomic<T> {
    using base = std::atomic<T>;

public:
    using base::base;
    constexpr atomic() noexcept = default;
    atomic(const atomic&) = delete;
    atomic& operator=(const atomic&) = delete;

    template <class... Order>
    T load(Order... mo) const noexcept {
        chaos::point();
        return base::load(mo...);
    }
    template <class... Order>
    void store(T v, Order... mo) noexcept {
        chaos::point();
        base::store(v, mo...);
    }
    template <class... Order>
    T exchange(T v, Order... mo) noexcept {
        chaos::point();
        return base::exchange(v, mo...);
    }
    template <class... Order>
    bool compare_exchange_weak(T& expected, T desired, Order... mo) noexcept {
        chaos::point();
        return base::compare_exchange_weak(expected, desired, mo...);
    }
    template <class... Order>
    bool compare_exchange_strong(T& expected, T desired, Order... mo) noexcept {
        chaos::point();
        return base::compare_exchange_strong(expected, desired, mo...);
    }
    template <class D, class... Order>
    T fetch_add(D d, Order... mo) noexcept {
        chaos::point();
        return base::fetch_add(d, mo...);
    }
    template <class D, class... Order>
    T fetch_sub(D d, Order... mo) noexcept {
        chaos::point();
        return base::fetch_sub(d, mo...);
    }
    template <class... Order>
    T fetch_and(T v, Order... mo) noexcept {
        chaos::point();
        return base::fetch_and(v, mo...);
    }
    template <class... Order>
    T fetch_or(T v, Order... mo) noexcept {
        chaos::point();
        return base::fetch_or(v, mo...);
    }
    template <class... Order>
    T fetch_xor(T v, Order... mo) noexcept {
        chaos::point();
        return base::fetch_xor(v, mo...);
    }
    template <class... Order>
    void wait(T old, Order... mo) const noexcept {
        chaos::point();
        base::wait(old, mo...);
    }
    void notify_one() noexcept {
        chaos::point();
        base::notify_one();
    }
    void notify_all() noexcept {
        chaos::point();
        base::notify_all();
    }

    // The operators, each one hooked operation (seq_cst, as std::atomic's).
    T operator=(T v) noexcept {
        store(v);
        return v;
    }
    operator T() const noexcept { return load(); }
    T operator++() noexcept { return fetch_add(1) + 1; }
    T operator++(int) noexcept { return fetch_add(1); }
    T operator--() noexcept { return fetch_sub(1) - 1; }
    T operator--(int) noexcept { return fetch_sub(1); }
    template <class D>
    T operator+=(D d) noexcept {
        return fetch_add(d) + d;
    }
    template <class D>
    T operator-=(D d) noexcept {
        return fetch_sub(d) - d;
    }
    T operator&=(T v) noexcept { return fetch_and(v) & v; }
    T operator|=(T v) noexcept { return fetch_or(v) | v; }
    T operator^=(T v) noexcept { return fetch_xor(v) ^ v; }
};

#else

template <class T>
using atomic = std::atomic<T>;

#endif

inline constexpr auto relaxed = std::memory_order_relaxed;  // alias only
inline constexpr auto acquire = std::memory_order_acquire;  // alias only
inline constexpr auto release = std::memory_order_release;  // alias only
inline constexpr auto acq_rel = std::memory_order_acq_rel;  // alias only
inline constexpr auto seq_cst = std::memory_order_seq_cst;

// A sequentially consistent fence. ThreadSanitizer does not model standalone
// fences and reports false races on correct fence-based code, so in TSan
// builds the fence becomes a seq_cst read-modify-write on a global dummy,
// which TSan does understand. The RMW is at least as strong as the fence for
// every pairing used in tinyrt (each fence pairs with another seq_cst fence
// or seq_cst operation, and all RMWs on one object are totally ordered).
inline void fence_seq_cst() noexcept {
    chaos::point();
#if TINYRT_TSAN
    static atomic<int> dummy{0};
    dummy.fetch_add(0, seq_cst);
#else
    std::atomic_thread_fence(seq_cst);
#endif
}

}  // namespace tinyrt::detail
