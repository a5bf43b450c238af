"""The morning, without a terminal: open the library, show the newest listing, refresh (fetch,
catch up, "since your last visit"), and everything the user does with what is shown. The TUI
and the `digest` and `search` commands all use this; none of them re-implements a flow.

The Reader is made of parts, a module each: what is shown and which view of it (`viewing`),
marks with undo (`marking`), the refresh's state (`refreshing`, refresh.py), the lookups a view
needs (`find`), the saved searches (`saved_views`), what Semantic Scholar said (`citations`).
Methods that only compute may run in a worker thread (`open_newest`, `refresh`, `prepare`, the
lookups of `find`); those that change what is shown (`apply`, `show`, the `show_` methods and
the parts' setters) run on the front end's own thread. Marks go to the library through a
MarkWriter thread, so a keypress never waits on the disk.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from arxiv_tui.core.base.errors import ArxivTuiError, StateError
from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.base.text import counted
from arxiv_tui.core.config import Config
from arxiv_tui.core.incoming.listings import new_listing_due
from arxiv_tui.core.library.library import Library
from arxiv_tui.core.library.opening import open_library
from arxiv_tui.core.library.writer import MarkWriter
from arxiv_tui.core.matching.match import Matcher, too_slow_message
from arxiv_tui.core.matching.views import ARXIV, CITED, CITING, INBOX, SAVED_PREFIX, SIMILAR, filter_listing
from arxiv_tui.core.models import Listing, Paper, PaperMarks
from arxiv_tui.core.session import headline
from arxiv_tui.core.session.arrivals import SEEDED, Arrivals, arriving
from arxiv_tui.core.session.citations import Citations
from arxiv_tui.core.session.events import ERROR, WARNING, Event, InboxGrew, Loaded, Notice, Opened
from arxiv_tui.core.session.finding import Finding
from arxiv_tui.core.session.marking import Marking, Undo
from arxiv_tui.core.session.refresh_state import RefreshState
from arxiv_tui.core.session.saved_views import SavedViews
from arxiv_tui.core.session.session_marks import SessionMarks
from arxiv_tui.core.session.settings import Settings
from arxiv_tui.core.session.viewing import Viewing

if TYPE_CHECKING:  # the start-up path imports none of these: they come with the first fetch or search
    from arxiv_tui.core.incoming.explore import Explorer
    from arxiv_tui.core.incoming.listings import MatchingParser
    from arxiv_tui.core.library.search import SearchResult
    from arxiv_tui.core.library.similar import Similar
    from arxiv_tui.core.models import ParsedFeed
    from arxiv_tui.core.output.digest import Heading, Item
    from arxiv_tui.core.sources.prefetch import Prefetch
    from arxiv_tui.core.sources.scholar import Details

Report = Callable[[Event], object]
Progress = Callable[[int, int], None] | None
Early = Callable[[], "Prefetch | None"] | None  # starts the first fetch early, if one is due
Marked = dict[str, PaperMarks]


class Reader:
    def __init__(
        self,
        paths: Paths,
        config: Config,
        library: Library,
        *,
        feeds: Sequence[Path] = (),
        offline: bool = False,
        parser: MatchingParser | None = None,
        prefetch: Prefetch | None = None,
    ) -> None:
        """`prefetch`: today's listing already being fetched (prefetch.py), for the first refresh."""
        self.paths = paths
        self.library = library
        self.settings = Settings(paths.config_file, config, library)
        self.feeds = list(feeds)
        self.offline = offline
        self.parser = parser
        self.prefetch = prefetch
        self.tell: Callable[[Notice], object] = lambda notice: None  # any thread; the front end sets it
        self.writer = MarkWriter(library, lambda error: self.tell(Notice(str(error), ERROR)))
        library.on_notice = lambda text: self.tell(Notice(text, WARNING))
        self.previous_visit: dt.date | None = library.last_seen  # listings after it are new to the user
        self.refreshing = RefreshState()
        self.marking = Marking(SessionMarks(self.writer), self.whole)
        self.saved_views = SavedViews(library, self.writer)  # the saved searches
        self.citations = Citations(config, library, offline)  # what Semantic Scholar said
        self._explorer: Explorer | None = None  # searches of all of arXiv, once one is made
        self._handed_over: Prefetch | None = None  # the prefetch a refresh took
        self.place: str | None = None  # a front end's paper under the cursor: kept at `close`
        self.viewing = Viewing(
            self.settings.matcher, self.marking, self.saved_views, self.citations,
            lambda: self._explorer.search if self._explorer else None,
            config.include, bool(config.authors),
        )  # fmt: skip
        self.find = Finding(library, self.viewing, self.saved_views, self.whole, self.prepare)
        self.marking.session.learn = lambda library: self.find.ranker.learn_pending()  # each decision
        self.arrivals = Arrivals(library, self.writer)  # the Inbox

    @classmethod
    def open(
        cls, paths: Paths, config: Config, *, progress: Progress = None, fetch_early: Early = None, **options
    ) -> Reader:
        """The library opened (created, upgraded, recovered; the old version's files moved in, told
        to `progress`; notices in `library.notices`), and `fetch_early` called if a new listing may be out."""
        from arxiv_tui.core.library import migrate

        library = open_library(paths.library_file, paths.backup_file)
        if migrate.pending(paths):
            migrate.bring_in(paths, library, progress)
        due = lambda: not options.get("offline") and new_listing_due(library, config.categories)  # noqa: E731
        if fetch_early is not None and (options.get("feeds") or due()):
            options["prefetch"] = fetch_early()
        return cls(paths, config, library, **options)

    # --- computing (worker threads) ----------------------------------------------------------------

    def prepare(self, listing: Listing, hits: dict[str, list[str]] | None = None) -> Loaded:
        """A listing matched, with its marks (settings.py)."""
        return self.settings.prepare(listing, hits)

    def remember_hits(self, listing: Listing) -> None:
        self.settings.remember_hits(listing)

    def take_prefetch(self) -> Prefetch | None:
        """The early fetch of today's listing, handed to the first refresh (once; `close` still
        ends its child, which the refresh may be waiting on)."""
        prefetch, self.prefetch = self.prefetch, None
        if prefetch is not None:
            self._handed_over = prefetch
        return prefetch

    def open_newest(self, inbox_first: int = 0) -> Opened:
        """Before any network: the newest listing, or in an empty library the --feed file's first
        papers. `inbox_first`: the Inbox's top so many rows alone when it shows first (`opening`),
        the listing left for `read_newest` after the first frame (1,500 papers are 30-50 ms)."""
        notices = tuple(Notice(text, WARNING) for text in self.library.notices)
        newest_date = self.library.newest_date()
        loaded = None
        if self.prefetch is not None:  # today's first papers, if in already (or soon, from a file)
            from arxiv_tui.core.session.refresh import preview

            wait = bool(self.feeds) and newest_date is None
            loaded = preview(self, self.prefetch, wait, after=newest_date)
        previewed = loaded is not None
        opening = self.arrivals.opening(inbox_first)
        inbox_shown = bool(opening["inbox"]) and opening["last_view"] in ("", INBOX)
        if inbox_first and not previewed and inbox_shown:  # (an Inbox with papers needs no seeding)
            return self.arrivals.opened(None, notices, False, opening, later=True)
        if loaded is None:
            newest = self.library.newest_listing()
            loaded = self.prepare(newest) if newest else None
        if loaded is not None and not previewed and self.library.meta(SEEDED) is None:
            self.arrivals.seed(loaded)
            opening = self.arrivals.opening(inbox_first)
        return self.arrivals.opened(loaded, notices, previewed, opening)

    def read_newest(self) -> Loaded | None:
        """The newest listing, prepared (after an `open_newest` that left it for later)."""
        return self.prepare(newest) if (newest := self.library.newest_listing()) else None

    def refresh(
        self,
        report: Report,
        should_stop: Callable[[], bool] = lambda: False,
        sleep: Callable[[float], object] | None = None,
        *,
        since: dt.date | None = None,
        visit: bool = True,
        drawn: threading.Event | None = None,
        alerts: bool | None = None,
    ) -> None:
        """Today's listing, then missed days, then everything since the last visit, each step
        reported as an event (see refresh.py; `since` and `visit` are `digest`'s; `drawn` is set
        by a front end once it has drawn a fetched listing, which is then stored)."""
        from arxiv_tui.core.session.refresh import refresh

        shown = self.viewing.listing.date if self.viewing.listing else None
        refresh(self, report, should_stop, sleep, since=since, visit=visit, drawn=drawn,
                shown_date=shown, alerts=alerts)  # fmt: skip

    @property
    def config(self) -> Config:
        return self.settings.config

    @property
    def matcher(self) -> Matcher:
        return self.settings.matcher

    @property
    def explorer(self) -> Explorer:
        """Searches of all of arXiv (explore.py), with one API client for all of them."""
        if self._explorer is None:
            from arxiv_tui.core.incoming.explore import Explorer
            from arxiv_tui.core.sources.arxiv import ApiClient

            config = self.config
            make = lambda: ApiClient(config.api_url, config.timeout_seconds, parser=self.parse)  # noqa: E731
            self._explorer = Explorer(make, self.library)
        return self._explorer

    @property
    def parse(self) -> Callable[[bytes, str], ParsedFeed]:
        """How feeds are parsed: in-process, or by the child process given (it matches keywords too)."""
        if (parser := self.parser) is not None:
            return lambda data, source: parser(data, source, self.config.include)
        from arxiv_tui.core.sources.parse import parse_feed

        return parse_feed

    def whole(self, paper: Paper) -> Paper:
        """A list row's paper in full (a search row or a star carries no abstract)."""
        if not paper.partial:
            return paper
        found = self.library.paper(paper.id)
        return replace(found, announce_type=paper.announce_type) if found else paper

    # --- showing (the front end's thread) ----------------------------------------------------------

    def apply(self, event: Event) -> list[Notice]:
        """Install what a worker computed; returns what to tell the user."""
        if isinstance(event, InboxGrew):
            self.marking.session.absorb(event.marks)
            self.marking.session.show_inbox(event.found)
            self.marking.session.inbox_counts = None  # the whole Inbox now: counted from its rows
            if self.viewing.view == INBOX or not event.entered:  # before the user's eyes, or the rest
                return []
            return [Notice(f"{counted(event.entered, 'paper')} entered the Inbox (1 shows it)")]
        if isinstance(event, Opened):
            session = self.marking.session
            session.star_count = event.star_count
            session.set_tag_counts(event.tags)
            session.absorb(event.inbox_marks)
            session.show_inbox(list(event.inbox))
            session.inbox_counts = event.inbox_counts
            self.saved_views.queries = dict(event.saved) | self.saved_views.queries  # one saved meanwhile
            self.saved_views.alerting |= set(event.saved_alerts)
            notices = list(event.notices)
            if event.loaded is not None:
                notices += self.show(event.loaded, preview=event.preview)
            self.viewing.restore(event.last_view)  # where the last session stopped
            return notices
        notices, loaded, preview = self.refreshing.apply(event, self.viewing.listing)
        if loaded is not None:
            notices += self.show(loaded, preview=preview)
        return notices

    def show(self, loaded: Loaded, preview: bool = False) -> list[Notice]:
        """Show a prepared listing (the newest seen is the last visit's; a `preview`'s is not)."""
        self.viewing.show_listing(loaded.listing, loaded.filtered)
        self.marking.session.absorb(loaded.marks)
        arriving(loaded, self.marking.session, self.marking.is_read)  # in the Inbox before it is stored
        self.refreshing.previewing = preview
        if preview:
            return []
        newest = self.library.newest_date()
        self.viewing.newest_day = max(newest or loaded.listing.date, loaded.listing.date)
        if newest is None or loaded.listing.date >= newest:
            day = loaded.listing.date
            self.writer.put(lambda library: library.set_last_seen(day))
        return [Notice(too_slow_message(term), WARNING) for term in loaded.filtered.too_slow]

    def show_starred(self, rows: list[Paper], marks: Marked) -> None:
        self.marking.session.absorb(marks)
        self.marking.session.starred_rows = rows

    def show_tagged(self, tag: str, rows: list[Paper], marks: Marked) -> None:
        self.marking.session.absorb(marks)
        self.marking.session.tag_rows[tag] = rows

    def show_saved(self, found: dict[str, SearchResult], marks: Marked) -> None:
        self.marking.session.absorb(marks)
        self.saved_views.found = found

    def show_found(self, found: SearchResult | None, marks: Marked) -> None:
        self.marking.session.absorb(marks)
        self.viewing.show_found(found)

    def show_similar(self, found: Similar, marks: Marked) -> None:
        self.marking.session.absorb(marks)
        self.viewing.similar = found
        self.viewing.open_from_here(SIMILAR)

    def show_cited(self, paper: Paper, details: Details, marks: Marked, kind: str = CITING) -> None:
        """Show the papers citing `paper` (or its references, recommendations) as a view."""
        self.marking.session.absorb(marks)
        if self.viewing.view != CITED:
            self.citations.shown = None  # a new paper's citations start at its citing papers
        self.citations.show(paper, details, kind)
        self.viewing.open_from_here(CITED)

    def show_explored(self, marks: Marked) -> None:
        self.marking.session.absorb(marks)

    def explore(self, text: str, ranked: bool = False) -> None:
        """Show a search of all of arXiv (its first page is fetched with `explorer.fetch`).
        QueryError when it cannot be sent, or when there is no network to send it to."""
        from arxiv_tui.core.matching.query import QueryError

        if self.offline:
            raise QueryError("offline: searching all of arXiv needs the network (F searches your library)")
        self.explorer.start(text, ranked)
        self.viewing.open_from_here(ARXIV)

    def delete_saved(self, name: str) -> str:
        """Forget a saved search (undoable: z brings it back); what to tell the user."""
        if name not in self.saved_views.queries:
            return ""
        text, again = self.saved_views.forget(name)
        if self.viewing.view == SAVED_PREFIX + name:
            self.viewing.set_view(INBOX)
        done = f"Deleted the saved search {name!r} ({text})"
        self.marking.push_undo(Undo(done, f"Saved search {name!r} back", again))
        return done

    # --- what the status line says (headline.py) ------------------------------------------------

    def title(self) -> str:
        newest = self.library.newest_date()
        return headline.title(self.viewing.listing, self.refreshing, newest, self.previous_visit)

    def notes(self) -> list[tuple[str, str]]:
        """(what, kind) for the status line: kind is busy, warning or error."""
        newest = self.library.newest_date()
        return headline.notes(self.viewing.listing, self.refreshing, newest, self.offline)

    # --- exports and digests -----------------------------------------------------------------------

    def items(self, papers: Iterable[Paper]) -> list[Item]:
        """Papers as digest items: why they matched, and everything the user made of them (this
        session's marks, else the library's)."""
        from arxiv_tui.core.session.exporting import items

        whole = [self.whole(paper) for paper in papers]
        marks = self.marking.marks_of(whole, self.library.marks.of(paper.id for paper in whole))
        return items(whole, marks, self.viewing.explain, self.matcher)

    def heading(self, title: str, announced: int | None = None, note: str = "") -> Heading:
        from arxiv_tui.core.output.digest import Heading

        c = self.config
        return Heading(title, c.categories, c.include, c.exclude, announced, note)

    # --- keywords and settings ---------------------------------------------------------------------

    def remember_theme(self, name: str) -> str:
        """Keep the theme chosen (in the palette) in config.toml; what went wrong, if anything."""
        try:
            self.settings.remember_theme(name)
        except ArxivTuiError as error:
            return str(error)
        return ""

    def apply_keywords(
        self, include: list[str], exclude: list[str], categories: list[str], authors: list[str]
    ) -> bool:
        """Save the keyword editor's lists to config.toml and match again; whether to refetch."""
        changed = self.settings.save_keywords(include, exclude, categories, authors)
        config, viewing = self.config, self.viewing
        viewing.include, viewing.follows_authors = config.include, bool(config.authors)
        viewing.filtered = filter_listing(viewing.listing, self.matcher, config.include_replacements)
        self.arrivals.matched_anew(viewing.listing, viewing.filtered, self.marking)  # into the Inbox too
        return changed and not self.feeds

    # --- upkeep ------------------------------------------------------------------------------------

    def maintain(self, today: dt.date | None = None) -> list[Notice]:
        """In a worker, after the first refresh: temp files a killed save left beside config.toml
        removed; once a day, the library checked and backed up and old listings forgotten."""
        from arxiv_tui.core.base.storage import remove_stale_temp_files
        from arxiv_tui.core.library.upkeep import daily_upkeep

        remove_stale_temp_files(self.paths.config_file)
        keep_days = None if self.feeds else self.config.retention_days  # --feed: no pruning
        found = daily_upkeep(self.library, self.paths.backup_file, keep_days, today or dt.date.today())
        return [Notice(text, severity) for text, severity in found]

    def close(self) -> str | None:
        """Write what is pending and close; the error when something could not be saved. Every
        request in flight is cancelled: no worker waits on the network past the end."""
        from arxiv_tui.core.sources.http import cancel_all

        cancel_all()
        if self.place is not None:
            self.arrivals.remember_place(self.viewing.lasting_view, self.place)
        for prefetch in (self.prefetch, self._handed_over):
            if prefetch is not None:
                prefetch.close()
        if self._explorer is not None:
            self._explorer.close()
        try:
            self.writer.close()
        except StateError as error:
            return str(error)
        finally:
            self.library.close()
        return None
