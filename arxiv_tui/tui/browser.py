"""Opening links: only http(s) on arxiv.org, never through a shell."""

from __future__ import annotations

import shlex
import subprocess
import webbrowser
from urllib.parse import urlsplit

ALLOWED_HOSTS = {"arxiv.org", "www.arxiv.org", "export.arxiv.org"}


class UnsafeURL(ValueError):
    pass


def check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or parts.hostname not in ALLOWED_HOSTS:
        raise UnsafeURL(f"refusing to open {url!r}: only http(s) links on arxiv.org are opened")
    if any(ord(char) < 33 or ord(char) == 127 for char in url):
        raise UnsafeURL(f"refusing to open {url!r}: it contains spaces or control characters")
    return url


def open_url(url: str, command: str = "") -> bool:
    """Open a checked URL with `command` (argv, no shell) or Python's webbrowser ($BROWSER).

    Returns False when no browser could be started. Blocks while a $BROWSER command runs,
    so call it from a worker thread.
    """
    check_url(url)
    if command:
        try:
            subprocess.Popen(
                [*shlex.split(command), url],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except (OSError, ValueError):
            return False
        return True
    try:
        return bool(webbrowser.open(url, new=2))
    except webbrowser.Error:
        return False
