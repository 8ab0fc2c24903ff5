// tinyrt::task<T>: a lazy, move-only coroutine returning T.
//
//   task<int> g(int n) { co_await sleep_for(1s); co_return n + 1; }
//   task<void> f() { int x = co_await g(1); }    // runs g inside f's chain
//
// * Lazy: calling g(1) allocates its frame and stops before the first line
//   (initial_suspend is suspend_always), like the notebook's `x = f()` that
//   "does not run the function". Destroying a task that never ran frees its
//   frame and runs nothing.
// * `co_await t` starts t and suspends the caller; when t finishes, its
//   final_suspend transfers straight back to the caller. Both hops are
//   symmetric transfers (await_suspend returns the next coroutine_handle),
//   so the compiler emits tail calls and a chain of a million sequential or
//   nested awaits uses constant stack (Lewis Baker, "C++ Coroutines:
//   Understanding Symmetric Transfer", 2020).
// * The result is the value, or the exception rethrown in the awaiter.
// * Frames come from detail::frame_allocate (frame_allocator.hpp): no call
//   to the global operator new in the steady state.
// * A task handed to the loop (run, create_task, gather...) becomes a root:
//   its promise is its task_node (promise_base derives from it, so nothing is
//   allocated), and its final_suspend reports to the loop instead of a
//   caller (task_node::finish).
#pragma once

#include <coroutine>
#include <cstdint>
#include <exception>
#include <new>
#include <type_traits>
#include <utility>

#include "tinyrt/coro/detail/frame_allocator.hpp"
#include "tinyrt/coro/detail/loop_core.hpp"
#include "tinyrt/coro/detail/task_node.hpp"
#include "tinyrt/coro/errors.hpp"
#include "tinyrt/detail/config.hpp"
#include "tinyrt/source_location.hpp"
#include "tinyrt/trace/current.hpp"
#include "tinyrt/trace/hooks.hpp"

namespace tinyrt {

template <typename T = void>
class task;

namespace detail {

// What every task promise shares: where to go when finished, its error and
// small result, and, for a root, the rest of its node. It is the node
// (task_node.hpp), 32 bytes in every frame.
class promise_base : public task_node {
public:
    static void* operator new(std::size_t size) { return frame_allocate(size); }
    static void operator delete(void* frame, std::size_t size) noexcept {
#if !TINYRT_EXCEPTIONS
        if (frame == tls_kept_frame) [[unlikely]] {  // its node outlives it (task_node.hpp)
            tls_kept_frame = nullptr;
            tls_kept_bytes = size;
            return;
        }
#endif
        frame_deallocate(frame, size);
    }

    std::suspend_always initial_suspend() noexcept {
        return {};
    }

    // The promise constructor's parameter: an aggregate of our own, so that
    // a coroutine whose one parameter is (or converts to) a source_location
    // still gets the default ([dcl.fct.def.coroutine]: the promise is first
    // tried with the coroutine's arguments).
    struct creation_site {
        tinyrt::source_location where;
    };
    // Timeline: this coroutine was created in the function `loc` names (the
    // promise's default argument), which names it if it becomes a root that
    // no spawn names (spawn_task). One predictable branch when not traced.
    void note_creation(tinyrt::source_location loc) noexcept {
        if (trace::current_buffer() != nullptr) [[unlikely]]
            trace::hooks::coroutine_created(reinterpret_cast<std::uintptr_t>(this), loc);
    }

    struct final_awaiter {
        bool await_ready() const noexcept { return false; }
        template <typename Promise>
        std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> self) noexcept {
            promise_base& p = self.promise();
            // A nested task always has a caller (it only runs when awaited);
            // a root reports to the loop, which picks what runs next.
            if (p.is_root()) return p.finish();
            return std::coroutine_handle<>::from_address(reinterpret_cast<void*>(p.link));
        }
        void await_resume() const noexcept {}
    };
    final_awaiter final_suspend() noexcept {
        return {};
    }

    void unhandled_exception() noexcept {
#if TINYRT_EXCEPTIONS
        // Nested or root, the error goes to the node's result word, which
        // is what gather, handles, run() and the awaiting caller read.
        set_error(std::current_exception());
        if (!is_root()) return;
        try {
            throw;
        } catch (const cancelled_error&) {
            flags |= task_cancelled;
        } catch (...) {
        }
#else
        fatal("exception in a task built without exceptions");
#endif
    }

    void set_continuation(std::coroutine_handle<> c) noexcept {
        link = reinterpret_cast<std::uintptr_t>(c.address());
    }
    // Whether a caller has awaited this task already (it may be running,
    // suspended inside, or finished): a task runs once. Only for a task
    // that is not a root (a root's task object gave the frame away).
    bool awaited() const noexcept {
        return link != 0;
    }

protected:
    promise_base() noexcept {}
    ~promise_base() {
#if TINYRT_EXCEPTIONS
        if (has(task_failed)) error.~exception_ptr();
#endif
    }
    promise_base(const promise_base&) = delete;
    promise_base& operator=(const promise_base&) = delete;
};

// A result of at most 8 bytes lives in the node's result word (task_node.hpp);
// a larger one in the promise after it.
template <typename T>
inline constexpr bool result_in_node = sizeof(T) <= 8 && alignof(T) <= 8;

template <typename T, bool InNode = result_in_node<T>>
struct result_slot {
    void* place(task_node&) noexcept { return static_cast<void*>(std::addressof(value)); }
    union {
        T value;
    };
    result_slot() noexcept {}
    ~result_slot() {}
};
template <typename T>
struct result_slot<T, true> {
    static void* place(task_node& n) noexcept { return static_cast<void*>(n.result); }
};

template <typename T>
class promise final : public promise_base {
public:
    promise(creation_site site = {tinyrt::source_location::current()}) noexcept {
        note_creation(site.where);
    }
    ~promise() {
        if (has(task_has_value)) value().~T();
    }
    task<T> get_return_object() noexcept;

    template <typename U>
    requires std::is_convertible_v<U&&, T>
    void return_value(U&& v) noexcept(std::is_nothrow_constructible_v<T, U&&>) {
        ::new (slot_.place(*this)) T(std::forward<U>(v));
        flags |= task_has_value;
    }

    // The result, moved out: the value, or the task's exception rethrown.
    T take() {
        rethrow_if_failed();
        if (!has(task_has_value)) fatal("task result taken twice, or the task was cancelled");
        flags &= ~task_has_value;
        T out = std::move(value());
        value().~T();
        return out;
    }

private:
    T& value() noexcept { return *std::launder(static_cast<T*>(slot_.place(*this))); }
    [[no_unique_address]] result_slot<T> slot_;
};

template <>
class promise<void> final : public promise_base {
public:
    promise(creation_site site = {tinyrt::source_location::current()}) noexcept {
        note_creation(site.where);
    }
    task<void> get_return_object() noexcept;
    void return_void() noexcept {}
    void take() { rethrow_if_failed(); }
};

// The library's own way to a task's node (gather, group_waiter), kept out of
// task's public interface.
struct task_access {
    template <typename T>
    static task_node* node(const task<T>& t) noexcept {
        return t.node();
    }
};

}  // namespace detail

template <typename T>
class [[nodiscard]] task {
public:
    using promise_type = detail::promise<T>;
    using value_type = T;
    using handle_type = std::coroutine_handle<promise_type>;

    task() noexcept = default;
    explicit task(handle_type h) noexcept : frame_(h) {}
    task(task&& other) noexcept : frame_(std::exchange(other.frame_, {})) {}
    task& operator=(task&& other) noexcept {
        if (this != &other) {
            if (frame_) frame_.destroy();
            frame_ = std::exchange(other.frame_, {});
        }
        return *this;
    }
    task(const task&) = delete;
    task& operator=(const task&) = delete;
    // Destroys the frame: a task never started runs nothing; a finished one
    // frees its result.
    ~task() {
        if (frame_) frame_.destroy();
    }

    bool valid() const noexcept { return static_cast<bool>(frame_); }

    // Gives up ownership of the frame (to a root node).
    handle_type release() noexcept { return std::exchange(frame_, {}); }

    struct awaiter {
        handle_type callee;
        bool await_ready() const noexcept { return false; }
        std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) noexcept {
            callee.promise().set_continuation(caller);
            return callee;  // symmetric transfer: start the callee
        }
        T await_resume() { return callee.promise().take(); }
    };

    // Runs the task inside the awaiting chain. A task runs once: awaiting
    // an empty (moved-from) task, or one that was awaited before (finished,
    // or still running in another await), is a programming error and ends
    // the program with a message.
    awaiter operator co_await() && noexcept { return awaiter{checked()}; }
    awaiter operator co_await() & noexcept { return awaiter{checked()}; }

private:
    friend struct detail::task_access;
    // The frame's node (its promise, task_node.hpp), or null if empty; the
    // task keeps the frame (gather's table of children).
    detail::task_node* node() const noexcept {
        return frame_ ? static_cast<detail::task_node*>(&frame_.promise()) : nullptr;
    }
    handle_type checked() const noexcept {
        if (!frame_) detail::fatal("co_await on an empty task (moved from?)");
        if (frame_.promise().awaited())
            detail::fatal("co_await on a task that was already awaited (a task runs once)");
        return frame_;
    }
    handle_type frame_;
};

namespace detail {
template <typename T>
task<T> promise<T>::get_return_object() noexcept {
    // task_node::frame() finds the frame 16 bytes before the promise.
    static_assert(alignof(promise<T>) <= 16, "a task's result type may be aligned to 16 at most");
    return task<T>{std::coroutine_handle<promise<T>>::from_promise(*this)};
}
inline task<void> promise<void>::get_return_object() noexcept {
    return task<void>{std::coroutine_handle<promise<void>>::from_promise(*this)};
}

// Makes the frame of promise `p` a root on `loop` and names it on the
// timeline; who owns the frame is the caller's business.
inline task_node* start_root(loop_core& loop, promise_base* p, completion_listener* listener,
                             std::uint32_t tag) {
    task_node* node = loop.spawn(p, listener, tag);
    if (trace::current_buffer() != nullptr)
        [[unlikely]]  // names the root (promise_base::note_creation)
        trace::hooks::coroutine_root(reinterpret_cast<std::uintptr_t>(node),
                                     reinterpret_cast<std::uintptr_t>(p));
    return node;
}

// Turns a task into a root on `loop`: the node owns the frame from now on.
template <typename T>
task_node* spawn_task(loop_core& loop, task<T>&& t, completion_listener* listener,
                      std::uint32_t tag = 0) {
    auto h = t.release();
    if (!h) fatal("an empty task (moved from?) given to the loop");
    return start_root(loop, &h.promise(), listener, tag);
}

// Rethrows the error a finished root ended with (cancelled_error if the
// cancellation destroyed it, without exceptions: then this is fatal).
inline void rethrow_root_error(task_node* node) {
    node->flags |= task_observed;
    if (node->has(task_frame_kept)) TINYRT_THROW(cancelled_error{});
    node->rethrow_if_failed();
}

// The result of a finished root, moved out (value, or its error rethrown).
// Once only: a second take (a task_handle awaited twice, or result() after
// the await) ends the program with a message.
[[noreturn, gnu::cold, gnu::noinline]] inline void result_taken_twice() noexcept {
    fatal("a task_handle's result was already taken (awaited twice, or result() after co_await)");
}
template <typename T>
[[gnu::always_inline]] inline T take_result(task_node* node) {
    if (node->has(task_observed)) [[unlikely]]
        result_taken_twice();
    node->flags |= task_observed;
    if (node->has(task_frame_kept)) TINYRT_THROW(cancelled_error{});  // destroyed by cancellation
    node->rethrow_if_failed();
    return static_cast<promise<T>*>(node)->take();
}
}  // namespace detail
}  // namespace tinyrt
