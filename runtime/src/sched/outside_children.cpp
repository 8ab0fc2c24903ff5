// The spawn and the waiter's side of task_group children from outside the
// pool: see tinyrt/sched/detail/outside_children.hpp for the protocol.
#include "tinyrt/sched/detail/outside_children.hpp"

#include <optional>

#include "tinyrt/sched/pool.hpp"

namespace tinyrt::detail {

// On the pool's side: the ticket (DESIGN.md, "What a waiting worker may
// run", rule 2).
void sched_core::submit_from_outside(detail::task_block* b) noexcept {
    external_spawns_.fetch_add(1, detail::relaxed);  // statistics only
    from_outside_.push(b, "tinyrt::task_group::spawn");
    idle_.notify_one();
}

void outside_list::push(task_block* b, group_state& g, sched_core& pool) noexcept {
    g.other_spawned();
    outside_child* c = outside_child::of(b);
    // only a guess for the CAS, which re-reads it
    task_block* head = head_.load(relaxed);
    // release on success: the block's contents to the waiter's exchange;
    // a failure publishes nothing.
    do {
        c->next = head;
    } while (!head_.compare_exchange_weak(head, b, release, relaxed));
    pool.submit_from_outside(b);
    g.poke();
}

void outside_list::retire(task_block* b, group_state& g, sched_core& pool) noexcept {
    // Off every pool: retire only. On one of the pool's workers: claim too.
    // On a worker of another pool: claim as a guest (DESIGN.md, "Guests").
    worker* w = tls_worker;
    const bool as_guest = w != nullptr && w->owner != &pool;
    std::uint32_t mine = outside_child::retired;
    if (w != nullptr) mine |= outside_child::claimed;
    if (as_guest) mine |= outside_child::guest;  // ignored by everyone if the claim is lost
    std::optional<guest_scope> counted;          // as a guest, from the first claim won
    while (b != nullptr) {
        outside_child* c = outside_child::of(b);
        task_block* next = c->next;
        // acq_rel: acquire pairs with the executor's `ran` (its writes);
        // release pairs with its fetch_or when it comes after (it then
        // drops the count, and must see this group still waiting).
        std::uint32_t before = c->state.fetch_or(mine, acq_rel);  // see above
        if (w != nullptr && (before & outside_child::claimed) == 0) {
            if (as_guest) {
                if (!counted) counted.emplace(pool);  // the pending ticket keeps the pool alive
                // release: the guest count, to the loser's wait in run_ticket().
                c->state.fetch_or(outside_child::registered, release);  // see above
            }
            // Recorded on this thread's lane of the pool's timeline (a
            // guest waiter, on a worker of another pool, gets a track of
            // its own there).
            pool.run_claimed(b, c->execute);
            g.drop_own_count();
        } else if ((before & outside_child::ran) != 0) {
            g.drop_own_count();
        }  // else: still running elsewhere; its executor drops the count
        outside_child::release(b);
        b = next;
    }
}

}  // namespace tinyrt::detail
