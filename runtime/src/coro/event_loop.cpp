// The event loop: see tinyrt/coro/event_loop.hpp for the step and the
// wake-up protocol, tinyrt/coro/task_node.hpp for cancellation.
#include "tinyrt/coro/event_loop.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <ctime>
#include <exception>
#include <system_error>
#include <thread>
#include <utility>

#include "tinyrt/coro/task.hpp"
#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/detail/config.hpp"

namespace tinyrt {
namespace {

thread_local event_loop* running_loop = nullptr;

// Source of event_loop::id(); only uniqueness matters, so relaxed is enough.
std::atomic<std::uint64_t> next_loop_id{1};

constexpr std::uint64_t wake_token = ~std::uint64_t{0};  // epoll data of the eventfd

void check_sys(int rc, const char* what) noexcept {
    if (rc < 0) {
        char msg[160];
        std::snprintf(msg, sizeof msg, "%s failed (errno %d)", what, errno);
        detail::fatal(msg);
    }
}

// A resource the loop cannot start without: the kernel's refusal (EMFILE,
// ENOMEM) is raised as std::system_error, like any other resource failure.
int check_resource(int fd, const char* what) {
    if (fd < 0) TINYRT_THROW(std::system_error(errno, std::generic_category(), what));
    return fd;
}

// Closes a descriptor unless released: the constructor's undo on failure.
struct fd_guard {
    int fd;
    ~fd_guard() {
        if (fd >= 0) ::close(fd);
    }
    int release() noexcept { return std::exchange(fd, -1); }
};

// A posted std::function: the allocating, convenient form of post().
struct posted_function : detail::posted_work {
    std::function<void()> fn;
    static void invoke(detail::posted_work* self) noexcept {
        auto* p = static_cast<posted_function*>(self);
#if TINYRT_EXCEPTIONS
        // Reported like a failed detached task: nobody can receive the error,
        // and one bad callback must not end the loop (or the program).
        try {
            p->fn();
        } catch (...) {
            detail::report_error("a function posted to the loop failed", std::current_exception());
        }
#else
        p->fn();
#endif
        delete p;
    }
};

}  // namespace

event_loop::event_loop() : id_(next_loop_id.fetch_add(1, detail::relaxed)) {  // see next_loop_id
    // Each descriptor is guarded until the loop is complete, so a failure
    // half-way closes what was opened.
    fd_guard epoll_fd{check_resource(::epoll_create1(EPOLL_CLOEXEC), "tinyrt: epoll_create1")};
    fd_guard wake_fd{check_resource(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "tinyrt: eventfd")};
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = wake_token;
    check_resource(::epoll_ctl(epoll_fd.fd, EPOLL_CTL_ADD, wake_fd.fd, &ev),
                   "tinyrt: epoll_ctl(eventfd)");
    epoll_fd_ = epoll_fd.release();
    wake_fd_ = wake_fd.release();
}

event_loop::~event_loop() {
    // 1. A thread holding a keep-alive may still post: wait until every one
    //    is released. The acquire pairs with the seq_cst decrement in
    //    release_keep_alive.
    for (std::size_t held; (held = keep_alives_.load(detail::acquire)) != 0;)
        keep_alives_.wait(held, detail::acquire);  // woken by release_keep_alive's notify
    // 2. A poster (a release's wake-up item included) may still be between
    //    its push and the end of its eventfd write: wait for it before
    //    closing the fd under it. Pairs with the release decrements in
    //    post() and release_keep_alive().
    while (posters_.load(detail::acquire) != 0) std::this_thread::yield();
    // 3. Posted work that never ran (posted after the last run) is dropped,
    //    not run on a loop that is going away; its memory is freed. The
    //    acquire pairs with the push's CAS (seq_cst, hence also a release).
    detail::posted_work* w = posted_.exchange(nullptr, detail::acquire);
    while (w != nullptr) {
        detail::posted_work* next = w->next;
        if (w->run == &posted_function::invoke) delete static_cast<posted_function*>(w);
        w = next;
    }
    ::close(wake_fd_);
    ::close(epoll_fd_);
}

event_loop* event_loop::current() noexcept {
    return running_loop;
}

std::int64_t event_loop::now_ns() noexcept {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);  // vDSO: no system call
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// ---- cross-thread posting ---------------------------------------------------

void event_loop::post(std::function<void()> fn) {
    auto* p = new posted_function;
    p->run = &posted_function::invoke;
    p->fn = std::move(fn);
    post(p);
}

void event_loop::post(detail::posted_work* work) noexcept {
    // Announce ourselves before the item becomes visible: a loop that runs
    // the item and then starts its destructor sees this count (the increment
    // is sequenced before the seq_cst push that the loop's drain reads).
    posters_.fetch_add(1, detail::seq_cst);
    push_and_wake(work);
    // The last touch of the loop; release pairs with the acquire load in ~event_loop().
    posters_.fetch_sub(1, detail::release);
}

loop_keep_alive event_loop::keep_alive() noexcept {
    keep_alives_.fetch_add(1, detail::seq_cst);
    return loop_keep_alive(this);
}

void event_loop::release_keep_alive() {
    // The wake-up item is allocated before anything is released, so a
    // failure leaves the keep-alive held rather than the loop asleep.
    auto* nudge = new posted_function;
    nudge->run = &posted_function::invoke;
    nudge->fn = [] {};
    // Counted as a poster first: ~event_loop() may return as soon as the
    // count below reaches zero, but then waits for posters_.
    posters_.fetch_add(1, detail::seq_cst);
    keep_alives_.fetch_sub(1, detail::seq_cst);
    keep_alives_.notify_all();
    // The loop may be asleep with the keep-alive as its only reason to wait:
    // wake it so that its next step re-checks for a deadlock.
    push_and_wake(nudge);
    // The last touch of the loop; release pairs with the acquire load in ~event_loop().
    posters_.fetch_sub(1, detail::release);
}

void loop_keep_alive::post(std::function<void()> fn) const {
    if (loop_ == nullptr) detail::fatal("post through an empty loop_keep_alive");
    loop_->post(std::move(fn));
}

void loop_keep_alive::reset() noexcept {
    if (loop_ == nullptr) return;
#if TINYRT_EXCEPTIONS
    try {
        std::exchange(loop_, nullptr)->release_keep_alive();
    } catch (...) {
        detail::fatal("out of memory releasing a loop_keep_alive");
    }
#else
    std::exchange(loop_, nullptr)->release_keep_alive();
#endif
}

void event_loop::push_and_wake(detail::posted_work* work) noexcept {
    // P1: push (Treiber stack). seq_cst on success: it is the P1 of the
    // wake-up protocol, ordered before P2 below.
    detail::posted_work* head = posted_.load(detail::relaxed);  // a guess; the CAS validates it
    // On failure nothing is published: retry with the fresh head (relaxed).
    do {
        work->next = head;
    } while (!posted_.compare_exchange_weak(head, work, detail::seq_cst,
                                            detail::relaxed));  // failure publishes nothing
    // P2: is the loop asleep (or about to be)?
    if (sleeping_.load(detail::seq_cst) && !wake_pending_.exchange(true, detail::seq_cst)) {
        const std::uint64_t one = 1;
        [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof one);
    }
}

void event_loop::drain_posted() {
    const bool empty =
        posted_.load(detail::relaxed) == nullptr;  // a hint; the exchange synchronizes
    if (empty) return;
    detail::posted_work* lifo = posted_.exchange(nullptr, detail::seq_cst);
    // The stack holds the newest first: reverse it to run in posting order.
    detail::posted_work* fifo = nullptr;
    while (lifo != nullptr) {
        detail::posted_work* next = lifo->next;
        lifo->next = fifo;
        fifo = lifo;
        lifo = next;
    }
    while (fifo != nullptr) {
        detail::posted_work* next = fifo->next;  // read first: run() may free or reuse the item
        ++stats_.posts;
        fifo->run(fifo);
        fifo = next;
    }
}

// ---- roots ------------------------------------------------------------------

detail::task_node* event_loop::spawn(detail::promise_base* promise,
                                     detail::completion_listener* listener, std::uint32_t tag) {
    void* mem = detail::frame_allocate(sizeof(detail::task_node));
    auto* node = ::new (mem) detail::task_node;
    node->promise = promise;
    node->resume_point = promise->frame();
    node->listener = listener;
    node->tag = tag;
    promise->set_root(node);
    node->live_next = live_head_;
    if (live_head_ != nullptr) live_head_->live_prev = node;
    live_head_ = node;
    ++stats_.tasks_spawned;
    schedule(node);
    return node;
}

void event_loop::schedule(detail::task_node* node) noexcept {
    node->next = nullptr;
    if (ready_tail_ != nullptr) {
        ready_tail_->next = node;
    } else {
        ready_head_ = node;
    }
    ready_tail_ = node;
}

bool event_loop::park(std::coroutine_handle<> where, detail::cancel_hook* hook) noexcept {
    detail::task_node* node = current_;
    // Shutting down (run_until_done): every task still alive was cancelled
    // once; one that caught it and waits again is cancelled again, so run()
    // always ends.
    if (shutting_down_) node->flags |= detail::task_cancel_pending;
    if (node->has(detail::task_cancel_pending)) {
#if TINYRT_EXCEPTIONS
        node->flags &= ~detail::task_cancel_pending;
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

void event_loop::deliver_cancel(detail::task_node* node) noexcept {
    node->hook = nullptr;
#if TINYRT_EXCEPTIONS
    node->flags &= ~detail::task_cancel_pending;  // reported by the await it resumes
#endif
    schedule(node);
}

namespace detail {

event_loop& loop_for(const char* what) noexcept {
    event_loop* loop = running_loop;
    if (loop == nullptr || loop->current_task() == nullptr) {
        char msg[160];
        std::snprintf(msg, sizeof msg, "%s used outside a task run by tinyrt::run", what);
        detail::fatal(msg);
    }
    return *loop;
}

void free_root(task_node* node) noexcept {
    // A failure nobody took (a detached task, a handle dropped unawaited) is
    // reported, not dropped; cancellations are expected and stay quiet.
    if (node->has(task_failed) && !node->has(task_cancelled) && !node->has(task_observed) &&
        node->promise != nullptr) {
        node->promise->report_unobserved_error();
    }
    if (node->promise != nullptr) node->promise->frame().destroy();
    node->~task_node();
    frame_deallocate(node, sizeof(task_node));
}

std::coroutine_handle<> finish_root(task_node* node) noexcept {
    event_loop* loop = running_loop;
    node->flags |= task_done;
    node->hook = nullptr;
    // Unlink from the live list (the loop's, kept in its head pointer).
    loop->unlink_live(node);
    if (completion_listener* l = node->listener) {
        node->listener = nullptr;
        return l->on_done(l, node);
    }
    if (node->has(task_detached)) free_root(node);
    return std::noop_coroutine();
}

void release_root(task_node* node) noexcept {
    node->listener = nullptr;
    if (node->has(task_done)) {
        free_root(node);
    } else {
        node->flags |= task_detached;
    }
}

bool cancel_root(task_node* node) noexcept {
    if (node->has(task_done)) return false;
    node->flags |= task_cancel_pending;
    if (cancel_hook* h = node->hook) {
        node->hook = nullptr;
        h->cancel(h);
    }
    return true;
}

std::coroutine_handle<> resume_waiter(task_node* waiter, std::coroutine_handle<> where) noexcept {
    event_loop* loop = running_loop;
    waiter->hook = nullptr;
#if TINYRT_EXCEPTIONS
    // A cancel that arrived while it waited was forwarded to what it waited
    // on; the outcome it is about to see (cancelled_error) delivers it.
    waiter->flags &= ~task_cancel_pending;
#else
    if (waiter->has(task_cancel_pending)) {
        waiter->resume_point = where;
        loop->schedule(waiter);
        return std::noop_coroutine();
    }
#endif
    loop->set_current_task(waiter);
    return where;
}

}  // namespace detail

void event_loop::unlink_live(detail::task_node* node) noexcept {
    if (node->live_prev != nullptr) {
        node->live_prev->live_next = node->live_next;
    } else if (live_head_ == node) {
        live_head_ = node->live_next;
    }
    if (node->live_next != nullptr) node->live_next->live_prev = node->live_prev;
    node->live_prev = node->live_next = nullptr;
}

// Without exceptions a cancellation cannot travel up the chain as
// cancelled_error; the chain is destroyed instead (every awaiter's destructor
// unregisters its timer / fd / mutex wait) and the root finishes as cancelled.
void event_loop::destroy_cancelled(detail::task_node* node) noexcept {
    node->promise->frame().destroy();
    node->promise = nullptr;
    node->flags |= detail::task_failed | detail::task_cancelled;
    detail::finish_root(node).resume();
}

// ---- timers -----------------------------------------------------------------

void event_loop::add_timer(detail::timer_node* t, std::int64_t deadline_ns) {
    ++stats_.timers_set;
    timers_.push(t, deadline_ns);
}

void event_loop::cancel_timer(detail::timer_node* t) noexcept {
    if (!t->queued()) return;
    ++stats_.timers_cancelled;
    timers_.cancel(t);
}

void event_loop::fire_timers() {
    const std::int64_t now = now_ns();
    while (detail::timer_node* t = timers_.pop_expired(now)) {
        ++stats_.timers_fired;
        t->fire(t);
    }
}

// ---- the step -----------------------------------------------------------------

void event_loop::run_ready_batch() {
    detail::task_node* batch = ready_head_;
    ready_head_ = ready_tail_ = nullptr;
    while (batch != nullptr) {
        detail::task_node* node = batch;
        batch = node->next;
        node->next = nullptr;
#if !TINYRT_EXCEPTIONS
        if (node->has(detail::task_cancel_pending)) {
            destroy_cancelled(node);
            continue;
        }
#endif
        ++stats_.tasks_run;
        current_ = node;
        node->resume_point.resume();
        current_ = nullptr;
    }
}

void event_loop::step() {
    drain_posted();
    if (!timers_.empty()) fire_timers();
    if (ready_head_ != nullptr) {
        // Tasks are ready: poll fds only if someone waits on one (a system
        // call), never just to schedule.
        if (io_waiting_ > 0) wait_for_events(false);
        run_ready_batch();
        return;
    }
    // A hint only: a post racing with this load is caught by the wake-up
    // protocol in wait_for_events, and one already pushed is seen here.
    const bool nothing_posted = posted_.load(detail::relaxed) == nullptr;  // a hint (see above)
    if (timers_.empty() && io_waiting_ == 0 && external_waits_ == 0 && nothing_posted &&
        keep_alives_.load(detail::seq_cst) == 0) {
        detail::fatal(
            "deadlock: every task is waiting and nothing can wake one "
            "(no timer, no fd, no thread working for the loop, no keep-alive held)");
    }
    wait_for_events(true);
}

void event_loop::wait_for_events(bool may_block) {
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
        sleeping_.store(true, detail::seq_cst);
        if (posted_.load(detail::seq_cst) != nullptr) {
            sleeping_.store(false, detail::seq_cst);
            return;
        }
    }
    epoll_event events[64];
    int n = ::epoll_wait(epoll_fd_, events, 64, timeout_ms);
    if (may_block) {
        sleeping_.store(false, detail::seq_cst);  // S4
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
            wake_pending_.store(false,
                                detail::seq_cst);  // before the drain in the next step (see post())
            continue;
        }
        handle_fd_event(static_cast<int>(events[i].data.u64), events[i].events);
    }
}

void event_loop::run_until_done(detail::task_node* main) {
    if (running_loop != nullptr) detail::fatal("tinyrt::run called from inside a running loop");
    running_loop = this;
    while (!main->has(detail::task_done)) step();
    // asyncio.run's shutdown: cancel what is left and let it finish.
    shutting_down_ = true;
    cancel_all_live();
    while (live_head_ != nullptr) step();
    drain_posted();
    shutting_down_ = false;
    running_loop = nullptr;
}

void event_loop::cancel_all_live() noexcept {
    // Cancelling may finish and unlink nodes: collect first.
    std::vector<detail::task_node*> live;
    for (detail::task_node* n = live_head_; n != nullptr; n = n->live_next) live.push_back(n);
    for (detail::task_node* n : live) {
        if (!n->has(detail::task_done)) detail::cancel_root(n);
    }
}

}  // namespace tinyrt
