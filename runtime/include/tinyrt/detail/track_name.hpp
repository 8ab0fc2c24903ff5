// The name of a timeline lane: "<name> <kind> <index>", or "<kind> <index>"
// without a name ("worker 3", "io worker 3", "loop 1"). Out of line
// (track_name.cpp), so that the std::string code a recorder's
// attach_this_thread takes its name in is compiled once, there, and not as
// operator+ and std::to_string at every caller.
#pragma once

#include <cstdint>
#include <string>

namespace tinyrt::detail {

std::string track_name(const char* name, const char* kind, std::uint64_t index);

}  // namespace tinyrt::detail
