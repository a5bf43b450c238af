"""The performance suite, in one command:  python benchmarks/run.py [--runs 7] [--write]

Everything is measured as a user meets it, against the empty Textual app where a ratio is the
target (workload.py builds the libraries, from the real listing bundled for --demo):
  1. first paint in tmux at 160x48 of every workload, started normally (today's listing on a
     loopback server), with --offline, and with the library evicted from the page cache, all in
     one series interleaved with the empty app (paint.py), with the run's A/A spread;
  2. search as you type: F, each query typed at 9 keys a second on the app's pty, each key timed
     to the frame that counts its results (screen.py); and, for comparison, inside the process;
  3. `j` on the pty at 9 keys a second and at reading pace, idle and while R refetches;
  4. peak memory of the reader and its children (PSS) through a session checked on screen,
     started normally, with refetches, and the PSS after each refetch (flat or not);
  5. marks, a day's papers added, disk per paper (inside.py); `--demo`, a first run with
     `--feed` and the first start of a day, on fresh homes.
`--write` puts the figures in benchmarks/RESULTS.md. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import http.server
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from arxiv_tui.core.base.paths import Paths  # noqa: E402
from benchmarks import inside, reading, screen, workload  # noqa: E402
from benchmarks.figures import Figures, rounds_verdict, verdict  # noqa: E402
from benchmarks.inside import app_command  # noqa: E402
from benchmarks.paint import EMPTY_APP, EMPTY_MARK, Start, evict, paint_series  # noqa: E402
from benchmarks.terminal import first_paint_in_tmux  # noqa: E402

MARK = "<!-- figures: written by benchmarks/run.py --write -->"
THREE_YEARS = "3 years"
LARGEST = "year, 50k stars"  # the memory target's workload
INBOX = "year, 5k undecided"


class Listings:
    """A loopback 'rss.arxiv.org': each request gets today's listing, a new variant every time
    (one paper's version changes), so a refetch does the whole work of a new announcement."""

    def __init__(self, day: dt.date) -> None:
        self.bodies = [workload.todays_feed(day, variant) for variant in range(8)]
        self.count = 0
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = owner.bodies[owner.count % len(owner.bodies)]
                owner.count += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/rss"


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


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def first_paints(figures: Figures, homes: dict[str, Path], runs: int) -> list[str]:
    """Every workload's first paint, three ways, in one interleaved series; the verdicts."""
    starts = []
    for name, home in homes.items():
        screen.at_the_top(home)
        title = workload.first_matched_title(home)[:30]
        library = Paths.under(home).library_file
        evicted = lambda library=library: evict(library, Path(f"{library}-wal"))  # noqa: E731
        starts += [
            Start(f"{name}, started normally", app_command(home), title),
            Start(f"{name}, --offline", app_command(home, "--offline"), title),
            Start(
                f"{name}, started normally, library not in the page cache", app_command(home), title, evicted
            ),
        ]
    ratios = paint_series(figures, starts, runs, "workloads")
    rows = []
    for name in homes:
        normal = ratios[f"{name}, started normally"]
        target = 1.6 if name == THREE_YEARS else 1.5
        rows.append(
            normal.verdict(f"{name}: first paint <= {target}x the empty app, started normally", target)
        )
        rows.append(ratios[f"{name}, --offline"].verdict(f"{name}: first paint with --offline <= 1.4x", 1.4))
        cold = ratios[f"{name}, started normally, library not in the page cache"]
        rows.append(
            f"| {name}: first paint, library not in the page cache (no target) | {cold.value:.2f}x | — |"
        )
    if "month, started normally" in ratios and "year, started normally" in ratios:
        proportion = ratios["year, started normally"].value / ratios["month, started normally"].value
        rows.append(verdict("start-up does no work proportional to the library: year / month first paint",
                            f"{proportion:.2f}", proportion <= 1.15))  # fmt: skip
    return rows


def demo(figures: Figures, runs: int) -> list[str]:
    command = [sys.executable, "-m", "arxiv_tui", "--demo"]
    start = Start("arxiv-tui --demo", command, "Generative AI on the Edge")
    ratio = paint_series(figures, [start], runs, "--demo")
    return [ratio["arxiv-tui --demo"].verdict("`--demo` first paint <= 1.7x the empty app", 1.7)]


def fresh_homes(figures: Figures, root: Path, listings: Listings, runs: int) -> list[str]:
    """--demo, a first run with --feed, and the first start of a day (today's listing fetched)."""
    today = workload.today_listing_date()
    feed_file = root / "listing.xml"
    feed_file.write_bytes(workload.demo_listing_bytes())

    def fresh_home() -> Path:
        home = Path(tempfile.mkdtemp(dir=root))
        workload.configure(home, listings.url)
        return home

    rows: list[str] = []
    series: dict[str, list[float]] = {
        "first run with --feed (fresh home)": [],
        "first start of a day: today's listing fetched at start": [],
    }
    empty: list[float] = []
    marker = f"New listings for {today:%a %d %b %Y}"
    for _ in range(runs + 1):
        empty.append(first_paint_in_tmux(EMPTY_APP, EMPTY_MARK))
        series["first run with --feed (fresh home)"].append(
            first_paint_in_tmux(
                app_command(fresh_home(), "--feed", str(feed_file)), "Generative AI on the Edge"
            )
        )
        home = fresh_home()
        workload.build_listings(home, 5, workload.previous_weekday(today))
        series["first start of a day: today's listing fetched at start"].append(
            first_paint_in_tmux(app_command(home), marker)
        )
    base = statistics.median(empty[1:])
    figures.add("first paint, empty Textual app (next to: fresh homes)", empty[1:])
    for label, values in series.items():
        figures.add(f"first paint, {label}", values[1:])
    first = statistics.median(series["first run with --feed (fresh home)"][1:]) / base
    day = statistics.median(series["first start of a day: today's listing fetched at start"][1:]) / base
    rows.append(verdict("first run with `--feed` <= 2x the empty app", f"{first:.2f}x", first <= 2.0))
    rows.append(verdict("first start of a day <= 2.5x the empty app", f"{day:.2f}x", day <= 2.5))
    return rows


def keys(figures: Figures, homes: dict[str, Path], presses: int, refetches: int, rounds: int) -> list[str]:
    """`j` at 9 keys a second on the year (and the 5k Inbox), and at reading pace on the month:
    a session of each in turn, `rounds` times."""
    cases = [
        case
        for case in (
            ("year", screen.NINE_A_SECOND, "9 keys a second", 0.020, 0.025),
            (INBOX, screen.NINE_A_SECOND, "9 keys a second", 0.020, 0.025),
            ("month", screen.READING_PACE, "reading pace", 0.025, 0.025),
        )
        if case[0] in homes
    ]
    found: dict[str, tuple[list[list[float]], list[list[float]]]] = {name: ([], []) for name, *_ in cases}
    for _ in range(rounds):
        for name, pace, *_ in cases:
            idle, busy = screen.j_on_screen(homes[name], presses, pace, refetches)
            found[name][0].append(idle)
            found[name][1].append(busy)
    rows = []
    for name, _, label, idle_target, busy_target in cases:
        for what, series, target in (("idle", found[name][0], idle_target),
                                     ("while R refetches", found[name][1], busy_target)):  # fmt: skip
            figures.add(f"{name}: j at {label}, {what}", [value for values in series for value in values])
            title = f"{name}: j p95 <= {target * 1000:.0f} ms at {label}, {what}"
            rows.append(rounds_verdict(title, series, target))
    return rows


COLD_SEARCH = ("year", THREE_YEARS)  # where a search after the page cache lost the library is also timed


def per_workload(figures: Figures, name: str, home: Path, facts: list[str], rounds: int) -> list[str]:
    """Search on screen where the library is large first with the library evicted from the page
    cache (the first search after a reboot: no target, reported beside), then warm, `rounds`
    times, as a search meets a library the start and earlier searches have read (the target's
    figure: the median of the rounds' p95s)."""
    if name in COLD_SEARCH:
        evict(Paths.under(home).library_file)
        cold = screen.search_on_screen(home, screen.NINE_A_SECOND)
        figures.add(f"{name}: search as you type, the library not in the page cache", cold)
        facts.append(
            f"{name}: search on screen, first search with the library not in the page cache, "
            f"p95 {ms(Figures.p95(cold))} (no target)"
        )
    warm = [screen.search_on_screen(home, screen.NINE_A_SECOND) for _ in range(rounds)]
    on_screen = [value for values in warm for value in values]
    figures.add(f"{name}: search as you type at 9 keys a second, key to the frame with its answer", on_screen)
    keystroke, search_end = inside.measure_search(figures, name, home)
    mark_cost, on_disk = inside.measure_marks(figures, name, home)
    add_day, per_paper = inside.measure_writes(figures, name, home)
    facts.append(f"{name}: {per_paper:,.0f} bytes on disk a paper")
    facts.append(f"{name}: search per keystroke inside the process (no UI), p95 {ms(keystroke)}")
    target = 0.080 if name == THREE_YEARS else 0.050
    return [
        rounds_verdict(f"{name}: search as you type on screen, p95 <= {target * 1000:.0f} ms", warm, target),
        verdict(f"{name}: `arxiv-tui search` <= 1 s", f"{search_end:.2f} s", search_end <= 1.0),
        verdict(
            f"{name}: a mark costs the UI thread < 2 ms", f"{mark_cost * 1000:.2f} ms", mark_cost < 0.002
        ),
        verdict(f"{name}: a mark is on disk within 1 s", f"{on_disk * 1000:.0f} ms", on_disk <= 1.0),
        verdict(f"{name}: a day's 1,500 papers added <= 300 ms", f"{add_day * 1000:.0f} ms", add_day <= 0.3),
    ]


def full_text(figures: Figures, homes: dict[str, Path], presses: int) -> list[str]:
    """T on a kept 60-page paper in the year's library, and reading it with j and space."""
    if "year" not in homes:
        return []
    found = reading.full_text_on_screen(homes["year"], rounds=5, presses=max(presses // 3, 10))
    rows = []
    for key, label, target in (("open", "T, a kept full text to its first frame", 0.150),
                               ("j", "j in a full text, reading pace", 0.025),
                               ("space", "space (a page) in a full text, reading pace", 0.025)):  # fmt: skip
        figures.add(f"year: {label}", found[key])
        p95 = Figures.p95(found[key])
        rows.append(verdict(f"year: {label}, p95 <= {target * 1000:.0f} ms", ms(p95), p95 <= target))
    return rows


def memory(homes: dict[str, Path], refetches: int, facts: list[str]) -> list[str]:
    rows = []
    views = 2 + len(workload.INCLUDE)  # Inbox, Matched, a view a keyword, then Starred
    for item in workload.WORKLOADS:
        if item.name not in homes:
            continue
        home = homes[item.name]
        title = workload.first_matched_title(home)
        online = item.name == LARGEST
        found = screen.memory_session(home, title, views, item.stars, online, refetches if online else 0)
        peak = found["peak_pss"] / 1024
        how = f"started normally, {refetches} refetches" if online else "--offline"
        after = [found[key] / 1024 for key in sorted(found) if key.startswith("pss_after_")]
        facts.append(
            f"{item.name} ({how}): reader's own peak RSS {found['reader_hwm'] / 1024:.0f} MB; PSS of the "
            f"reader and its children after each step: {', '.join(f'{value:.0f}' for value in after)} MB "
            f"({found['children']} children at most at once; the Starred view showed "
            f"{found['starred']:,} papers)"
        )
        rows.append(verdict(f"{item.name}: peak memory, children included (PSS), {how} <= 150 MB",
                            f"{peak:.0f} MB", peak <= 150))  # fmt: skip
        if online and len(after) > 2:
            growth = after[-1] - after[1]
            rows.append(verdict(f"{item.name}: memory flat across refetches (last - first refetch <= 5 MB)",
                                f"{growth:+.0f} MB", growth <= 5))  # fmt: skip
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--presses", type=int, default=60)
    parser.add_argument("--refetches", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each search and `j` session")
    parser.add_argument("--only", action="append", help="only these workloads (repeatable)")
    parser.add_argument("--write", action="store_true", help="write benchmarks/RESULTS.md")
    args = parser.parse_args()
    if not shutil.which("tmux"):
        print("tmux is needed for the first-paint measurement", file=sys.stderr)
        return 2
    subprocess.run(["tmux", "new-session", "-d", "-s", "bench-keepalive", "sleep 86400"], check=False)
    # The bytecode pip writes when it installs a package (and Python on a first run).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "arxiv_tui")], check=True)
    root = Path(tempfile.mkdtemp(prefix="arxiv-tui-bench-"))
    listings = Listings(workload.today_listing_date())
    figures = Figures()
    rows: list[str] = []
    facts: list[str] = []
    try:
        began = time.perf_counter()
        homes = workload.build_all(root, listings.url, set(args.only) if args.only else None)
        print(f"built {len(homes)} workloads in {time.perf_counter() - began:.0f} s", file=sys.stderr)
        steps: list[tuple[str, Callable[[], list[str]]]] = [
            ("first paint", lambda: first_paints(figures, homes, args.runs))
        ]
        measure = functools.partial(per_workload, figures, facts=facts, rounds=args.rounds)
        steps += [(f"measuring {name}", functools.partial(measure, name=name, home=home))
                  for name, home in homes.items()]  # fmt: skip
        steps += [
            ("keys", lambda: keys(figures, homes, args.presses, args.refetches, args.rounds)),
            ("full text", lambda: full_text(figures, homes, args.presses)),
            ("memory", lambda: memory(homes, args.refetches, facts)),
            ("--demo", lambda: demo(figures, args.runs)),
            ("fresh homes", lambda: fresh_homes(figures, root, listings, args.runs)),
        ]
        for label, step in steps:
            print(label, file=sys.stderr)
            try:
                rows += step()
            except Exception as error:  # one step that fails is reported; the others still run
                rows.append(f"| {label} | failed: {str(error)[:300]} | **no** |")
                print(f"{label} failed: {error}", file=sys.stderr)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", "bench-keepalive"], check=False, capture_output=True)
        listings.server.shutdown()
        shutil.rmtree(root, ignore_errors=True)
    report = [
        f"Machine: {machine()}  ",
        f"Date: {dt.date.today().isoformat()}  ",
        f"Command: `python benchmarks/run.py --runs {args.runs} --presses {args.presses} "
        f"--rounds {args.rounds} --write`  ",
        "Workloads: "
        + "; ".join(
            f"{w.name}: {w.days} listings of 1,500 papers, {w.stars:,} stars, {w.reads:,} read marks"
            + (f", {w.undecided:,} undecided in the Inbox" if w.undecided else "")
            for w in workload.WORKLOADS
            if not args.only or w.name in args.only
        )
        + ".",
        "",
        "| target | result | met |",
        "|---|---|---|",
        *rows,
        "",
        *[f"- {fact}" for fact in facts],
        "",
        figures.table(),
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
