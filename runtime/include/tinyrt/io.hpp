// Everything in tinyrt/io/, in one include: non-blocking TCP on the event
// loop, and file writes that do not block it.
#pragma once

#include "tinyrt/io/errors.hpp"
#include "tinyrt/io/file.hpp"
#include "tinyrt/io/tcp_listener.hpp"
#include "tinyrt/io/tcp_stream.hpp"
#include "tinyrt/io/unique_fd.hpp"
