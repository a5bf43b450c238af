"""The user's files survive kill -9 mid-save, two processes at once, a full disk and a read-only folder.

These run real processes: a child saves in a loop and is killed at a random moment, many times.
ARXIV_TUI_KILL_ITERATIONS raises the count (the closing figures came from 500).
"""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from arxiv_tui.core.archive import Archive
from arxiv_tui.core.config import load_config, update_config
from arxiv_tui.core.errors import StateError
from arxiv_tui.core.paths import Paths
from arxiv_tui.core.state import State
from arxiv_tui.core.storage import atomic_write

ROOT = Path(__file__).resolve().parents[2]
ITERATIONS = int(os.environ.get("ARXIV_TUI_KILL_ITERATIONS", "15"))

# The child: star, mark read, save a keyword and an archived listing, over and over; after each
# change returns (the change is accepted: the app would have shown it), print its number.
SAVER = textwrap.dedent(
    """
    import sys, datetime as dt
    from pathlib import Path
    from arxiv_tui.core.archive import Archive
    from arxiv_tui.core.config import load_config, update_config
    from arxiv_tui.core.models import Listing, Paper
    from arxiv_tui.core.paths import Paths
    from arxiv_tui.core.state import State

    paths = Paths.under(Path(sys.argv[1]))
    start = int(sys.argv[2])
    state = State(paths.state_file)
    archive = Archive(paths.archive_dir)
    for n in range(start, start + 100_000):
        paper = Paper(id=f"2411.{n:05d}", version=1, title=f"Paper {n}", authors=("A",),
                      abstract="x" * 2000, categories=("cs.CL",))
        kind = n % 4
        if kind == 0:
            state.set_starred(paper)
        elif kind == 1:
            state.set_read(paper.id)
        elif kind == 2:
            include = list(load_config(paths.config_file)[0].include)
            update_config(paths.config_file, {("keywords", "include"): [*include, f"term{n}"]})
        else:
            day = dt.date(2024, 1, 1) + dt.timedelta(days=n)
            archive.save(Listing(day, (paper,) * 1, source="kill-test"))
        print(n, flush=True)
    """
)


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def run_and_kill(home: Path, start: int, after: float) -> list[int]:
    """Start the saver, kill -9 it after `after` seconds; the numbers it reported done."""
    child = subprocess.Popen(
        [sys.executable, "-c", SAVER, str(home), str(start)],
        stdout=subprocess.PIPE,
        env=child_env(),
        text=True,
    )
    time.sleep(after)
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate()
    return [int(line) for line in out.split()]


def check_everything_accepted_is_on_disk(home: Path, accepted: list[int]) -> None:
    paths = Paths.under(home)
    state_data = json.loads(paths.state_file.read_text()) if paths.state_file.exists() else {}
    state = State(paths.state_file)
    assert state.warnings == []  # never corrupt, so never moved aside
    config, _ = load_config(paths.config_file, create=False)
    archive = Archive(paths.archive_dir)
    for n in accepted:
        paper_id = f"2411.{n:05d}"
        kind = n % 4
        if kind == 0:
            assert state.is_starred(paper_id), (n, state_data.keys())
        elif kind == 1:
            assert state.is_read(paper_id)
        elif kind == 2:
            assert f"term{n}" in config.include
    for day in archive.dates():
        listing = archive.load(day)
        assert listing is not None and listing.papers
    assert archive.warnings == []


def test_kill_9_during_saves_never_loses_an_accepted_change(home):
    update_config(Paths.under(home).config_file, {("keywords", "include"): ["seed"]})
    rng = random.Random(20261123)
    accepted: list[int] = []
    start = 0
    for _ in range(ITERATIONS):
        done = run_and_kill(home, start, after=rng.uniform(0.35, 0.9))
        accepted += done
        start = (done[-1] + 1) if done else start + 1000
        start += 4 - start % 4  # each run starts with a star
        check_everything_accepted_is_on_disk(home, accepted)
    assert len(accepted) > ITERATIONS  # the children did get work done before each kill
    print(f"\nkill -9 iterations: {ITERATIONS}, accepted changes checked: {len(accepted)}")


# --- two processes --------------------------------------------------------------------------------

MARKER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from arxiv_tui.core.models import Paper
    from arxiv_tui.core.state import State

    state = State(Path(sys.argv[1]))
    tag = sys.argv[2]
    for n in range(60):
        paper = Paper(id=f"{tag}.{n:05d}", version=1, title="t", authors=(), abstract="", categories=())
        state.set_starred(paper)
        state.set_read(f"{tag}.{n:05d}")
    """
)


def test_two_processes_saving_at_once_keep_each_others_marks(home):
    path = home / "state.json"
    children = [
        subprocess.Popen([sys.executable, "-c", MARKER, str(path), tag], env=child_env())
        for tag in ("1111", "2222")
    ]
    assert [child.wait(timeout=120) for child in children] == [0, 0]
    state = State(path)
    for tag in ("1111", "2222"):
        for n in range(60):
            assert state.is_starred(f"{tag}.{n:05d}") and state.is_read(f"{tag}.{n:05d}")


# --- a full disk and a read-only folder ----------------------------------------------------------

FILLER = textwrap.dedent(
    """
    import resource, signal, sys
    from pathlib import Path
    from arxiv_tui.core.errors import StateError
    from arxiv_tui.core.state import State

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
    state = State(Path(sys.argv[1]))
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))  # the disk is full past 4 KiB
    try:
        state.set_read_many([f"2411.{n:05d}" for n in range(2000)])
    except StateError as error:
        print(error)
        sys.exit(3)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX resource limits")
def test_a_full_disk_gives_a_clear_error_and_the_old_file_is_intact(home):
    path = home / "state.json"
    State(path).set_read("2401.00001")
    before = path.read_bytes()
    child = subprocess.run(
        [sys.executable, "-c", FILLER, str(path)], env=child_env(), capture_output=True, text=True
    )
    assert child.returncode == 3
    assert f"could not save {path}" in child.stdout
    assert path.read_bytes() == before
    assert [p.name for p in home.iterdir() if p.name.endswith(".tmp")] == []  # no temp file left


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores permissions")
def test_a_read_only_folder_gives_a_clear_error_and_the_old_file_is_intact(home):
    path = home / "state.json"
    state = State(path)
    state.set_read("2401.00001")
    before = path.read_bytes()
    home.chmod(0o555)
    try:
        with pytest.raises(StateError, match="could not save"):
            state.set_read("2401.00002")
    finally:
        home.chmod(0o755)
    assert path.read_bytes() == before


@pytest.mark.parametrize("code", [errno.EROFS, errno.ENOSPC, errno.EDQUOT])
def test_a_failing_write_is_reported_and_the_change_saved_later(home, monkeypatch, code):
    """The same, by fault injection, so it runs as root too: the error names the file, the old
    file stays whole, and the refused change is kept in memory and saved once writing works."""
    path = home / "state.json"
    state = State(path)
    state.set_read("2401.00001")
    before = path.read_bytes()
    real_mkstemp = __import__("tempfile").mkstemp

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    with pytest.raises(StateError, match=f"could not save {path}: {os.strerror(code)}"):
        state.set_read("2401.00002")
    assert path.read_bytes() == before
    monkeypatch.setattr("tempfile.mkstemp", real_mkstemp)
    state.set_read("2401.00003")
    assert State(path).read_ids == {"2401.00001", "2401.00002", "2401.00003"}


def test_atomic_write_leaves_the_old_content_when_the_write_fails_midway(tmp_path, monkeypatch):
    path = tmp_path / "archive.json"
    atomic_write(path, json.dumps({"old": True}))

    def full_disk(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(StateError, match="No space left on device"):
        atomic_write(path, json.dumps({"new": True}))
    assert json.loads(path.read_text()) == {"old": True}
    assert [p.name for p in tmp_path.iterdir()] == ["archive.json"]


def test_temp_files_left_by_a_killed_save_are_cleaned_up_later(home):
    leftover = home / ".state.json.abc123.tmp"
    fresh = home / ".state.json.def456.tmp"
    leftover.write_text("half a state file")
    fresh.write_text("another process is writing this one right now")
    os.utime(leftover, (time.time() - 3600, time.time() - 3600))
    State(home / "state.json")
    assert not leftover.exists() and fresh.exists()
