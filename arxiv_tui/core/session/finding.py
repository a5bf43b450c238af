"""What the reader looks up for a view, in a worker thread: searches of the library and within
the view, the rows of the starred and tag views, "more like this", For you, another day's
listing. Each only reads and computes, and brings the marks of the papers it found; the Reader
shows the answer on the front end's thread (its `show_` methods)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from arxiv_tui.core.library.library import Library
from arxiv_tui.core.models import Listing, Paper, PaperMarks
from arxiv_tui.core.session.events import Loaded
from arxiv_tui.core.session.saved_views import SavedViews
from arxiv_tui.core.session.viewing import Viewing

if TYPE_CHECKING:  # types only: the answers' types, for a front end too (__all__)
    from arxiv_tui.core.library.search import SearchResult
    from arxiv_tui.core.library.similar import Similar
    from arxiv_tui.core.matching.query import Query
    from arxiv_tui.core.matching.relevance import Score

Marked = dict[str, PaperMarks]
__all__ = ["Finding", "Marked", "SearchResult", "Similar"]  # the answers' types, for a front end


class Finding:
    """`whole` gives a list row's paper in full; `prepare` matches a listing for showing."""

    def __init__(
        self,
        library: Library,
        viewing: Viewing,
        saved_views: SavedViews,
        whole: Callable[[Paper], Paper],
        prepare: Callable[[Listing], Loaded],
    ) -> None:
        self.library = library
        self.viewing = viewing
        self.saved_views = saved_views
        self.whole = whole
        self.prepare = prepare

    def _marks(self, papers: list[Paper]) -> Marked:
        return self.library.marks.of(paper.id for paper in papers)

    def in_library(
        self, text: str, *, live: bool = False, ranked: bool = False
    ) -> tuple[SearchResult, Marked]:
        """A search of the whole library (QueryError when it cannot run)."""
        from arxiv_tui.core.matching.query import parse_query

        found = self.library.search(parse_query(text, live=live), ranked=ranked, limit=1000)
        return found, self._marks(found.papers)

    def in_view(self, text: str, *, live: bool = False) -> tuple[Query, set[str]]:
        """A search within the current view: which of its papers match (QueryError if it cannot run)."""
        from arxiv_tui.core.matching.query import parse_query

        query = parse_query(text, live=live)
        ids = [row.paper.id for row in self.viewing.unfiltered()]
        return query, self.library.matching(query, ids)

    def saved(self) -> tuple[dict[str, SearchResult], Marked]:
        """Every saved search run again."""
        return self.saved_views.run()

    def starred(self) -> tuple[list[Paper], Marked]:
        """The Starred view's rows, newest star first."""
        rows = self.library.starred_rows()
        return rows, self._marks(rows)

    def tagged(self, tag: str) -> tuple[list[Paper], Marked]:
        rows = self.library.tagged_rows(tag)
        return rows, self._marks(rows)

    def like(self, paper: Paper) -> tuple[Similar, Marked]:
        """The library's papers most like `paper`."""
        found = self.library.like(self.whole(paper))
        return found, self._marks(list(found.papers))

    def ranked(self) -> tuple[Listing | None, dict[str, Score]]:
        """ "For you": the listing shown scored against the stars (TF-IDF; up to a second)."""
        from arxiv_tui.core.matching.relevance import rank

        listing = self.viewing.listing
        results = self.viewing.filtered.results
        hits = {paper_id: len(found.terms) + len(found.authors) for paper_id, found in results.items()}
        stars = [paper for paper, _ in self.library.starred(limit=5000)]
        return listing, rank(list(listing.papers) if listing else [], stars, hits)

    def listing(self, day: dt.date) -> Loaded | None:
        """The listing of `day` from the library, matched."""
        listing = self.library.listing(day)
        return self.prepare(listing) if listing else None

    def older_date(self) -> dt.date | None:
        """The date of the listing before the one shown, if the library has one."""
        shown = self.viewing.listing
        return self.library.newest_date(before=shown.date) if shown else None

    def newer_date(self) -> dt.date | None:
        shown = self.viewing.listing
        return self.library.next_date(shown.date) if shown else None
