"""The asyncio side of bench_coro: the notebook's own library.

Usage: coro_asyncio.py CASE N
  sleep   gather of N coroutines, each sleeping 10 ms
  spawn   N times create_task + await of a trivial coroutine
  await   N plain awaits of a trivial coroutine
Prints one line: wall_ns=... cpu_ns=... maxrss_kb=...
"""
import asyncio
import resource
import sys
import time


async def sleeper():
    await asyncio.sleep(0.010)


async def trivial():
    return 1


async def case_sleep(n):
    await asyncio.gather(*(sleeper() for _ in range(n)))


async def case_spawn(n):
    total = 0
    for _ in range(n):
        total += await asyncio.create_task(trivial())
    assert total == n


async def case_await(n):
    total = 0
    for _ in range(n):
        total += await trivial()
    assert total == n


def main():
    case, n = sys.argv[1], int(sys.argv[2])
    body = {"sleep": case_sleep, "spawn": case_spawn, "await": case_await}[case]
    wall0, cpu0 = time.perf_counter_ns(), time.process_time_ns()
    asyncio.run(body(n))
    wall, cpu = time.perf_counter_ns() - wall0, time.process_time_ns() - cpu0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"wall_ns={wall} cpu_ns={cpu} maxrss_kb={rss}")


if __name__ == "__main__":
    main()
