"""Talking to arXiv: the daily RSS listing and the search API, with arXiv's terms of use kept.

Both clients are synchronous (the TUI runs them in thread workers) and turn every transport
or HTTP failure into FetchError, and every unusable body into FeedError.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from arxiv_tui import __version__
from arxiv_tui.core.base.clock import moment
from arxiv_tui.core.base.errors import ArxivErrorFeed, ArxivTuiError, FeedError, FetchError
from arxiv_tui.core.base.text import safe_message
from arxiv_tui.core.sources.http import Deadline, describe_failure
from arxiv_tui.core.sources.parse import MAX_BYTES, ParsedFeed, ascii_int, parse_feed

if TYPE_CHECKING:  # httpx is imported when the first request is made: it costs 30 ms at start
    import httpx

USER_AGENT = f"arxiv-tui/{__version__} (terminal reader for arXiv listings; python-httpx)"
RETRY_STATUSES = {429, 500, 502, 503, 504}
MIN_INTERVAL_SECONDS = 3.0  # arXiv API terms of use: at most one request every 3 seconds
MAX_REDIRECTS = 5


def _origin(url: str) -> tuple[str, str, int | None]:
    """Where a credential may go: scheme, host and port."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


class HttpClient:
    """One httpx.Client, created lazily, one connection, with one overall deadline per request.

    The deadline covers everything: connecting, TLS, each header line and each body chunk (a
    server that trickles its headers a byte at a time is cut off like one that trickles its
    body). The body is decoded here, not by httpx, so a 1 KB gzip bomb is stopped when its
    decoded size passes MAX_BYTES, not after it has been decompressed whole.
    """

    def __init__(self, timeout: float, transport: httpx.BaseTransport | None = None) -> None:
        self.timeout = timeout
        self._transport = transport
        self._client: httpx.Client | None = None
        self._deadline = Deadline()

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            from arxiv_tui.core.sources.http import client_with_deadline

            self._client = client_with_deadline(
                self._deadline, self.timeout, USER_AGENT, transport=self._transport
            )
        return self._client

    def get(self, url: str, params: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        """GET a body whole, within `timeout` seconds overall and MAX_BYTES decoded.

        Every failure, whatever raised it, is a FetchError with a message fit to show.
        """
        return self.request("GET", url, params)

    def request(
        self,
        method: str,
        url: str,
        params: dict[str, str] | None = None,
        json: object = None,
        headers: dict[str, str] | None = None,
        secrets: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """Any request, with `get`'s guarantees (a JSON body for POST; extra headers).

        `secrets` (an API key's header) go only to the scheme, host and port of `url`: with them,
        redirects are followed here, and one to anywhere else is refused, never sent the key
        and never read."""
        from arxiv_tui.core.sources.http import BodyDecoder

        self._deadline.start(self.timeout)
        origin = _origin(url)
        try:
            for _ in range(MAX_REDIRECTS + 1):
                sent = {**(headers or {}), **(secrets or {})}
                with self.client.stream(
                    method, url, params=params, json=json, headers=sent, follow_redirects=not secrets
                ) as response:
                    if secrets and response.is_redirect:
                        target = str(response.url.join(response.headers.get("location", "")))
                        if _origin(target) != origin:
                            raise FetchError(
                                f"{url}: redirected to another host ({safe_message(target, 120)}); not "
                                "followed, so your API key is not sent there"
                            )
                        if response.status_code == 303 or (
                            response.status_code in (301, 302) and method == "POST"
                        ):
                            method, json = "GET", None
                        url, params = target, None
                        continue
                    decoder = BodyDecoder(response.headers.get("content-encoding", ""), MAX_BYTES, url)
                    parts: list[bytes] = []
                    for chunk in response.iter_raw():
                        parts += decoder.decode(chunk)
                        self._deadline.check(url)
                    parts.append(decoder.finish())
                    answer_headers = {key.lower(): value for key, value in response.headers.items()}
                    return response.status_code, answer_headers, b"".join(parts)
            raise FetchError(f"{url}: too many redirects")
        except ArxivTuiError:
            raise
        except Exception as error:
            raise FetchError(describe_failure(url, error, self._deadline)) from error
        finally:
            self._deadline.stop()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


ERROR_BODY_LIMIT = 64_000  # arXiv's error feeds are about 1 KB; a larger body is not read


def _error_for_status(url: str, status: int, body: bytes) -> Exception:
    """arXiv's error feeds carry a message worth showing; other bodies do not (and a large one is
    not even read: it is no error feed)."""
    if len(body) <= ERROR_BODY_LIMIT:
        try:
            parse_feed(body, url)
        except ArxivErrorFeed as error:
            return error
        except FeedError:
            pass
    return FetchError(f"{url}: HTTP {status}")


class ListingClient:
    """The day's announcement: ONE request to `<rss_url>/<cat1>+<cat2>...`."""

    def __init__(
        self,
        rss_url: str,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        parser: Callable[[bytes, str], ParsedFeed] = parse_feed,
    ) -> None:
        self.rss_url = rss_url.rstrip("/")
        self.parser = parser
        self._http = HttpClient(timeout, transport)

    def url_for(self, categories: Sequence[str]) -> str:
        return f"{self.rss_url}/{'+'.join(categories)}"

    def fetch(self, categories: Sequence[str]) -> ParsedFeed:
        url = self.url_for(categories)
        status, _headers, body = self._http.get(url)
        if status != 200:
            raise _error_for_status(url, status, body)
        return self.parser(body, url)

    def close(self) -> None:
        self._http.close()


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date."""
    if not value:
        return None
    value = value.strip()[:100]
    seconds = ascii_int(value)
    if seconds is not None:
        return float(seconds)
    try:
        import email.utils

        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    now = now or dt.datetime.now(dt.UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    try:
        return max(0.0, (when - now).total_seconds())
    except OverflowError:
        return None


class ApiClient:
    """export.arxiv.org/api/query, within arXiv's terms: one connection, >= 3 s between requests.

    `clock` and `sleep` are injectable so tests can prove the spacing without waiting.
    """

    def __init__(
        self,
        api_url: str,
        timeout: float = 30.0,
        *,
        min_interval: float | None = None,
        max_retries: int = 3,
        max_retry_after: float = 120.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
        transport: httpx.BaseTransport | None = None,
        parser: Callable[[bytes, str], ParsedFeed] = parse_feed,
    ) -> None:
        """`parser` reads each page; the reader passes one that runs in a child process."""
        self.api_url = api_url
        self.parser = parser
        self.min_interval = MIN_INTERVAL_SECONDS if min_interval is None else min_interval
        self.max_retries = max_retries
        self.max_retry_after = max_retry_after
        self.notices: list[str] = []
        self._clock = clock
        self._sleep = sleep
        self._last_request: float | None = None
        self._http = HttpClient(timeout, transport)

    def _wait_turn(self, extra: float = 0.0) -> None:
        if self._last_request is not None:
            wait = self._last_request + max(self.min_interval, extra) - self._clock()
            if wait > 0:
                self._sleep(wait)
        elif extra > 0:
            self._sleep(extra)
        self._last_request = self._clock()

    def query(
        self,
        search_query: str = "",
        id_list: Sequence[str] = (),
        *,
        start: int = 0,
        max_results: int = 100,
        sort_by: str = "submittedDate",
        sort_order: str = "descending",
        window: tuple[dt.datetime, dt.datetime] | None = None,
    ) -> ParsedFeed:
        """One page of results. Entries whose date falls outside `window` are dropped.

        Retries (bounded, with backoff) on 429/5xx, honouring Retry-After up to
        `max_retry_after` seconds, on transport errors, and on empty pages that claim results.
        """
        params = {
            "search_query": search_query,
            "id_list": ",".join(id_list),
            "start": str(start),
            "max_results": str(min(max_results, 2000)),
            "sortBy": sort_by,
            "sortOrder": sort_order,
        }
        delay = 0.0
        last_problem = ""
        for attempt in range(self.max_retries + 1):
            self._wait_turn(delay)
            try:
                status, headers, body = self._http.get(self.api_url, params)
            except FetchError as error:
                last_problem = str(error)
                delay = self.min_interval * 2 ** (attempt + 1)
                continue
            if status in RETRY_STATUSES:
                last_problem = f"{self.api_url}: HTTP {status}"
                asked = retry_after_seconds(headers.get("retry-after"))
                delay = self.min_interval * 2 ** (attempt + 1)
                if asked is not None:
                    notice = f"arXiv asked to wait {asked:.0f} s; waiting {self.max_retry_after:.0f} s"
                    if asked > self.max_retry_after and notice not in self.notices:
                        self.notices.append(notice)
                    delay = min(asked, self.max_retry_after)
                continue
            if status != 200:
                raise _error_for_status(self.api_url, status, body)
            page = self.parser(body, self.api_url)
            if not page.papers and (page.total_results or 0) > start:
                last_problem = f"{self.api_url}: empty page although {page.total_results} results"
                delay = self.min_interval * 2 ** (attempt + 1)
                continue
            if window is not None:
                kept = [paper for paper in page.papers if _in_window(paper.published, window)]
                page.dropped = len(page.papers) - len(kept)
                page.papers = kept
            return page
        raise FetchError(f"gave up after {self.max_retries + 1} tries: {last_problem}")

    def close(self) -> None:
        self._http.close()


def _in_window(published: str, window: tuple[dt.datetime, dt.datetime]) -> bool:
    when = moment(published)
    return when is not None and window[0] <= when < window[1]
