// In [15] and [16]: a global list appended to by two processes, then by two
// threads.
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

#include "common/timeline.hpp"
#include "lista.hpp"
#include "tinyrt/sync/mutex.hpp"

namespace lista {

namespace {

std::vector<int> l;  // "Variável global", as in the notebook

// adicionar 0..n-1 na lista l
void add(int n) {
    for (int i = 0; i < n; ++i) l.push_back(i);
}

}  // namespace

void processos(const options&) {
    l.clear();
    std::fflush(stdout);  // a child must not inherit (and later repeat) unwritten output
    pid_t children[2];
    const int sizes[2] = {3, 5};
    for (int k = 0; k < 2; ++k) {
        const pid_t pid = ::fork();
        if (pid < 0) {
            std::fprintf(stderr, "lista: fork failed: %s\n", std::strerror(errno));
            std::exit(1);
        }
        if (pid == 0) {
            // The child: fork copied the whole address space, so this appends
            // to the child's own copy of l. Python's Process does the same.
            add(sizes[k]);
            ::_exit(l.size() == static_cast<std::size_t>(sizes[k]) ? 0 : 1);
        }
        children[k] = pid;
    }
    for (pid_t child : children) {  // p1.join(); p2.join()
        int status = 0;
        while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            std::fprintf(stderr, "lista: child process %d failed\n", static_cast<int>(child));
            std::exit(1);
        }
    }
    std::printf("%s\n", python_list(l).c_str());
    std::printf("  (continua vazia: cada processo filho alterou a sua própria cópia de l)\n");
}

void threads(const options&) {
    l.clear();
    // Python's list.append is atomic under the GIL. std::vector::push_back
    // from two threads at once is a data race (undefined behaviour), so a
    // mutex plays the GIL's part around each append.
    tinyrt::mutex gil;
    auto add_shared = [&](int n) {
        for (int i = 0; i < n; ++i) {
            std::lock_guard<tinyrt::mutex> g(gil);
            l.push_back(i);
        }
    };
    auto traced = [&](const char* track, int n) {
        demo::timeline().run_as_task(track, "add_shared", [&] { add_shared(n); });
    };
    std::thread p1(traced, "p1", 3);
    std::thread p2(traced, "p2", 5);
    p1.join();
    p2.join();
    std::printf("%s\n", python_list(l).c_str());
    std::printf("  (compartilhada: as duas threads escreveram na mesma lista)\n");
}

}  // namespace lista
