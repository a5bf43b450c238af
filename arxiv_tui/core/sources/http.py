"""HTTP that a hostile server cannot stretch: one deadline per request, a cap on decoded size.

httpx's timeouts apply to each socket operation, so a server answering one byte every few
seconds never trips them. Here every connect, TLS handshake, read and write of the request is
given only what is left of one overall deadline, in the network backend httpx's transports use,
so headers are covered as well as the body. Content encodings are decoded by `BodyDecoder`
with a limit on the decoded size; stacked encodings are refused.

httpx is imported only inside functions: start-up does not pay for it.
"""

from __future__ import annotations

import time
import weakref
import zlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from arxiv_tui.core.base.errors import FetchError
from arxiv_tui.core.base.text import safe_message

if TYPE_CHECKING:
    import ssl

    import httpx

ACCEPTED_ENCODINGS = "gzip, deflate"


POLL_SECONDS = 0.25  # a read waits this long at a time, so that a cancelled request ends soon


class Deadline:
    """The moment the current request must be done by (None between requests), and whether it
    was cancelled: every Deadline is cancelled at once by `cancel_all` (the reader quitting)."""

    def __init__(self) -> None:
        self.at: float | None = None
        self.seconds = 0.0
        self.received = 0  # bytes read from the network since `start`
        self.cancelled = False
        _LIVE.add(self)

    def start(self, seconds: float) -> None:
        self.seconds = seconds
        self.received = 0
        self.at = time.monotonic() + seconds

    def stop(self) -> None:
        self.at = None

    def left(self) -> float | None:
        return None if self.at is None else self.at - time.monotonic()

    def check(self, url: str) -> None:
        left = self.left()
        if left is not None and left <= 0:
            raise FetchError(f"{url}: no complete answer within {self.seconds:g} s")

    def clip(self, timeout: float | None) -> float | None:
        """`timeout` for one socket operation, never past the deadline; past it, a timeout now."""
        if self.cancelled:
            import httpcore

            raise httpcore.ReadTimeout(CANCELLED)
        left = self.left()
        if left is None:
            return timeout
        if left <= 0:
            import httpcore

            raise httpcore.ReadTimeout("the request's overall deadline has passed")
        return left if timeout is None else min(timeout, left)


CANCELLED = "cancelled: arxiv-tui is quitting"
_LIVE: weakref.WeakSet[Deadline] = weakref.WeakSet()


def cancel_all() -> None:
    """End every request in flight within POLL_SECONDS, and every later one at once (quitting:
    a worker waiting on the network must not keep the process alive)."""
    for deadline in list(_LIVE):
        deadline.cancelled = True


def _deadline_backend(inner: Any, deadline: Deadline) -> Any:
    """httpcore's network backend, with every operation's timeout clipped to `deadline`."""
    import httpcore

    class Stream(httpcore.NetworkStream):
        def __init__(self, stream: Any) -> None:
            self.stream = stream

        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            """Waits POLL_SECONDS at a time, up to `timeout`, so a cancel is seen in between."""
            until = None if timeout is None else time.monotonic() + timeout
            while True:
                wait = deadline.clip(None if until is None else max(until - time.monotonic(), 0.0))
                try:
                    data = self.stream.read(
                        max_bytes, POLL_SECONDS if wait is None else min(wait, POLL_SECONDS)
                    )
                except httpcore.ReadTimeout:
                    if until is not None and time.monotonic() >= until:
                        raise
                    continue  # not yet this read's timeout: see whether the request was cancelled
                deadline.received += len(data)
                return data

        def write(self, buffer: bytes, timeout: float | None = None) -> None:
            self.stream.write(buffer, deadline.clip(timeout))

        def close(self) -> None:
            self.stream.close()

        def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout=None) -> Any:
            return Stream(self.stream.start_tls(ssl_context, server_hostname, deadline.clip(timeout)))

        def get_extra_info(self, info: str) -> Any:
            return self.stream.get_extra_info(info)

    class Backend(httpcore.NetworkBackend):
        def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
            clipped = deadline.clip(timeout)
            return Stream(inner.connect_tcp(host, port, clipped, local_address, socket_options))

        def connect_unix_socket(self, path, timeout=None, socket_options=None):
            return Stream(inner.connect_unix_socket(path, deadline.clip(timeout), socket_options))

        def sleep(self, seconds: float) -> None:
            inner.sleep(seconds)

    return Backend()


def _arm(transport: Any, deadline: Deadline) -> Any:
    """Give an httpx transport's connection pool (direct or through a proxy) the deadline."""
    pool = getattr(transport, "_pool", None)
    inner = getattr(pool, "_network_backend", None)
    if pool is not None and inner is not None:
        pool._network_backend = _deadline_backend(inner, deadline)
    return transport


_SSL_CONTEXTS: dict[bool, ssl.SSLContext] = {}


def shared_ssl_context(trust_env: bool) -> ssl.SSLContext:
    """httpx's own default context (certifi's roots, or SSL_CERT_FILE / SSL_CERT_DIR when the
    environment is trusted), made once a process. Reading the roots again for each client cost
    every refetch 18 ms with the interpreter held: a key pressed meanwhile waited for it."""
    context = _SSL_CONTEXTS.get(trust_env)
    if context is None:
        import httpx

        context = _SSL_CONTEXTS[trust_env] = httpx.create_ssl_context(trust_env=trust_env)
    return context


def client_with_deadline(
    deadline: Deadline,
    timeout: float,
    user_agent: str,
    transport: httpx.BaseTransport | None = None,
    follow_redirects: bool = True,
    trust_env: bool = True,
) -> httpx.Client:
    """An httpx.Client whose own transports (and those for proxies from the environment) keep
    `deadline`; one connection, redirects followed (at most 5) unless told not to, only
    encodings we decode. `trust_env=False`: no proxy from the environment (a loopback server)."""
    import httpx

    class Client(httpx.Client):
        def _init_transport(self, *args: Any, **kwargs: Any) -> httpx.BaseTransport:
            return _arm(super()._init_transport(*args, **kwargs), deadline)

        def _init_proxy_transport(self, *args: Any, **kwargs: Any) -> httpx.BaseTransport:
            return _arm(super()._init_proxy_transport(*args, **kwargs), deadline)

    return Client(
        headers={"User-Agent": user_agent, "Accept-Encoding": ACCEPTED_ENCODINGS},
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        follow_redirects=follow_redirects,
        max_redirects=5,
        limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        transport=transport,
        trust_env=trust_env,
        verify=shared_ssl_context(trust_env),
    )


class BodyDecoder:
    """A response body decoded as it arrives, in pieces of at most PIECE bytes, refused once it
    passes `limit` decoded bytes: a 1 KB gzip bomb costs one piece of memory, not a gigabyte."""

    PIECE = 1 << 20

    def __init__(self, content_encoding: str, limit: int, url: str) -> None:
        self.url = url
        self.limit = limit
        self.size = 0
        codings = [part.strip().lower() for part in content_encoding.split(",") if part.strip()]
        codings = [coding for coding in codings if coding != "identity"]
        if len(codings) > 1:
            stacked = safe_message(", ".join(codings), 60)
            raise FetchError(f"{url}: the answer is encoded more than once ({stacked}); refused")
        self.coding = codings[0] if codings else ""
        if self.coding and self.coding not in ("gzip", "x-gzip", "deflate"):
            unasked = safe_message(self.coding, 40)
            raise FetchError(f"{url}: the answer is in an encoding that was not asked for ({unasked})")
        self._decompressor = self._new() if self.coding else None
        self._first = True

    def _new(self) -> Any:
        return zlib.decompressobj(16 + zlib.MAX_WBITS if self.coding != "deflate" else zlib.MAX_WBITS)

    def _counted(self, data: bytes) -> bytes:
        self.size += len(data)
        if self.size > self.limit:
            raise FetchError(f"{self.url}: response larger than {self.limit:,} bytes")
        return data

    def decode(self, chunk: bytes) -> Iterator[bytes]:
        """The decoded pieces of one raw chunk."""
        if self._decompressor is None:
            if chunk:
                yield self._counted(chunk)
            return
        data = chunk
        while data:
            try:
                out = self._decompressor.decompress(data, self.PIECE)
            except zlib.error as error:
                if self.coding == "deflate" and self._first:  # "deflate" sent without its zlib header
                    self._decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._first = False
                    continue
                raise FetchError(f"{self.url}: the compressed answer is damaged ({error})") from error
            self._first = False
            if out:
                yield self._counted(out)
            if self._decompressor.unconsumed_tail:
                data = self._decompressor.unconsumed_tail
            elif self._decompressor.eof and self._decompressor.unused_data:
                data = self._decompressor.unused_data  # another gzip member follows
                self._decompressor = self._new()
            else:
                data = b""

    def finish(self) -> bytes:
        """What is left; a compressed body that stops before its end is an error, not a feed."""
        if self._decompressor is None:
            return b""
        rest = self._counted(self._decompressor.flush())
        if not self._decompressor.eof:
            raise FetchError(f"{self.url}: the compressed answer is damaged or cut off")
        return rest


def describe_failure(url: str, error: BaseException, deadline: Deadline) -> str:
    """What went wrong with a request, in words, whatever raised it (httpx, httpcore, ssl, OS)."""
    import httpx

    if isinstance(error, httpx.TimeoutException) or CANCELLED in str(error):
        if deadline.cancelled:
            return f"{url}: {CANCELLED}"
        if deadline.received:  # bytes came, just never all of them in time: a trickle
            return f"{url}: no complete answer within {deadline.seconds:g} s"
        return f"{url}: timed out after {deadline.seconds:g} s"
    if isinstance(error, httpx.TooManyRedirects):
        return f"{url}: too many redirects"
    detail = safe_message(error, 300) or "no details"
    return f"{url}: {type(error).__name__}: {detail}"
