"""What the reader looks up for a view, in a worker thread: searches of the library and within
the view, the rows of the starred and tag views, "more like this", For you, another day's
listing. Each only reads and computes, and brings the marks of the papers it found; the Reader
shows the answer on the front end's thread (its `show_` methods)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from arxiv_tui.core.library.library import Library
from arxiv_tui.core.matching.views import FOR_YOU
from arxiv_tui.core.models import Listing, Paper, PaperMarks
from arxiv_tui.core.session.events import Loaded
from arxiv_tui.core.session.saved_views import SavedViews
from arxiv_tui.core.session.viewing import Viewing

if TYPE_CHECKING:  # types only: the answers' types, for a front end too (__all__)
    from arxiv_tui.core.library.search import SearchResult
    from arxiv_tui.core.library.similar import Similar
    from arxiv_tui.core.matching.query import Query
    from arxiv_tui.core.ranking.ranker import Rank, Ranker

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
        self._ranker: Ranker | None = None
        self._making_ranker = threading.Lock()

    @property
    def ranker(self) -> Ranker:
        """The model learned from decisions (made on first use: its module is not on the start path)."""
        with self._making_ranker:
            if self._ranker is None:
                from arxiv_tui.core.ranking.ranker import Ranker

                self._ranker = Ranker(self.library, self.viewing.hits)
            return self._ranker

    def _marks(self, papers: list[Paper]) -> Marked:
        return self.library.marks.of(paper.id for paper in papers)

    def in_library(
        self, text: str, *, live: bool = False, first: int | None = None
    ) -> Iterator[tuple[SearchResult, Marked]]:
        """A search of the whole library, newest first, with the marks of the papers found
        (QueryError when it cannot run); with `first`, its first rows come first (see
        Library.search_in_steps). Each answer's marks are a dict of its own."""
        from arxiv_tui.core.matching.query import parse_query

        marks: Marked = {}
        found_before = 0
        for found in self.library.search_in_steps(parse_query(text, live=live), limit=1000, first=first):
            marks = {**marks, **self._marks(found.papers[found_before:])}
            found_before = len(found.papers)
            yield found, marks

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

    def rank_of(self, paper: Paper) -> Rank | None:
        """For you's chance and reasons for one paper, while the view is sorted For you and the
        model is in memory (a worker loads it; this never does: it runs on the front end's thread)."""
        ranker = self._ranker
        if ranker is None or not ranker.loaded or self.viewing.sort != FOR_YOU:
            return None
        return ranker.explain(paper, self.viewing.hits(paper))

    def ranks(self, papers: Sequence[Paper]) -> dict[str, Rank]:
        """For you's chance and reasons for each paper (whole), from the model as the library
        holds it. Only the reader's mark writer teaches it: a second learner in another process
        would mix two copies of the weights."""
        return {paper.id: self.ranker.explain(paper, self.viewing.hits(paper)) for paper in papers}

    def ranked(self) -> tuple[str, dict[str, float]]:
        """ "For you": the current view's papers not scored yet, scored by the model learned from
        the user's decisions (ranking/); and the view's key. A list row is read whole first."""
        viewing = self.viewing
        view, rows = viewing.view, viewing.unfiltered()
        papers = [row.paper for row in rows if row.paper.id not in viewing.scores]
        whole = self.library.papers([paper.id for paper in papers if paper.partial])
        papers = [whole.get(paper.id, paper) for paper in papers]
        return view, self.ranker.scores(papers, {paper.id: viewing.hits(paper) for paper in papers})

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
