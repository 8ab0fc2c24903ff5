# Toolchain file: build with Clang (used for the sanitizer builds).
set(CMAKE_C_COMPILER clang)
set(CMAKE_CXX_COMPILER clang++)
