// tinyrt::async_mutex: a mutex for coroutines on one loop. `co_await
// m.lock()` suspends the coroutine, never the thread, so the other tasks
// keep running while it waits (asyncio.Lock).
//
//   co_await m.lock();           // or: auto guard = co_await m.scoped_lock();
//   l[i] = co_await inc(l[i]);   // no other task touches l[i] meanwhile
//   m.unlock();
//
// Loop-thread only: every task using it runs on the same loop, so no atomics
// are needed (the loop runs one task at a time; a task switch happens only
// at a co_await).
//
// Fairness: FIFO. unlock() hands the mutex straight to the oldest waiter
// (the state stays "locked"), so a task that keeps re-locking cannot starve
// the others, and a waiter woken by unlock already owns the mutex.
//
// The packed state word, state_ (one std::uintptr_t):
//   unlocked (0)           nobody holds it; the waiter list is empty
//   locked (1)             held; nobody waits
//   a waiter address (>1,  held; the value is the NEWEST waiter (the list's
//     even: alignof >= 2)  tail); the oldest is head_
// Transitions:
//   lock, unlocked       -> locked             (await_ready: no suspension)
//   lock, locked/tail    -> new waiter address (appended at the tail)
//   unlock, locked       -> unlocked
//   unlock, tail         -> head handed the mutex; locked if it was the only
//                           waiter, else the same tail
//   cancel of a waiter   -> unlinked; locked if it was the only one, or the
//                           tail's predecessor if it was the tail
// A cancelled waiter never gets the mutex: it is unlinked before the loop
// resumes it with cancelled_error. A waiter that was handed the mutex and is
// cancelled before it runs keeps the mutex (the hand-off won: it no longer
// has a cancel hook) and sees the cancellation at its next await.
#pragma once

#include <coroutine>
#include <cstdint>

#include "tinyrt/coro/detail/loop_core.hpp"
#include "tinyrt/coro/detail/parked_awaiter.hpp"
#include "tinyrt/coro/errors.hpp"
#include "tinyrt/detail/config.hpp"

namespace tinyrt {

class async_mutex {
    struct waiter;

public:
    async_mutex() noexcept = default;
    async_mutex(const async_mutex&) = delete;
    async_mutex& operator=(const async_mutex&) = delete;
    // Destroying a locked mutex, or one with waiters, is a programming error.
    ~async_mutex() {
        if (state_ != unlocked) detail::fatal("async_mutex destroyed while locked");
    }

    class lock_awaiter;
    class scoped_lock_awaiter;

    // Awaitable: acquires the mutex, suspending the task while it is held.
    [[nodiscard]] lock_awaiter lock() noexcept;
    // Awaitable giving a guard that unlocks when it goes out of scope.
    [[nodiscard]] scoped_lock_awaiter scoped_lock() noexcept;
    // Acquires the mutex if it is free; never suspends.
    bool try_lock() noexcept {
        if (state_ != unlocked) return false;
        state_ = locked;
        return true;
    }
    // Releases it, handing it to the oldest waiter if there is one. Only the
    // holder may call it (checked: unlocking a free mutex ends the program).
    void unlock() noexcept;

    bool is_locked() const noexcept { return state_ != unlocked; }

private:
    static constexpr std::uintptr_t unlocked = 0;
    static constexpr std::uintptr_t locked = 1;

    struct waiter : detail::parked_awaiter {
        using parked_awaiter::parked_awaiter;
        async_mutex* mutex = nullptr;
        waiter* prev = nullptr;  // towards head_ (older)
        waiter* next = nullptr;  // towards the tail (newer)
        bool queued = false;
    };

    waiter* tail() const noexcept {
        return state_ > locked ? reinterpret_cast<waiter*>(state_) : nullptr;
    }
    void set_tail(waiter* w) noexcept {
        state_ = w != nullptr ? reinterpret_cast<std::uintptr_t>(w) : locked;
    }

    void enqueue(waiter* w) noexcept {
        w->prev = tail();
        w->next = nullptr;
        if (w->prev != nullptr) {
            w->prev->next = w;
        } else {
            head_ = w;
        }
        w->queued = true;
        set_tail(w);
    }
    void unlink(waiter* w) noexcept {
        if (w->prev != nullptr) {
            w->prev->next = w->next;
        } else {
            head_ = w->next;
        }
        if (w->next != nullptr) {
            w->next->prev = w->prev;
        } else {
            set_tail(w->prev);  // it was the tail
        }
        w->queued = false;
    }
    static void on_cancel(detail::cancel_hook* self) noexcept {
        auto* w = &static_cast<waiter&>(*self);
        w->mutex->unlink(w);
        w->wake_cancelled();
    }

    std::uintptr_t state_ = unlocked;
    waiter* head_ = nullptr;  // oldest waiter; meaningful only when tail() != nullptr
};

class async_mutex::lock_awaiter : private async_mutex::waiter {
public:
    explicit lock_awaiter(async_mutex& m) noexcept : waiter(&async_mutex::on_cancel) {
        this->mutex = &m;
    }
    // Destroyed while queued only when a cancelled chain is destroyed
    // (builds without exceptions).
    ~lock_awaiter() {
        if (queued) mutex->unlink(this);
    }

    bool await_ready() noexcept { return mutex->try_lock(); }
    bool await_suspend(std::coroutine_handle<> h) noexcept {
        if (!park(detail::loop_for("async_mutex::lock"), h)) return detail::suspend_to_cancel;
        mutex->enqueue(this);
        return true;
    }
    void await_resume() const { throw_if_cancelled(); }

private:
    friend class async_mutex;
};

// Unlocks on destruction (if it still holds the mutex).
class async_lock_guard {
public:
    explicit async_lock_guard(async_mutex& m) noexcept : mutex_(&m) {}
    async_lock_guard(async_lock_guard&& o) noexcept : mutex_(o.mutex_) { o.mutex_ = nullptr; }
    async_lock_guard(const async_lock_guard&) = delete;
    async_lock_guard& operator=(const async_lock_guard&) = delete;
    async_lock_guard& operator=(async_lock_guard&&) = delete;
    ~async_lock_guard() { unlock(); }
    void unlock() noexcept {
        if (mutex_ != nullptr) {
            mutex_->unlock();
            mutex_ = nullptr;
        }
    }

private:
    async_mutex* mutex_;
};

class async_mutex::scoped_lock_awaiter {
public:
    explicit scoped_lock_awaiter(async_mutex& m) noexcept : inner_(m), mutex_(&m) {}
    bool await_ready() noexcept { return inner_.await_ready(); }
    bool await_suspend(std::coroutine_handle<> h) noexcept { return inner_.await_suspend(h); }
    async_lock_guard await_resume() {
        inner_.await_resume();
        return async_lock_guard{*mutex_};
    }

private:
    lock_awaiter inner_;
    async_mutex* mutex_;
};

inline async_mutex::lock_awaiter async_mutex::lock() noexcept {
    return lock_awaiter{*this};
}
inline async_mutex::scoped_lock_awaiter async_mutex::scoped_lock() noexcept {
    return scoped_lock_awaiter{*this};
}

inline void async_mutex::unlock() noexcept {
    if (state_ == unlocked) detail::fatal("async_mutex::unlock of a mutex that is not locked");
    waiter* w = tail() != nullptr ? head_ : nullptr;
    if (w == nullptr) {
        state_ = unlocked;
        return;
    }
    unlink(w);  // the mutex stays locked: w owns it now
    w->wake();
}

}  // namespace tinyrt
