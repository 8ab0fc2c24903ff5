// The event loop's core: see tinyrt/coro/detail/loop_core.hpp for the step
// and the wake-up protocol, tinyrt/coro/detail/task_node.hpp for
// cancellation.
#include "tinyrt/coro/detail/loop_core.hpp"

#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <exception>
#include <utility>

#include "tinyrt/coro/detail/trace_sites.hpp"
#include "tinyrt/coro/io_wait.hpp"
#include "tinyrt/coro/task.hpp"
#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/detail/config.hpp"
#include "tinyrt/detail/monotonic_clock.hpp"
#include "tinyrt/trace/sites.hpp"

namespace tinyrt::detail {
namespace {

// Timeline ids: a task node's or a timer's address. A posted item's flow id
// is its address plus one: odd, so never a task block's (the pool's spawn
// flows, 64-byte aligned) while both are alive.
std::uint64_t trace_id(const void* p) noexcept {
    return reinterpret_cast<std::uintptr_t>(p);
}
std::uint64_t post_flow(const posted_work* w) noexcept {
    return reinterpret_cast<std::uintptr_t>(w) + 1;
}
// A timer's delay from now in microseconds, saturated (trace::timer_set).
std::uint32_t delay_us(std::int64_t deadline_ns) noexcept {
    const std::int64_t us = (deadline_ns - loop_core::now_ns()) / 1000;
    if (us <= 0) return 0;
    return us > 0xffffffff ? 0xffffffffu : static_cast<std::uint32_t>(us);
}

void check_sys(int rc, const char* what) noexcept {
    if (rc < 0) {
        char msg[160];
        std::snprintf(msg, sizeof msg, "%s failed (errno %d)", what, errno);
        fatal(msg);
    }
}

}  // namespace

std::int64_t loop_core::now_ns() noexcept {
    return monotonic_ns();
}

// ---- cross-thread posting ---------------------------------------------------

void loop_core::post(posted_work* work) noexcept {
    // Announce ourselves before the item becomes visible: a loop that runs
    // the item and then starts its destructor sees this count (the increment
    // is sequenced before the seq_cst push that the loop's drain reads).
    posters_.fetch_add(1, seq_cst);
    if (trace_ != nullptr) [[unlikely]]
        trace_->loop_sites().post_from(*trace_, post_flow(work));
    push_and_wake(work);
    // The last touch of the loop; release pairs with the acquire load in ~loop_core().
    posters_.fetch_sub(1, release);
}

void loop_core::push_and_wake(posted_work* work) noexcept {
    // A count for reports; before the push, so the drain's decrement comes after it.
    posted_pending_.fetch_add(1, relaxed);
    // P1 and P2 of the wake-up protocol: push, then signal if the loop is
    // asleep or about to be.
    if (wakeup_.post(work)) {
        const std::uint64_t one = 1;
        [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof one);
    }
}

void loop_core::drain_posted() {
    if (wakeup_.looks_empty()) return;  // a hint; take_all() synchronizes
    posted_work* lifo = wakeup_.take_all();
    // The stack holds the newest first: reverse it to run in posting order.
    posted_work* fifo = nullptr;
    while (lifo != nullptr) {
        posted_work* next = lifo->next;
        lifo->next = fifo;
        fifo = lifo;
        lifo = next;
    }
    std::size_t drained = 0;
    while (fifo != nullptr) {
        posted_work* next = fifo->next;  // read first: run() may free or reuse the item
        ++stats_.posts;
        ++drained;
        trace::post_run(post_flow(fifo));
        fifo->run(fifo);
        fifo = next;
    }
    // A count for reports (see push_and_wake).
    posted_pending_.fetch_sub(drained, relaxed);
}

// ---- roots ------------------------------------------------------------------

task_node* loop_core::spawn(promise_base* promise, completion_listener* listener,
                            std::uint32_t tag) {
    task_node* node = promise;
    if (listener == nullptr) {
        node->tag = static_cast<std::uint32_t>(listed_.size());
        listed_.push_back(node);  // first: a bad_alloc leaves the frame with its task
        node->flags = task_listed;
    } else {
        node->tag = tag;
    }
    node->set_listener(listener);
    node->resume_point = node->frame();
    ++roots_;
    ++stats_.tasks_spawned;
    schedule(node);
    return node;
}

void loop_core::schedule(task_node* node) noexcept {
    node->next = nullptr;  // the word `hook` shares: task_ready says which (task_node.hpp)
    node->flags |= task_ready;
    if (ready_tail_ != nullptr) {
        ready_tail_->next = node;
    } else {
        ready_head_ = node;
    }
    ready_tail_ = node;
}

bool loop_core::park(std::coroutine_handle<> where, cancel_hook* hook) noexcept {
    task_node* node = current_;
    // Shutting down (run_until_done): every task still alive was cancelled
    // once; one that caught it and waits again is cancelled again, so run()
    // always ends.
    if (shutting_down_) node->flags |= task_cancel_pending;
    if (node->has(task_cancel_pending)) {
#if TINYRT_EXCEPTIONS
        node->flags &= ~task_cancel_pending;
#else
        node->resume_point = where;
        schedule(node);  // the loop destroys it instead of resuming it
#endif
        return false;
    }
    node->resume_point = where;
    node->hook = hook;
    return true;
}

void loop_core::deliver_cancel(task_node* node) noexcept {
    node->hook = nullptr;
#if TINYRT_EXCEPTIONS
    node->flags &= ~task_cancel_pending;  // reported by the await it resumes
#endif
    schedule(node);
}

loop_core& loop_for(const char* what) noexcept {
    loop_core* loop = tls_running_loop;
    if (loop == nullptr || loop->current_task() == nullptr) {
        char msg[160];
        std::snprintf(msg, sizeof msg, "%s used outside a task run by tinyrt::run", what);
        fatal(msg);
    }
    return *loop;
}

// Without exceptions a cancellation cannot travel up the chain as
// cancelled_error; the chain is destroyed instead (every awaiter's destructor
// unregisters its timer / fd / mutex wait) and the root finishes as cancelled.
void loop_core::destroy_cancelled(task_node* node) noexcept {
#if !TINYRT_EXCEPTIONS
    // The node is in the frame, and its owner (handle, gather) still reads
    // it: the frame's destructors run, its memory stays for the node
    // (promise_base::operator delete), and the node is made anew there.
    const std::uintptr_t link = node->link;
    const std::uint32_t flags = node->flags, tag = node->tag;
    tls_kept_frame = node->frame().address();
    node->frame().destroy();
    node = ::new (static_cast<void*>(node)) task_node;
    node->link = link;
    node->tag = tag;
    node->kept_bytes = tls_kept_bytes;
    node->flags = (flags & ~task_has_value) | task_failed | task_cancelled | task_frame_kept;
    node->finish().resume();
#else
    (void)node;
#endif
}

// ---- timers -----------------------------------------------------------------

void loop_core::add_timer(timer_entry* t, std::int64_t deadline_ns) {
    ++stats_.timers_set;
    if (trace::current_buffer() != nullptr) [[unlikely]]
        trace::timer_set(trace_id(t), delay_us(deadline_ns));
    timers_.push(t, deadline_ns);
}

void loop_core::cancel_timer(timer_entry* t) noexcept {
    if (!t->queued()) return;
    ++stats_.timers_cancelled;
    trace::timer_cancel(trace_id(t));
    timers_.cancel(t);
}

void loop_core::cancel_sleep(cancel_hook* tagged) noexcept {
    auto* t = reinterpret_cast<timer_entry*>(reinterpret_cast<std::uintptr_t>(tagged) &
                                             ~std::uintptr_t{1});
    cancel_timer(t);
    t->deadline = 1;  // cancelled (sleep.hpp)
    deliver_cancel(reinterpret_cast<task_node*>(t->what & ~std::uintptr_t{1}));
}

void loop_core::fire_timers() {
    const std::int64_t now = now_ns();
    while (timer_node* n = timers_.pop_expired(now)) {
        ++stats_.timers_fired;
        trace::timer_fire(trace_id(n));
        auto* t = static_cast<timer_entry*>(n);
        if ((t->what & 1) != 0) {
            t->deadline = 0;  // not cancelled (sleep.hpp)
            wake(reinterpret_cast<task_node*>(t->what & ~std::uintptr_t{1}));
        } else {
            reinterpret_cast<const timer_action*>(t->what)->fire(t);
        }
    }
}

// ---- the step -----------------------------------------------------------------

void loop_core::run_ready_batch() {
    // One load per batch; each resumption then tests a register.
    const bool traced = trace::current_buffer() != nullptr;
    task_node* batch = ready_head_;
    ready_head_ = ready_tail_ = nullptr;
    while (batch != nullptr) {
        task_node* node = batch;
        batch = node->next;
        node->next = nullptr;  // also `hook`: running, it is parked nowhere
        node->flags &= ~task_ready;
#if !TINYRT_EXCEPTIONS
        if (node->has(task_cancel_pending)) {
            destroy_cancelled(node);
            continue;
        }
#endif
        ++stats_.tasks_run;
        current_ = node;
        if (traced) [[unlikely]]
            trace::resume(trace_id(node), nullptr);  // named by its spawn (coro/create_task.hpp)
        node->resume_point.resume();
        if (traced) [[unlikely]]
            trace::suspend(trace_id(node));  // the node may be gone: only its id is used
        current_ = nullptr;
    }
}

void loop_core::mirror_probe() noexcept {
    // The ready queue keeps no count (schedule() stays two pointer writes):
    // count it here, up to loop_probe::ready_cap.
    std::size_t ready = 0;
    for (task_node* n = ready_head_; n != nullptr && ready < loop_probe::ready_cap; n = n->next)
        ++ready;
    probe_.mirror(ready, timers_.size(), io_waiting_, external_waits_, stats_.tasks_run);
}

void loop_core::step() {
    drain_posted();
    if (!timers_.empty()) fire_timers();
    // The report's counts: every 64th step while the loop runs, and always
    // before it sleeps (wait_for_events), so a parked loop's are exact.
    if ((++probe_steps_ & 63) == 0) mirror_probe();
    if (ready_head_ != nullptr) {
        // Tasks are ready: poll fds only if someone waits on one (a system
        // call), never just to schedule.
        if (io_waiting_ > 0) wait_for_events(false);
        probe_.set(loop_activity::running);
        run_ready_batch();
        probe_.set(loop_activity::polling);
        return;
    }
    // A hint only: a post racing with this load is caught by the wake-up
    // protocol in wait_for_events, and one already pushed is seen here.
    const bool nothing_posted = wakeup_.looks_empty();
    if (timers_.empty() && io_waiting_ == 0 && external_waits_ == 0 && nothing_posted &&
        keep_alives_.load(seq_cst) == 0) {
        fatal(
            "deadlock: every task is waiting and nothing can wake one "
            "(no timer, no fd, no thread working for the loop, no keep-alive held)");
    }
    wait_for_events(true);
}

void loop_core::wait_for_events(bool may_block) {
    int timeout_ms = 0;
    if (may_block) {
        if (!timers_.empty()) {
            const std::int64_t wait = timers_.next_deadline() - now_ns();
            if (wait <= 0) return;  // a timer is due: go fire it
            // Round up: waking before the deadline would only loop again.
            const std::int64_t ms = (wait + 999'999) / 1'000'000;
            timeout_ms = ms > 1'000'000 ? 1'000'000 : static_cast<int>(ms);
        } else {
            timeout_ms = -1;
        }
        // S1, S2 of the wake-up protocol.
        if (!wakeup_.prepare_sleep()) return;
    }
    epoll_event events[64];
    if (may_block) {
        mirror_probe();
        probe_.set(loop_activity::parked);
    }
    int n = ::epoll_wait(epoll_fd_, events, 64, timeout_ms);
    if (may_block) {
        probe_.set(loop_activity::polling);
        wakeup_.woke();  // S4
        ++stats_.wakeups;
    }
    if (n < 0) {
        if (errno == EINTR) return;
        check_sys(n, "epoll_wait");
    }
    for (int i = 0; i < n; ++i) {
        if (events[i].data.u64 == wake_token) {
            std::uint64_t count;
            [[maybe_unused]] ssize_t r = ::read(wake_fd_, &count, sizeof count);
            // before the drain in the next step (see post())
            wakeup_.signal_consumed();
            continue;
        }
        handle_fd_event(static_cast<int>(events[i].data.u64), events[i].events);
    }
}

// The fd half of the reactor that every loop needs: the events epoll
// reports (registration is in io_wait.cpp, with the protocol).
io_waiter io_edge_mark{nullptr};
io_waiter io_hangup_mark{nullptr};

void loop_core::handle_fd_event(int fd, std::uint32_t events) {
    if (static_cast<std::size_t>(fd) >= fds_.size()) return;
    fd_slot& slot = fds_[static_cast<std::size_t>(fd)];
    if (!slot.in_epoll) return;  // forgotten
    const std::uint32_t failure = EPOLLERR | EPOLLHUP;
    // A waiter there is made ready and takes the edge; with nobody there the
    // place remembers it. A hang-up is remembered either way.
    auto signal = [this, fd](io_waiter*& place, bool hung_up) {
        if (is_io_waiter(place)) {  // the woken task takes the edge
            trace::fd_ready(fd);
            wake(place->node);
            --io_waiting_;
            place = hung_up ? &io_hangup_mark : nullptr;
        } else if (place != &io_hangup_mark) {
            place = hung_up ? &io_hangup_mark : &io_edge_mark;
        }
    };
    if ((events & (EPOLLIN | EPOLLRDHUP | failure)) != 0)
        signal(slot.reader, (events & (EPOLLRDHUP | EPOLLHUP)) != 0);
    if ((events & (EPOLLOUT | failure)) != 0) signal(slot.writer, (events & EPOLLHUP) != 0);
}

void loop_core::run_until_done(task_node* main, tinyrt::source_location main_loc) {
    if (tls_running_loop != nullptr) fatal("tinyrt::run called from inside a running loop");
    // A traced loop's lane, "loop N", and its main coroutine's spawn.
    auto traced = trace_ != nullptr
                      ? trace_->loop_sites().attach_loop(*trace_, id_, trace_id(main), main_loc)
                      : trace::thread_attachment{};
    tls_running_loop = this;
    tls_running_loop_id = id_;
    probe_.set(loop_activity::polling);
    while (!main->has(task_done)) step();
    // asyncio.run's shutdown: cancel what is left and let it finish (the
    // owned roots are cancelled by their owners in turn).
    shutting_down_ = true;
    cancel_listed();
    while (roots_ > 0) step();
    drain_posted();
    shutting_down_ = false;
    mirror_probe();
    probe_.set(loop_activity::stopped);
    tls_running_loop = nullptr;
    tls_running_loop_id = 0;
}

}  // namespace tinyrt::detail
