// Recycling frame allocator, slow paths: see tinyrt/coro/detail/frame_allocator.hpp.
#include "tinyrt/coro/detail/frame_allocator.hpp"

#include <sys/mman.h>

#include <array>
#include <cstdint>
#include <mutex>
#include <new>
#include <utility>

namespace tinyrt::detail {

thread_local constinit frame_thread_lists frame_lists{};

namespace {

constexpr std::size_t chunk_bytes = 64 * 1024;
constexpr std::uintptr_t page_bytes = 4096;

// Maps in the pages of a fresh chunk with one system call instead of one
// page fault per 4 KiB page when each is first written (Linux 5.14's
// MADV_POPULATE_WRITE; a hint: an older kernel refuses it and the pages
// fault in as before). Only for a thread's second and later chunks: a
// thread that creates a few coroutines keeps the pages it never touches
// unmapped, and one that carves a second chunk is creating frames by the
// thousand and will write them all. A 100,000-coroutine gather spends about
// a fifth of its CPU time less this way, the time the faults' traps took.
void populate(void* chunk) noexcept {
#ifdef MADV_POPULATE_WRITE
    const auto begin =
        (reinterpret_cast<std::uintptr_t>(chunk) + page_bytes - 1) & ~(page_bytes - 1);
    const auto end = (reinterpret_cast<std::uintptr_t>(chunk) + chunk_bytes) & ~(page_bytes - 1);
    if (begin < end)
        (void)::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
#else
    (void)chunk;
#endif
}

// The start of every chunk: the link of the registry's list of chunks
// (16 bytes, so the carving that follows starts 16-aligned).
struct alignas(16) chunk_header {
    chunk_header* previous;
};
constexpr std::size_t chunk_usable = chunk_bytes - sizeof(chunk_header);

// Process-wide: every chunk ever carved (an intrusive list through the
// chunks' headers) and the free lists of threads that have exited. Never destroyed: a frame may be
// freed during static destruction, in any order (a task<T> or task_handle held in a global), so the
// chunks must outlive every object with static storage; the system takes them back at exit. The
// registry itself is constant-initialized static storage whose destructor never runs (below), so
// no first use pays a guard and the chunks stay reachable from it for leak checkers.
class chunk_registry {
public:
    constexpr chunk_registry() = default;

    // A new chunk; its chunk_usable bytes after the header are the caller's.
    chunk_header* new_chunk() {
        auto* c = static_cast<chunk_header*>(::operator new(chunk_bytes));
        std::lock_guard<std::mutex> lock(mutex_);
        c->previous = chunks_;
        chunks_ = c;
        return c;
    }
    void donate(std::size_t cls, frame_free_block* head) noexcept {
        frame_free_block* tail = head;
        while (tail->next != nullptr) tail = tail->next;
        std::lock_guard<std::mutex> lock(mutex_);
        tail->next = orphans_[cls];
        orphans_[cls] = head;
    }
    frame_free_block* adopt(std::size_t cls) noexcept {
        std::lock_guard<std::mutex> lock(mutex_);
        return std::exchange(orphans_[cls], nullptr);
    }

private:
    std::mutex mutex_;
    chunk_header* chunks_ = nullptr;  // the newest chunk
    std::array<frame_free_block*, frame_class_count> orphans_{};
};

// Never destroyed: see above.
union registry_storage {
    constexpr registry_storage() : registry() {}
    ~registry_storage() {}
    chunk_registry registry;
};
constinit registry_storage the_registry;

chunk_registry& registry() {
    return the_registry.registry;
}

// Per thread, touched only on the slow path: the chunk being carved, and at
// thread exit the hand-over of the free lists.
struct thread_carver {
    char* next = nullptr;
    std::size_t left = 0;
    std::size_t chunks = 0;  // taken by this thread so far
    ~thread_carver() {
        for (std::size_t cls = 0; cls < frame_class_count; ++cls) {
            if (frame_free_block* head = std::exchange(frame_lists.heads[cls], nullptr))
                registry().donate(cls, head);
        }
    }
};

}  // namespace

void* frame_allocate_slow(std::size_t size) {
    ++frame_lists.live;
    if (size > frame_max_small) return ::operator new(size);
    thread_local thread_carver carver;
    const std::size_t cls = frame_class_of(size);
    frame_free_block* list = registry().adopt(cls);
    if (list == nullptr) {
        // Carve up to 32 blocks at once, so a chunk is shared between size
        // classes without one class taking all of it.
        // Chunks start 16-aligned and every class is a multiple of 16, so
        // every block is 16-aligned.
        const std::size_t block = (cls + 1) * frame_granule;
        for (int i = 0; i < 32; ++i) {
            if (carver.left < block) {
                if (list != nullptr) break;
                chunk_header* chunk = registry().new_chunk();
                carver.next = reinterpret_cast<char*>(chunk + 1);
                carver.left = chunk_usable;
                if (carver.chunks++ > 0) populate(chunk);
            }
            auto* b = static_cast<frame_free_block*>(static_cast<void*>(carver.next));
            b->next = list;
            list = b;
            carver.next += block;
            carver.left -= block;
        }
    }
    frame_lists.heads[cls] = list->next;
    return list;
}

void frame_deallocate_large(void* block) noexcept {
    ::operator delete(block);
}

}  // namespace tinyrt::detail
