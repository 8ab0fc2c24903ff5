// What a scenario sees of the tool: its rounds and random choices, the
// counters the progress line and the watchdog read, the invariant checks,
// and the registry of pools, loops and threads the watchdog describes.
//
// Threads: next_round() and the round's generators belong to the thread
// that runs the scenario; done(), checked(), check(), fail() and note() may
// be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "tinyrt/sched/pool.hpp"
#include "tool/options.hpp"
#include "tool/random.hpp"

namespace tinyrt {
class event_loop;
}  // namespace tinyrt

namespace stress {

class context {
public:
    context(const options& opt, std::string scenario);
    context(const context&) = delete;
    context& operator=(const context&) = delete;

    const options& opt() const noexcept { return opt_; }
    const std::string& name() const noexcept { return name_; }
    unsigned workers() const noexcept { return opt_.workers; }
    unsigned threads() const noexcept { return opt_.threads; }
    // The size of a round in percent: 100, or 20 under ThreadSanitizer, whose
    // runs are several times slower, so that a round stays short next to the
    // progress line and the watchdog.
    unsigned scale_percent() const noexcept;
    // n scaled by scale_percent(), at least 1.
    std::uint64_t scaled(std::uint64_t n) const noexcept;

    // Starts the next round if there is one: --iterations rounds, or rounds
    // until --seconds have passed; none after a failure.
    bool next_round();
    std::uint64_t round() const noexcept { return round_; }
    // A generator for this round and `stream` (a thread, a phase): the same
    // seed, scenario, round and stream give the same choices.
    rng round_rng(std::uint64_t stream = 0) const noexcept;
    // The fault stream for the calling tool thread (see fault_control.hpp).
    void fault_stream(std::uint64_t stream) const;
    // Whether time is left and nothing failed: for loops inside a long round.
    bool running() const noexcept;

    // Progress: n operations completed; n invariants checked.
    // relaxed: progress counters, read only as snapshots (the progress line,
    // the watchdog) or after the scenario's threads are joined
    void done(std::uint64_t n = 1) noexcept { ops_.fetch_add(n, std::memory_order_relaxed); }
    void checked(std::uint64_t n = 1) noexcept { checks_.fetch_add(n, std::memory_order_relaxed); }
    // Counts an invariant; records `what` as broken when !ok. Returns ok.
    bool check(bool ok, const std::string& what) {
        checked();
        if (!ok) fail(what);
        return ok;
    }
    template <typename Describe>
    bool check_lazy(bool ok, Describe describe) {
        checked();
        if (!ok) fail(describe());
        return ok;
    }
    // Records a broken invariant (the first one is reported; later ones counted).
    void fail(const std::string& what);
    // acquire: pairs with the release store in fail(), after failure_ is written
    bool failed() const noexcept { return failed_.load(std::memory_order_acquire); }
    std::string failure() const;
    std::uint64_t failures() const noexcept { return failures_.load(); }

    // A line for the report after the scenario (the latest per key).
    void info(const std::string& key, const std::string& line);
    std::vector<std::string> infos() const;

    // Totals for the summary: items and tasks whose exactly-once count was checked.
    void counted_items(std::uint64_t n) noexcept { items_.fetch_add(n); }
    void counted_tasks(std::uint64_t n) noexcept { tasks_.fetch_add(n); }
    std::uint64_t items() const noexcept { return items_.load(); }
    std::uint64_t tasks() const noexcept { return tasks_.load(); }

    // relaxed: snapshots of the progress counters (see done())
    std::uint64_t operations() const noexcept { return ops_.load(std::memory_order_relaxed); }
    std::uint64_t checks() const noexcept { return checks_.load(std::memory_order_relaxed); }
    double elapsed() const noexcept;

    // ---- what the watchdog describes ----
    // While a guard lives, the watchdog reports on its pool or loop.
    class watch_guard {
    public:
        watch_guard(context& ctx, const tinyrt::pool* p, const tinyrt::event_loop* l,
                    std::string label);
        ~watch_guard();
        watch_guard(const watch_guard&) = delete;
        watch_guard& operator=(const watch_guard&) = delete;

    private:
        context& ctx_;
        std::size_t id_;
    };
    watch_guard watch(const tinyrt::pool& p, std::string label) {
        return watch_guard(*this, &p, nullptr, std::move(label));
    }
    watch_guard watch(const tinyrt::event_loop& l, std::string label) {
        return watch_guard(*this, nullptr, &l, std::move(label));
    }
    // Registers a pool by its address; the pool's owner destroys it.
    std::size_t add_watched(const tinyrt::pool* p, std::string label);
    void remove_watched(std::size_t id);

    // While a role lives, the calling thread is listed under `label`, with
    // what it last said it was doing (note()).
    class thread_role {
    public:
        thread_role(context& ctx, std::string label);
        ~thread_role();
        thread_role(const thread_role&) = delete;
        thread_role& operator=(const thread_role&) = delete;

    private:
        context& ctx_;
        std::size_t id_;
        thread_role* outer_;
    };
    // The calling thread's current activity (a string literal), for the
    // watchdog. One relaxed store; a thread without a role ignores it.
    static void note(const char* doing) noexcept;

    // The watchdog's report of every watched pool, loop and thread.
    std::string describe_all();

private:
    struct watched {
        const tinyrt::pool* pool = nullptr;
        const tinyrt::event_loop* loop = nullptr;
        std::string label;
        bool live = false;
    };
    struct role_slot {
        std::string label;
        std::atomic<const char*> doing{"started"};
        bool live = false;
    };

    const options& opt_;
    std::string name_;
    std::uint64_t seed_;
    std::chrono::steady_clock::time_point start_;
    std::uint64_t round_ = 0;
    bool started_ = false;
    std::atomic<std::uint64_t> ops_{0}, checks_{0}, items_{0}, tasks_{0}, failures_{0};
    std::atomic<bool> failed_{false};
    mutable std::mutex mutex_;  // guards failure_, infos_, watched_, roles_
    std::string failure_;
    std::vector<watched> watched_;
    std::vector<std::pair<std::string, std::string>> infos_;
    std::vector<std::unique_ptr<role_slot>> roles_;
};

// A pool the watchdog describes for as long as it exists, its destructor
// included (a pool whose shutdown hangs is described, not forgotten).
class watched_pool {
public:
    watched_pool(context& ctx, tinyrt::pool_options options, std::string label)
        : ctx_(ctx),
          pool_(std::make_unique<tinyrt::pool>(options)),
          id_(ctx.add_watched(pool_.get(), std::move(label))) {}
    ~watched_pool() {
        pool_.reset();
        ctx_.remove_watched(id_);
    }
    watched_pool(const watched_pool&) = delete;
    watched_pool& operator=(const watched_pool&) = delete;
    tinyrt::pool& operator*() noexcept { return *pool_; }

private:
    context& ctx_;
    std::unique_ptr<tinyrt::pool> pool_;
    std::size_t id_;
};

}  // namespace stress
