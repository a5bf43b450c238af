"""First paint: the time from starting a command in a 160x48 tmux window to a marker on its
screen, in one series interleaving every command with the empty Textual app (empty, each
command in turn, the empty app again: the second empty series is the A/A spread)."""

from __future__ import annotations

import os
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.figures import Figures, Ratio
from benchmarks.terminal import first_paint_in_tmux

ROOT = Path(__file__).resolve().parents[1]
EMPTY_APP = [sys.executable, str(ROOT / "benchmarks" / "empty_app.py")]
EMPTY_MARK = "EMPTY-APP-READY"


@dataclass
class Start:
    label: str
    command: list[str]
    marker: str
    before: Callable[[], object] = field(default=lambda: None)  # e.g. the library evicted from the cache


def evict(*paths: Path) -> None:
    """Drop these files' pages from the page cache (a cold start: as after a reboot, or a day of
    other work), so the start reads them from the disk."""
    for path in paths:
        if not path.exists():
            continue
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
            os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(descriptor)


def paint_series(figures: Figures, starts: list[Start], runs: int, series: str) -> dict[str, Ratio]:
    """Each start's first paint as a ratio of medians to the empty app's, all interleaved;
    `series` names this series' empty-app figures (until the twelfth pass the --demo series
    wrote over the workloads' in the table, under the same names)."""
    first_paint_in_tmux(EMPTY_APP, EMPTY_MARK)  # warm-up: page cache, bytecode
    for start in starts:
        start.before()
        first_paint_in_tmux(start.command, start.marker)
    empty: list[float] = []
    again: list[float] = []
    times: dict[str, list[float]] = {start.label: [] for start in starts}
    for _ in range(runs):
        empty.append(first_paint_in_tmux(EMPTY_APP, EMPTY_MARK))
        for start in starts:
            start.before()
            times[start.label].append(first_paint_in_tmux(start.command, start.marker))
        again.append(first_paint_in_tmux(EMPTY_APP, EMPTY_MARK))
    figures.add(f"first paint, empty Textual app ({series}: first of each round)", empty)
    figures.add(f"first paint, empty Textual app again, A/A ({series}: last of each round)", again)
    base = statistics.median(empty)
    spread = abs(statistics.median(again) / base - 1)
    for label, values in times.items():
        figures.add(f"first paint, {label}", values)
    return {label: Ratio(statistics.median(values) / base, spread) for label, values in times.items()}
