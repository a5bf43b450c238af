"""All of arXiv from the reader: a query sent to arXiv's API, paged as the list is scrolled, and
every paper it brings kept in the library (so it can be starred, tagged and read offline).

What the user types is read here and rewritten in arXiv's own syntax, never passed through:
words and "phrases" (all fields), the fields ti: au: abs: co: jr: cat: rn: id: all:, AND / OR /
NOT (arXiv's ANDNOT) and -word, (groups); an arXiv id or arxiv.org link opens that paper.
Requests go through one ApiClient, so arXiv's one-request-every-3-seconds rule holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from arxiv_tui.core.base.errors import ArxivTuiError
from arxiv_tui.core.matching.query import QueryError, as_arxiv_id
from arxiv_tui.core.models import Paper

if TYPE_CHECKING:
    from arxiv_tui.core.library.library import Library
    from arxiv_tui.core.models import PaperMarks, ParsedFeed
    from arxiv_tui.core.sources.arxiv import ApiClient

FIELDS = ("ti", "au", "abs", "co", "jr", "cat", "rn", "id", "all")
PAGE_SIZE = 50
MAX_PAPERS = 1000  # how far a search pages (arXiv allows more; a reader does not need it)
TEXT_LIMIT = 300

_TOKEN = re.compile(r'\(|\)|-?(?:[A-Za-z]+:)?"[^"]*"?|[^\s()"]+')
_VALUE = re.compile(r"[^\w.\-*'/]+")  # what may stay of a word (linear: one character class)


def to_search_query(text: str) -> str:
    """`text` in arXiv's search_query syntax; QueryError saying why when it cannot be sent."""
    text = text.strip()[:TEXT_LIMIT]
    parts: list[str] = []
    pending = ""  # the operator before the next term
    depth = 0
    wants_term = True  # at the start, after an operator or "("
    for token in _TOKEN.findall(text):
        upper = token.upper()
        if upper in ("AND", "OR", "NOT", "ANDNOT") and token.isalpha():
            if upper in ("NOT", "ANDNOT"):
                if not parts:
                    raise QueryError("arXiv cannot search for exclusions alone: put a word before NOT")
                pending = "ANDNOT"
            elif not parts or wants_term:
                raise QueryError(f"{token} needs a word on each side")
            else:
                pending = upper
            wants_term = True
            continue
        if token == "(":
            _join(parts, pending)
            parts.append("(")
            pending, wants_term, depth = "", True, depth + 1
            continue
        if token == ")":
            if depth == 0 or wants_term:
                raise QueryError("a ) without its (, or an empty ( )")
            parts.append(")")
            depth -= 1
            continue
        negated = token.startswith("-") and len(token) > 1
        term = _term(token[1:] if negated else token)
        if term is None:
            continue
        if negated:
            if not parts:
                raise QueryError("arXiv cannot search for exclusions alone: put a word before -word")
            pending = "ANDNOT"
        _join(parts, pending)
        parts.append(term)
        pending, wants_term = "", False
    if depth:
        raise QueryError("a ( is not closed")
    if not parts or wants_term:
        raise QueryError("type a word to search for" if not parts else "the search ends with an operator")
    return " ".join(parts)


def _join(parts: list[str], pending: str) -> None:
    """The operator before a term (AND when none was typed), unless the term opens a group."""
    if parts and parts[-1] != "(":
        parts.append(pending or "AND")


def _term(token: str) -> str | None:
    """One term as arXiv reads it: field:value or field:"a phrase" (all: when none is given)."""
    name, colon, value = token.partition(":")
    if not colon or '"' in name:
        name, value = "all", token
    elif name.lower() not in FIELDS:
        raise QueryError(f"arXiv has no field {name}: (it has {' '.join(f + ':' for f in FIELDS)})")
    name = name.lower()
    if value.startswith('"'):
        words = _VALUE.sub(" ", value.strip('"')).split()
        return f'{name}:"{" ".join(words)}"' if words else None
    value = _VALUE.sub("", value)
    return f"{name}:{value}" if value else None


@dataclass
class ArxivSearch:
    """One search of all of arXiv: its pages so far, and whether there are more."""

    text: str
    ranked: bool = False  # by relevance, not newest first
    search_query: str = ""
    ids: tuple[str, ...] = ()  # an arXiv id typed: that paper
    papers: list[Paper] = field(default_factory=list)
    total: int | None = None  # what arXiv says matches
    problem: str = ""  # why the last page did not come

    @classmethod
    def of(cls, text: str, ranked: bool = False) -> ArxivSearch:
        """Read what was typed (QueryError when it cannot be sent)."""
        paper_id = as_arxiv_id(text.strip())
        if paper_id is not None:
            return cls(text.strip(), ranked, ids=(paper_id,))
        return cls(text.strip(), ranked, to_search_query(text))

    @property
    def more(self) -> bool:
        if self.ids:
            return self.total is None
        return self.total is None or len(self.papers) < min(self.total, MAX_PAPERS)

    def next_page(self, query: Callable[..., ParsedFeed]) -> list[Paper]:
        """Fetch the next page with `query` (ApiClient.query) and keep it; the new papers.
        A FetchError or FeedError is the caller's to show; the papers so far are kept."""
        start = len(self.papers)
        if self.ids:
            page = query(id_list=self.ids, max_results=len(self.ids))
        else:
            page = query(
                search_query=self.search_query,
                start=start,
                max_results=PAGE_SIZE,
                sort_by="relevance" if self.ranked else "submittedDate",
            )
        papers, total = list(page.papers), page.total_results
        known = {paper.id for paper in self.papers}
        fresh = [paper for paper in papers if paper.id not in known]
        self.papers += fresh
        # arXiv's count; when it is missing or a page comes back short, no more pages are asked.
        self.total = total if isinstance(total, int) and fresh else len(self.papers)
        return fresh


class Explorer:
    """The reader's searches of all of arXiv, through one API client (so arXiv's spacing holds
    across searches and pages). `fetch` runs in a worker, one page at a time."""

    def __init__(self, make_client: Callable[[], ApiClient], library: Library) -> None:
        self._make_client = make_client
        self.library = library
        self._client: ApiClient | None = None
        self.search: ArxivSearch | None = None
        self.loading = False  # a page is being fetched

    def start(self, text: str, ranked: bool = False) -> ArxivSearch:
        """A new search (QueryError when `text` cannot be sent); its first page is the caller's to fetch."""
        self.search = ArxivSearch.of(text, ranked)
        return self.search

    def fetch(self, search: ArxivSearch) -> tuple[list[Paper], dict[str, PaperMarks]]:
        """The next page of `search`, kept in the library, with its papers' marks. A failure is
        kept in `search.problem` (the papers so far stay)."""
        if self._client is None:
            self._client = self._make_client()
        try:
            fresh = search.next_page(self._client.query)
        except ArxivTuiError as error:
            search.problem = str(error)
            return [], {}
        search.problem = ""
        if fresh:
            self.library.store_papers(fresh)
        return fresh, self.library.marks.of(paper.id for paper in fresh)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
