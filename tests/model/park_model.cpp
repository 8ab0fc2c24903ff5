// Relacy model of the park/notify protocol (sched/detail/parking.hpp): the
// runtime's basic_idle_set on Relacy's atomics, futex and mutex, with a
// basic_chase_lev_deque as the owner's queue and an injection count.
//
// Threads, for one schedule (suites one_worker and two_workers: producers_and_workers with 1 and
// 2):
//   owner     pushes an item on its deque, publish_fence() (step b),
//             notify_one() (steps c-e)
//   injector  counts an injected item (the seq_cst RMW that is its step a
//             and b at once, as counted_queue's count), notify_one()
//   workers   the pool's worker loop (pool.cpp): search (a counted searcher
//             takes from the deque or the injection count), and when that
//             finds nothing park: announce (step 1), park_fence() (step 2),
//             re-check the deque and the count (step 3), then cancel
//             (step 4) or sleep on its bell (step 5).
// Checked: no lost wake-up. The workers take both items (then the one that
// took the last sets `done` and wakes the others, as the pool's shutdown
// does); a notifier that misses a parked worker while that worker's re-check
// misses the work leaves it asleep on its futex forever, which Relacy
// reports as a deadlock.
// --weak runs the same code with park_orders weakened to acquire/release
// and without the fences: the deadlock must then be found.
#include "model/run_model.hpp"
#include "tinyrt/sched/detail/chase_lev_deque.hpp"
#include "tinyrt/sched/detail/parking.hpp"

namespace {

using tinyrt::model::relacy_atomics;

// Deliberately too weak: the announcement and the notifier's check are a
// store-buffering pair with nothing to stop both loads reading old values.
struct weak_park_orders {
    // acq_rel: deliberately too weak, the variant that must fail
    static constexpr std::memory_order announce = std::memory_order::acq_rel;
    // acquire: deliberately too weak, the variant that must fail
    static constexpr std::memory_order check = std::memory_order::acquire;
    static constexpr bool fences = false;
};

constexpr int items = 2;  // one pushed, one injected

// The queues, the idle set and the worker loop, for `workers` workers; the
// first `producers` threads publish the two items.
template <class Orders, unsigned workers>
struct pool_model {
    using idle_set = tinyrt::detail::basic_idle_set<relacy_atomics, Orders>;
    int work[items] = {0, 1};
    tinyrt::detail::basic_chase_lev_deque<int*, relacy_atomics> deque{4};
    relacy_atomics::atomic<std::int64_t> injected{0};
    // Set when every item is taken: the pool's shutdown flag, which the
    // re-check reads, so that the workers left asleep can stop.
    relacy_atomics::atomic<bool> done{false};
    idle_set idle{workers};
    int taken = 0;  // the model's own bookkeeping (Relacy runs one thread at a time)

    // A searcher's look at the queues (the pool's find_foreign and
    // take_injected): true when it took an item.
    bool try_take() {
        int* it = nullptr;
        if (deque.steal(it) == decltype(deque)::steal_result::success) return true;
        std::int64_t n = injected.load(std::memory_order::seq_cst);
        while (n > 0) {
            if (injected.compare_exchange_strong(n, n - 1, std::memory_order::seq_cst,
                                                 std::memory_order::seq_cst))
                return true;
        }
        return false;
    }

    // Step 3: everything a parker re-checks.
    bool visible_work() const {
        return deque.looks_non_empty() || injected.load(std::memory_order::seq_cst) > 0 ||
               done.load(std::memory_order::seq_cst);
    }

    void produce(unsigned index) {
        if (index == 0) {
            deque.push(&work[0]);
            idle_set::publish_fence();
            idle.notify_one();
        } else {
            injected.fetch_add(1, std::memory_order::seq_cst);
            idle.notify_one();
        }
    }

    void worker(unsigned w) {
        bool counted = false;  // woken by a notifier, which counted it as searching
        while (!done.load(std::memory_order::seq_cst)) {
            const bool searching = counted || idle.begin_search();
            counted = false;
            const bool found = try_take();
            if (searching) idle.end_search(found);
            if (found) {
                if (++taken == items) {
                    done.store(true, std::memory_order::seq_cst);
                    idle.notify_all();
                }
                continue;
            }
            idle.announce(w);              // step 1
            idle_set::park_fence();        // step 2
            if (visible_work()) {          // step 3
                counted = idle.cancel(w);  // step 4
                continue;
            }
            idle.sleep(w);  // step 5
            counted = true;
        }
        if (counted) idle.end_search(false);
    }
};

// Owner and injector against `Workers` workers. With two: the searching_
// shortcut and the baton (a searcher that found work wakes the next sleeper).
template <class Orders, unsigned Workers>
struct producers_and_workers : rl::test_suite<producers_and_workers<Orders, Workers>, 2 + Workers> {
    pool_model<Orders, Workers> p;
    void thread(unsigned index) {
        if (index < 2) {
            p.produce(index);
        } else {
            p.worker(index - 2);
        }
    }
    void after() { RL_ASSERT(p.taken == items); }
};

template <class Orders>
int run_all(unsigned long long scale, const std::string& suffix) {
    using tinyrt::model::run;
    bool ok = run<producers_and_workers<Orders, 1>>("park one_worker" + suffix, 1'000'000 * scale);
    ok = run<producers_and_workers<Orders, 2>>("park two_workers" + suffix, 500'000 * scale) && ok;
    return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    const auto o = tinyrt::model::parse(argc, argv, "Relacy model of the park/notify protocol.");
    return o.weak ? run_all<weak_park_orders>(o.scale, " (weakened)")
                  : run_all<tinyrt::detail::park_orders>(o.scale, "");
}
