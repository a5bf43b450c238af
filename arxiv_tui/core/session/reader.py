"""The morning, without a terminal: open the library, show the newest listing, refresh (fetch,
catch up, "since your last visit"), match, views and their counts, marks, sorting, search.

The TUI and the `digest` and `search` commands all use this; none of them re-implements a flow.
Two kinds of method: those that only compute and may run in a worker thread (`open_newest`,
`refresh`, `prepare`, `search_library`, `rank`), and those that change what is shown, called
on the front end's own thread (`apply`, `show`, the view and mark setters). Marks go to the
library through a MarkWriter thread, so a keypress never waits on the disk. Parts it owns live
in their own modules: what Semantic Scholar said (citations.py), the saved searches
(saved_views.py), the refresh (refresh.py), the session's marks (session_marks.py).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from arxiv_tui.core.base.errors import ArxivTuiError, StateError
from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.config import Config, update_config
from arxiv_tui.core.library.library import Library
from arxiv_tui.core.library.opening import open_library
from arxiv_tui.core.library.writer import MarkWriter
from arxiv_tui.core.matching.match import Matcher, MatchResult, too_slow_message
from arxiv_tui.core.matching.views import (
    ALL,
    ANNOUNCED,
    ARXIV,
    CITATIONS,
    CITED,
    CITING,
    MATCHED,
    SAVED_PREFIX,
    SEARCH,
    SIMILAR,
    SORTS,
    STARRED,
    TAG_PREFIX,
    Filtered,
    Row,
    View,
    filter_listing,
    listing_rows,
    listing_views,
    sort_rows,
)
from arxiv_tui.core.models import Listing, Paper, PaperMarks
from arxiv_tui.core.session.citations import Citations
from arxiv_tui.core.session.events import (
    ERROR,
    WARNING,
    Event,
    Loaded,
    Notice,
    Opened,
)
from arxiv_tui.core.session.saved_views import SavedViews
from arxiv_tui.core.session.session_marks import SessionMarks
from arxiv_tui.core.session.triage import Undo, UndoStack

if TYPE_CHECKING:  # the start-up path imports none of these: they come with the first fetch or search
    from arxiv_tui.core.library.search import SearchResult
    from arxiv_tui.core.library.similar import Similar
    from arxiv_tui.core.matching.query import Query
    from arxiv_tui.core.matching.relevance import Score
    from arxiv_tui.core.models import ParsedFeed
    from arxiv_tui.core.output.digest import Heading, Item
    from arxiv_tui.core.session.explore import Explorer
    from arxiv_tui.core.sources.prefetch import Prefetch
    from arxiv_tui.core.sources.scholar import Details

Report = Callable[[Event], object]
ShouldStop = Callable[[], bool]


class Reader:
    def __init__(
        self,
        paths: Paths,
        config: Config,
        library: Library,
        *,
        feeds: Sequence[Path] = (),
        offline: bool = False,
        parser: Callable[[bytes, str], ParsedFeed] | None = None,
        on_write_error: Callable[[StateError], None] = lambda error: None,
        prefetch: Prefetch | None = None,
    ) -> None:
        """`prefetch`: today's listing already being fetched (prefetch.py), for the first refresh."""
        self.paths = paths
        self.config = config
        self.library = library
        self.feeds = list(feeds)
        self.offline = offline
        self.parser = parser
        self.prefetch = prefetch
        self.matcher = Matcher(config.include, config.exclude, config.authors)
        self.writer = MarkWriter(library, on_write_error)
        self.previous_visit: dt.date | None = library.last_seen  # listings after it are new to the user
        # What is shown, changed only on the front end's thread.
        self.listing: Listing | None = None
        self.filtered = Filtered(self.matcher, {}, [])
        self.status: str | None = None
        self.checked_on: dt.date | None = None
        self.fetching = False
        self.previewing = False  # the listing shown is the first papers of one still being parsed
        self.catching_up: tuple[int, int] | None = None
        self.view = MATCHED
        self.sort = ANNOUNCED
        self.unread_only = False
        self.code_only = False
        self.view_query: Query | None = None  # a search within the view
        self.view_hits: set[str] | None = None  # its matches among the view's papers
        self.found: SearchResult | None = None  # a search of the whole library
        self.saved_views = SavedViews(library, self.writer)  # the saved searches
        self._explorer: Explorer | None = None  # searches of all of arXiv, once one is made
        self.similar: Similar | None = None  # "more like this": the papers like one paper
        self.citations = Citations(config, library, offline)  # what Semantic Scholar said
        self.before_cited = MATCHED
        self.before_similar = MATCHED  # the view to go back to from them
        self.scores: dict[str, Score] = {}
        self.session = SessionMarks(self.writer)
        self._hits: dict[str, dict[str, list[str]]] = {}  # keyword hits not yet kept, by listing
        self.undo_stack = UndoStack()
        self.selected: dict[str, Paper] = {}  # papers picked for one action on all (M), in order

    @classmethod
    def open(
        cls, paths: Paths, config: Config, *, progress: Callable[[int, int], None] | None = None, **options
    ) -> Reader:
        """The library opened (created, upgraded, recovered), the old version's files moved in
        (`progress` is told how far), and what was done kept in `library.notices`."""
        from arxiv_tui.core.library import migrate

        library = open_library(paths.library_file, paths.backup_file)
        if migrate.pending(paths):
            try:
                report = migrate.migrate(paths, library, progress or (lambda done, total: None))
            except ArxivTuiError:
                library.close()
                raise
            if report is not None:
                library.notices += [report.message(), *report.problems]
        return cls(paths, config, library, **options)

    # --- computing (worker threads) ----------------------------------------------------------------

    def prepare(self, listing: Listing, hits: dict[str, list[str]] | None = None) -> Loaded:
        """Match a listing (reusing the library's record of its keyword hits, or `hits` found
        by the child that parsed it) with its marks."""
        keywords = "\n".join(self.config.include)
        known = (
            None
            if listing.is_combined
            else self.library.cached_hits(listing.date, keywords, listing.content_key)
        )
        if known is not None:
            hits = known
        filtered = filter_listing(listing, self.matcher, self.config.include_replacements, hits)
        if known is None and not listing.is_combined:
            self._hits[listing.content_key] = filtered.terms_hit()
            self.remember_hits(listing)
        return Loaded(listing, filtered, self.library.marks.of(paper.id for paper in listing.papers))

    def remember_hits(self, listing: Listing) -> None:
        """Keep a listing's keyword hits in the library, once the listing itself is there."""
        hits = self._hits.get(listing.content_key)
        if hits is not None:
            with contextlib.suppress(StateError):  # only a cache
                if self.library.cache_hits(
                    listing.date, "\n".join(self.config.include), hits, listing.content_key
                ):
                    del self._hits[listing.content_key]

    def open_newest(self) -> Opened:
        """What to show before any network: the library's newest listing; in an empty library,
        the first papers of the --feed file being read (it is local: they come in milliseconds)."""
        notices = tuple(Notice(text, WARNING) for text in self.library.notices)
        newest_date = self.library.newest_date()
        loaded = None
        if self.prefetch is not None:  # today's first papers, if in already (or soon, from a file)
            from arxiv_tui.core.session.refresh import preview

            wait = bool(self.feeds) and newest_date is None
            loaded = preview(self, self.prefetch, wait, after=newest_date)
        previewed = loaded is not None
        if loaded is None:
            newest = self.library.newest_listing()
            loaded = self.prepare(newest) if newest else None
        return Opened(
            loaded,
            self.library.marks.star_count(),
            notices,
            tuple(self.library.marks.tag_summary()),
            tuple(self.library.saved.all()),
            preview=previewed,
        )

    def refresh(
        self,
        report: Report,
        should_stop: ShouldStop = lambda: False,
        sleep: Callable[[float], object] | None = None,
        *,
        since: dt.date | None = None,
        visit: bool = True,
        drawn: threading.Event | None = None,
    ) -> None:
        """Today's listing, then missed days, then everything since the last visit, each step
        reported as an event (see refresh.py; `since` and `visit` are `digest`'s; `drawn` is set
        by a front end once it has drawn a fetched listing, which is then stored)."""
        from arxiv_tui.core.session.refresh import refresh

        refresh(self, report, should_stop, sleep, since=since, visit=visit, drawn=drawn)

    def search_library(
        self, text: str, *, live: bool = False, ranked: bool = False
    ) -> tuple[SearchResult, dict]:
        """A search of the whole library (QueryError when it cannot run), with the marks of its rows."""
        from arxiv_tui.core.matching.query import parse_query

        found = self.library.search(parse_query(text, live=live), ranked=ranked, limit=1000)
        return found, self.library.marks.of(paper.id for paper in found.papers)

    def run_saved(self) -> tuple[dict[str, SearchResult], dict[str, PaperMarks]]:
        return self.saved_views.run()

    @property
    def saved(self) -> dict[str, str]:
        """The saved searches: name -> query."""
        return self.saved_views.queries

    @saved.setter
    def saved(self, queries: dict[str, str]) -> None:
        self.saved_views.queries = queries

    @property
    def explorer(self) -> Explorer:
        """Searches of all of arXiv (explore.py), with one API client for all of them."""
        if self._explorer is None:
            from arxiv_tui.core.session.explore import Explorer
            from arxiv_tui.core.sources.arxiv import ApiClient

            config = self.config
            make = lambda: ApiClient(config.api_url, config.timeout_seconds, parser=self.parse)  # noqa: E731
            self._explorer = Explorer(make)
        return self._explorer

    def show_cited(
        self, paper: Paper, details: Details, marks: dict[str, PaperMarks], kind: str = CITING
    ) -> None:
        """Show the papers citing `paper` (or its references, recommendations) as a view."""
        self.session.absorb(marks)
        if self.view != CITED:
            self.before_cited = self.view
            self.citations.shown = None  # a new paper's citations start at its citing papers
        self.citations.show(paper, details, kind)
        self.view = CITED

    def close_cited(self) -> bool:
        if self.view != CITED:
            return False
        self.set_view(self.before_cited)
        return True

    def explore(self, text: str, ranked: bool = False) -> None:
        """Show a search of all of arXiv (its first page is fetched with `explorer.fetch`).
        QueryError when it cannot be sent, or when there is no network to send it to."""
        from arxiv_tui.core.matching.query import QueryError

        if self.offline:
            raise QueryError("offline: searching all of arXiv needs the network (F searches your library)")
        self.explorer.start(text, ranked)
        self.view = ARXIV

    def like(self, paper: Paper) -> tuple[Similar, dict[str, PaperMarks]]:
        """The library's papers most like `paper` (in a worker), with their marks."""
        from arxiv_tui.core.library.similar import like

        found = like(self.library.db.connection, self.whole(paper))
        return found, self.library.marks.of(row.id for row in found.papers)

    def show_similar(self, found: Similar, marks: dict[str, PaperMarks]) -> None:
        self.session.absorb(marks)
        if self.view != SIMILAR:
            self.before_similar = self.view
        self.similar = found
        self.view = SIMILAR

    def close_similar(self) -> bool:
        """Back to the view "more like this" was asked from (False when it is not shown)."""
        if self.view != SIMILAR:
            return False
        self.set_view(self.before_similar)
        return True

    def show_explored(self, marks: dict[str, PaperMarks]) -> None:
        self.session.absorb(marks)

    def search_view(self, text: str, *, live: bool = False) -> tuple[Query, set[str]]:
        """A search within the current view: which of its papers match (QueryError if it cannot run)."""
        from arxiv_tui.core.library.search import ids_matching
        from arxiv_tui.core.matching.query import parse_query

        query = parse_query(text, live=live)
        rows = self._view_rows()
        return query, ids_matching(self.library.db.connection, query, [row.paper.id for row in rows])

    def rank(self) -> tuple[Listing | None, dict[str, Score]]:
        """ "For you": the listing scored against the stars (TF-IDF; up to a second, so a worker)."""
        from arxiv_tui.core.matching.relevance import rank

        listing = self.listing
        results = self.filtered.results
        hits = {paper_id: len(found.terms) + len(found.authors) for paper_id, found in results.items()}
        stars = [paper for paper, _ in self.library.starred(limit=5000)]
        return listing, rank(list(listing.papers) if listing else [], stars, hits)

    @property
    def parse(self) -> Callable[[bytes, str], ParsedFeed]:
        """How feeds are parsed: in-process by default; the reader passes a child process."""
        if self.parser is not None:
            return self.parser
        from arxiv_tui.core.sources.parse import parse_feed

        return parse_feed

    def load_starred(self) -> list[Paper]:
        return self.library.starred_rows()

    def load_tagged(self, tag: str) -> list[Paper]:
        return self.library.tagged_rows(tag)

    def whole(self, paper: Paper) -> Paper:
        """A list row's paper in full (a search row or a star carries no abstract)."""
        if not paper.partial:
            return paper
        found = self.library.paper(paper.id)
        return replace(found, announce_type=paper.announce_type) if found else paper

    # --- showing (the front end's thread) ----------------------------------------------------------

    def apply(self, event: Event) -> list[Notice]:
        """Install what a worker computed; returns what to tell the user (see refresh.py)."""
        from arxiv_tui.core.session.refresh import apply

        return apply(self, event)

    def show(self, loaded: Loaded, preview: bool = False) -> list[Notice]:
        """Show a prepared listing (the newest one seen is remembered as the last visit's;
        a `preview`, the first papers of one still being parsed, is not)."""
        self.listing = loaded.listing
        self.filtered = loaded.filtered
        self.session.absorb(loaded.marks)
        self.scores = {}
        self.view_hits = None
        self.previewing = preview
        if preview:
            return []
        newest = self.library.newest_date()
        if newest is None or loaded.listing.date >= newest:
            day = loaded.listing.date
            self.writer.put(lambda library: library.set_last_seen(day))
        return [Notice(too_slow_message(term), WARNING) for term in loaded.filtered.too_slow]

    def start_refresh(self) -> bool:
        """Whether a refresh may start now (not while one runs); marks it as running."""
        if self.fetching:
            return False
        self.fetching = True
        return True

    # --- what is on screen -------------------------------------------------------------------------

    @property
    def star_count(self) -> int:
        return self.session.star_count

    @property
    def papers(self) -> tuple[Paper, ...]:
        return self.listing.papers if self.listing else ()

    def marks(self, paper_id: str) -> PaperMarks:
        return self.session.of(paper_id)

    def is_read(self, paper_id: str) -> bool:
        return self.marks(paper_id).read

    def is_starred(self, paper_id: str) -> bool:
        return self.marks(paper_id).starred

    def explain(self, paper: Paper) -> MatchResult:
        found = self.filtered.results.get(paper.id)
        return found if found is not None else self.matcher.explain(paper)

    def views(self) -> list[View]:
        unread_stars = (
            0
            if self.session.starred_rows is None
            else sum(not self.is_read(p.id) for p in self.session.starred_rows)
        )
        tags = [(tag, count, unread) for tag, (count, unread) in self.session.tag_counts.items()]
        views = listing_views(
            self.filtered, self.papers, self.config.include, bool(self.config.authors),
            self.session.star_count, unread_stars, self.is_read, sorted(tags, key=lambda t: t[0].casefold()),
        )  # fmt: skip
        saved = self.saved_views.views(self.is_read, self.filtered.results)
        at = next((n for n, view in enumerate(views) if view.key == ALL), len(views))
        return views[:at] + saved + views[at:]

    @property
    def saved_name(self) -> str | None:
        """The saved search whose view is shown, if it is one."""
        return self.view.removeprefix(SAVED_PREFIX) if self.view.startswith(SAVED_PREFIX) else None

    @property
    def tag(self) -> str | None:
        """The tag whose view is shown, if it is one."""
        return self.view.removeprefix(TAG_PREFIX) if self.view.startswith(TAG_PREFIX) else None

    def _view_rows(self) -> list[Row]:
        if self.view == SEARCH and self.found is not None:
            return [Row(paper, self.explain(paper)) for paper in self.found.papers]
        if self.view == STARRED:
            starred = [paper for paper in self.session.starred_rows or () if self.is_starred(paper.id)]
            return [Row(paper, self.explain(paper)) for paper in starred]
        if self.view == CITED:
            return [Row(paper, self.explain(paper)) for paper in self.citations.listed()]
        if self.view == SIMILAR and self.similar is not None:
            return [Row(paper, self.explain(paper)) for paper in self.similar.papers]
        if self.view == ARXIV:
            search = self._explorer.search if self._explorer else None
            return [Row(paper, self.explain(paper)) for paper in (search.papers if search else ())]
        if (name := self.saved_name) is not None:
            return [Row(paper, self.explain(paper)) for paper in self.saved_views.papers(name)]
        if (tag := self.tag) is not None:
            rows = self.session.tag_rows.get(tag, ())
            return [Row(paper, self.explain(paper)) for paper in rows if tag in self.marks(paper.id).tags]
        return listing_rows(self.view, self.filtered, self.papers, self.explain)

    def rows(self) -> list[Row]:
        """The current view, filtered (unread only, with code, a search) and sorted."""
        rows = self._view_rows()
        if self.unread_only:
            rows = [row for row in rows if not self.is_read(row.paper.id)]
        if self.code_only:
            from arxiv_tui.core.matching.badges import badges

            rows = [row for row in rows if badges(row.paper).has_code]
        if self.view_hits is not None:
            rows = [row for row in rows if row.paper.id in self.view_hits]
        if self.sort == CITATIONS:
            counted = {paper_id: fact.citations for paper_id, fact in self.citations.facts.items()}
            return sorted(rows, key=lambda row: -(counted.get(row.paper.id) or -1))
        return sort_rows(rows, self.sort, self.scores)

    def set_view(self, key: str) -> None:
        self.view = key
        self.view_query = None
        self.view_hits = None

    def cycle_view(self, step: int) -> None:
        keys = [view.key for view in self.views()]
        index = keys.index(self.view) if self.view in keys else 0
        self.set_view(keys[(index + step) % len(keys)])

    def cycle_sort(self) -> None:
        sorts = SORTS if self.citations.facts else tuple(sort for sort in SORTS if sort != CITATIONS)
        self.sort = sorts[(sorts.index(self.sort) + 1) % len(sorts)] if self.sort in sorts else sorts[0]

    def show_starred(self, rows: list[Paper], marks: dict[str, PaperMarks]) -> None:
        self.session.absorb(marks)
        self.session.starred_rows = rows

    def show_saved(self, found: dict[str, SearchResult], marks: dict[str, PaperMarks]) -> None:
        self.session.absorb(marks)
        self.saved_views.found = found

    def save_search(self, name: str, text: str) -> str:
        """Keep a library search as a view (saved_views.py); the name as kept."""
        return self.saved_views.save(name, text)

    def delete_saved(self, name: str) -> str:
        """Forget a saved search (undoable: z brings it back); what to tell the user."""
        if name not in self.saved:
            return ""
        text, found = self.saved_views.forget(name)
        if self.view == SAVED_PREFIX + name:
            self.set_view(MATCHED)

        def again() -> None:
            self.save_search(name, text)
            if found is not None:
                self.saved_views.found[name] = found

        done = f"Deleted the saved search {name!r} ({text})"
        self.undo_stack.push(Undo(done, f"Saved search {name!r} back", again))
        return done

    def show_tagged(self, tag: str, rows: list[Paper], marks: dict[str, PaperMarks]) -> None:
        self.session.absorb(marks)
        self.session.tag_rows[tag] = rows

    def show_found(self, found: SearchResult | None, marks: dict[str, PaperMarks]) -> None:
        self.session.absorb(marks)
        self.found = found
        if found is not None:
            self.view = SEARCH

    def show_view_hits(self, query: Query | None, hits: set[str] | None) -> None:
        self.view_query, self.view_hits = query, hits

    # --- marks (session_marks.py) -----------------------------------------------------------------

    def set_read(self, papers: Sequence[Paper], read: bool = True) -> int:
        """Mark papers read (or unread); how many changed."""
        return self.session.set_read(papers, read)

    def set_starred(self, paper: Paper, starred: bool) -> str:
        """Star (which also marks it read) or unstar a paper; what to tell the user.

        An unstar is undoable, with the star's first time; a note or tags stay with the paper."""
        whole = self.whole(paper)
        before = self.marks(paper.id)
        if starred:
            self.session.set_starred(whole, True)
            self.set_read([whole])
            return f"Starred {paper.id}"
        if not before.starred:
            return ""
        self.session.set_starred(whole, False)
        kept = " (its note is kept)" if before.note else ""
        done = f"Unstarred {paper.id}{kept}"
        again = lambda: self.session.set_starred(whole, True, before.starred_at)  # noqa: E731
        self.undo_stack.push(Undo(done, f"Starred {paper.id} again", again))
        return done

    def toggle_selected(self, paper: Paper) -> bool:
        """Pick a paper for an action on several (or put it back); whether it is picked now."""
        if self.selected.pop(paper.id, None) is None:
            self.selected[paper.id] = paper
            return True
        return False

    def star_many(self, papers: Sequence[Paper]) -> str:
        """Star all of them, or, when all are starred already, unstar all (one undo brings every
        star back with its time; notes and tags stay)."""
        wholes = [self.whole(paper) for paper in papers]
        if not all(self.is_starred(paper.id) for paper in wholes):
            fresh = [paper for paper in wholes if not self.is_starred(paper.id)]
            for paper in fresh:
                self.session.set_starred(paper, True)
            self.set_read(fresh)
            return f"Starred {len(fresh):,} papers"
        before = [(paper, self.marks(paper.id).starred_at) for paper in wholes]
        for paper in wholes:
            self.session.set_starred(paper, False)

        def again() -> None:
            for paper, at in before:
                self.session.set_starred(paper, True, at)

        done = f"Unstarred {len(wholes):,} papers (their notes and tags are kept)"
        self.undo_stack.push(Undo(done, f"{len(wholes):,} stars back", again))
        return done

    def add_tags(self, papers: Sequence[Paper], tags: Sequence[str]) -> int:
        """Add tags to several papers (their other tags stay); how many papers changed."""
        changed = 0
        for paper in papers:
            before = self.marks(paper.id).tags
            if self.set_tags(paper, [*before, *tags]):
                changed += 1
        return changed

    def mark_all_read(self, papers: Sequence[Paper]) -> int:
        """Mark every paper read (the whole view): undoable, it puts back exactly the ones it changed."""
        changed = [paper for paper in papers if not self.is_read(paper.id)]
        self.set_read(changed)
        if changed:
            self.undo_stack.push(
                Undo(
                    f"Marked {len(changed):,} read",
                    f"{len(changed):,} unread again",
                    lambda: self.session.set_read(changed, False),
                )
            )
        return len(changed)

    def undo(self) -> str:
        """Undo the newest undoable action; what was undone, or "" when there was none."""
        entry = self.undo_stack.pop()
        if entry is None:
            return ""
        entry.run()
        return entry.undone

    def set_note(self, paper: Paper, note: str) -> None:
        self.session.set_note(self.whole(paper), note)

    def set_tags(self, paper: Paper, tags: Sequence[str]) -> str:
        """Give a paper exactly these tags; what to tell the user. Removing a tag is undoable."""
        whole = self.whole(paper)
        before = self.session.set_tags(whole, tags)
        after = self.marks(paper.id).tags
        added = [tag for tag in after if tag not in before]
        removed = [tag for tag in before if tag not in after]
        said = [*(f"+{tag}" for tag in added), *(f"-{tag}" for tag in removed)]
        if not said:
            return ""
        done = f"Tags of {paper.id}: {', '.join(said)}"
        if removed:
            again = lambda: self.session.set_tags(whole, before)  # noqa: E731
            self.undo_stack.push(Undo(done, f"Tags of {paper.id} back: {', '.join(before)}", again))
        return done

    def tags(self) -> list[tuple[str, int]]:
        """Every tag in use and its papers, by name as the views line has them (for completion)."""
        counts = self.session.tag_counts
        return [(tag, counts[tag][0]) for tag in sorted(counts, key=str.casefold)]

    # --- older and newer listings ------------------------------------------------------------------

    def older_date(self) -> dt.date | None:
        return self.library.newest_date(before=self.listing.date) if self.listing else None

    def newer_date(self) -> dt.date | None:
        return self.library.next_date(self.listing.date) if self.listing else None

    def load(self, day: dt.date) -> Loaded | None:
        listing = self.library.listing(day)
        return self.prepare(listing) if listing else None

    # --- what the status line says (headline.py) ------------------------------------------------

    def title(self) -> str:
        from arxiv_tui.core.session.headline import title

        return title(self)

    def notes(self) -> list[tuple[str, str]]:
        """(what, kind) for the status line: kind is busy, warning or error."""
        from arxiv_tui.core.session.headline import notes

        return notes(self)

    # --- exports and digests -----------------------------------------------------------------------

    def items(self, papers: Iterable[Paper]) -> list[Item]:
        """Papers as digest items: why they matched, and everything the user made of them."""
        from arxiv_tui.core.session.exporting import items

        return items(self, papers)

    def heading(self, title: str, announced: int | None = None, note: str = "") -> Heading:
        from arxiv_tui.core.output.digest import Heading

        config = self.config
        return Heading(title, config.categories, config.include, config.exclude, announced, note)

    # --- keywords and settings ---------------------------------------------------------------------

    def remember_theme(self, name: str) -> str:
        """Keep the theme chosen (in the palette) in config.toml; what went wrong, if anything."""
        if name == self.config.theme:
            return ""
        try:
            update_config(self.paths.config_file, {("ui", "theme"): name})
        except ArxivTuiError as error:
            return str(error)
        self.config = dataclasses.replace(self.config, theme=name)
        return ""

    def apply_keywords(
        self, include: list[str], exclude: list[str], categories: list[str], authors: list[str]
    ) -> bool:
        """Save the keyword editor's lists to config.toml and match again; whether to refetch."""
        update_config(
            self.paths.config_file,
            {
                ("keywords", "include"): include,
                ("keywords", "exclude"): exclude,
                ("categories",): categories,
                ("keywords", "authors"): authors,
            },
        )
        refetch = tuple(categories) != self.config.categories
        self.config = self.config.with_keywords(include, exclude, categories, authors)
        self.matcher = Matcher(self.config.include, self.config.exclude, self.config.authors)
        if self.listing is not None:
            self.filtered = filter_listing(self.listing, self.matcher, self.config.include_replacements)
        return refetch and not self.feeds

    # --- upkeep ------------------------------------------------------------------------------------

    def maintain(self, today: dt.date | None = None) -> list[Notice]:
        """Once a day, in a worker: check and back up the library, forget old listings."""
        from arxiv_tui.core.library.recovery import check_and_back_up

        today = today or dt.date.today()
        notices = [
            Notice(text, ERROR) for text in check_and_back_up(self.library, self.paths.backup_file, today)
        ]
        if not self.feeds and self.library.meta("last_prune") != today.isoformat():
            try:
                self.library.prune(self.config.retention_days, today)
                self.library.set_meta("last_prune", today.isoformat())
            except StateError as error:
                notices.append(Notice(str(error), WARNING))
        return notices

    def close(self) -> str | None:
        """Write what is pending and close; the error when something could not be saved."""
        if self.prefetch is not None:
            self.prefetch.close()
        if self._explorer is not None:
            self._explorer.close()
        try:
            self.writer.close()
        except StateError as error:
            return str(error)
        finally:
            self.library.close()
        return None
