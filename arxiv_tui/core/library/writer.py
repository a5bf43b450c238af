"""Marks written off the caller's thread: a keypress enqueues, a thread commits.

A star or read mark costs the UI thread a list append. The writer commits what is queued at
once (several changes made in the same moment go in one transaction), so a change is on disk
well within a second. A change that cannot be written (disk full, read-only folder, the
library locked too long) stays queued, is reported once, and is tried again on the next change
and every few seconds; `close()` writes what is left, on the caller's thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from arxiv_tui.core.base.errors import StateError
from arxiv_tui.core.library.db import LibraryRecovered
from arxiv_tui.core.library.library import Library

Change = Callable[[Library], object]
RETRY_SECONDS = 5.0


class MarkWriter:
    def __init__(self, library: Library, on_error: Callable[[StateError], object]) -> None:
        self.library = library
        self.on_error = on_error
        self._queue: list[Change] = []
        self._guard = threading.Lock()
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._stopping = False
        self._failing = False
        self._thread = threading.Thread(target=self._run, name="arxiv-tui-mark-writer", daemon=True)
        self._thread.start()

    def put(self, change: Change) -> None:
        with self._guard:
            self._queue.append(change)
            self._idle.clear()
        self._wake.set()

    @property
    def pending(self) -> int:
        with self._guard:
            return len(self._queue)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Until everything queued is written (or has failed); for tests and for quitting."""
        return self._idle.wait(timeout)

    def _write(self) -> StateError | None:
        """Write the queue in order; stop at the first failure, keeping it and what follows. A
        change that found the library damaged is tried again at once on the recovered library."""
        recovered = False
        while True:
            with self._guard:
                if not self._queue:
                    self._idle.set()
                    return None
                change = self._queue[0]
            try:
                change(self.library)
            except StateError as error:
                if isinstance(error, LibraryRecovered) and not recovered:
                    recovered = True  # told through the library's on_notice; this change goes again
                    continue
                self._idle.set()
                return error
            with self._guard:
                self._queue.pop(0)

    def _run(self) -> None:
        while not self._stopping:
            self._wake.wait(RETRY_SECONDS if self._failing else None)
            self._wake.clear()
            if self._stopping:
                return
            error = self._write()
            if error is not None and not self._failing:
                self.on_error(error)
            self._failing = error is not None

    def close(self) -> None:
        """Stop the thread and write what is left; raises StateError if that still fails."""
        self._stopping = True
        self._wake.set()
        self._thread.join(timeout=30)
        error = self._write()
        if error is not None:
            raise error
