"""The user's library survives kill -9 mid-write, two readers and a digest at once, a full disk
and failing writes.

These run real processes: a child writes in a loop and is killed at a random moment, many
times. ARXIV_TUI_KILL_ITERATIONS raises the count (the closing figures came from 200).
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from arxiv_tui.core.base.errors import StateError
from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.base.storage import atomic_write
from arxiv_tui.core.config import load_config, update_config
from arxiv_tui.core.library.opening import open_library
from arxiv_tui.core.library.writer import MarkWriter
from arxiv_tui.core.models import Paper

ROOT = Path(__file__).resolve().parents[2]
ITERATIONS = int(os.environ.get("ARXIV_TUI_KILL_ITERATIONS", "15"))

# The child: star, mark read, write a note, save a keyword and a listing, over and over; after
# each change returns (it is committed: the app would have shown it), print its number.
WRITER = textwrap.dedent(
    """
    import sys, datetime as dt
    from pathlib import Path
    from arxiv_tui.core.config import load_config, update_config
    from arxiv_tui.core.library.library import Library
    from arxiv_tui.core.library.opening import open_library
    from arxiv_tui.core.models import Listing, Paper
    from arxiv_tui.core.base.paths import Paths

    paths = Paths.under(Path(sys.argv[1]))
    start = int(sys.argv[2])
    library = open_library(paths.library_file)
    for n in range(start, start + 100_000):
        paper = Paper(id=f"2411.{n:05d}", version=1, title=f"Paper {n}", authors=("A",),
                      abstract="words " * 300, categories=("cs.CL",))
        kind = n % 5
        if kind == 0:
            library.star([paper])
        elif kind == 1:
            library.marks.set_read([paper.id])
        elif kind == 2:
            include = list(load_config(paths.config_file)[0].include)
            update_config(paths.config_file, {("keywords", "include"): [*include, f"term{n}"]})
        elif kind == 3:
            library.store_papers([paper])
            library.marks.set_note(paper.id, f"note {n}")
        else:
            day = dt.date(2020, 1, 1) + dt.timedelta(days=n)
            library.store_listing(Listing(day, (paper,) * 1, source="kill-test"))
        print(n, flush=True)
    """
)


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def run_and_kill(home: Path, start: int, after: float) -> list[int]:
    """Start the writer, kill -9 it after `after` seconds; the numbers it reported done."""
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(home), str(start)],
        stdout=subprocess.PIPE,
        env=child_env(),
        text=True,
    )
    time.sleep(after)
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate()
    return [int(line) for line in out.split()]


def check_everything_accepted_is_there(home: Path, accepted: list[int]) -> None:
    paths = Paths.under(home)
    library = open_library(paths.library_file)
    try:
        assert library.notices == []  # never damaged, so never recovered
        assert library.db.read("PRAGMA integrity_check") == [("ok",)]
        library.db.connection.execute("INSERT INTO search (search, rank) VALUES ('integrity-check', 0)")
        config, _ = load_config(paths.config_file, create=False)
        ids = [f"2411.{n:05d}" for n in accepted]
        marks = library.marks.of(ids)
        days = set(library.listing_dates())
        for n, paper_id in zip(accepted, ids, strict=True):
            kind = n % 5
            if kind == 0:
                assert marks[paper_id].starred, n
            elif kind == 1:
                assert marks[paper_id].read, n
            elif kind == 2:
                assert f"term{n}" in config.include, n
            elif kind == 3:
                assert marks[paper_id].note == f"note {n}", n
            else:
                assert dt.date(2020, 1, 1) + dt.timedelta(days=n) in days, n
    finally:
        library.close()


def test_kill_9_during_writes_never_loses_a_committed_change(home):
    update_config(Paths.under(home).config_file, {("keywords", "include"): ["seed"]})
    rng = random.Random(20261201)
    accepted: list[int] = []
    start = 0
    for _ in range(ITERATIONS):
        done = run_and_kill(home, start, after=rng.uniform(0.3, 0.9))
        accepted += done
        start = (done[-1] + 1) if done else start + 1000
        start += 5 - start % 5  # each run starts with a star
        check_everything_accepted_is_there(home, accepted)
    assert len(accepted) > ITERATIONS  # the children did get work done before each kill
    print(f"\nkill -9 iterations: {ITERATIONS}, committed changes checked: {len(accepted)}")


# --- two readers and a digest at once --------------------------------------------------------------

MARKER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from arxiv_tui.core.library.library import Library
    from arxiv_tui.core.library.opening import open_library
    from arxiv_tui.core.models import Paper
    from arxiv_tui.core.library.writer import MarkWriter

    library = open_library(Path(sys.argv[1]))
    writer = MarkWriter(library, on_error=lambda error: print("ERROR", error, flush=True))
    tag = sys.argv[2]
    for n in range(60):
        paper = Paper(id=f"{tag}.{n:05d}", version=1, title="t", authors=(), abstract="", categories=())
        writer.put(lambda library, paper=paper: library.star([paper]))
        writer.put(lambda library, paper=paper: library.marks.set_read([paper.id]))
    writer.close()
    """
)


def test_two_readers_and_a_digest_at_once_lose_nothing(home, demo_feed_file):
    paths = Paths.under(home)
    open_library(paths.library_file).close()
    digests = []

    def digest_loop() -> None:
        for _ in range(3):
            digests.append(
                subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "arxiv_tui",
                        "--home",
                        str(home),
                        "digest",
                        "--feed",
                        str(demo_feed_file),
                    ],
                    env=child_env(),
                    capture_output=True,
                    text=True,
                    timeout=120,
                )
            )

    digesting = threading.Thread(target=digest_loop)
    digesting.start()
    children = [
        subprocess.Popen(
            [sys.executable, "-c", MARKER, str(paths.library_file), tag],
            env=child_env(),
            stdout=subprocess.PIPE,
            text=True,
        )
        for tag in ("1111", "2222")
    ]
    outputs = [child.communicate(timeout=120)[0] for child in children]
    digesting.join(timeout=300)
    assert [child.returncode for child in children] == [0, 0] and "ERROR" not in "".join(outputs)
    assert [done.returncode for done in digests] == [0, 0, 0], [done.stderr for done in digests]
    library = open_library(paths.library_file)
    ids = [f"{tag}.{n:05d}" for tag in ("1111", "2222") for n in range(60)]
    marks = library.marks.of(ids)
    assert all(marks[paper_id].starred and marks[paper_id].read for paper_id in ids)
    assert library.counts()["papers"] >= 1504 + 120  # the digests' listing too
    library.close()


# --- a full disk, and failing writes ------------------------------------------------------------------

FILLER = textwrap.dedent(
    """
    import os, resource, signal, sys
    from pathlib import Path
    from arxiv_tui.core.base.errors import StateError
    from arxiv_tui.core.library.library import Library
    from arxiv_tui.core.library.opening import open_library

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
    path = Path(sys.argv[1])
    library = open_library(path)
    limit = os.path.getsize(path) + 8192
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # the disk is full a little past here
    try:
        library.marks.set_read([f"2411.{n:05d}" for n in range(20000)])
    except StateError as error:
        print(error)
        sys.exit(3)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX resource limits")
def test_a_full_disk_gives_a_clear_error_and_what_was_saved_is_intact(home):
    path = home / "library.sqlite3"
    library = open_library(path)
    library.marks.set_read(["2401.00001"])
    library.db.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    library.close()
    child = subprocess.run(
        [sys.executable, "-c", FILLER, str(path)], env=child_env(), capture_output=True, text=True
    )
    assert child.returncode == 3, child.stderr
    assert f"could not save to {path}" in child.stdout
    # ENOSPC reads "No space left on device"; a file-size limit (EFBIG, what this test can make) "disk I/O".
    assert "No space left on device" in child.stdout or "the disk refused the write" in child.stdout
    again = open_library(path)
    assert again.notices == [] and again.db.read("PRAGMA integrity_check") == [("ok",)]
    assert again.counts()["reads"] == 1  # the old mark kept, the refused change not half written
    again.close()


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores permissions")
def test_a_read_only_folder_gives_a_clear_error(home):
    path = home / "library.sqlite3"
    library = open_library(path)
    library.marks.set_read(["2401.00001"])
    library.close()
    for name in os.listdir(home):
        os.chmod(home / name, 0o444)
    home.chmod(0o555)
    try:
        again = open_library(path)
        with pytest.raises(StateError, match="could not"):
            again.marks.set_read(["2401.00002"])
        again.close()
    finally:
        home.chmod(0o755)
        for name in os.listdir(home):
            os.chmod(home / name, 0o644)


@pytest.mark.parametrize("reason", ["No space left on device", "the folder or file is read-only"])
def test_a_failing_write_is_reported_once_kept_and_written_later(home, monkeypatch, reason):
    """By fault injection, so it runs as root too: the refused change stays queued, the user is
    told once, and it is written when writing works again."""
    library = open_library(home / "library.sqlite3")
    failing = threading.Event()
    failing.set()
    real = library.db.transaction

    def transaction(*args, **kwargs):
        if failing.is_set():
            raise StateError(f"could not save to {library.path}: {reason}")
        return real(*args, **kwargs)

    monkeypatch.setattr(library.db, "transaction", transaction)
    told: list[StateError] = []
    writer = MarkWriter(library, told.append)
    writer.put(lambda lib: lib.marks.set_read(["2401.00001"]))
    writer.put(lambda lib: lib.marks.set_read(["2401.00002"]))
    assert writer.wait_idle(10)
    assert [str(error) for error in told] == [f"could not save to {library.path}: {reason}"]
    assert writer.pending == 2 and library.counts()["reads"] == 0
    failing.clear()
    writer.put(lambda lib: lib.marks.set_read(["2401.00003"]))
    assert writer.wait_idle(10) and writer.pending == 0
    writer.close()
    assert {paper_id for paper_id, _ in library.marks.all_reads()} == {
        "2401.00001",
        "2401.00002",
        "2401.00003",
    }
    assert len(told) == 1
    library.close()


def test_closing_with_a_write_that_still_fails_says_so(home, monkeypatch):
    library = open_library(home / "library.sqlite3")

    def full(*args, **kwargs):
        raise StateError(f"could not save to {library.path}: No space left on device")

    writer = MarkWriter(library, lambda error: None)
    monkeypatch.setattr(library.db, "transaction", full)
    writer.put(lambda lib: lib.marks.set_read(["2401.00001"]))
    with pytest.raises(StateError, match="No space left on device"):
        writer.close()
    library.close()


def test_a_mark_is_on_disk_within_a_second(home):
    library = open_library(home / "library.sqlite3")
    writer = MarkWriter(library, lambda error: None)
    paper = Paper(id="2401.00009", version=1, title="t", authors=(), abstract="", categories=())
    started = time.monotonic()
    writer.put(lambda lib: lib.star([paper]))
    other = open_library(home / "library.sqlite3")  # another process's view of the file
    while not other.marks.of([paper.id]) and time.monotonic() - started < 5:
        time.sleep(0.01)
    assert other.marks.of([paper.id])[paper.id].starred
    assert time.monotonic() - started < 1.0
    writer.close()
    other.close()
    library.close()


# --- config.toml ----------------------------------------------------------------------------------------


def test_atomic_write_leaves_the_old_content_when_the_write_fails_midway(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    atomic_write(path, json.dumps({"old": True}))

    def full_disk(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(StateError, match="No space left on device"):
        atomic_write(path, json.dumps({"new": True}))
    assert json.loads(path.read_text()) == {"old": True}
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]


def test_temp_files_left_by_a_killed_save_are_cleaned_by_the_reader_s_upkeep(home):
    from arxiv_tui.core.config import load_config
    from arxiv_tui.core.session.reader import Reader

    paths = Paths.under(home)
    leftover = paths.config_file.with_name(".config.toml.abc123.tmp")
    fresh = paths.config_file.with_name(".config.toml.def456.tmp")
    leftover.write_text("half a config file")
    fresh.write_text("another process is writing this one right now")
    os.utime(leftover, (time.time() - 3600, time.time() - 3600))
    reader = Reader.open(paths, load_config(paths.config_file)[0], offline=True)
    try:
        reader.maintain()  # what the reader runs in a worker after its first refresh
    finally:
        reader.close()
    assert not leftover.exists() and fresh.exists()
