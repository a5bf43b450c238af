"""Opening links: only plain http(s) links on arxiv.org (and, for papers Semantic Scholar lists
off arXiv, doi.org and its own pages), never through a shell. And the PDFs arxiv-tui saved,
with the viewer the user named or the system's."""

from __future__ import annotations

import shlex
import string
import subprocess
import sys
import webbrowser
from urllib.parse import urlsplit

ALLOWED_HOSTS = frozenset(
    {"arxiv.org", "www.arxiv.org", "export.arxiv.org", "doi.org", "www.semanticscholar.org"}
)
# RFC 3986's characters, nothing else: a browser and urllib then read a URL the same way. A
# backslash (a browser's slash, urllib's path character), whitespace and controls (stripped by
# browsers) and non-ASCII (IDNA, confusables) are where the two disagree.
_URL_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-._~:/?#[]@!$&'()*+,;=%")
MAX_URL = 2_000


class UnsafeURL(ValueError):
    pass


def url_problem(url: object, hosts: frozenset[str] = ALLOWED_HOSTS) -> str:
    """Why `url` must not be opened, or "" when it may. Never raises."""
    if not isinstance(url, str) or not url:
        return "it is not a link"
    shown = repr(url[:120])
    if len(url) > MAX_URL:
        return f"{shown}… is longer than any arXiv link"
    if not set(url) <= _URL_CHARACTERS:
        return f"{shown} holds characters a browser could read differently (spaces, backslashes, non-ASCII)"
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        return f"{shown} is not a well-formed link"
    if parts.scheme.lower() not in ("http", "https"):
        return f"{shown} is not an http(s) link"
    if "@" in parts.netloc or port is not None or parts.netloc.lower() != host:
        return f"{shown} names a user, a port or an unusual host form"
    if host not in hosts:
        return f"{shown}: only links on arxiv.org, doi.org and semanticscholar.org are opened"
    return ""


def check_url(url: str) -> str:
    """`url` itself when it may be opened; UnsafeURL naming the reason otherwise."""
    problem = url_problem(url)
    if problem:
        raise UnsafeURL(f"refusing to open {problem}")
    return url


def open_url(url: str, command: str = "") -> bool:
    """Open a checked URL with `command` (argv, no shell) or Python's webbrowser ($BROWSER).

    Returns False when no browser could be started. Blocks while a $BROWSER command runs,
    so call it from a worker thread.
    """
    check_url(url)
    if command:
        return _started(command, url)
    try:
        return bool(webbrowser.open(url, new=2))
    except webbrowser.Error:
        return False


def open_file(path: str, command: str = "") -> bool:
    """Open a file arxiv-tui saved (a downloaded PDF) with `command` (argv, no shell) or the
    system's viewer; False when none could be started. `path` is absolute (it was saved so), so
    no viewer can take it for an option."""
    if not path.startswith("/") and not sys.platform.startswith("win"):
        return False
    if not command and sys.platform.startswith("win"):
        import os

        try:
            os.startfile(path)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    return _started(command or ("open" if sys.platform == "darwin" else "xdg-open"), path)


def _started(command: str, argument: str) -> bool:
    """`command` (split as a shell would, run without one) started on `argument`, detached."""
    try:
        subprocess.Popen(
            [*shlex.split(command), argument],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except (OSError, ValueError):
        return False
    return True
