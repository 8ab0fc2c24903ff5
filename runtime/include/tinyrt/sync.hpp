// Everything in tinyrt/sync/, in one include: the three thread locks. All are
// Lockable, so std::lock_guard, std::unique_lock and std::scoped_lock work.
#pragma once

#include "tinyrt/sync/mutex.hpp"        // sleeps in the kernel: the default choice
#include "tinyrt/sync/spinlock.hpp"     // spins: tiny sections between running threads
#include "tinyrt/sync/ticket_lock.hpp"  // FIFO-fair
