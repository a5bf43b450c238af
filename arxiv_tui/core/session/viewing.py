"""What the reader shows: the listing (matched once), which view of it or of the library, that
view's filters (unread only, with code, a search within it), its sort, and the views to go back
to. `rows()` and `views()` are what a front end draws; every setter here is called on its own
thread. The papers of the library's views come from the other parts (stars and tags:
SessionMarks; saved searches: SavedViews; Semantic Scholar: Citations)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from arxiv_tui.core.matching import reasons
from arxiv_tui.core.matching.match import Matcher, MatchResult
from arxiv_tui.core.matching.views import (
    ALL,
    ANNOUNCED,
    ARXIV,
    CITATIONS,
    CITED,
    FOLLOWED,
    FOR_YOU,
    INBOX,
    SAVED_PREFIX,
    SEARCH,
    SIMILAR,
    SORTS,
    STARRED,
    TAG_PREFIX,
    Filtered,
    LaterRow,
    Row,
    View,
    fold_unlikely,
    listing_rows,
    listing_views,
    sort_rows,
)
from arxiv_tui.core.models import Listing, Paper
from arxiv_tui.core.session.arrivals import explained
from arxiv_tui.core.session.citations import Citations
from arxiv_tui.core.session.marking import Marking
from arxiv_tui.core.session.saved_views import SavedViews

if TYPE_CHECKING:
    from arxiv_tui.core.incoming.explore import ArxivSearch
    from arxiv_tui.core.library.search import SearchResult
    from arxiv_tui.core.library.similar import Similar
    from arxiv_tui.core.matching.query import Query

OPENED_FROM_ANOTHER = (CITED, SIMILAR)  # views Esc leaves for the view they were opened from


class Viewing:
    """`explored`: the search of all of arXiv shown in the ARXIV view, if one was made."""

    def __init__(
        self,
        matcher: Matcher,
        marking: Marking,
        saved_views: SavedViews,
        citations: Citations,
        explored: Callable[[], ArxivSearch | None],
        include: Sequence[str] = (),
        follows_authors: bool = False,
    ) -> None:
        self.marking = marking
        self.saved_views = saved_views
        self.citations = citations
        self.explored = explored
        self.include = tuple(include)  # the keywords, each a view
        self.follows_authors = follows_authors
        self.listing: Listing | None = None
        self.filtered = Filtered(matcher, {}, [])
        self.view = INBOX
        self.newest_day: dt.date | None = None  # the newest listing's: Inbox papers of it came "today"
        self.sort = ANNOUNCED
        self.unread_only = False
        self.code_only = False
        self.view_query: Query | None = None  # a search within the view
        self.view_hits: set[str] | None = None  # its matches among the view's papers
        self.found: SearchResult | None = None  # a search of the whole library
        self.similar: Similar | None = None  # "more like this": the papers like one paper
        self.scores: dict[str, float] = {}  # For you: what the learned model expects, by paper id
        self.unfolded = False  # Enter on For you's folded row: every paper shown, until S
        self.opened_from: list[str] = []  # the views Esc goes back to, newest last
        self._explained: dict[str, MatchResult] = {}  # why each Inbox paper is there, worked out once
        self._explained_of: tuple[object, object] = (None, None)  # for this listing and this Inbox

    @property
    def papers(self) -> tuple[Paper, ...]:
        return self.listing.papers if self.listing else ()

    def show_listing(self, listing: Listing, filtered: Filtered) -> None:
        self.listing = listing
        self.filtered = filtered
        self.scores = {}
        self.view_hits = None

    def folded(self, rows: list[Row], hide_below: float) -> list[Row]:
        """The rows as the list shows them: sorted For you with `hide_below` (a chance of a
        keep) set, the undecided papers under it folded under one row, until `unfolded`."""
        if self.sort != FOR_YOU or hide_below <= 0 or self.unfolded or not self.scores:
            return rows
        return fold_unlikely(rows, self.scores, self.marking.is_read, math.log(hide_below / (1 - hide_below)))

    def unranked(self, rows: Sequence[Row]) -> bool:
        """Sorted For you, with papers not scored yet (the view changed, its rows came)."""
        return self.sort == FOR_YOU and any(row.paper.id not in self.scores for row in rows)

    def hits(self, paper: Paper) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The keywords and the followed authors `paper` matches."""
        found = self.explain(paper)
        return found.terms, found.authors

    def explain(self, paper: Paper) -> MatchResult:
        found = self.filtered.results.get(paper.id)
        inbox = self.marking.session.inbox
        entry = inbox.get(paper.id)
        if entry is not None:
            if self._explained_of[0] is not self.filtered or self._explained_of[1] is not inbox:
                self._explained, self._explained_of = {}, (self.filtered, inbox)
            known = self._explained.get(paper.id)
            if known is None or known.paper is not (found.paper if found else paper):
                known = explained(paper, entry, found, self.filtered.matcher.include)
                self._explained[paper.id] = known
            return known
        return found if found is not None else self.filtered.matcher.explain(paper)

    @property
    def saved_name(self) -> str | None:
        """The saved search whose view is shown, if it is one."""
        return self.view.removeprefix(SAVED_PREFIX) if self.view.startswith(SAVED_PREFIX) else None

    @property
    def tag(self) -> str | None:
        """The tag whose view is shown, if it is one."""
        return self.view.removeprefix(TAG_PREFIX) if self.view.startswith(TAG_PREFIX) else None

    # --- the views line and the rows ------------------------------------------------------------

    def views(self) -> list[View]:
        session, is_read = self.marking.session, self.marking.is_read
        starred = session.starred_rows
        unread_stars = 0 if starred is None else sum(not is_read(paper.id) for paper in starred)
        tags = [(tag, count, unread) for tag, (count, unread) in session.tag_counts.items()]
        views = listing_views(
            self.filtered, self.papers, self.include, self.follows_authors,
            session.star_count, unread_stars, is_read, sorted(tags, key=lambda t: t[0].casefold()),
        )  # fmt: skip
        followed = self._followed() if self.follows_authors else []
        views = [  # their papers from every day and from all of arXiv, not the listing's alone
            View(FOLLOWED, view.label, len(followed), session.unread(p.id for p in followed))
            if view.key == FOLLOWED else view
            for view in views
        ]  # fmt: skip
        saved = self.saved_views.views(is_read, self.filtered.results)
        at = next((n for n, view in enumerate(views) if view.key == ALL), len(views))
        return [self.inbox_view(), *views[:at], *saved, *views[at:]]

    def inbox_view(self) -> View:
        """The Inbox's tab: its undecided papers, and how many of them came with the newest listing."""
        session, newest = self.marking.session, self.newest_day
        undecided = session.unread(session.inbox)
        came = [paper_id for paper_id, entry in session.inbox.items() if newest and entry.day >= newest]
        today = session.unread(came)
        if session.inbox_counts is not None:  # a start read its top only: the library counted it
            undecided, today = session.inbox_counts
        return View(INBOX, "Inbox", undecided, undecided, today, inbox=True)

    def _papers_of_view(self) -> Sequence[Paper] | None:
        """The papers of a view that is not a selection of the listing (None: it is one)."""
        session = self.marking.session
        if self.view == INBOX:
            return self._inbox_papers()
        if self.view == FOLLOWED:
            return self._followed()
        if self.view == SEARCH and self.found is not None:
            return self.found.papers
        if self.view == STARRED:
            return [paper for paper in session.starred_rows or () if self.marking.is_starred(paper.id)]
        if self.view == CITED:
            return self.citations.listed()
        if self.view == SIMILAR and self.similar is not None:
            return self.similar.papers
        if self.view == ARXIV:
            search = self.explored()
            return search.papers if search else ()
        if (name := self.saved_name) is not None:
            return self.saved_views.papers(name)
        if (tag := self.tag) is not None:
            return [paper for paper in session.tag_rows.get(tag, ()) if tag in self.marking.of(paper.id).tags]
        return None

    def _followed(self) -> list[Paper]:
        """Followed authors: the listing's papers by them, then those the Inbox holds from other
        days and from all of arXiv (an alert)."""
        listed = [row.paper for row in self.filtered.matched if row.match.authors]
        seen, entries = {paper.id for paper in listed}, self.marking.session.inbox

        def by_author(paper: Paper) -> bool:
            kinds = {reasons.kind_of(reason) for reason in entries[paper.id].reasons}
            return paper.id not in seen and bool(kinds & {reasons.AUTHOR, reasons.ALERT_AUTHOR})

        return listed + [paper for paper in self._inbox_papers() if by_author(paper)]

    def _inbox_papers(self) -> list[Paper]:
        """The Inbox's rows; those of the listing shown as it has them (with their abstract and
        whether they are cross-lists), dated by the day they came."""
        results, papers = self.filtered.results, []
        for paper in self.marking.session.inbox_rows:
            found = results.get(paper.id)
            if found is not None:
                listed = found.paper
                same_day = listed.listing_date == paper.listing_date  # (a copy costs 1 µs a paper)
                paper = listed if same_day else replace(listed, listing_date=paper.listing_date)
            papers.append(paper)
        return papers

    def unfiltered(self) -> list[Row]:
        """The current view's rows before its filters and sort (what a search within it searches)."""
        papers = self._papers_of_view()
        if papers is None:
            return listing_rows(self.view, self.filtered, self.papers, self.explain)
        explain = self.explain  # one bound method for every row
        return [LaterRow(paper, explain) for paper in papers]

    def rows(self) -> list[Row]:
        """The current view, filtered (unread only, with code, a search) and sorted."""
        rows = self.unfiltered()
        if self.unread_only:
            rows = [row for row in rows if not self.marking.is_read(row.paper.id)]
        if self.code_only:
            from arxiv_tui.core.matching.badges import badges

            rows = [row for row in rows if badges(row.paper).has_code]
        if self.view_hits is not None:
            rows = [row for row in rows if row.paper.id in self.view_hits]
        if self.sort == CITATIONS:
            counted = {paper_id: fact.citations for paper_id, fact in self.citations.facts.items()}
            return sorted(rows, key=lambda row: -(counted.get(row.paper.id) or -1))
        return sort_rows(rows, self.sort, self.scores, self.marking.is_read)

    # --- changing what is shown -----------------------------------------------------------------

    def set_view(self, key: str) -> None:
        """Show the view `key` (the user chose it: the views to go back to are forgotten)."""
        self._switch(key)
        self.opened_from.clear()

    def _switch(self, key: str) -> None:
        self.view = key
        self.view_query = None
        self.view_hits = None

    def restore(self, key: str) -> bool:
        """Show the view the last session stopped in, when it is still one (a keyword or a saved
        search may be gone); whether it was."""
        if key and key != self.view and key in {view.key for view in self.views()}:
            self.set_view(key)
            return True
        return False

    @property
    def lasting_view(self) -> str:
        """The view to come back to at the next start: a search or a list of citations is not
        one, the view it was opened from is."""
        transient = (*OPENED_FROM_ANOTHER, SEARCH, ARXIV)
        return next((key for key in (self.view, *reversed(self.opened_from)) if key not in transient), INBOX)

    def cycle_view(self, step: int) -> None:
        keys = [view.key for view in self.views()]
        index = keys.index(self.view) if self.view in keys else 0
        self.set_view(keys[(index + step) % len(keys)])

    def cycle_sort(self) -> None:
        sorts = SORTS if self.citations.facts else tuple(sort for sort in SORTS if sort != CITATIONS)
        self.sort = sorts[(sorts.index(self.sort) + 1) % len(sorts)] if self.sort in sorts else sorts[0]

    def open_from_here(self, key: str) -> None:
        """Show a view opened from the one shown (citations, more like this): Esc comes back."""
        if self.view != key:
            self.opened_from.append(self.view)
        self.view = key

    def go_back(self) -> str | None:
        """Esc in a view opened from another: back to that one. The id of the paper it was
        opened for (the cursor returns to it; "" when unknown), None when there is no way back."""
        if self.view not in OPENED_FROM_ANOTHER:
            return None
        left = self.view
        self._switch(self.opened_from.pop() if self.opened_from else INBOX)
        if left == CITED:
            return self.citations.shown[0].id if self.citations.shown else ""
        return self.similar.paper.id if self.similar else ""

    def show_found(self, found: SearchResult | None) -> None:
        self.found = found
        if found is not None:
            self.open_from_here(SEARCH)

    def leave_search(self) -> None:
        """The search bar closed: out of a search's results (of the library or of all of arXiv),
        back to the view the search was started from."""
        if self.view in (SEARCH, ARXIV):
            self._switch(self.opened_from.pop() if self.opened_from else INBOX)

    def show_view_hits(self, query: Query | None, hits: set[str] | None) -> None:
        self.view_query, self.view_hits = query, hits
