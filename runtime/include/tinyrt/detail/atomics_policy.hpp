// The atomics policy: how a templated protocol reaches its atomics, fences,
// futex and lock.
//
// The structures whose correctness rests on memory orders (the Chase-Lev
// deque, the park/notify protocol, the three-state mutex and the event
// loop's post/sleep wake-up) are templates on a policy type with the members
// below, and the runtime uses them with `std_atomics`, whose members are the
// runtime's own detail::atomic, fences and futex calls. The Relacy models in
// tests/model instantiate the same templates with a policy whose members are
// Relacy's, so the model checker runs the runtime's code with its memory
// orders, not a copy of it.
//
// A policy provides:
//   atomic<T>                  std::atomic's interface (load(order), ...)
//   mutex                      lock()/unlock(), for std::lock_guard
//   fence_seq_cst()            a sequentially consistent fence
//   asymmetric_light_fence()   the two halves of a store-load fence
//   asymmetric_heavy_fence()   (sched/detail/asymmetric_fence.hpp)
//   futex_wait(word, expected) sleep while word == expected (may return
//                              spuriously); futex_wake(word, count)
#pragma once

#include <cstdint>
#include <mutex>

#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/detail/futex.hpp"
#include "tinyrt/sched/detail/asymmetric_fence.hpp"

namespace tinyrt::detail {

struct std_atomics {
    template <class T>
    using atomic = detail::atomic<T>;
    using mutex = std::mutex;

    static void fence_seq_cst() noexcept { detail::fence_seq_cst(); }
    static void asymmetric_light_fence() noexcept { detail::asymmetric_light_fence(); }
    static void asymmetric_heavy_fence() noexcept { detail::asymmetric_heavy_fence(); }
    static void futex_wait(atomic<std::uint32_t>& word, std::uint32_t expected) noexcept {
        detail::futex_wait(word, expected);
    }
    static void futex_wake(atomic<std::uint32_t>& word, int count) noexcept {
        detail::futex_wake(word, count);
    }
};

}  // namespace tinyrt::detail
