// Recycling frame allocator: see tinyrt/coro/frame_allocator.hpp.
#include "tinyrt/coro/frame_allocator.hpp"

#include <array>
#include <mutex>
#include <new>
#include <vector>

namespace tinyrt::detail {
namespace {

constexpr std::size_t class_count = frame_max_small / frame_granule;
constexpr std::size_t chunk_bytes = 64 * 1024;

struct free_block {
    free_block* next;
};

constexpr std::size_t class_of(std::size_t size) noexcept { return (size + frame_granule - 1) / frame_granule - 1; }

// Process-wide: every chunk ever carved (freed at exit, after every thread's
// cache has been torn down) and the free lists of threads that have exited.
class chunk_registry {
public:
    ~chunk_registry() {
        for (void* c : chunks_) ::operator delete(c);
    }
    void* new_chunk() {
        void* c = ::operator new(chunk_bytes);
        std::lock_guard<std::mutex> lock(mutex_);
        chunks_.push_back(c);
        return c;
    }
    void donate(std::size_t cls, free_block* head, free_block* tail) noexcept {
        std::lock_guard<std::mutex> lock(mutex_);
        tail->next = orphans_[cls];
        orphans_[cls] = head;
    }
    free_block* adopt(std::size_t cls) noexcept {
        std::lock_guard<std::mutex> lock(mutex_);
        free_block* list = orphans_[cls];
        orphans_[cls] = nullptr;
        return list;
    }

private:
    std::mutex mutex_;
    std::vector<void*> chunks_;
    std::array<free_block*, class_count> orphans_{};
};

chunk_registry& registry() {
    // Constructed before any thread cache (a cache calls this on its first
    // carve), so destroyed after the main thread's cache.
    static chunk_registry r;
    return r;
}

class thread_cache {
public:
    ~thread_cache() {
        for (std::size_t cls = 0; cls < class_count; ++cls) {
            free_block* head = lists_[cls];
            if (head == nullptr) continue;
            free_block* tail = head;
            while (tail->next != nullptr) tail = tail->next;
            registry().donate(cls, head, tail);
        }
    }

    void* allocate(std::size_t size) {
        ++live_;
        if (size > frame_max_small) return ::operator new(size);
        const std::size_t cls = class_of(size);
        free_block* b = lists_[cls];
        if (b == nullptr) b = refill(cls);
        lists_[cls] = b->next;
        return b;
    }

    void deallocate(void* p, std::size_t size) noexcept {
        --live_;
        if (size > frame_max_small) {
            ::operator delete(p);
            return;
        }
        auto* b = static_cast<free_block*>(p);
        const std::size_t cls = class_of(size);
        b->next = lists_[cls];
        lists_[cls] = b;
    }

    std::int64_t live() const noexcept { return live_; }

private:
    // Slow path: adopt an exited thread's list, else carve a run of blocks
    // from the current chunk (a fresh one when it is used up).
    free_block* refill(std::size_t cls) {
        if (free_block* adopted = registry().adopt(cls)) return adopted;
        const std::size_t block = (cls + 1) * frame_granule;
        if (chunk_left_ < block) {
            chunk_next_ = static_cast<char*>(registry().new_chunk());
            chunk_left_ = chunk_bytes;
        }
        // Carve up to 32 blocks at once so that the chunk is shared between
        // size classes without one class taking all of it.
        free_block* head = nullptr;
        for (int i = 0; i < 32 && chunk_left_ >= block; ++i) {
            auto* b = static_cast<free_block*>(static_cast<void*>(chunk_next_));
            b->next = head;
            head = b;
            chunk_next_ += block;
            chunk_left_ -= block;
        }
        return head;
    }

    std::array<free_block*, class_count> lists_{};
    char* chunk_next_ = nullptr;
    std::size_t chunk_left_ = 0;
    std::int64_t live_ = 0;
};

thread_cache& cache() {
    // The registry must outlive every cache: touch it first.
    static_cast<void>(registry());
    thread_local thread_cache c;
    return c;
}

}  // namespace

void* frame_allocate(std::size_t size) { return cache().allocate(size); }

void frame_deallocate(void* block, std::size_t size) noexcept { cache().deallocate(block, size); }

std::int64_t frame_live_blocks() noexcept { return cache().live(); }

}  // namespace tinyrt::detail
