"""What the library's work costs inside one process, without the UI: a search per keystroke
(as the search bar runs it), `arxiv-tui search` end to end, marks, and a day's papers added."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import statistics
import subprocess
import sys
import time
from pathlib import Path

from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.config import load_config
from arxiv_tui.core.library.opening import open_library
from arxiv_tui.core.matching.query import QueryError
from arxiv_tui.core.session.reader import Reader
from benchmarks import workload
from benchmarks.figures import Figures

QUERIES = ("diffusion model", "graph neural", "black hole merger", "au:zhang", "reinforcement learning")


def app_command(home: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "arxiv_tui", "--home", str(home), *extra]


def reader_for(home: Path) -> Reader:
    paths = Paths.under(home)
    config, _ = load_config(paths.config_file)
    return Reader.open(paths, config, offline=True)


def measure_search(figures: Figures, name: str, home: Path) -> tuple[float, float]:
    reader = reader_for(home)
    keystrokes = []
    try:
        for query in QUERIES:
            for end in range(1, len(query) + 1):
                typed = query[:end]
                started = time.perf_counter()
                with contextlib.suppress(QueryError):  # a half-typed field: the bar says why
                    list(reader.find.in_library(typed, live=True))  # the whole answer, not its first rows
                keystrokes.append(time.perf_counter() - started)
    finally:
        reader.close()
    figures.add(f"{name}: search of the whole library per keystroke, inside the process (no UI)", keystrokes)
    command = [*app_command(home), "search", "diffusion model", "--limit", "50"]
    ends = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        ends.append(time.perf_counter() - started)
    figures.add(f"{name}: `arxiv-tui search` end to end", ends)
    return Figures.p95(keystrokes), statistics.median(ends)


def measure_marks(figures: Figures, name: str, home: Path) -> tuple[float, float]:
    """(p95 UI-thread cost of a star or read mark, p95 time until another process sees it)."""
    reader = reader_for(home)
    paths = Paths.under(home)
    other = open_library(paths.library_file)
    costs, visible = [], []
    try:
        reader.apply(reader.open_newest())
        papers = list(reader.viewing.papers[100:130])
        for paper in papers:
            started = time.perf_counter()
            reader.marking.set_starred(paper, True)
            reader.marking.set_read([paper])
            costs.append((time.perf_counter() - started) / 2)
            while (
                not other.marks.of([paper.id]).get(paper.id, None)
                or not other.marks.of([paper.id])[paper.id].read
            ):
                time.sleep(0.001)
            visible.append(time.perf_counter() - started)
    finally:
        other.close()
        reader.close()
    figures.add(f"{name}: star or read mark, on the UI thread", costs)
    figures.add(f"{name}: star and read mark on disk (seen by another process)", visible)
    return Figures.p95(costs), Figures.p95(visible)


def measure_writes(figures: Figures, name: str, home: Path) -> tuple[float, float]:
    """(median time to add a day's 1,500 new papers, disk bytes per paper)."""
    paths = Paths.under(home)
    library = open_library(paths.library_file)
    try:
        papers = library.counts()["papers"]
        wal = Path(str(paths.library_file) + "-wal")
        size = paths.library_file.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
        per_paper = size / papers
        times = []
        for offset in (1, 2, 3):
            base = workload.fresh_papers(dt.date(2020, 6, offset))
            fresh = tuple(dataclasses.replace(paper, id=f"9{offset}{paper.id[2:]}") for paper in base.papers)
            started = time.perf_counter()
            library.store_listing(dataclasses.replace(base, papers=fresh))
            times.append(time.perf_counter() - started)
    finally:
        library.close()
    figures.add(f"{name}: add a day's 1,500 new papers to the library", times)
    return statistics.median(times), per_paper
