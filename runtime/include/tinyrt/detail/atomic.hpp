// One place for every atomic type, ordering, fence and sanitizer switch in
// tinyrt.
//
// Every atomic object in the runtime is a `detail::atomic<T>`, never a bare
// `std::atomic<T>`, and code writes `x.load(acquire)` with the short aliases
// below, with a comment on the line above naming the operation it pairs with.
// Keeping the type here means one file decides what an atomic operation is:
// in a normal build `detail::atomic` is `std::atomic` itself (an alias, so
// the generated code is identical), and a checker or a chaos build can hook
// every operation by changing this file alone.
#pragma once

#include <atomic>

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

template <class T>
using atomic = std::atomic<T>;

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
#if TINYRT_TSAN
    static atomic<int> dummy{0};
    dummy.fetch_add(0, seq_cst);
#else
    std::atomic_thread_fence(seq_cst);
#endif
}

}  // namespace tinyrt::detail
