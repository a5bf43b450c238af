"""Driving the real app in a real terminal: tmux for first paint, a pty for keystroke latency."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import shlex
import signal
import struct
import subprocess
import termios
import time
import uuid

COLUMNS, LINES = 160, 48
# This machine sets PYTHONDONTWRITEBYTECODE, which a user's Python does not: without bytecode every
# start compiles the app's modules again (about 45 ms). The apps measured run without it.
AS_A_USER = ["env", "-u", "PYTHONDONTWRITEBYTECODE"]


def first_paint_in_tmux(command: list[str], marker: str, timeout: float = 20.0) -> float:
    """Seconds from starting `command` in a 160x48 tmux window until `marker` is on screen."""
    session = f"bench-{uuid.uuid4().hex[:8]}"
    shell_command = " ".join(shlex.quote(part) for part in [*AS_A_USER, *command])
    started = time.perf_counter()
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", str(COLUMNS), "-y", str(LINES), shell_command],
        check=True,
    )
    pane = subprocess.run(
        ["tmux", "display-message", "-p", "-t", session, "#{pane_pid}"], capture_output=True, text=True
    ).stdout.strip()
    try:
        while time.perf_counter() - started < timeout:
            screen = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
            ).stdout
            if marker in screen:
                return time.perf_counter() - started
            time.sleep(0.005)
        raise TimeoutError(f"{marker!r} not on screen after {timeout} s:\n{screen}")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
        gone(int(pane) if pane.isdigit() else 0)


def gone(pid: int, limit: float = 10.0) -> None:
    """Wait until `pid` has ended: the next start measured must not share the machine with this
    one's ending (saving, closing its child), or that start's figure carries it."""
    deadline = time.perf_counter() + limit
    while pid and time.perf_counter() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.01)


class PtyApp:
    """The app on a pseudo-terminal of 160x48: send keys, wait for bytes to appear in its output."""

    def __init__(self, command: list[str], env: dict[str, str] | None = None) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the app
            child_env = {**os.environ, **(env or {}), "TERM": "xterm-256color"}
            child_env.pop("PYTHONDONTWRITEBYTECODE", None)
            os.execvpe(command[0], command, child_env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        self.buffer = b""

    def read_until(self, pattern: re.Pattern[bytes] | bytes, timeout: float = 10.0) -> re.Match[bytes] | None:
        """Read output until `pattern` appears in what arrived since the last call; keeps the rest."""
        deadline = time.perf_counter() + timeout
        regex = pattern if isinstance(pattern, re.Pattern) else re.compile(re.escape(pattern))
        while True:
            found = regex.search(self.buffer)
            if found:
                self.buffer = self.buffer[found.end() :]
                return found
            left = deadline - time.perf_counter()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    self.buffer += os.read(self.fd, 1 << 16)
                except OSError:
                    return None

    def drain(self, quiet: float = 0.3, longest: float = 3.0) -> None:
        """Read until the app has been silent for `quiet` seconds (a blinking cursor never is:
        give up after `longest`)."""
        deadline = time.perf_counter() + longest
        while True:
            ready, _, _ = select.select([self.fd], [], [], quiet)
            if not ready or time.perf_counter() > deadline:
                self.buffer = b""
                return
            try:
                os.read(self.fd, 1 << 16)
            except OSError:
                return

    def send(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def close(self, patience: float = 10.0) -> None:
        """SIGTERM, then read what the app still writes while it ends: a terminal nobody reads
        fills, and the app's last write (restoring the screen) would wait for ever."""
        deadline = time.perf_counter() + patience
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGTERM)
        try:
            while os.waitpid(self.pid, os.WNOHANG) == (0, 0):
                if time.perf_counter() > deadline:
                    os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
                    break
                if select.select([self.fd], [], [], 0.05)[0]:
                    os.read(self.fd, 1 << 16)
        except OSError:
            pass
        os.close(self.fd)
