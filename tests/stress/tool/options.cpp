#include "tool/options.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "tool/fault_control.hpp"
#include "tool/scenario.hpp"

namespace stress {

namespace {

bool parse_u64(const std::string& s, std::uint64_t& out) {
    if (s.empty() || s[0] == '-' || s[0] == '+') return false;
    errno = 0;
    char* end = nullptr;
    const unsigned long long v = std::strtoull(s.c_str(), &end, 10);
    if (errno != 0 || end == s.c_str() || *end != '\0') return false;
    out = v;
    return true;
}

bool parse_positive_double(const std::string& s, double& out) {
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (errno != 0 || end == s.c_str() || *end != '\0' || !std::isfinite(v) || v <= 0) return false;
    out = v;
    return true;
}

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> parts;
    std::string part;
    std::istringstream in(s);
    while (std::getline(in, part, ',')) parts.push_back(part);
    return parts;
}

}  // namespace

std::optional<options> parse_options(int argc, char** argv, std::string& error) {
    options o;
    if (argc > 0 && argv[0] != nullptr) o.program = argv[0];
    bool seconds_given = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&](std::string& v) {
            if (i + 1 >= argc) {
                error = arg + " needs a value";
                return false;
            }
            v = argv[++i];
            return true;
        };
        std::string v;
        std::uint64_t n = 0;
        if (arg == "--help" || arg == "-h") {
            o.help = true;
        } else if (arg == "--list") {
            o.list = true;
        } else if (arg == "--chaos") {
            o.chaos = true;
        } else if (arg == "--scenario") {
            if (!value(v)) return std::nullopt;
            for (const std::string& name : split(v)) {
                if (name == "all") {
                    for (const scenario& s : all_scenarios()) o.scenarios.emplace_back(s.name);
                } else if (find_scenario(name) != nullptr) {
                    o.scenarios.push_back(name);
                } else {
                    error = "unknown scenario '" + name + "' (--list shows them)";
                    return std::nullopt;
                }
            }
            if (o.scenarios.empty()) {
                error = "--scenario needs at least one name";
                return std::nullopt;
            }
        } else if (arg == "--seconds") {
            if (!value(v)) return std::nullopt;
            if (!parse_positive_double(v, o.seconds)) {
                error = "--seconds must be a positive number, not '" + v + "'";
                return std::nullopt;
            }
            seconds_given = true;
        } else if (arg == "--iterations") {
            if (!value(v)) return std::nullopt;
            if (!parse_u64(v, o.iterations) || o.iterations == 0) {
                error = "--iterations must be a positive integer, not '" + v + "'";
                return std::nullopt;
            }
        } else if (arg == "--workers" || arg == "--threads") {
            if (!value(v)) return std::nullopt;
            if (!parse_u64(v, n) || n == 0 || n > 256) {
                error = arg + " must be an integer from 1 to 256, not '" + v + "'";
                return std::nullopt;
            }
            (arg == "--workers" ? o.workers : o.threads) = static_cast<unsigned>(n);
        } else if (arg == "--seed") {
            if (!value(v)) return std::nullopt;
            if (!parse_u64(v, o.seed)) {
                error = "--seed must be a non-negative integer, not '" + v + "'";
                return std::nullopt;
            }
            o.seed_given = true;
        } else if (arg == "--json") {
            if (!value(o.json)) return std::nullopt;
            if (o.json.empty()) {
                error = "--json needs a file name";
                return std::nullopt;
            }
        } else if (arg == "--stall") {
            if (!value(v)) return std::nullopt;
            if (!parse_positive_double(v, o.stall)) {
                error = "--stall must be a positive number of seconds, not '" + v + "'";
                return std::nullopt;
            }
        } else if (faults_built_in && arg == "--fault") {
            if (!value(v)) return std::nullopt;
            for (const std::string& name : split(v)) {
                if (!is_fault(name)) {
                    error = "unknown fault '" + name + "' (known: " + fault_names() + ")";
                    return std::nullopt;
                }
                o.faults.push_back(name);
            }
        } else if (faults_built_in && arg == "--fault-rate") {
            if (!value(v)) return std::nullopt;
            if (!parse_positive_double(v, o.fault_rate) || o.fault_rate > 1) {
                error = "--fault-rate must be a probability in (0, 1], not '" + v + "'";
                return std::nullopt;
            }
        } else {
            error = "unknown argument '" + arg + "'";
            return std::nullopt;
        }
    }
    if (seconds_given && o.iterations != 0) {
        error = "give --seconds or --iterations, not both";
        return std::nullopt;
    }
    return o;
}

std::string usage(const std::string& program) {
    std::string u = "usage: " + program +
                    " [--scenario NAME[,NAME...]|all] [--list] [--seconds S | --iterations N]\n"
                    "       [--workers N] [--threads N] [--seed N] [--chaos] [--json FILE]"
                    " [--stall S]";
    if (faults_built_in) u += "\n       [--fault NAME[,NAME...]] [--fault-rate P]";
    u += R"(

Runs stress scenarios against tinyrt, checking their invariants while they run.
  --scenario   which scenarios (default: all); --list shows them
  --seconds    seconds per scenario (default 5)
  --iterations rounds per scenario instead of a duration
  --workers    workers of each pool (default: hardware threads)
  --threads    outside threads: spawners, lock contenders (default: 2 x workers)
  --seed       the seed every random choice derives from (default: random; printed)
  --chaos      perturb every atomic operation and park (a -DTINYRT_CHAOS=ON build)
  --json       also write the summary to FILE
  --stall      seconds without progress that count as a hang (default 10)
)";
    if (faults_built_in) {
        u += "  --fault      enable a test-only fault: " + fault_names() + "\n";
        u += "  --fault-rate probability of each enabled fault at its site\n";
    }
    u += "Exit: 0 all passed, 1 an invariant broke, 2 bad arguments, 3 a hang.\n";
    return u;
}

std::string replay_command(const options& o, const std::string& scenario) {
    std::ostringstream c;
    c << o.program << " --scenario " << scenario << " --seed " << o.seed;
    if (o.iterations != 0) {
        c << " --iterations " << o.iterations;
    } else {
        c << " --seconds " << o.seconds;
    }
    c << " --workers " << o.workers << " --threads " << o.threads;
    if (o.stall != options{}.stall) c << " --stall " << o.stall;
    if (o.chaos) c << " --chaos";
    if (!o.faults.empty()) {
        c << " --fault ";
        for (std::size_t i = 0; i < o.faults.size(); ++i) c << (i ? "," : "") << o.faults[i];
        if (o.fault_rate > 0) c << " --fault-rate " << o.fault_rate;
    }
    return c.str();
}

}  // namespace stress
