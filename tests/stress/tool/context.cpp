#include "tool/context.hpp"

#include <sstream>

#include "tinyrt/coro/event_loop.hpp"
#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/sched/pool.hpp"
#include "tool/fault_control.hpp"

#if __has_include("tinyrt/sched/detail/introspect.hpp")
#include "tinyrt/sched/detail/introspect.hpp"
#define STRESS_POOL_INTROSPECTION 1
#else
#define STRESS_POOL_INTROSPECTION 0
#endif
#if __has_include("tinyrt/coro/detail/introspect.hpp")
#include "tinyrt/coro/detail/introspect.hpp"
#define STRESS_LOOP_INTROSPECTION 1
#else
#define STRESS_LOOP_INTROSPECTION 0
#endif

namespace stress {

namespace {

thread_local std::atomic<const char*>* t_doing = nullptr;
thread_local context::thread_role* t_role = nullptr;

// Indents every line of a report by four spaces, under its heading.
std::string indented(const std::string& text) {
    std::string out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out += "    " + line + "\n";
    return out;
}

std::string describe_pool(const tinyrt::pool& p) {
#if STRESS_POOL_INTROSPECTION
    return indented(tinyrt::detail::describe(p));
#else
    // Without the runtime's introspection: the per-worker counters.
    std::ostringstream s;
    const tinyrt::pool_stats st = p.stats();
    for (std::size_t i = 0; i < st.workers.size(); ++i) {
        const tinyrt::worker_stats& w = st.workers[i];
        s << "    worker " << i << ": run " << w.tasks_run << ", spawned " << w.tasks_spawned
          << ", stolen " << w.tasks_stolen << ", parks " << w.parks << ", wakeups " << w.wakeups
          << "\n";
    }
    s << "    spawned from outside: " << st.external_spawns << "\n";
    return s.str();
#endif
}

std::string describe_loop([[maybe_unused]] const tinyrt::event_loop& l) {
#if STRESS_LOOP_INTROSPECTION
    return indented(tinyrt::detail::describe(l));
#else
    return "    (this build has no loop introspection)\n";
#endif
}

}  // namespace

context::context(const options& opt, std::string scenario)
    : opt_(opt),
      name_(std::move(scenario)),
      seed_(derive({opt.seed, hash_name(name_.c_str())})),
      start_(std::chrono::steady_clock::now()) {}

unsigned context::scale_percent() const noexcept {
    return TINYRT_TSAN ? 20 : 100;
}

std::uint64_t context::scaled(std::uint64_t n) const noexcept {
    const std::uint64_t s = n * scale_percent() / 100;
    return s > 0 ? s : 1;
}

bool context::next_round() {
    if (failed()) return false;
    if (started_) ++round_;
    started_ = true;
    if (opt_.iterations != 0) return round_ < opt_.iterations;
    return round_ == 0 || elapsed() < opt_.seconds;
}

rng context::round_rng(std::uint64_t stream) const noexcept {
    return rng(derive({seed_, round_, stream}));
}

void context::fault_stream(std::uint64_t stream) const {
    set_fault_stream(derive({seed_, round_, stream}));
}

bool context::running() const noexcept {
    if (failed()) return false;
    return opt_.iterations != 0 || elapsed() < opt_.seconds;
}

double context::elapsed() const noexcept {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void context::fail(const std::string& what) {
    std::lock_guard lock(mutex_);
    if (failures_.fetch_add(1) == 0) {
        failure_ = what + " (round " + std::to_string(round_) + ")";
        // release: pairs with the acquire load in failed()
        failed_.store(true, std::memory_order_release);
    }
}

std::string context::failure() const {
    std::lock_guard lock(mutex_);
    return failure_;
}

void context::info(const std::string& key, const std::string& line) {
    std::lock_guard lock(mutex_);
    for (auto& [k, v] : infos_) {
        if (k == key) {
            v = line;
            return;
        }
    }
    infos_.emplace_back(key, line);
}

std::vector<std::string> context::infos() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> lines;
    for (const auto& [k, v] : infos_) lines.push_back(v);
    return lines;
}

context::watch_guard::watch_guard(context& ctx, const tinyrt::pool* p, const tinyrt::event_loop* l,
                                  std::string label)
    : ctx_(ctx) {
    std::lock_guard lock(ctx.mutex_);
    id_ = ctx.watched_.size();
    ctx.watched_.push_back({p, l, std::move(label), true});
}

context::watch_guard::~watch_guard() {
    ctx_.remove_watched(id_);
}

std::size_t context::add_watched(const tinyrt::pool* p, std::string label) {
    std::lock_guard lock(mutex_);
    watched_.push_back({p, nullptr, std::move(label), true});
    return watched_.size() - 1;
}

void context::remove_watched(std::size_t id) {
    std::lock_guard lock(mutex_);
    watched_[id].live = false;
    while (!watched_.empty() && !watched_.back().live) watched_.pop_back();
}

context::thread_role::thread_role(context& ctx, std::string label) : ctx_(ctx), outer_(t_role) {
    std::lock_guard lock(ctx.mutex_);
    id_ = ctx.roles_.size();
    for (std::size_t i = 0; i < ctx.roles_.size(); ++i) {
        if (!ctx.roles_[i]->live) {
            id_ = i;
            break;
        }
    }
    if (id_ == ctx.roles_.size()) ctx.roles_.push_back(std::make_unique<role_slot>());
    role_slot& s = *ctx.roles_[id_];
    s.label = std::move(label);
    // relaxed: a diagnostic snapshot for the watchdog; it orders nothing
    s.doing.store("started", std::memory_order_relaxed);
    s.live = true;
    t_doing = &s.doing;
    t_role = this;
}

context::thread_role::~thread_role() {
    std::lock_guard lock(ctx_.mutex_);
    ctx_.roles_[id_]->live = false;
    t_role = outer_;
    t_doing = nullptr;
}

void context::note(const char* doing) noexcept {
    // relaxed: a diagnostic snapshot for the watchdog; it orders nothing
    if (t_doing != nullptr) t_doing->store(doing, std::memory_order_relaxed);
}

std::string context::describe_all() {
    std::ostringstream s;
    std::lock_guard lock(mutex_);
    for (const watched& w : watched_) {
        if (!w.live) continue;
        if (w.pool != nullptr) {
            s << "  pool " << w.label << ":\n" << describe_pool(*w.pool);
        } else if (w.loop != nullptr) {
            s << "  loop " << w.label << ":\n" << describe_loop(*w.loop);
        }
    }
    for (const auto& r : roles_) {
        if (!r->live) continue;
        // relaxed: a diagnostic snapshot (see note())
        s << "  thread " << r->label << ": " << r->doing.load(std::memory_order_relaxed) << "\n";
    }
    return s.str();
}

}  // namespace stress
