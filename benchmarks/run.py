"""The issue-5 benchmarks, in one command:  python benchmarks/run.py [--runs 7] [--write]

Builds the workload (see workload.py), then measures, each after a warm-up and `--runs` times:
  1. first paint in tmux at 160x48, against an empty Textual app measured in the same run;
  2. `j` latency in a real pseudo-terminal: key sent -> the next paper's id in the app's output,
     idle and while a refetch downloads and parses the 1,504-item listing; also `s` (star);
  3. re-filter after a keyword change, and search of all 46,504 archived papers per keystroke;
  4. parsing the real 1,504-item RSS listing;
  5. saving state after a star with 40,000 read ids and 2,000 stars;
  6. peak memory (VmHWM) of the app after it was used, including a search of the whole archive.
`--write` puts the figures in benchmarks/RESULTS.md. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.server
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from arxiv_tui.core.archive import Archive  # noqa: E402
from arxiv_tui.core.config import load_config  # noqa: E402
from arxiv_tui.core.parse import parse_feed  # noqa: E402
from arxiv_tui.core.paths import Paths  # noqa: E402
from arxiv_tui.core.state import State  # noqa: E402
from arxiv_tui.tui.model import ReaderModel, filter_listing  # noqa: E402
from benchmarks.terminal import PtyApp, first_paint_in_tmux  # noqa: E402
from benchmarks.workload import build, demo_listing_bytes, today_listing_date, todays_feed  # noqa: E402

MARK = "<!-- figures: written by benchmarks/run.py --write -->"
J_IDLE = "j -> next paper in the detail pane (idle)"
J_BUSY = "j -> next paper, during a refetch and parse"
REFILTER = "re-filter today's 1,504 papers after a keyword change"
SEARCH = "search all 46,504 papers, per keystroke (rows included)"
SAVE = "save state after a star (40,000 read ids, 2,000 stars)"
EMPTY_APP = [sys.executable, str(ROOT / "benchmarks" / "empty_app.py")]
ID_ON_SCREEN = re.compile(rb"(\d{4}\.\d{5})v\d")


class Figures:
    """Named series of measurements (seconds), printed as min / median / p95 / max in ms."""

    def __init__(self) -> None:
        self.series: dict[str, list[float]] = {}
        self.notes: dict[str, str] = {}

    def add(self, name: str, values: list[float], note: str = "") -> None:
        self.series[name] = values
        if note:
            self.notes[name] = note

    def row(self, name: str) -> str:
        values = sorted(self.series[name])
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        cells = [min(values), statistics.median(values), p95, max(values)]
        return f"| {name} | {len(values)} | " + " | ".join(f"{v * 1000:.1f}" for v in cells) + " |"

    def table(self) -> str:
        lines = ["| measurement | n | min ms | median ms | p95 ms | max ms |", "|---|---|---|---|---|---|"]
        lines += [self.row(name) for name in self.series]
        return "\n".join(lines)

    def median(self, name: str) -> float:
        return statistics.median(self.series[name])

    def p95(self, name: str) -> float:
        values = sorted(self.series[name])
        return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def serve_listing(body: bytes) -> tuple[http.server.ThreadingHTTPServer, str]:
    """A loopback 'rss.arxiv.org' answering every request with today's listing."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/rss"


def matched_ids(home: Path) -> list[str]:
    """The Matched view's order, as the app computes it."""
    paths = Paths.under(home)
    config, _ = load_config(paths.config_file)
    listing = Archive(paths.archive_dir).latest()
    model = ReaderModel(config, State(paths.state_file))
    return [
        row.paper.id for row in filter_listing(listing, model.matcher, config.include_replacements).matched
    ]


def app_command(home: Path) -> list[str]:
    return [sys.executable, "-m", "arxiv_tui", "--home", str(home)]


def measure_first_paint(figures: Figures, home: Path, runs: int, first_title: str) -> None:
    marker = first_title[:30]
    empty, app = [], []
    first_paint_in_tmux(EMPTY_APP, "EMPTY-APP-READY")  # warm-up: page cache, bytecode
    first_paint_in_tmux(app_command(home), marker)
    for _ in range(runs):  # interleaved, so both see the same machine
        empty.append(first_paint_in_tmux(EMPTY_APP, "EMPTY-APP-READY"))
        app.append(first_paint_in_tmux(app_command(home), marker))
    figures.add("first paint: empty Textual app (tmux 160x48)", empty)
    figures.add("first paint: arxiv-tui, today's first title (tmux 160x48)", app)


def press_and_wait(app: PtyApp, key: str, expected: bytes) -> float | None:
    started = time.perf_counter()
    app.send(key)
    found = app.read_until(re.compile(re.escape(expected)), timeout=5)
    return time.perf_counter() - started if found else None


def measure_keys(figures: Figures, home: Path, presses: int, order: list[str]) -> int:
    """j latency idle and during a refetch, s latency; returns the app's peak memory (KiB)."""
    app = PtyApp(app_command(home))
    try:
        if not app.read_until(ID_ON_SCREEN, timeout=20):
            raise RuntimeError("the app did not show a paper")
        time.sleep(3.0)  # "idle": the start-up fetch (download, parse in a child) is over
        app.drain(0.5)
        papers = iter(order[1:])  # the Matched view's order: `j` shows the next one

        def next_paper() -> float | None:
            return press_and_wait(app, "j", next(papers).encode() + b"v")

        figures.add(J_IDLE, [took for _ in range(presses) if (took := next_paper()) is not None])
        busy: list[float] = []
        for _ in range(5):
            app.drain(0.5)
            app.send("R")  # refetch: download and parse 1,504 papers in a worker
            time.sleep(0.05)
            busy += [took for _ in range(12) if (took := next_paper()) is not None]
        figures.add(J_BUSY, busy)
        stars = []
        for _ in range(15):
            app.drain(0.3)
            next_paper()
            took = press_and_wait(app, "s", "★ starred".encode())
            if took is not None:
                stars.append(took)
        figures.add("s -> star shown (state saved on its own thread)", stars)
        app.drain(0.5)
        app.send("F")
        for char in "diffusion model":
            app.send(char)
            time.sleep(0.05)
        app.read_until(re.compile(rb"archived papers"), timeout=30)
        app.drain(1.0)
        return app.peak_memory_kib()
    finally:
        app.close()


def timed(action, runs: int) -> list[float]:
    action()  # warm-up
    values = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        values.append(time.perf_counter() - started)
    return values


def measure_in_process(figures: Figures, home: Path, runs: int) -> None:
    paths = Paths.under(home)
    config, _ = load_config(paths.config_file)
    state = State(paths.state_file)
    archive = Archive(paths.archive_dir)
    today = archive.latest()
    model = ReaderModel(config, state, listing=today)
    more = config.with_keywords([*config.include, "attention"], list(config.exclude))
    configs = [more, config]
    flip = iter(range(10**9))
    figures.add(
        REFILTER,
        timed(lambda: model.set_config(configs[next(flip) % 2]), runs),
    )

    from arxiv_tui.core.archive_index import ArchiveIndex
    from arxiv_tui.tui.model import ReaderModel as Model

    started = time.perf_counter()
    index = ArchiveIndex.build(archive)
    figures.add("build the index of 46,504 archived papers (worker, once)", [time.perf_counter() - started])
    searcher = Model(config, state, listing=today)
    searcher.archive_index = index
    searcher.searching_archive = True
    keystrokes = []
    for query in ("diffusion model", "graph neural", "black hole merger", "zhang", "reinforcement learning"):
        for end in range(1, len(query) + 1):
            searcher.search = query[:end]
            started = time.perf_counter()
            searcher.rows()
            keystrokes.append(time.perf_counter() - started)
    figures.add(SEARCH, keystrokes)

    body = demo_listing_bytes()
    figures.add("parse the real 1,504-item RSS listing", timed(lambda: parse_feed(body, "bench"), runs))

    copy = Path(tempfile.mkdtemp()) / "state.json"
    shutil.copy(paths.state_file, copy)
    saving = State(copy)
    papers = iter(today.papers)
    figures.add(
        SAVE,
        timed(lambda: saving.set_starred(next(papers)), runs),
    )

    def changed_elsewhere() -> None:
        os.utime(copy)  # another instance saved: read, merge, write
        saving.set_starred(next(papers))

    figures.add("save state after a star, file changed by another instance", timed(changed_elsewhere, runs))


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            model = next(line for line in info if line.startswith("model name"))
        cpu = model.split(":", 1)[1].strip()
    except (OSError, StopIteration):
        pass
    system = f"{platform.system()} {platform.release()}"
    return f"{cpu}, {os.cpu_count()} cores, {system}, Python {platform.python_version()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--presses", type=int, default=60)
    parser.add_argument("--write", action="store_true", help="write benchmarks/RESULTS.md")
    args = parser.parse_args()
    if not shutil.which("tmux"):
        print("tmux is needed for the first-paint measurement", file=sys.stderr)
        return 2
    subprocess.run(["tmux", "new-session", "-d", "-s", "bench-keepalive", "sleep 86400"], check=False)
    home = Path(tempfile.mkdtemp(prefix="arxiv-tui-bench-"))
    try:
        today = dt.date.today()
        server, rss_url = serve_listing(todays_feed(today_listing_date()))
        facts = build(home, rss_url=rss_url)
        order = matched_ids(home)
        listing = Archive(Paths.under(home).archive_dir).latest()
        assert listing is not None
        first_title = listing.by_id[order[0]].title
        print(f"workload: {facts}; {len(order)} of today's papers match", file=sys.stderr)
        figures = Figures()
        measure_first_paint(figures, home, args.runs, first_title)
        peak_kib = measure_keys(figures, home, args.presses, order)
        measure_in_process(figures, home, args.runs)
        server.shutdown()
    finally:
        subprocess.run(["tmux", "kill-session", "-t", "bench-keepalive"], check=False, capture_output=True)
        shutil.rmtree(home, ignore_errors=True)
    paint_empty, paint_app = list(figures.series)[:2]
    ratio = figures.median(paint_app) / figures.median(paint_empty)
    search = figures.series[SEARCH]
    verdicts = [
        ("first paint <= 2x the empty app", f"{ratio:.2f}x", ratio <= 2.0),
        ("j p95 <= 30 ms, idle", _ms(figures.p95(J_IDLE)), figures.p95(J_IDLE) <= 0.030),
        ("j p95 <= 30 ms, during a refetch", _ms(figures.p95(J_BUSY)), figures.p95(J_BUSY) <= 0.030),
        ("re-filter <= 50 ms (median)", _ms(figures.median(REFILTER)), figures.median(REFILTER) <= 0.050),
        ("search of 45,000 papers <= 150 ms a keystroke (worst)", _ms(max(search)), max(search) <= 0.150),
        ("state save <= 50 ms (median)", _ms(figures.median(SAVE)), figures.median(SAVE) <= 0.050),
        ("peak memory <= 200 MB", f"{peak_kib / 1024:.0f} MB", peak_kib / 1024 <= 200),
    ]
    workload = (
        f"{facts['archived_papers']:,} archived papers in 30 listings; today's {facts['todays_papers']:,} "
        f"papers, {len(order)} matching 10 include and 2 exclude terms; {facts['stars']:,} stars and "
        f"{facts['read_ids']:,} read ids ({facts['state_bytes'] / 1e6:.1f} MB state file)"
    )
    report = [
        f"Machine: {machine()}  ",
        f"Date: {today.isoformat()}  ",
        f"Command: `python benchmarks/run.py --runs {args.runs} --presses {args.presses} --write`  ",
        f"Workload: {workload}.",
        "",
        "| target | result | met |",
        "|---|---|---|",
        *[f"| {name} | {value} | {'yes' if met else '**no**'} |" for name, value, met in verdicts],
        "",
        figures.table(),
        "",
        f"Peak memory (VmHWM) of the app after the key presses and a search of all listings: "
        f"{peak_kib / 1024:.0f} MB.",
    ]
    text = "\n".join(report)
    print(text)
    if args.write:
        results = ROOT / "benchmarks" / "RESULTS.md"
        kept = results.read_text().split(MARK)[0] if results.exists() else "# Benchmark results\n\n"
        results.write_text(kept + MARK + "\n" + text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
