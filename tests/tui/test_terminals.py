"""Any terminal: one that cannot draw a screen is told what to use instead; NO_COLOR draws the
reader in shades of grey."""

from __future__ import annotations

import os
import pty
import re
import signal
import subprocess
import sys

from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.config import update_config
from tests.tui.test_signals import read_to_end, read_until


def test_a_dumb_terminal_or_a_pipe_is_told_to_use_digest(home, demo_feed_file):
    for environment in ({**os.environ, "TERM": "dumb"}, {**os.environ, "TERM": "xterm-256color"}):
        done = subprocess.run(
            [sys.executable, "-m", "arxiv_tui", "--home", str(home), "--feed", str(demo_feed_file)],
            capture_output=True, env=environment, stdin=subprocess.DEVNULL, timeout=30, check=False,
        )  # fmt: skip
        assert done.returncode == 2
        assert b"arxiv-tui digest" in done.stderr and b"Traceback" not in done.stderr
        assert b"\x1b[" not in done.stdout  # nothing drawn for a screen that is not there


def test_no_color_draws_the_reader_in_shades_of_grey(home, demo_feed_file):
    update_config(Paths.under(home).config_file, {("categories",): ["cs"], ("keywords", "include"): ["LLM"]})
    environment = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30", "NO_COLOR": "1"}
    command = [sys.executable, "-m", "arxiv_tui", "--home", str(home), "--feed", str(demo_feed_file)]
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(sys.executable, command, environment)
    try:
        drawn = read_until(fd, rb"\d{4}\.\d{5}v\d")
        if not re.search(rb"[34]8;[25];", drawn):  # the id came in a chunk before any colour
            drawn += read_until(fd, rb"[34]8;[25];")
        os.kill(pid, signal.SIGTERM)
        read_to_end(fd)
        os.waitpid(pid, 0)
    finally:
        os.close(fd)
    true_colours = re.findall(rb"[34]8;2;(\d+);(\d+);(\d+)", drawn)
    palette = [int(index) for index in re.findall(rb"[34]8;5;(\d+)", drawn)]
    greys = {0, 7, 8, 15, 16, 231, *range(232, 256)}  # black, white and the 256-colour grey ramp
    assert true_colours or palette
    assert all(red == green == blue for red, green, blue in true_colours)
    assert all(index in greys for index in palette)
