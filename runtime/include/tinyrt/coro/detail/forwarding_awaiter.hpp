// The base of every awaiter that waits for other roots to finish: `co_await
// handle` (create_task.hpp), gather and when_any (group_waiter.hpp),
// wait_for. The plain parking awaiters (one event, then ready) share
// parked_awaiter.hpp instead. It holds the awaiting root, where it resumes,
// and the steps they share:
//   park     await_suspend, after the awaited roots exist: park the awaiting
//            root with this as its cancel hook. If a cancellation is pending
//            the root is not parked: the cancellation is forwarded at once
//            (below) and, with exceptions, the root still waits for the
//            awaited roots to finish, so that none outlives the await;
//            without exceptions the loop destroys the chain instead (park
//            returns false: do not register as a listener).
//   forward  the cancel hook: the awaiting root was cancelled while it
//            waited. It stays parked here (a second cancel forwards again),
//            cancel_forwarded_ records it, and Derived::forward_cancel()
//            passes it on to what it waits for (asyncio does the same).
//   resume   from a completion listener, when the last awaited root is
//            done: resume the awaiting root at its await (symmetric
//            transfer; task_node::resume_waiter).
//   report   await_resume, first: a forwarded cancellation wins over
//            whatever the awaited roots ended with (they may have caught
//            their own cancelled_error and returned).
// All on the loop thread. Derived is CRTP (its forward_cancel is called
// without a function pointer of its own in every frame) and sets its
// completion_listener's on_done.
#pragma once

#include <coroutine>

#include "tinyrt/coro/detail/loop_core.hpp"
#include "tinyrt/coro/detail/task_node.hpp"
#include "tinyrt/coro/errors.hpp"
#include "tinyrt/detail/config.hpp"

namespace tinyrt::detail {

template <typename Derived>
class forwarding_awaiter : protected completion_listener, protected cancel_hook {
public:
    forwarding_awaiter(const forwarding_awaiter&) = delete;
    forwarding_awaiter& operator=(const forwarding_awaiter&) = delete;

protected:
    explicit forwarding_awaiter(std::coroutine_handle<> (*done)(completion_listener*,
                                                                task_node*) noexcept) noexcept {
        this->on_done = done;
        this->cancel = &forward;
    }
    ~forwarding_awaiter() = default;

    // Step park. True: the root waits (register as the listener of what it
    // awaits); false only without exceptions, when the loop destroys the
    // chain. await_suspend returns true either way.
    bool park_waiter(loop_core& loop, std::coroutine_handle<> h) noexcept {
        waiter_ = loop.current_task();
        resume_at_ = h;
        if (loop.park(h, static_cast<cancel_hook*>(this))) return true;
        cancel_forwarded_ = true;
        static_cast<Derived*>(this)->forward_cancel();
        return !suspend_to_cancel;
    }

    // Step resume.
    std::coroutine_handle<> resume_waiter() noexcept { return waiter_->resume_waiter(resume_at_); }

    // Whether the awaiting root's cancellation was forwarded (from park on).
    bool cancel_forwarded() const noexcept { return cancel_forwarded_; }

    // Step report.
    void throw_if_cancelled() const {
        if (cancel_forwarded_) TINYRT_THROW(cancelled_error{});
    }

    // The listener and the hook back to the awaiter (a Derived may have
    // other bases of the same kinds, as wait_for has a timer).
    static Derived& from(completion_listener* l) noexcept {
        return static_cast<Derived&>(static_cast<forwarding_awaiter&>(*l));
    }

private:
    static void forward(cancel_hook* self) noexcept {
        auto& me = static_cast<forwarding_awaiter&>(*self);
        me.waiter_->hook = &me;  // stay parked here until the awaited roots finish
        me.cancel_forwarded_ = true;
        static_cast<Derived&>(me).forward_cancel();
    }

    task_node* waiter_ = nullptr;
    std::coroutine_handle<> resume_at_;
    bool cancel_forwarded_ = false;  // the awaiting root was cancelled while it waited
};

}  // namespace tinyrt::detail
