// tinyrt-stress: runs the stress scenarios (tool/scenario.hpp) and reports.
// Exit status: 0 every invariant held, 1 one broke, 2 bad arguments, 3 a hang.
#include <cstdio>
#include <exception>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tinyrt/detail/chaos.hpp"
#include "tool/context.hpp"
#include "tool/fault_control.hpp"
#include "tool/monitor.hpp"
#include "tool/options.hpp"
#include "tool/scenario.hpp"
#include "tool/summary.hpp"

namespace {

int bad_arguments(const std::string& program, const std::string& message) {
    std::fprintf(stderr, "%s: %s\n(see %s --help)\n", program.c_str(), message.c_str(),
                 program.c_str());
    return 2;
}

std::string command_line(int argc, char** argv) {
    std::string c;
    for (int i = 0; i < argc; ++i) c += std::string(i ? " " : "") + argv[i];
    return c;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace stress;
    std::string error;
    auto parsed = parse_options(argc, argv, error);
    const std::string program = argc > 0 ? argv[0] : "tinyrt-stress";
    if (!parsed) return bad_arguments(program, error);
    options opt = *parsed;
    if (opt.help) {
        std::printf("%s", usage(opt.program).c_str());
        return 0;
    }
    if (opt.list) {
        for (const scenario& s : all_scenarios()) std::printf("%-9s %s\n", s.name, s.what);
        return 0;
    }
    if (opt.chaos && !tinyrt::detail::chaos::enabled) {
        return bad_arguments(program,
                             "--chaos needs a chaos build of tinyrt: configure one with "
                             "cmake -DTINYRT_CHAOS=ON and run its tinyrt-stress");
    }
    if (opt.workers == 0) opt.workers = std::max(1U, std::thread::hardware_concurrency());
    if (opt.threads == 0) opt.threads = 2 * opt.workers;
    if (!opt.seed_given) opt.seed = std::random_device{}() * 4294967296ULL + std::random_device{}();
    if (opt.scenarios.empty())
        for (const scenario& s : all_scenarios()) opt.scenarios.emplace_back(s.name);
    if (opt.chaos) tinyrt::detail::chaos::seed(opt.seed);
    seed_faults(opt.seed);
    for (const std::string& f : opt.faults) enable_fault(f, opt.fault_rate);

    std::ostringstream budget;
    if (opt.iterations != 0) {
        budget << opt.iterations << " rounds";
    } else {
        budget << opt.seconds << " s";
    }
    std::printf("tinyrt-stress: seed %llu, workers %u, threads %u, %s per scenario%s%s\n",
                static_cast<unsigned long long>(opt.seed), opt.workers, opt.threads,
                budget.str().c_str(), opt.chaos ? ", chaos" : "",
                opt.faults.empty() ? "" : ", test-only faults on");
    std::fflush(stdout);

    std::vector<scenario_result> results;
    int status = 0;
    {
        monitor mon(opt);
        for (const std::string& name : opt.scenarios) {
            const scenario* s = find_scenario(name);
            context ctx(opt, name);
            mon.begin(ctx);
            try {
                s->run(ctx);
            } catch (const std::exception& e) {
                ctx.fail(std::string("unexpected exception: ") + e.what());
            } catch (...) {
                ctx.fail("unexpected exception (not a std::exception)");
            }
            mon.end();
            scenario_result r{name,        ctx.elapsed(), ctx.operations(), ctx.checks(),
                              ctx.items(), ctx.tasks(),   !ctx.failed(),    ctx.failure()};
            std::printf("%-9s %s  %.1f s, %llu operations, %llu checks\n", name.c_str(),
                        r.pass ? "PASS" : "FAIL", r.seconds,
                        static_cast<unsigned long long>(r.operations),
                        static_cast<unsigned long long>(r.checks));
            for (const std::string& line : ctx.infos()) std::printf("  %s\n", line.c_str());
            results.push_back(r);
            if (!r.pass) {
                std::printf("FAIL %s: %s", name.c_str(), r.failure.c_str());
                if (ctx.failures() > 1)
                    std::printf(" (and %llu more)",
                                static_cast<unsigned long long>(ctx.failures() - 1));
                std::printf("\nseed: %llu\nreplay: %s\n", static_cast<unsigned long long>(opt.seed),
                            replay_command(opt, name).c_str());
                status = 1;
                break;
            }
        }
    }
    print_summary(results);
    if (!opt.faults.empty()) std::printf("faults fired: %s\n", fault_counts().c_str());
    if (!opt.json.empty() && !write_json(opt.json, opt, command_line(argc, argv), results) &&
        status == 0)
        status = 2;
    std::fflush(stdout);
    return status;
}
