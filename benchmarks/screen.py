"""Keys and memory as a user meets them, on the app's own pseudo-terminal.

Keys are written at a set pace whether or not the app has answered the last one (a person typing
does not wait), and each key is timed from its write to the first frame that shows its answer or
a later one: for `j` the detail pane showing the next paper's id, for a search the status line
showing that text's count (it says "searching …" until the answer for that very text is in).
"""

from __future__ import annotations

import os
import random
import re
import select
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from arxiv_tui.core.base.paths import Paths
from benchmarks.inside import QUERIES, app_command, reader_for
from benchmarks.terminal import PtyApp

NINE_A_SECOND = (0.1, 0.125)  # seconds between keys: 8-10 keys a second, 9 on average
READING_PACE = (0.15, 0.8)


def paced_keys(
    app: PtyApp,
    keys: Sequence[str],
    answered: Callable[[bytes], int],
    pace: tuple[float, float],
    seed: int = 20261202,
    timeout: float = 10.0,
) -> list[float]:
    """Seconds from each key's write to the first output in which `answered` (given each new
    piece of output: see `scanning`) finds that key's answer or a later one; `answered` returns
    how many keys are answered so far. Keys are written at `pace` by a thread of their own."""
    rng = random.Random(seed)
    sent: list[float] = []

    def send() -> None:
        for key in keys:
            sent.append(time.perf_counter())
            app.send(key)
            time.sleep(rng.uniform(*pace))

    writer = threading.Thread(target=send, daemon=True)
    timed: list[float] = []
    writer.start()
    deadline = time.perf_counter() + len(keys) * pace[1] + timeout
    while len(timed) < len(keys) and time.perf_counter() < deadline:
        ready, _, _ = select.select([app.fd], [], [], 0.05)
        if not ready:
            continue
        try:
            piece = os.read(app.fd, 1 << 16)
        except OSError:
            break
        now = time.perf_counter()
        done = min(answered(piece), len(sent))
        timed += [now - sent[index] for index in range(len(timed), done)]
    writer.join()
    app.buffer = b""
    if len(timed) < len(keys):
        raise RuntimeError(f"only {len(timed)} of {len(keys)} keys were answered on screen")
    return timed


PAPER_ID = re.compile(rb"(\d{4}\.\d{4,5})v\d+")
TAIL = 512  # bytes of one read kept for the next: an answer cut between two reads is still found


def scanning(count: Callable[[bytes], int]) -> Callable[[bytes], int]:
    """`count` (the keys a piece of output answers) run on each new piece of output with the end
    of the one before, keeping the best so far. Until the eleventh pass all the output since the
    first key was scanned again on every read: the driver's work grew with every key, on a
    machine of two cores it shares with the app."""
    tail, best = b"", 0

    def answered(piece: bytes) -> int:
        nonlocal tail, best
        seen = tail + piece
        best = max(best, count(seen))
        tail = seen[-TAIL:]
        return best

    return answered


def cursor_answers(order: Sequence[str], start: int) -> Callable[[bytes], int]:
    """For `j` from row `start`: how many presses the ids shown so far answer (the detail pane
    shows the paper under the cursor; a frame that skips ahead answers the keys before it too)."""
    position = {paper_id.encode(): index for index, paper_id in enumerate(order)}

    def answered(output: bytes) -> int:
        shown = [position.get(found.group(1), -1) for found in PAPER_ID.finditer(output)]
        return max([index - start for index in shown if index > start], default=0)

    return scanning(answered)


COUNTED = re.compile(rb"search all: ([^\x1b]*?): (?:[\d,]+\+? results?|no results)")


def search_answers(query: str) -> Callable[[bytes], int]:
    """For a query typed letter by letter: how many letters the status line has counted for (it
    shows the text stripped: "diffusion " is answered by the count for "diffusion")."""

    def answered(output: bytes) -> int:
        best = 0
        for found in COUNTED.finditer(output):
            text = found.group(1).decode("utf-8", "replace")
            if query.startswith(text):
                length = len(text)
                while length < len(query) and query[length] == " ":
                    length += 1
                best = max(best, length)
        return best

    return scanning(answered)


def searchable_keys(query: str) -> list[bool]:
    """For each letter typed, whether the text so far can be searched: a half-typed field
    ("au:") is answered at once by the bar's reason, not by a count, and is not timed."""
    from arxiv_tui.core.matching.query import QueryError, parse_query

    usable = []
    for end in range(1, len(query) + 1):
        try:
            parse_query(query[:end], live=True)
            usable.append(True)
        except QueryError:
            usable.append(False)
    return usable


# --- memory: resident set of the reader and its children -------------------------------------------


def family(pid: int) -> list[int]:
    """`pid` and every process below it."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                children = Path(f"/proc/{current}/task/{task}/children").read_text().split()
                queue += [int(child) for child in children]
        except OSError:
            continue
    return found


def pss_kib(pids: Sequence[int]) -> int:
    """Proportional set size of these processes together (shared pages counted once)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                total += next(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
        except (OSError, StopIteration):
            continue
    return total


class MemoryWatch:
    """The largest PSS of the app and its children together, sampled every 20 ms while it runs."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self.children_seen = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            pids = family(self.pid)
            self.children_seen = max(self.children_seen, len(pids) - 1)
            self.peak = max(self.peak, pss_kib(pids))

    def now(self) -> int:
        return pss_kib(family(self.pid))

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


# --- the sessions measured -----------------------------------------------------------------------------


def first_view_order(home: Path) -> list[str]:
    """The ids of the view the reader opens on (the Inbox), in the order `j` walks them."""
    at_the_top(home)
    reader = reader_for(home)
    try:
        reader.apply(reader.open_newest())
        return [row.paper.id for row in reader.viewing.rows()]
    finally:
        reader.close()


def at_the_top(home: Path) -> None:
    """Forget where the last session stopped: the next start opens at the Inbox's first paper
    (what the measurements expect), not where a measurement left the cursor."""
    from arxiv_tui.core.library.opening import open_library
    from arxiv_tui.core.session.arrivals import LAST_PAPER, LAST_VIEW

    library = open_library(Paths.under(home).library_file)
    try:
        library.set_meta(LAST_VIEW, "")
        library.set_meta(LAST_PAPER, "")
    finally:
        library.close()


def started(home: Path, *extra: str) -> PtyApp:
    at_the_top(home)
    app = PtyApp(app_command(home, *extra))
    if not app.read_until(PAPER_ID, timeout=30):
        app.close()
        raise RuntimeError("the app did not show a paper")
    return app


REFETCHING_SAID = "⟳ fetching".encode()
REFETCHING = re.compile(re.escape(REFETCHING_SAID) + rb"|Already fetching")


def j_on_screen(
    home: Path, presses: int, pace: tuple[float, float], refetches: int, online: bool = True
) -> tuple[list[float], list[float]]:
    """`j` written at `pace`: idle (after the start's own refetch is over), then while `R`
    refetches (fetch, parse in a child, store, match), `refetches` times."""
    order = first_view_order(home)
    app = started(home) if online else started(home, "--offline")
    try:
        time.sleep(4.0)  # the start's own refetch is over
        app.drain(0.5)
        idle = paced_keys(app, ["j"] * presses, cursor_answers(order, 0), pace)
        busy: list[float] = []
        at = presses
        for round_ in range(refetches):
            app.drain(0.3)
            app.send("R")
            said = app.read_until(REFETCHING, timeout=5)
            if said is None or said.group(0) != REFETCHING_SAID:
                what = said.group(0).decode() if said else "nothing said"
                raise RuntimeError(f"R started no refetch ({what})")
            count = max(8, round(1.5 / (sum(pace) / 2)))  # about 1.5 s of keys: a refetch's length
            busy += paced_keys(app, ["j"] * count, cursor_answers(order, at), pace, seed=round_)
            at += count
            time.sleep(1.5)
        return idle, busy
    finally:
        app.close()


def search_on_screen(home: Path, pace: tuple[float, float]) -> list[float]:
    """Each query of QUERIES typed into F at `pace`, each key timed to the frame that counts it."""
    app = started(home, "--offline")
    timed: list[float] = []
    try:
        app.drain(0.5)
        for number, query in enumerate(QUERIES):
            app.send("F")
            app.drain(0.3)
            took = paced_keys(app, list(query), search_answers(query), pace, seed=number)
            timed += [seconds for seconds, usable in zip(took, searchable_keys(query), strict=True) if usable]
            app.send("\x1b")  # Esc: the search closed, back to the Inbox
            app.drain(0.5)
        return timed
    finally:
        app.close()


def memory_session(
    home: Path, title: str, views: int, stars: int, online: bool, refetches: int
) -> dict[str, int]:
    """Peak memory (KiB) of the reader and its children through a session checked on screen at
    each step: the first title, 20 j, a whole-library search answered, the Starred view shown
    (its count of papers), then `refetches` times R (when `online`), each one finished."""
    at_the_top(home)
    app = PtyApp(app_command(home) if online else app_command(home, "--offline"))
    watch = MemoryWatch(app.pid)
    after: list[int] = []
    try:
        if not app.read_until(title[:30].encode(), timeout=30):
            raise RuntimeError("the app did not show today's first title")
        for _ in range(20):
            app.send("j")
            time.sleep(0.05)
        app.send("F")
        query = "diffusion model"
        for char in query:
            app.send(char)
            time.sleep(0.05)
        if not app.read_until(re.compile(re.escape(f"search all: {query}: ".encode())), timeout=30):
            raise RuntimeError("the search was not answered on screen")
        app.send("\x1b")
        app.drain(0.3)  # Esc alone: with a key right after it, the terminal reads alt+key
        for _ in range(views):  # to Starred
            app.send("v")
            time.sleep(0.05)
        # The views line marks the current view in reverse video (SGR 7): Starred, and its count.
        shown = app.read_until(re.compile(rb"\x1b\[(?:\d+;)*7(?:;\d+)*mStarred ([\d,]+)"), timeout=30)
        if shown is None:
            seen = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", app.buffer)[-400:]
            raise RuntimeError(f"the Starred view was not shown; the screen's last output: {seen!r}")
        app.drain(1.0)
        after.append(watch.now())
        for _ in range(refetches if online else 0):
            app.send("R")
            if not app.read_until(b"fetching", timeout=10):
                raise RuntimeError("R started no refetch")
            app.drain(1.0, longest=30.0)
            after.append(watch.now())
        status = Path(f"/proc/{app.pid}/status").read_text()
        hwm = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
        return {
            "peak_pss": watch.stop(),
            "reader_hwm": hwm,
            "children": watch.children_seen,
            "starred": int(shown.group(1).replace(b",", b"")),
            **{f"pss_after_{index}": value for index, value in enumerate(after)},
        }
    finally:
        watch.stop()
        app.close()
