"""Copying text, and saying honestly whether it reached the clipboard.

Textual copies with the terminal's OSC 52 sequence, which many terminals ignore and tmux drops
unless `set -g set-clipboard on`. Where the system has a clipboard command (pbcopy, wl-copy,
xclip, xsel) it is used as well, and the notice says which way the text went.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys


def system_copier() -> list[str] | None:
    """The command that puts stdin on this system's clipboard, if there is one."""
    if sys.platform == "darwin" and shutil.which("pbcopy"):
        return ["pbcopy"]
    if os.environ.get("WAYLAND_DISPLAY") and shutil.which("wl-copy"):
        return ["wl-copy"]
    if os.environ.get("DISPLAY"):
        if shutil.which("xclip"):
            return ["xclip", "-selection", "clipboard"]
        if shutil.which("xsel"):
            return ["xsel", "--clipboard", "--input"]
    return None


def copy_with_system(text: str) -> bool:
    """Put `text` on the clipboard with the system's command; False when there is none or it failed.
    Runs a process: call it from a worker."""
    command = system_copier()
    if command is None:
        return False
    try:
        done = subprocess.run(command, input=text.encode(), capture_output=True, timeout=3)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def copied_notice(what: str, by_system: bool) -> str:
    if by_system:
        return f"Copied {what}"
    if os.environ.get("TMUX"):
        return (
            f"Copied {what} through the terminal; inside tmux it reaches the clipboard only with "
            "`set -g set-clipboard on`"
        )
    if os.environ.get("STY"):
        return f"Copied {what} through the terminal; GNU screen may not pass it on to the clipboard"
    return (
        f"Copied {what} through the terminal (OSC 52); if it is not on the clipboard, the terminal "
        "does not take it"
    )
