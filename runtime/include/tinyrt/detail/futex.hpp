// The platform's "sleep until this word changes" primitive, behind one small
// header. On Linux it is the futex syscall (private to the process); the
// interface is the same shape as std::atomic::wait/notify so a port only
// replaces this file.
#pragma once

#include <atomic>
#include <cstdint>

namespace tinyrt::detail {

// Sleeps while `word == expected`. May return spuriously; callers re-check.
void futex_wait(std::atomic<std::uint32_t>& word, std::uint32_t expected) noexcept;

// Wakes at most `count` threads sleeping in futex_wait on `word`.
void futex_wake(std::atomic<std::uint32_t>& word, int count) noexcept;

}  // namespace tinyrt::detail
