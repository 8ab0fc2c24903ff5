// Relacy model of the event loop's post/sleep wake-up
// (coro/detail/loop_wakeup.hpp): the runtime's basic_loop_wakeup on
// Relacy's atomics, with the eventfd modelled as a counter the loop sleeps
// on with the policy's futex.
//
// Threads, for one schedule:
//   posters (2)  post one item each; when post() says so, signal the
//                eventfd (add 1, wake)
//   loop         the loop_core step: take everything posted; when both
//                items have arrived, stop; otherwise prepare_sleep() (S1,
//                S2) and, if it allows, sleep until the eventfd is
//                non-zero (S3), woke() (S4), drain the eventfd and
//                signal_consumed()
// Checked: every item is received exactly once, its contents (written
// before the post) visible, and no lost wake-up (the loop asleep with an item
// posted and nobody left to signal is a deadlock).
#include "model/run_model.hpp"
#include "tinyrt/coro/detail/loop_wakeup.hpp"

namespace {

using tinyrt::model::relacy_atomics;

struct work {
    work* next = nullptr;
    int id = 0;
    rl::var<int> payload;
};

constexpr int posters = 2;

struct post_and_sleep : rl::test_suite<post_and_sleep, posters + 1> {
    tinyrt::detail::basic_loop_wakeup<work, relacy_atomics> wakeup;
    relacy_atomics::atomic<std::uint32_t> eventfd{0};
    work items[posters];
    int received[posters] = {};
    int total = 0;

    void signal() {
        eventfd.fetch_add(1, std::memory_order::seq_cst);
        relacy_atomics::futex_wake(eventfd, 1);
    }

    void receive(work* w) {
        while (w != nullptr) {
            work* next = w->next;
            RL_ASSERT(w->payload($) == 10 + w->id);
            RL_ASSERT(received[w->id]++ == 0);
            ++total;
            w = next;
        }
    }

    void loop() {
        for (;;) {
            if (!wakeup.looks_empty()) receive(wakeup.take_all());
            if (total == posters) return;
            if (!wakeup.prepare_sleep()) continue;
            // epoll_wait: until the eventfd is readable
            while (eventfd.load(std::memory_order::seq_cst) == 0)
                relacy_atomics::futex_wait(eventfd, 0);
            wakeup.woke();
            eventfd.exchange(0, std::memory_order::seq_cst);
            wakeup.signal_consumed();
        }
    }

    void thread(unsigned index) {
        if (index == posters) {
            loop();
            return;
        }
        work& w = items[index];
        w.id = static_cast<int>(index);
        w.payload($) = 10 + w.id;
        if (wakeup.post(&w)) signal();
    }

    void after() {
        RL_ASSERT(total == posters);
        RL_ASSERT(wakeup.take_remaining() == nullptr);
    }
};

}  // namespace

int main(int argc, char** argv) {
    const auto o = tinyrt::model::parse(argc, argv, "Relacy model of the loop's wake-up.");
    if (o.weak) {
        std::fprintf(stderr, "loop_wakeup_model: no weakened variant\n");
        return 2;
    }
    return tinyrt::model::run<post_and_sleep>("loop wake-up", 2'000'000 * o.scale) ? 0 : 1;
}
