// The event loop's wake-up protocol: work posted by other threads against the
// loop going to sleep (loop_core.hpp, "Wake-up protocol").
//
//   loop:   S1 sleeping_ = true      S2 read posted_   (non-empty: do not sleep)
//           S3 sleep (epoll_wait)    S4 sleeping_ = false, then drain the
//                                       eventfd and clear wake_pending_
//   poster: P1 push onto posted_     P2 read sleeping_ (true: signal, once:
//                                       wake_pending_ dedups the signals)
//
// Every operation of the protocol is seq_cst and both sides write, then
// read: in the single total order S either S1 precedes P2 (the poster sees
// the loop asleep and signals, which ends S3) or P2 precedes S1, hence P1
// precedes S2 and the loop sees the item and does not sleep. The posted
// items form a lock-free LIFO (a Treiber stack) that the loop takes whole.
//
// A template on the atomics policy (detail/atomics_policy.hpp) so that the
// Relacy model in tests/model runs this code. The signal itself (the
// eventfd write, the epoll_wait) is the caller's.
#pragma once

#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/detail/atomics_policy.hpp"

namespace tinyrt::detail {

// Item: any type with an `Item* next` member, owned by the stack while posted.
template <class Item, class Atomics = std_atomics>
class basic_loop_wakeup {
    template <class U>
    using atomic = typename Atomics::template atomic<U>;

public:
    // Any thread: P1 and P2. Pushes `work`; true when the caller must signal
    // the loop (it is asleep or about to be, and nobody signalled since it
    // last consumed a signal).
    bool post(Item* work) noexcept {
        // P1: push. seq_cst on success: it is ordered before P2 below.
        Item* head = posted_.load(relaxed);  // a guess; the CAS validates it
        // On failure nothing is published: retry with the fresh head (relaxed).
        do {
            work->next = head;
        } while (!posted_.compare_exchange_weak(head, work, seq_cst,
                                                relaxed));  // failure publishes nothing
        // P2: is the loop asleep (or about to be)?
        return sleeping_.load(seq_cst) && !wake_pending_.exchange(true, seq_cst);
    }

    // Loop thread: whether nothing is posted. A hint only: a post racing
    // with it is caught by prepare_sleep().
    bool looks_empty() const noexcept {
        return posted_.load(relaxed) == nullptr;  // a hint (see above)
    }

    // Loop thread: everything posted, newest first.
    Item* take_all() noexcept { return posted_.exchange(nullptr, seq_cst); }

    // Loop thread: S1 and S2. False when something is posted: do not sleep.
    bool prepare_sleep() noexcept {
        sleeping_.store(true, seq_cst);
        if (posted_.load(seq_cst) != nullptr) {
            sleeping_.store(false, seq_cst);
            return false;
        }
        return true;
    }

    // Loop thread: S4, when the sleep prepared above has ended.
    void woke() noexcept { sleeping_.store(false, seq_cst); }

    // Loop thread: the signal was consumed (the eventfd drained); before the
    // next take_all(), so a post after it signals again if needed.
    void signal_consumed() noexcept { wake_pending_.store(false, seq_cst); }

    // The loop's destructor, once no thread posts any more: what was never
    // taken. The acquire pairs with the push's CAS (seq_cst, hence also a
    // release), so the items' contents are visible.
    Item* take_remaining() noexcept { return posted_.exchange(nullptr, acquire); }

private:
    atomic<Item*> posted_{nullptr};
    atomic<bool> sleeping_{false};
    atomic<bool> wake_pending_{false};
};

}  // namespace tinyrt::detail
