// pool.map(f, items): Python's Pool.map on the work-stealing pool.
//
// Chunking: the index range is split in halves recursively, each right half
// spawned into a task_group, down to a grain of n / (8 x workers) items (at
// least 1). Eight chunks per worker leave room for stealing to even out
// uneven chunks, and a chunk is a plain loop, so a million cheap items run
// at nearly the speed of the loop split in N parts. Three slow items on
// three workers become three tasks of one item each.
//
// Results are written in place into the output vector (element i by the task
// that owns index i), so the order is the input order whatever ran where.
//
// Called on a worker of this pool, the split runs in place (a fork-join
// tree under the caller). From any other thread it is one root task that the
// caller joins: a worker of another pool runs that task itself if no worker
// of this one has started it (join(), DESIGN.md, rule 4), and then its chunks
// are children spawned from outside, which this pool's workers, waiting or
// not, and the caller itself run (task_group.hpp). So a task on another pool
// may map on this one while every worker here waits for that task.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "tinyrt/sched/pool.hpp"
#include "tinyrt/sched/task_group.hpp"

namespace tinyrt::detail {

// What pool.map accepts, without <ranges> (a large header): begin(items)
// and end(items), found as a range-for finds them (members, std::begin for
// arrays, or by ADL), giving an iterator with it[k] and end - begin: any
// sized random-access range (vector, array, span, deque, iota_view...).
namespace map_access {
using std::begin;
using std::end;
template <typename Range>
auto first(const Range& r) -> decltype(begin(r)) {
    return begin(r);
}
template <typename Range>
auto last(const Range& r) -> decltype(end(r)) {
    return end(r);
}
}  // namespace map_access

template <typename Range>
concept map_range = requires(const Range& r, std::ptrdiff_t k) {
    map_access::first(r)[k];
    map_access::last(r) - map_access::first(r);
};

template <typename Range>
using map_item_t = decltype(map_access::first(std::declval<const Range&>())[std::ptrdiff_t{}]);

// f(item) as std::invoke calls it: a member pointer is applied to the item,
// or to what it points to.
template <typename F, typename Item>
decltype(auto) map_call(F& f, Item&& item) {
    if constexpr (!std::is_member_pointer_v<F>) {
        return f(std::forward<Item>(item));
    } else if constexpr (std::is_member_function_pointer_v<F>) {
        if constexpr (requires { (item.*f)(); }) {
            return (std::forward<Item>(item).*f)();
        } else {
            return ((*std::forward<Item>(item)).*f)();
        }
    } else if constexpr (requires { item.*f; }) {
        return (std::forward<Item>(item).*f);
    } else {
        return ((*std::forward<Item>(item)).*f);
    }
}

// Fills out[lo, hi) with f(items[i]), spawning halves while a chunk is
// larger than the grain.
template <typename F, typename Range, typename Out>
struct map_splitter {
    F& f;
    const Range& items;
    Out* out;
    std::size_t grain;
    task_group& group;

    void operator()(std::size_t lo, std::size_t hi) const {
        while (hi - lo > grain) {
            std::size_t mid = lo + (hi - lo) / 2;
            map_splitter self = *this;
            group.spawn([self, mid, hi] { self(mid, hi); });
            hi = mid;
        }
        auto first = map_access::first(items);
        for (std::size_t i = lo; i < hi; ++i) {
            out[i] = map_call(f, first[static_cast<std::ptrdiff_t>(i)]);
        }
    }
};

}  // namespace tinyrt::detail

namespace tinyrt {

template <typename F, typename Range>
auto pool::map(F&& f, const Range& items) {
    static_assert(detail::map_range<Range>,
                  "pool.map needs a sized random-access range (vector, array, span, iota...)");
    using Item = detail::map_item_t<Range>;
    using R = std::decay_t<std::invoke_result_t<F&, Item>>;
    static_assert(!std::is_void_v<R>, "pool.map collects results; f must return a value");

    const std::size_t n = static_cast<std::size_t>(detail::map_access::last(items) -
                                                   detail::map_access::first(items));
    std::size_t grain = n / (8 * static_cast<std::size_t>(size()));
    if (grain == 0) grain = 1;

    auto run_all = [&](auto* out) {
        using Out = std::remove_pointer_t<decltype(out)>;
        auto work = [&] {
            task_group g{*this};
            detail::map_splitter<F, Range, Out> split{f, items, out, grain, g};
            split(0, n);
            g.wait();
        };
        detail::worker* w = detail::tls_worker;
        if (w != nullptr && w->owner == this) {
            work();  // already on a worker: fork-join in place
        } else {
            spawn(work).join();  // from outside: one root task, joined (see above)
        }
    };

    if constexpr (std::is_default_constructible_v<R> &&
                  !std::is_same_v<R, bool>) {  // vector<bool> has no data()
        std::vector<R> out(n);
        if (n > 0) run_all(out.data());
        return out;
    } else {
        std::vector<std::optional<R>> slots(n);
        if (n > 0) run_all(slots.data());
        std::vector<R> out;
        out.reserve(n);
        for (auto& s : slots) out.push_back(std::move(*s));
        return out;
    }
}

template <typename F, typename T>
auto pool::map(F&& f, std::initializer_list<T> items) {
    return map(std::forward<F>(f), std::vector<T>(items));
}

}  // namespace tinyrt
