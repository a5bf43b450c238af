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
from collections.abc import Callable
from pathlib import Path

from arxiv_tui.core.base.errors import FetchError
from arxiv_tui.core.base.storage import _fsync_dir
from arxiv_tui.core.base.text import safe_message
from arxiv_tui.core.models import Paper
from arxiv_tui.core.sources.arxiv import USER_AGENT
from arxiv_tui.core.sources.http import BodyDecoder, Deadline, client_with_deadline, describe_failure
from arxiv_tui.core.sources.parse import ascii_int

MAX_PDF_BYTES = 300_000_000


NAME_BYTES = 150  # file systems allow 255 bytes a name, not 255 characters (a CJK character is 3)


def fit_bytes(text: str, limit: int) -> str:
    """`text` cut to at most `limit` bytes of UTF-8, at a word boundary when there is one."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    cut = encoded[:limit].decode("utf-8", "ignore")
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).strip()


def pdf_file_name(paper: Paper) -> str:
    """ "2411.17728v2 Title words of the paper.pdf": safe on every file system, at most 150 bytes."""
    title = re.sub(r"[^\w\s\-]+", " ", paper.title[:1000], flags=re.UNICODE)
    title = " ".join(title.split())
    stem = f"{paper.id.replace('/', '_')}v{paper.version}"
    title = fit_bytes(title, NAME_BYTES - len(stem.encode()) - len(" .pdf"))
    return f"{stem} {title}.pdf" if title else f"{stem}.pdf"


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
    """Save `url` as `destination`; returns it. Raises FetchError, leaving nothing behind.

    The whole download must finish within ten times `timeout` (a big PDF on a slow line), with
    the same deadline and decoding limits as every other request.
    """
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
    deadline = Deadline()
    client = client_with_deadline(deadline, timeout, USER_AGENT)
    received = 0
    total: int | None = None
    try:
        deadline.start(timeout * 10)
        with os.fdopen(handle, "wb") as out, client.stream("GET", url) as response:
            if response.status_code != 200:
                raise FetchError(f"{url}: HTTP {response.status_code}")
            total = ascii_int(response.headers.get("content-length"))
            decoder = BodyDecoder(response.headers.get("content-encoding", ""), MAX_PDF_BYTES, url)
            done = 0
            for chunk in response.iter_raw():
                received += len(chunk)
                for piece in decoder.decode(chunk):
                    if should_stop():
                        raise FetchError(f"{url}: download cancelled")
                    if done == 0 and not piece.startswith(b"%PDF"):
                        kind = safe_message(response.headers.get("content-type", "unknown content"), 80)
                        raise FetchError(f"{url}: not a PDF ({kind})")
                    done += len(piece)
                    out.write(piece)
                progress(received, total)
                deadline.check(url)
            out.write(decoder.finish())
            if total is not None and received < total:
                raise FetchError(f"{url}: the connection closed after {received:,} of {total:,} bytes")
            if done == 0:
                raise FetchError(f"{url}: empty answer")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, destination)
        temp_name = ""
        _fsync_dir(destination.parent)
        return destination
    except FetchError:
        raise
    except Exception as error:
        raise FetchError(_failure(url, destination, error, deadline, received, total)) from error
    finally:
        client.close()
        if temp_name:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)


def _failure(
    url: str, destination: Path, error: Exception, deadline: Deadline, done: int, total: int | None
) -> str:
    """Why a download failed: the disk, a connection dropped mid-way, or the request itself."""
    import httpx

    if isinstance(error, OSError) and not isinstance(error, ConnectionError | TimeoutError):
        return f"could not save {destination}: {error.strerror or error}"
    if done and isinstance(error, httpx.TransportError) and not isinstance(error, httpx.TimeoutException):
        of = f" of {total:,}" if total else ""
        return f"{url}: the connection closed after {done:,}{of} bytes"
    return describe_failure(url, error, deadline)
