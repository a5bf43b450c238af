"""The terminal closed under the reader (SIGHUP) or it was asked to stop (SIGTERM): what the
user just did is saved; asked to stop, it ends as when they press q."""

from __future__ import annotations

import contextlib
import os
import pty
import re
import select
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.config import update_config


def read_until(fd: int, pattern: bytes, limit: float = 30.0) -> bytes:
    """The pseudo-terminal's output until `pattern` appears (`limit` only stops a broken run)."""
    seen = b""
    while not re.search(pattern, seen):
        ready, _, _ = select.select([fd], [], [], limit)
        assert ready, f"{pattern!r} never appeared"
        try:
            seen += os.read(fd, 65536)
        except OSError:  # the app ended
            break
    return seen


def read_to_end(fd: int) -> None:
    """Everything the app still writes (restoring the terminal), until it closes the terminal."""
    while select.select([fd], [], [], 30.0)[0]:
        try:
            if not os.read(fd, 65536):
                return
        except OSError:  # the app ended
            return


@pytest.mark.parametrize("sent", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_a_star_given_just_before_the_terminal_closes_is_kept(home, demo_feed_file, sent):
    paths = Paths.under(home)
    update_config(paths.config_file, {("categories",): ["cs"], ("keywords", "include"): ["LLM"]})
    environment = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    command = [sys.executable, "-m", "arxiv_tui", "--home", str(home), "--feed", str(demo_feed_file)]
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(sys.executable, command, environment)
    try:
        read_until(fd, rb"\d{4}\.\d{5}v\d")  # a paper in the detail pane
        os.write(fd, b"s")
        read_until(fd, rb"\xe2\x98\x85")  # its star drawn: the key was taken
        if sent == signal.SIGHUP:  # the terminal closed under it: nothing to read any more
            os.close(fd)
            fd = -1
        os.kill(pid, sent)
        if fd >= 0:
            read_to_end(fd)
        _, status = os.waitpid(pid, 0)
    finally:
        if fd >= 0:
            os.close(fd)
    if sent == signal.SIGTERM:
        assert os.WIFEXITED(status), "ended by the signal, not by the reader"
    with sqlite3.connect(paths.library_file) as connection:
        assert connection.execute("SELECT count(*) FROM stars").fetchone()[0] == 1


def test_a_demo_home_is_removed_when_the_terminal_closes(tmp_path):
    """--demo makes a throwaway home; a hangup, after which nothing of the reader runs, removes it."""
    environment = {
        **os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30", "TMPDIR": str(tmp_path)
    }  # fmt: skip
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(sys.executable, [sys.executable, "-m", "arxiv_tui", "--demo"], environment)
    try:
        read_until(fd, rb"\d{4}\.\d{5}v\d")  # a paper in the detail pane
        assert [path.name for path in tmp_path.iterdir() if path.name.startswith("arxiv-tui-demo-")]
    finally:
        os.close(fd)  # the terminal closed under it
    os.kill(pid, signal.SIGHUP)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGHUP  # ended as a hangup does
    assert not [path for path in tmp_path.iterdir() if path.name.startswith("arxiv-tui-demo-")]


# --- asked to stop in the middle of a fetch ------------------------------------------------------


def children_of(pid: int) -> set[int]:
    found: set[int] = set()
    for task in os.listdir(f"/proc/{pid}/task"):
        with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{task}/children") as listed:
            found.update(int(child) for child in listed.read().split())
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as status:
            return "\nState:\tZ" not in status.read()  # a zombie is dead, only not yet reaped
    except OSError:
        return False


def stalling(answered: list[int]):
    """A handler that answers the first request with a 503 at once, and then never answers."""

    def handle(connection) -> None:
        answered.append(1)
        if len(answered) == 1:
            connection.sendall(b"HTTP/1.1 503 Busy\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        time.sleep(120)

    return handle


@pytest.mark.parametrize("sent", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
@pytest.mark.parametrize("when", ["the first fetch", "a fetch asked for with R"])
def test_asked_to_stop_mid_fetch_the_reader_ends_at_once_saving_and_leaving_no_child(
    home, demo_feed_file, sent, when
):
    from tests.hostile import raw_server

    paths = Paths.under(home)
    update_config(paths.config_file, {("categories",): ["cs"], ("keywords", "include"): ["LLM"]})
    assert subprocess.run(  # a listing in the library, so the reader has something to show
        [sys.executable, "-m", "arxiv_tui", "--home", str(home), "--feed", str(demo_feed_file), "digest"],
        capture_output=True, check=False,
    ).returncode == 0  # fmt: skip
    answered: list[int] = [] if when == "a fetch asked for with R" else [1]  # [1]: stall at once
    with raw_server(stalling(answered)) as url:
        update_config(
            paths.config_file, {("source", "rss_url"): url + "/rss", ("feed", "timeout_seconds"): 60}
        )
        environment = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
        pid, fd = pty.fork()
        if pid == 0:
            os.execve(sys.executable, [sys.executable, "-m", "arxiv_tui", "--home", str(home)], environment)
        try:
            if when == "a fetch asked for with R":
                read_until(fd, rb"fetch failed")  # the 503: the first refresh is over
                os.write(fd, b"R")
                read_until(fd, rb"fetching")
            else:
                read_until(fd, rb"\d{4}\.\d{5}v\d")  # a paper in the detail pane
            os.write(fd, b"s")
            read_until(fd, rb"\xe2\x98\x85")  # its star drawn: the key was taken
            children = children_of(pid)
            started = time.monotonic()
            os.kill(pid, sent)
            read_to_end(fd)
            _, status = os.waitpid(pid, 0)
            took = time.monotonic() - started
        finally:
            os.close(fd)
        assert took < 10, f"it waited {took:.0f} s for the network (the fetch's deadline is 60 s)"
        assert os.WIFEXITED(status), "ended by the signal, not by the reader"
        assert [child for child in children if alive(child)] == []
    with sqlite3.connect(paths.library_file) as connection:
        assert connection.execute("SELECT count(*) FROM stars").fetchone()[0] == 1
