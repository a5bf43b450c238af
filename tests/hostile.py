"""Hostile inputs, built from the real recorded quant-ph listing, and a raw loopback server.

Every feed here is the real `rss-quant-ph-2025-04-28.xml` with one part changed (its date, an
item's id or text), so that a failure is about that part and nothing else. The raw server plays
what an HTTP library cannot: headers trickled a byte at a time, broken status lines.
"""

from __future__ import annotations

import contextlib
import gzip
import re
import socket
import threading
from collections.abc import Callable, Iterator
from xml.sax.saxutils import escape

from tests.conftest import fixture_bytes

GOOD = fixture_bytes("rss-quant-ph-2025-04-28.xml")
HEAD, _, _ = GOOD.partition(b"<item>")
FIRST_ITEM = b"<item>" + GOOD.split(b"<item>")[1].split(b"</item>")[0] + b"</item>"

# Text a markup parser would act on: closing tags, a hyperlink, styles, Textual's own variables.
MARKUP = "[/] [link=https://evil.example/]click[/link] [bold red]loud[/] [@click=app.quit]q[/] $accent"


def feed(*items: bytes, head: bytes = HEAD) -> bytes:
    return head + b"\n".join(items) + b"\n  </channel>\n</rss>\n"


def dated(day: str) -> bytes:
    """The real listing, its channel dated `day` (an RFC 822 date such as 'Fri, 31 Dec 9999')."""
    stamp = f"<pubDate>{day} 00:00:00 -0500</pubDate>".encode()
    return re.sub(rb"<pubDate>[^<]*</pubDate>", stamp, GOOD, count=1)


def item(
    *,
    guid: str = "oai:arXiv.org:2504.99001v1",
    link: str = "https://arxiv.org/abs/2504.99001",
    title: str = "A hostile item",
    abstract: str = "Nothing to see.",
    creator: str = "Mallory",
    described_id: str | None = "2504.99001v1",
) -> bytes:
    """One RSS item in arXiv's shape; every field is escaped as XML text (never as markup)."""
    prefix = f"arXiv:{described_id} Announce Type: new \nAbstract: " if described_id is not None else ""
    return (
        "<item>"
        f"<title>{escape(title)}</title><link>{escape(link)}</link>"
        f"<description>{escape(prefix + abstract)}</description>"
        f'<guid isPermaLink="false">{escape(guid)}</guid><category>quant-ph</category>'
        f"<arxiv:announce_type>new</arxiv:announce_type><dc:creator>{escape(creator)}</dc:creator>"
        "</item>"
    ).encode()


def gzip_bomb(decoded_size: int, layers: int = 1) -> bytes:
    """Zeros that decode to `decoded_size` bytes, gzipped `layers` times."""
    data = gzip.compress(b"\0" * decoded_size, compresslevel=9)
    for _ in range(layers - 1):
        data = gzip.compress(data, compresslevel=9)
    return data


@contextlib.contextmanager
def raw_server(handle: Callable[[socket.socket], None]) -> Iterator[str]:
    """A TCP server on 127.0.0.1 that gives each connection to `handle`; yields its base URL.

    Closing it stops every handler at its next send (they get a broken pipe)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stop = threading.Event()
    connections: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            connections.append(connection)
            threading.Thread(target=_run, args=(handle, connection), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()


def _run(handle: Callable[[socket.socket], None], connection: socket.socket) -> None:
    with contextlib.suppress(OSError):
        connection.recv(65536)  # the request
        handle(connection)


def trickle(
    data: bytes, every: float, stop: threading.Event | None = None
) -> Callable[[socket.socket], None]:
    """A handler that sends `data` one byte every `every` seconds."""
    stop = stop or threading.Event()

    def handle(connection: socket.socket) -> None:
        for byte in data:
            if stop.wait(every):
                return
            connection.sendall(bytes([byte]))

    return handle
