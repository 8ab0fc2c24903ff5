// tinyrt::gather: asyncio.gather. Runs tasks concurrently on the loop and
// gives all their results, in argument order.
//
//   auto [a, b] = co_await tinyrt::gather(g(1), g(2));       // std::tuple<int, int>
//   std::vector<int> v = co_await tinyrt::gather(std::move(tasks));
//
// The children start when the gather is awaited (not when gather() is
// called). A task<void> contributes std::monostate to the tuple; gathering
// a vector of task<void> gives void.
//
// Errors: the first child to fail (in time, not in argument order) has its
// exception rethrown to the awaiter -- but only after every other child has
// finished: the unfinished ones are cancelled, and gather waits for their
// cancellation to complete (asyncio's TaskGroup semantics; plain
// asyncio.gather would leave them running). Cancelling the awaiting task
// cancels every child; it then sees cancelled_error. Protocol and its
// argument: group_waiter.hpp.
#pragma once

#include <array>
#include <coroutine>
#include <cstddef>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "tinyrt/coro/detail/group_waiter.hpp"
#include "tinyrt/coro/task.hpp"

namespace tinyrt {
namespace detail {

template <typename T>
using gathered_t = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

template <typename T>
gathered_t<T> take_gathered(task_node* node) {
    if constexpr (std::is_void_v<T>) {
        take_result<void>(node);
        return {};
    } else {
        return take_result<T>(node);
    }
}

template <typename... Ts>
class gather_tuple_awaiter : private group_waiter {
public:
    explicit gather_tuple_awaiter(task<Ts>&&... ts)
        : group_waiter(false), tasks_(std::move(ts)...) {}
    ~gather_tuple_awaiter() { release_children(nodes_); }

    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> h) {
        loop_core& loop = loop_for("gather");
        spawn_all(loop, std::index_sequence_for<Ts...>{});
        return park(loop, h, nodes_.data(), nodes_.size());
    }
    std::tuple<gathered_t<Ts>...> await_resume() {
        throw_if_cancelled();
        if (first_failed() != none) rethrow_root_error(nodes_[first_failed()]);
        return collect(std::index_sequence_for<Ts...>{});
    }

private:
    template <std::size_t... I>
    void spawn_all(loop_core& loop, std::index_sequence<I...>) {
        ((nodes_[I] = spawn_task(loop, std::move(std::get<I>(tasks_)), this,
                                 static_cast<std::uint32_t>(I))),
         ...);
    }
    template <std::size_t... I>
    std::tuple<gathered_t<Ts>...> collect(std::index_sequence<I...>) {
        return std::tuple<gathered_t<Ts>...>{take_gathered<Ts>(nodes_[I])...};
    }

    std::tuple<task<Ts>...> tasks_;
    std::array<task_node*, sizeof...(Ts)> nodes_{};
};

template <typename T>
class gather_vector_awaiter : private group_waiter {
    // Results land here as children finish (harvest), in argument order.
    // Default-constructible T: the final vector itself; otherwise optionals
    // moved into it at the end.
    static constexpr bool direct =
        std::is_default_constructible_v<T> && std::is_move_assignable_v<T>;
    using slot_type = std::conditional_t<direct, T, std::optional<T>>;

public:
    explicit gather_vector_awaiter(std::vector<task<T>>&& ts)
        : group_waiter(false), tasks_(std::move(ts)) {
        if constexpr (!std::is_void_v<T>) this->harvest_ = &harvest;
        this->child_at_ = &child_at;
    }
    // Before the await the tasks are plain tasks (their destructors free
    // them); from it on they are the children's table.
    ~gather_vector_awaiter() {
        if (spawned_) release_tasks(tasks_);
    }

    bool await_ready() const noexcept { return tasks_.empty(); }
    bool await_suspend(std::coroutine_handle<> h) {
        loop_core& loop = loop_for("gather");
        if constexpr (!std::is_void_v<T>) results_.resize(tasks_.size());
        // Each task object keeps its frame: the vector is the table of
        // children (8 bytes each, no second array of nodes).
        for (std::size_t i = 0; i < tasks_.size(); ++i) spawn_kept(loop, tasks_[i], i);
        spawned_ = true;
        return park(loop, h, nullptr, tasks_.size());
    }
    auto await_resume() {
        throw_if_cancelled();
        if (first_failed() != none) {
            // A failed child is never harvested: still in the table.
            if (task_node* failed = task_access::node(tasks_[first_failed()]))
                rethrow_root_error(failed);
        }
        if constexpr (std::is_void_v<T>) {
            return;
        } else if constexpr (direct) {
            return std::move(results_);
        } else {
            std::vector<T> out;
            out.reserve(results_.size());
            for (auto& r : results_) out.push_back(std::move(*r));
            return out;
        }
    }

private:
    static void harvest(group_waiter* self, task_node* child) noexcept {
        auto* me = static_cast<gather_vector_awaiter*>(self);
        // A successful child: take_result cannot throw here.
        me->results_[child->tag] = take_result<T>(child);
        (void)me->tasks_[child->tag].release();  // forgotten: the node frees the frame
        child->release();
    }
    static task_node* child_at(group_waiter* self, std::size_t i) noexcept {
        return task_access::node(static_cast<gather_vector_awaiter*>(self)->tasks_[i]);
    }

    std::vector<task<T>> tasks_;
    std::vector<std::conditional_t<std::is_void_v<T>, char, slot_type>> results_;
    bool spawned_ = false;
};

}  // namespace detail

// Awaitable: runs every task concurrently; gives a std::tuple of results.
template <typename... Ts>
[[nodiscard]] detail::gather_tuple_awaiter<Ts...> gather(task<Ts>... ts) {
    return detail::gather_tuple_awaiter<Ts...>{std::move(ts)...};
}

// Awaitable: runs every task of the vector concurrently; gives a
// std::vector of results in the same order (void for task<void>).
template <typename T>
[[nodiscard]] detail::gather_vector_awaiter<T> gather(std::vector<task<T>> ts) {
    return detail::gather_vector_awaiter<T>{std::move(ts)};
}

}  // namespace tinyrt
