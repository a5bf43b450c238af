"""The reader's threads share one malloc heap (glibc): freed memory in a worker's own arena was
kept there, and a session's memory grew with every refetch."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

CHILD = """
import ctypes, sys, threading
if sys.argv[1] == "one":
    from arxiv_tui.core.base.memory import one_heap
    one_heap()

def work():
    kept = [bytes(20_000) for _ in range(200)]  # above Python's small-object allocator

threads = [threading.Thread(target=work) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
ctypes.CDLL(None).malloc_stats()  # one "Arena N:" section per arena, on stderr
"""


def arenas_after_four_threads(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", CHILD, mode], capture_output=True, text=True, check=True)
    return done.stderr.count("Arena ")


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's arenas")
def test_worker_threads_allocate_from_the_one_heap():
    assert arenas_after_four_threads("default") > 1  # what glibc does unasked
    assert arenas_after_four_threads("one") == 1
