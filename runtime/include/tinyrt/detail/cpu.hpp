// The CPU's spin-wait hint. PAUSE tells an x86 core that this is a spin loop:
// it saves power, yields pipeline resources to the sibling hyperthread and
// avoids the memory-order mis-speculation flush when the awaited line changes.
#pragma once

namespace tinyrt::detail {

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield" ::: "memory");
#else
    asm volatile("" ::: "memory");
#endif
}

}  // namespace tinyrt::detail
