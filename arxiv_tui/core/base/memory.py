"""How the reader's process uses memory: one malloc heap for all its threads (glibc).

glibc gives each thread that allocates while another holds the heap an arena of its own, up to
eight per core, and keeps what is freed in each for reuse by that arena. The reader runs every
search keystroke, refresh and export in a short-lived worker thread, so after a few refetches
its memory was spread over several arenas, each holding freed space: 50,000 stars, the Starred
view shown, after four refetches 155-158 MB with arenas, 140 MB with one.
Python's own allocator serves small objects under the interpreter lock, so one heap costs the
threads next to nothing in waiting.
"""

from __future__ import annotations

import contextlib
import sys

M_ARENA_MAX = -8  # glibc's mallopt parameter: the most arenas


def one_heap() -> None:
    """Ask glibc for one malloc arena, shared by all threads; before any thread is started
    (arenas made before stay). Elsewhere, or without glibc's mallopt, nothing is done."""
    _glibc("mallopt", M_ARENA_MAX, 1)  # ctypes is 1.2 ms, which the start pays: it cannot wait


def give_back_freed() -> None:
    """Return the heap's freed pages to the system (glibc's malloc_trim), after a burst of work
    that freed much (a refetch: a day's feed, its JSON and papers). glibc gives back only the
    free space at the top of the heap by itself; what was freed below live blocks stays counted
    as the reader's. Elsewhere nothing is done. ctypes lets go of the interpreter meanwhile."""
    _glibc("malloc_trim", 0)


def _glibc(function: str, *arguments: int) -> None:
    """Call one of glibc's malloc functions; on another system, or a C library without it,
    nothing is done."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        getattr(ctypes.CDLL(None), function)(*arguments)
