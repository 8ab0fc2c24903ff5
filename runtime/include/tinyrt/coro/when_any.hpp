// tinyrt::when_any: the first of several tasks to finish wins (asyncio.wait
// with FIRST_COMPLETED, then cancel the rest).
//
//   auto [index, value] = co_await tinyrt::when_any(std::move(tasks));
//
// Every task starts when the when_any is awaited. The first to finish (in
// time) wins; every other one is cancelled and when_any waits until they
// have all finished, so nothing it started outlives the await. If the winner
// failed, its exception is rethrown. Only one can win: completions are
// processed one at a time on the loop thread, and the first one processed
// is the winner (group_waiter.hpp).
#pragma once

#include <coroutine>
#include <cstddef>
#include <type_traits>
#include <utility>
#include <vector>

#include "tinyrt/coro/detail/group_waiter.hpp"
#include "tinyrt/coro/task.hpp"

namespace tinyrt {

template <typename T>
struct when_any_result {
    std::size_t index;  // which task won, in the vector's order
    T value;
};

namespace detail {

template <typename T>
class when_any_awaiter : private group_waiter {
public:
    explicit when_any_awaiter(std::vector<task<T>>&& ts)
        : group_waiter(true), tasks_(std::move(ts)) {
        if (tasks_.empty()) fatal("when_any of no tasks");
    }
    ~when_any_awaiter() { release_children(nodes_); }

    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> h) {
        loop_core& loop = loop_for("when_any");
        spawn_children(loop, tasks_, nodes_);
        return park(loop, h, nodes_.data(), nodes_.size());
    }
    auto await_resume() {
        throw_if_cancelled();
        const std::size_t winner = first_done();
        if constexpr (std::is_void_v<T>) {
            take_result<void>(nodes_[winner]);
            return winner;
        } else {
            return when_any_result<T>{winner, take_result<T>(nodes_[winner])};
        }
    }

private:
    std::vector<task<T>> tasks_;
    std::vector<task_node*> nodes_;
};

}  // namespace detail

// Awaitable: when_any_result<T> {index, value} of the first task to finish
// (just the index for task<void>). The vector must not be empty.
template <typename T>
[[nodiscard]] detail::when_any_awaiter<T> when_any(std::vector<task<T>> ts) {
    return detail::when_any_awaiter<T>{std::move(ts)};
}

// The same for tasks given as arguments (all of one result type).
template <typename T, typename... More>
requires(std::is_same_v<task<T>, More>&&...)
    [[nodiscard]] detail::when_any_awaiter<T> when_any(task<T> first, More... more) {
    std::vector<task<T>> ts;
    ts.reserve(1 + sizeof...(More));
    ts.push_back(std::move(first));
    (ts.push_back(std::move(more)), ...);
    return detail::when_any_awaiter<T>{std::move(ts)};
}

}  // namespace tinyrt
