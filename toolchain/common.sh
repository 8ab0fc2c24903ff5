# Shared by the toolchain scripts: the repository root and a configure+build step.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)

# build DIR [cmake args...]: configure with Ninja and build. A later -S in
# the arguments overrides the source directory (the repository root).
build() {
  local dir=$1; shift
  cmake -S "$root" -B "$dir" -G Ninja "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
}
