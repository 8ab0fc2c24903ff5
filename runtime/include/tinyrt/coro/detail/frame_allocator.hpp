// Recycling allocator for coroutine frames (a root's task_node is inside its
// frame, task_node.hpp).
//
// Every tinyrt::task frame comes from here (the promise's operator new), so
// that in the steady state creating, awaiting and finishing a task makes no
// call to the global operator new: a freed frame goes on a free list for its
// size class and the next frame of that size pops it.
//
// Design (a segregated-fit free-list allocator, as in Bonwick's slab
// allocator and the per-thread caches of tcmalloc/mimalloc):
//   * size classes every 16 bytes up to max_small (1 KiB); bigger frames go
//     to the global operator new unchanged. Every block is aligned to 16
//     bytes, what the global operator new gives (__STDCPP_DEFAULT_NEW_ALIGNMENT__)
//     and what the compilers' coroutine lowering assumes of a promise's
//     operator new for a frame holding 16-aligned data. A frame's size need
//     not be a multiple of its alignment (clang asks 72 bytes for such a
//     frame), so the size cannot tell which alignment a frame needs;
//   * the free lists are thread-local: no atomics, no locks on the hot path;
//   * an empty list first adopts the lists left behind by threads that have
//     exited (one mutex, slow path only), then carves blocks from a 64 KiB
//     chunk; chunks are owned by one process-wide registry that is never
//     destroyed, so a block may outlive the thread that carved it, and a
//     frame freed during static destruction (a task in a global) is safe.
//
// A frame freed on another thread (a task created on one loop and finished on
// another) simply joins the freeing thread's list: blocks carry no owner, so
// this is safe; memory migrates to the thread that frees it. Memory is never
// returned to the system before exit: the allocator holds the peak number of
// live frames, like any free-list pool.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tinyrt::detail {

inline constexpr std::size_t frame_granule = 16;
inline constexpr std::size_t frame_max_small = 1024;
inline constexpr std::size_t frame_class_count = frame_max_small / frame_granule;

struct frame_free_block {
    frame_free_block* next;
};

// The calling thread's free lists. Trivially constructible and destructible,
// so reaching it is one thread-pointer-relative load (no TLS init guard);
// the slow path registers a separate object whose destructor hands the
// lists to the process-wide pool when the thread exits.
struct frame_thread_lists {
    frame_free_block* heads[frame_class_count];
    std::int64_t live;
};
extern thread_local constinit frame_thread_lists frame_lists;

inline std::size_t frame_class_of(std::size_t size) noexcept {
    return (size + frame_granule - 1) / frame_granule - 1;
}

void* frame_allocate_slow(std::size_t size);
void frame_deallocate_large(void* block) noexcept;

// Returns a block of at least `size` bytes, aligned to 16 bytes. Never
// null: on exhaustion it reports through the usual std::bad_alloc /
// detail::fatal.
inline void* frame_allocate(std::size_t size) {
    if (size <= frame_max_small) {
        frame_free_block*& head = frame_lists.heads[frame_class_of(size)];
        if (frame_free_block* b = head) {
            head = b->next;
            ++frame_lists.live;
            return b;
        }
    }
    return frame_allocate_slow(size);
}

// Gives back a block from frame_allocate; `size` must be the size it was
// allocated with (the sized operator delete passes it).
inline void frame_deallocate(void* block, std::size_t size) noexcept {
    --frame_lists.live;
    if (size > frame_max_small) {
        frame_deallocate_large(block);
        return;
    }
    auto* b = static_cast<frame_free_block*>(block);
    frame_free_block*& head = frame_lists.heads[frame_class_of(size)];
    b->next = head;
    head = b;
}

// Blocks allocated minus blocks freed by the calling thread. Tests use it to
// prove that nothing is left alive; it is per thread, so compare it on the
// thread that both created and finished the frames (the loop thread).
inline std::int64_t frame_live_blocks() noexcept {
    return frame_lists.live;
}

}  // namespace tinyrt::detail
