"""Citations, references and recommendations from Semantic Scholar, kept in the library.

For one paper (`details`): its citation count and influential citations, venue, year and TLDR,
the papers it cites, the papers citing it, and Semantic Scholar's recommendations. For a whole
view (`counts`): citation counts in batches of 500 (`POST /graph/v1/paper/batch`, ids
`ARXIV:<id>`; an unknown id comes back as null). Every answer is cleaned (controls removed,
sizes capped) and cached in the library with its time: it is used offline, and fetched again
after a week. HTTP 429 and 5xx are retried with backoff (Retry-After honoured up to a minute);
what still fails is a FetchError with a message fit to show. An API key (config or the
SEMANTIC_SCHOLAR_API_KEY environment variable) goes in the x-api-key header.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from arxiv_tui.core.base.clock import moment, now
from arxiv_tui.core.base.errors import FetchError
from arxiv_tui.core.base.text import json_value
from arxiv_tui.core.sources.scholar_records import Details, ScholarPaper, count_of, table_of, text_of

DETAIL_FIELDS = (
    "title,authors,year,venue,citationCount,influentialCitationCount,externalIds,tldr,url,abstract"
)
LIST_FIELDS = "title,authors,year,venue,citationCount,externalIds,abstract"
CITING_FIELDS = LIST_FIELDS + ",publicationDate"  # an alert's citing papers: how recent each is
COUNT_FIELDS = "citationCount,influentialCitationCount,externalIds"
BATCH = 500
LIST_LIMIT = 100  # a page of references or citing papers; the recommendations asked for
MAX_PAGES = 3  # pages of citing papers (and of references) followed through `next`
REFRESH_AFTER = dt.timedelta(days=7)
MIN_INTERVAL_SECONDS = 1.0  # the public API's shared limit is about one request a second
MAX_RETRY_AFTER = 60.0
RETRIES = 3
ENV_KEY = "SEMANTIC_SCHOLAR_API_KEY"


@dataclass
class Scholar:
    """The client and its cache. `request` is HttpClient.request; `clock`/`sleep` for tests."""

    base_url: str
    cache: Any  # the library's Database
    request: Callable[..., tuple[int, dict[str, str], bytes]]
    api_key: str = ""
    sleep: Callable[[float], object] = time.sleep
    clock: Callable[[], float] = time.monotonic
    offline: bool = False
    _last: float | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)  # one request at a time

    # --- the cache ------------------------------------------------------------------------------

    def _cached(self, key: str) -> tuple[str, str] | None:
        rows = self.cache.read("SELECT body, fetched_at FROM scholar_cache WHERE key = ?", (key,))
        return (rows[0][0], rows[0][1]) if rows else None

    def _keep(self, rows: Sequence[tuple[str, str]]) -> None:
        at = now()
        with self.cache.transaction() as connection:
            connection.executemany(
                "INSERT OR REPLACE INTO scholar_cache (key, fetched_at, body) VALUES (?, ?, ?)",
                [(key, at, body) for key, body in rows],
            )

    @staticmethod
    def fresh(fetched_at: str, today: dt.datetime | None = None) -> bool:
        when = moment(fetched_at)
        return when is not None and (today or dt.datetime.now(dt.UTC)) - when < REFRESH_AFTER

    # --- one paper ------------------------------------------------------------------------------

    def cached_details(self, arxiv_id: str) -> Details | None:
        found = self._cached(f"paper:{arxiv_id}")
        if found is None:
            return None
        details = Details.from_json(*found)
        if details is not None and not self.fresh(details.fetched_at):
            details = Details(**{**details.__dict__, "stale": True})
        return details

    def details(
        self, arxiv_id: str, refresh: bool = False, first: Callable[[Details], object] | None = None
    ) -> Details:
        """What Semantic Scholar says of `arxiv_id`: from the cache when fresh (or offline), else
        fetched (paper, citing papers, references, recommendations: 4 to 8 requests, a second
        apart). `first` is told as soon as the paper and the first page of citing papers came,
        so a reader can show them. FetchError when it cannot be had and nothing is cached."""
        cached = self.cached_details(arxiv_id)
        if cached is not None and (self.offline or (not cached.stale and not refresh)):
            return cached
        if self.offline:
            raise FetchError(f"offline, and Semantic Scholar was never asked about {arxiv_id}")
        try:
            details = self._fetch_details(arxiv_id, first)
        except FetchError:
            if cached is not None:
                return Details(**{**cached.__dict__, "stale": True})
            raise
        self._keep([(f"paper:{arxiv_id}", details.to_json())])
        return details

    def _fetch_details(self, arxiv_id: str, first: Callable[[Details], object] | None) -> Details:
        key = f"ARXIV:{arxiv_id}"
        base = f"{self.base_url}/graph/v1/paper/{key}"
        paper = ScholarPaper.from_json(self._get_json(base, {"fields": DETAIL_FIELDS}))
        if paper is None:
            raise FetchError(f"Semantic Scholar sent no paper for {arxiv_id}")
        params = {"fields": LIST_FIELDS, "limit": str(LIST_LIMIT)}

        def first_page(papers: tuple[ScholarPaper, ...]) -> None:
            if first is not None:
                first(Details(paper, (), papers, (), fetched_at=now(), partial=True))

        citing = self._pages(f"{base}/citations", params, "citingPaper", first_page)
        references = self._pages(f"{base}/references", params, "citedPaper")
        recommended_url = f"{self.base_url}/recommendations/v1/papers/forpaper/{key}"
        try:
            answer = self._get_json(recommended_url, params)
            found = answer.get("recommendedPapers") if isinstance(answer, dict) else None
            recommended = tuple(p for p in map(ScholarPaper.from_json, found or ()) if p)[:LIST_LIMIT]
        except FetchError:
            recommended = ()  # recommendations are a bonus: their failure is not the paper's
        return Details(paper, references, citing, recommended, fetched_at=now())

    def _pages(
        self,
        url: str,
        params: dict[str, str],
        inner: str,
        first_page: Callable[[tuple[ScholarPaper, ...]], object] | None = None,
    ) -> tuple[ScholarPaper, ...]:
        """A list of papers, following the answer's `next` offset for up to MAX_PAGES pages."""
        found: list[ScholarPaper] = []
        offset = 0
        for page in range(MAX_PAGES):
            answer = self._get_json(url, {**params, "offset": str(offset)})
            found += self._listed(answer, inner)
            if page == 0 and first_page is not None:
                first_page(tuple(found))
            following = count_of(answer.get("next")) if isinstance(answer, dict) else None
            if following is None or following <= offset:
                break
            offset = following
        return tuple(found)

    def citing(self, arxiv_id: str) -> tuple[ScholarPaper, ...]:
        """The first page of the papers citing `arxiv_id`, as they are now (one request, never
        cached: a citations alert asks only when the count rose)."""
        url = f"{self.base_url}/graph/v1/paper/ARXIV:{arxiv_id}/citations"
        answer = self._get_json(url, {"fields": CITING_FIELDS, "limit": str(LIST_LIMIT)})
        return self._listed(answer, "citingPaper")

    @staticmethod
    def _listed(answer: Any, inner: str) -> tuple[ScholarPaper, ...]:
        rows = answer.get("data") if isinstance(answer, dict) else None
        if not isinstance(rows, list):
            return ()
        found = (ScholarPaper.from_json(row.get(inner)) for row in rows[:LIST_LIMIT] if isinstance(row, dict))
        return tuple(paper for paper in found if paper is not None)

    # --- a whole view ---------------------------------------------------------------------------

    def _count_rows(self, arxiv_ids: Iterable[str]) -> list[tuple[str, str, str]]:
        """(arXiv id, body, fetched at) of the cached counts of `arxiv_ids`, 500 keys a query."""
        wanted = [f"count:{paper_id}" for paper_id in arxiv_ids]
        rows: list[tuple[str, str, str]] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            holes = ",".join("?" * len(chunk))
            sql = f"SELECT key, body, fetched_at FROM scholar_cache WHERE key IN ({holes})"
            rows += self.cache.read(sql, chunk)
        return [(key.removeprefix("count:"), body, at) for key, body, at in rows]

    def cached_counts(self, arxiv_ids: Iterable[str]) -> dict[str, tuple[int, int]]:
        """(citations, influential) of the ids whose counts are cached, however old."""
        found: dict[str, tuple[int, int]] = {}
        for paper_id, body, _ in self._count_rows(arxiv_ids):
            try:
                citations, influential = json_value(body)
            except (ValueError, TypeError):
                continue
            found[paper_id] = (int(citations), int(influential))
        return found

    def counts(
        self, arxiv_ids: Sequence[str], refresh: bool = False
    ) -> tuple[dict[str, tuple[int, int]], int]:
        """Citation counts of many papers, one batch request per 500; (counts, how many
        Semantic Scholar does not know). Cached counts younger than a week are not asked again,
        unless `refresh` (a citations alert: what the count is now)."""
        ids = list(dict.fromkeys(arxiv_ids))
        rows = [] if refresh else self._count_rows(ids)
        fresh = {paper_id for paper_id, _, at in rows if self.fresh(at)}
        wanted = [paper_id for paper_id in ids if paper_id not in fresh]
        unknown = 0
        if wanted and not self.offline:
            for start in range(0, len(wanted), BATCH):
                chunk = wanted[start : start + BATCH]
                answer = self._post_json(
                    f"{self.base_url}/graph/v1/paper/batch",
                    {"fields": COUNT_FIELDS},
                    {"ids": [f"ARXIV:{paper_id}" for paper_id in chunk]},
                )
                answers = answer if isinstance(answer, list) else []
                kept = []
                for paper_id, item in zip(chunk, answers, strict=False):
                    paper = ScholarPaper.from_json(item)
                    if paper is None or paper.citations is None:
                        unknown += 1
                        continue
                    kept.append((f"count:{paper_id}", json.dumps([paper.citations, paper.influential or 0])))
                unknown += max(len(chunk) - len(answers), 0)
                self._keep(kept)
        return self.cached_counts(ids), unknown

    # --- requests -------------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        key = self.api_key or os.environ.get(ENV_KEY, "").strip()
        return {"x-api-key": key} if key and key.isascii() and key.isprintable() else {}

    def _get_json(self, url: str, params: dict[str, str]) -> Any:
        return self._call("GET", url, params, None)

    def _post_json(self, url: str, params: dict[str, str], body: object) -> Any:
        return self._call("POST", url, params, body)

    def _call(self, method: str, url: str, params: dict[str, str], body: object) -> Any:
        with self._lock:
            return self._call_unlocked(method, url, params, body)

    def _call_unlocked(self, method: str, url: str, params: dict[str, str], body: object) -> Any:
        problem = ""
        for attempt in range(RETRIES + 1):
            wait = 0.0 if self._last is None else self._last + MIN_INTERVAL_SECONDS - self.clock()
            if wait > 0:
                self.sleep(wait)
            self._last = self.clock()
            status, headers, raw = self.request(method, url, params, body, secrets=self._headers())
            if status == 200:
                try:
                    return json_value(raw)
                except ValueError as error:
                    raise FetchError(f"{url}: Semantic Scholar sent something that is not JSON") from error
            if status == 429 or status >= 500:
                problem = "busy (HTTP 429: too many requests)" if status == 429 else f"HTTP {status}"
                if attempt < RETRIES:
                    self.sleep(self._backoff(headers.get("retry-after"), attempt))
                continue
            raise FetchError(self._refusal(url, status, raw))
        raise FetchError(f"Semantic Scholar is {problem}; try again in a minute")

    @staticmethod
    def _backoff(retry_after: str | None, attempt: int) -> float:
        from arxiv_tui.core.sources.arxiv import retry_after_seconds

        asked = retry_after_seconds(retry_after)
        return min(asked if asked is not None else 2.0 * 2**attempt, MAX_RETRY_AFTER)

    @staticmethod
    def _refusal(url: str, status: int, raw: bytes) -> str:
        said = ""
        if len(raw) <= 10_000:
            try:
                answer = table_of(json_value(raw))
                said = text_of(answer.get("error") or answer.get("message"), 200)
            except ValueError:
                pass
        if status == 404:
            return "Semantic Scholar does not know this paper (yet: new papers take a few days)"
        return f"Semantic Scholar refused the request (HTTP {status}{': ' + said if said else ''})"
