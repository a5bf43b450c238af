"""The terminal closed under the reader (SIGHUP) or it was asked to stop (SIGTERM): what the
user just did is saved; asked to stop, it ends as when they press q."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import sqlite3
import sys

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
