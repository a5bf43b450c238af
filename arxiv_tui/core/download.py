"""Downloading a paper's PDF: into a folder the user chose, named from id and title, never partial.

The body goes to a hidden temp file in the target folder and is renamed into place only when
it is complete and starts like a PDF; any failure (a dropped connection, a web page instead of
a PDF, a full disk) removes the temp file and raises FetchError naming what went wrong.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from arxiv_tui.core.arxiv import USER_AGENT
from arxiv_tui.core.errors import FetchError
from arxiv_tui.core.models import Paper
from arxiv_tui.core.storage import _fsync_dir

MAX_PDF_BYTES = 300_000_000


def pdf_file_name(paper: Paper) -> str:
    """ "2411.17728v2 Title words of the paper.pdf": safe on every file system, at most ~100 chars."""
    title = re.sub(r"[^\w\s\-]+", " ", paper.title, flags=re.UNICODE)
    title = re.sub(r"\s+", " ", title).strip()
    if len(title) > 80:
        title = title[:80].rsplit(" ", 1)[0]
    stem = f"{paper.id.replace('/', '_')}v{paper.version}"
    return f"{stem} {title}.pdf" if title else f"{stem}.pdf"


def _chunks(response, url: str, so_far: Callable[[], tuple[int, int | None]]):
    """The body's chunks; a connection dropped mid-way (httpcore raises its own errors) says so."""
    try:
        yield from response.iter_bytes()
    except Exception as error:
        if not type(error).__module__.startswith(("httpx", "httpcore", "h11")):
            raise
        done, total = so_far()
        of = f" of {total:,}" if total else ""
        raise FetchError(f"{url}: the connection closed after {done:,}{of} bytes") from error


def pdf_url(base: str, paper: Paper) -> str:
    return f"{base.rstrip('/')}/{paper.id}v{paper.version}"


def download(
    url: str,
    destination: Path,
    *,
    timeout: float = 60.0,
    progress: Callable[[int, int | None], None] = lambda done, total: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> Path:
    """Save `url` as `destination`; returns it. Raises FetchError, leaving nothing behind."""
    import httpx

    if not re.match(r"^https?://", url, re.IGNORECASE):
        raise FetchError(f"{url}: only http(s) links are downloaded")
    destination = Path(destination)
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{destination.name}.", suffix=".part", dir=destination.parent
        )
    except OSError as error:
        raise FetchError(f"cannot write to {destination.parent}: {error.strerror or error}") from error
    deadline = time.monotonic() + timeout * 10  # a big PDF on a slow line; the read timeout still applies
    try:
        with os.fdopen(handle, "wb") as out:
            headers = {"User-Agent": USER_AGENT}
            with httpx.stream(
                "GET", url, headers=headers, timeout=timeout, follow_redirects=True
            ) as response:
                if response.status_code != 200:
                    raise FetchError(f"{url}: HTTP {response.status_code}")
                total = int(response.headers.get("content-length") or 0) or None
                done = 0
                first = b""
                for chunk in _chunks(response, url, lambda: (done, total)):  # noqa: B023 (the count so far)
                    if should_stop():
                        raise FetchError(f"{url}: download cancelled")
                    if not first:
                        first = chunk[:5]
                        if not first.startswith(b"%PDF"):
                            kind = response.headers.get("content-type", "unknown content")
                            raise FetchError(f"{url}: not a PDF ({kind})")
                    done += len(chunk)
                    if done > MAX_PDF_BYTES or time.monotonic() > deadline:
                        raise FetchError(f"{url}: too large or too slow; stopped")
                    out.write(chunk)
                    progress(done, total)
                if total is not None and done < total:
                    raise FetchError(f"{url}: the connection closed after {done:,} of {total:,} bytes")
                if done == 0:
                    raise FetchError(f"{url}: empty answer")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, destination)
        temp_name = ""
        _fsync_dir(destination.parent)
        return destination
    except httpx.HTTPError as error:
        raise FetchError(f"{url}: {type(error).__name__}: {error}") from error
    except OSError as error:
        raise FetchError(f"could not save {destination}: {error.strerror or error}") from error
    finally:
        if temp_name:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
