"""The reader app: owns config, state, archive and the view model; screens do the drawing."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import get_current_worker

from arxiv_tui.core import listings
from arxiv_tui.core.archive import Archive
from arxiv_tui.core.config import Config, update_config
from arxiv_tui.core.errors import ArxivTuiError, StateError
from arxiv_tui.core.models import Listing, combine
from arxiv_tui.core.text import strip_control, truncate

if TYPE_CHECKING:  # imported where used: start-up needs none of them
    from arxiv_tui.core.archive_index import ArchiveIndex
    from arxiv_tui.core.catchup import CatchUpResult
from arxiv_tui.core.match import MatchResult, too_slow_message
from arxiv_tui.core.parse import parse_feed_isolated
from arxiv_tui.core.paths import Paths
from arxiv_tui.core.state import BackgroundSaver, State
from arxiv_tui.tui.model import Filtered, ReaderModel, Row
from arxiv_tui.tui.paper_actions import PaperActions
from arxiv_tui.tui.screens.main import MainScreen


class ArxivApp(PaperActions, App[int]):
    TITLE = "arxiv-tui"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("K", "keywords", "Keywords", id="keywords"),
    ]

    def __init__(
        self,
        paths: Paths,
        config: Config,
        feeds: Sequence[Path] = (),
        offline: bool = False,
    ) -> None:
        super().__init__()
        self.paths = paths
        self.config = config
        self.feeds = list(feeds)
        self.offline = offline
        self.archive = Archive(paths.archive_dir)
        self.state = State(paths.state_file, load=False)  # read in load_archive, off the UI thread
        self.model = ReaderModel(config, self.state)
        self.previous_visit: dt.date | None = None  # listings after it are new to the user
        self.fetching = False
        self.catching_up: tuple[int, int] | None = None  # (day, of days) while back-filling
        self.load_status: str | None = None
        self.checked_on: dt.date | None = None
        self.newest_archived: dt.date | None = None  # kept here so redraws never list the folder
        self.highlight_style = "bold black on yellow"
        self.saver: BackgroundSaver | None = None
        self._listing_cache: dict[dt.date, Listing] = {}
        self.unsaved_on_exit: str | None = None  # printed by the command line after the app ends
        if config.keys:
            self.set_keymap(config.keys)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification, whoever raises it, is plain text: messages carry text from the
        network and from files (a feed's id, arXiv's error text, a server's Content-Type), and
        Textual would otherwise read `[link=...]` or `[/]` in them as markup."""
        lines = [strip_control(line) for line in str(message)[:4000].splitlines()]
        text = truncate("\n".join(line for line in lines if line.strip()), 1500)
        title = strip_control(title)[:200]
        super().notify(text, title=title, severity=severity, timeout=timeout, markup=False)

    # --- start-up -----------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        return MainScreen()

    def on_mount(self) -> None:
        self.saver = BackgroundSaver(self.state, self._save_failed)
        try:
            self.theme = self.config.theme
        except Exception:
            self.notify(
                f"Unknown theme {self.config.theme!r} in config.toml; using the default", severity="warning"
            )
        self.load_archive()

    @work(thread=True, exclusive=True, group="archive")
    def load_archive(self) -> None:
        """State and the newest archived listing, matched, so the screen fills without waiting on
        the network; done here rather than before start-up, so it overlaps Textual's own start."""
        try:
            self.state.reload()
        except StateError as error:
            self.call_from_thread(self.notify, str(error), severity="error", timeout=15)
        listing = self.archive.latest()
        filtered = self.filter_with_cache(listing)
        self.call_from_thread(self._archive_loaded, listing, filtered)

    def filter_with_cache(self, listing: Listing | None) -> Filtered:
        """Match a listing (in a worker), reusing and saving the archive's record of its matches."""
        if listing is None or listing.is_combined:
            return self.model.filter(listing)
        key = self.model.keywords_key
        known = self.archive.load_matches(listing.date, key)
        filtered = self.model.filter(listing, known)
        if known is None:
            terms = {
                paper_id: list(result.terms) for paper_id, result in filtered.results.items() if result.terms
            }
            self.archive.save_matches(listing.date, key, terms)
        return filtered

    def _archive_loaded(self, listing: Listing | None, filtered: Filtered) -> None:
        self.previous_visit = self.state.last_seen
        for warning in self.state.warnings:
            self.notify(warning, severity="warning", timeout=15)
        if listing is not None:
            self.show_listing(listing, filtered)
        if self.offline and not self.feeds:
            # The archive is all there is, and it is on screen: nothing to fetch.
            result = listings.load_offline(self.archive) if listing is None else None
            warnings = list(self.archive.warnings)
            self._fetched(result or listings.LoadResult(listing, listings.OFFLINE, warnings))
        else:
            self.call_after_refresh(self.start_fetch)  # the first paint does not wait on httpx

    def start_fetch(self) -> None:
        if self.fetching:
            self.notify("Already fetching", timeout=2)
            return
        self.fetching = True
        self.refresh_status()
        self.fetch()

    @work(thread=True, exclusive=True, group="fetch")
    def fetch(self) -> None:
        """Today's listing, then any missed days through the API, then everything since the last visit."""
        worker = get_current_worker()
        try:
            result = listings.load(
                self.config, self.archive, feeds=self.feeds, offline=self.offline, parser=parse_feed_isolated
            )
        except ArxivTuiError as error:
            result = listings.LoadResult(None, listings.FAILED, [str(error)])
        if worker.is_cancelled:
            return
        filtered = self.filter_with_cache(result.listing) if result.listing is not None else None
        self.call_from_thread(self._fetched, result, filtered)
        caught_up = None
        if result.status in (listings.FRESH, listings.NO_ANNOUNCEMENT) and not self.feeds:
            caught_up = self._catch_up(result)
        since_visit = self._since_visit()
        if not worker.is_cancelled:
            self.call_from_thread(self._finished, since_visit, caught_up)

    def _catch_up(self, result: listings.LoadResult) -> CatchUpResult | None:
        """Back-fill missed listings (runs in the fetch worker; quitting stops it between requests)."""
        from arxiv_tui.core.arxiv import ApiClient
        from arxiv_tui.core.catchup import catch_up, days_to_fetch

        worker = get_current_worker()
        if result.status == listings.FRESH and result.listing is not None:
            newest = result.listing.date
        else:
            newest = result.checked_on or dt.date.today()
        days = days_to_fetch(self.archive, self.previous_visit, newest, self.config.catch_up_listings)
        if not days:
            return None

        def progress(index: int, total: int, day: dt.date) -> None:
            if not worker.is_cancelled:
                self.call_from_thread(self._catch_up_progress, (index, total))

        client = ApiClient(
            self.config.api_url,
            self.config.timeout_seconds,
            sleep=worker.cancelled_event.wait,
            parser=parse_feed_isolated,
        )
        try:
            return catch_up(
                client,
                self.archive,
                self.config.categories,
                days,
                progress=progress,
                should_stop=lambda: worker.is_cancelled,
            )
        finally:
            client.close()

    def _since_visit(self) -> Listing | None:
        """Every archived listing after the previous visit, as one; None when there is one or none."""
        if self.previous_visit is None:
            return None
        dates = [day for day in self.archive.dates() if day > self.previous_visit]
        if len(dates) < 2:
            return None
        loaded = [listing for listing in map(self.archive.load, dates) if listing is not None]
        return combine(loaded) if len(loaded) > 1 else None

    def _catch_up_progress(self, step: tuple[int, int]) -> None:
        self.catching_up = step
        self.refresh_status()

    def _fetched(self, result: listings.LoadResult, filtered: Filtered | None = None) -> None:
        self.load_status = result.status
        self.checked_on = result.checked_on
        for message in result.messages:
            severity = "error" if result.status == listings.FAILED else "information"
            self.notify(message, severity=severity, timeout=8)
        shown = self.model.listing
        same = shown is not None and result.listing is not None and _same_listing(shown, result.listing)
        if result.listing is not None and not same and (shown is None or result.listing.date >= shown.date):
            self.show_listing(result.listing, filtered)
        else:
            self.refresh_status()
        if result.status == listings.FRESH and not self.feeds:
            try:
                self.archive.prune(self.config.retention_days, dt.date.today())
            except ArxivTuiError as error:
                self.notify(str(error), severity="warning")

    def _finished(self, since_visit: Listing | None, caught_up: CatchUpResult | None) -> None:
        self.fetching = False
        if self.model.archive_index is not None and not self.model.searching_archive:
            self.model.archive_index = None  # new listings may be archived: index again when asked
        self.catching_up = None
        if caught_up is not None:
            for message in caught_up.messages:
                self.notify(message, severity="warning", timeout=10)
            if caught_up.saved:
                days = ", ".join(f"{day:%a %d %b}" for day in caught_up.saved)
                self.notify(f"Caught up on {len(caught_up.saved)} missed listing(s): {days}", timeout=8)
        current = self.model.listing
        if since_visit is not None and (current is None or since_visit.date >= current.date):
            self.show_listing(since_visit)
        else:
            self.refresh_status()

    # --- shared operations --------------------------------------------------------------------

    @property
    def main(self) -> MainScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    def show_listing(self, listing: Listing, filtered: Filtered | None = None) -> None:
        self.model.set_listing(listing, filtered)
        for term in filtered.too_slow if filtered is not None else ():
            self.notify(too_slow_message(term), severity="warning", timeout=15)
        latest = self.archive.dates()
        self.newest_archived = latest[-1] if latest else None
        if not latest or listing.date >= latest[-1]:
            self.save(lambda: self.state.set_last_seen(listing.date))
        if self.main is not None:
            self.main.refresh_all()

    def refresh_status(self) -> None:
        if self.main is not None:
            self.main.refresh_header()

    # --- searching every archived listing -------------------------------------------------------

    @work(thread=True, exclusive=True, group="index")
    def build_archive_index(self) -> None:
        """Index every archived listing (about a second for 45,000 papers), off the UI thread."""
        from arxiv_tui.core.archive_index import ArchiveIndex

        index = ArchiveIndex.build_isolated(self.archive)
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._index_built, index)

    def _index_built(self, index: ArchiveIndex) -> None:
        self.model.archive_index = index
        if self.main is not None:
            self.main.refresh_all()

    def whole_row(self, row: Row) -> Row:
        """A row of an archive search carries a light paper; the detail pane needs all of it."""
        paper = row.paper
        if paper.abstract or paper.listing_date is None:
            return row
        listing = self._listing_cache.get(paper.listing_date)
        if listing is None:
            listing = self.archive.load(paper.listing_date)
            if listing is None:
                return row
            self._listing_cache = {paper.listing_date: listing}  # one day kept: j stays fast
        whole = listing.by_id.get(paper.id)
        if whole is None:
            return row
        return Row(whole, MatchResult(row.match.terms, whole, self.model.matcher.include))

    def listing_title(self, listing: Listing) -> str:
        if listing.is_combined and listing.first_date is not None:
            return (
                f"New since your last visit: {listing.first_date:%a %d %b} – {listing.date:%a %d %b %Y}"
                f" ({listing.days} listings)"
            )
        if self.newest_archived and listing.date < self.newest_archived:
            return f"Listing of {listing.date:%a %d %b %Y}"
        if self.load_status == listings.NO_ANNOUNCEMENT:
            return f"Latest listing: {listing.date:%a %d %b %Y}"
        return f"New listings for {listing.date:%a %d %b %Y}"

    def status_notes(self) -> Iterable[tuple[str, str]]:
        if self.catching_up is not None:
            yield "⟳ catching up: day {} of {}".format(*self.catching_up), "bold cyan"
        elif self.fetching:
            yield "⟳ fetching…", "bold cyan"
        if self.offline:
            yield "offline", "bold yellow"
        if self.load_status == listings.NO_ANNOUNCEMENT:
            when = f"{self.checked_on:%a %d %b}" if self.checked_on else "today"
            from arxiv_tui.core.schedule import next_announcement

            upcoming = next_announcement(dt.datetime.now(dt.UTC)).astimezone()
            yield (
                f"no announcement {when} (weekend or holiday); next {upcoming:%a %H:%M %Z}",
                "bold yellow",
            )
        if self.load_status == listings.FAILED:
            yield "fetch failed: showing the archive", "bold red"
        listing = self.model.listing
        if listing is not None and not listing.complete:
            yield "incomplete or damaged download: papers may be missing", "bold red"
        newest = self.newest_archived
        if listing is not None and newest and listing.date < newest:
            yield "older listing (> for newer)", "bold yellow"

    def _save_failed(self, error: StateError) -> None:
        """From the saver thread: say so; the change stays in memory and is saved next time."""
        with contextlib.suppress(RuntimeError):  # shutting down: on_unmount reports it
            self.call_from_thread(self.notify, str(error), severity="error", timeout=10)

    def on_unmount(self) -> None:
        if self.saver is not None:
            try:
                self.saver.close()
            except StateError as error:
                self.unsaved_on_exit = str(error)

    def save(self, change: Callable[[], None]) -> None:
        """Run a state change; a failure to save is shown, never raised into the UI."""
        try:
            change()
        except ArxivTuiError as error:
            self.notify(str(error), severity="error", timeout=10)

    def step_listing(self, step: int) -> None:
        dates = self.archive.dates()
        current = self.model.listing.date if self.model.listing else None
        if not dates or current is None:
            self.notify("No archived listings", timeout=3)
            return
        candidates = [d for d in dates if (d < current if step < 0 else d > current)]
        if not candidates:
            self.notify("No older listing" if step < 0 else "This is the newest listing", timeout=3)
            return
        target = candidates[-1] if step < 0 else candidates[0]
        listing = self.archive.load(target)
        if listing is not None:
            self.model.set_listing(listing)
            if self.main is not None:
                self.main.refresh_all()

    def apply_keywords(
        self, include: list[str], exclude: list[str], categories: list[str], authors: list[str] | None = None
    ) -> None:
        """Save the keyword editor's lists to config.toml, then re-filter (refetch on new categories)."""
        changes: dict[tuple[str, ...], object] = {
            ("keywords", "include"): include,
            ("keywords", "exclude"): exclude,
            ("categories",): categories,
        }
        if authors is not None:
            changes[("keywords", "authors")] = authors
        update_config(self.paths.config_file, changes)
        refetch = tuple(categories) != self.config.categories
        self.config = self.config.with_keywords(include, exclude, categories, authors)
        self.model.set_config(self.config)
        if self.main is not None:
            self.main.refresh_all()
        if refetch and not self.feeds:
            self.start_fetch()

    # --- actions and palette ------------------------------------------------------------------

    def action_help(self) -> None:
        from arxiv_tui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_keywords(self) -> None:
        from arxiv_tui.tui.screens.keywords import KeywordsScreen

        if not isinstance(self.screen, KeywordsScreen):
            self.push_screen(KeywordsScreen())

    def watch_theme(self, theme: str) -> None:
        if self.is_mounted and theme != self.config.theme:
            try:
                update_config(self.paths.config_file, {("ui", "theme"): theme})
                self.config = Config(**{**self.config.__dict__, "theme": theme})
            except ArxivTuiError as error:
                self.notify(f"Theme not saved: {error}", severity="warning")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        main = self.main
        if main is None:
            return
        commands = [
            ("Star / unstar", "Star the highlighted paper (s)", main.action_toggle_star),
            ("Toggle read", "Mark the highlighted paper read or unread (r)", main.action_toggle_read),
            ("Unread only", "Show only unread papers (u)", main.action_toggle_unread_only),
            ("Open PDF", "Open the PDF in the browser (o)", lambda: main.action_open("pdf")),
            ("Open abstract page", "Open the arXiv abstract page (a)", lambda: main.action_open("abs")),
            ("Open HTML", "Open the HTML version (h)", lambda: main.action_open("html")),
            ("Copy link", "Copy the abstract link (y)", main.action_copy_link),
            ("Search", "Search this view (/)", main.action_search),
            ("Search all listings", "Search every archived listing (F)", main.action_search_archive),
            ("Sort", "Announced, For you, newest id, title, first author (S)", main.action_cycle_sort),
            ("Code only", "Show only papers that link to code or data (c)", main.action_toggle_code_only),
            ("Note", "Add a note to the highlighted paper; it is starred (n)", main.action_note),
            ("Export", "Save this view or the stars as BibTeX, Markdown or JSON (e)", main.action_export),
            ("Download PDF", "Save the PDF into the download folder (d)", main.action_download),
            ("Next view", "Matched, each keyword, Starred, All, Replacements (v)", main.action_next_view),
            ("Previous view", "Cycle views backwards (V)", main.action_previous_view),
            ("Older listing", "Show the previous archived listing (<)", main.action_older_listing),
            ("Newer listing", "Show the next archived listing (>)", main.action_newer_listing),
            ("Refetch", "Fetch the latest listing now (R)", main.action_refetch),
            ("Keywords", "Edit keywords and categories (K)", self.action_keywords),
            ("Help", "List every key (?)", self.action_help),
        ]
        for title, help_text, callback in commands:
            yield SystemCommand(title, help_text, callback)


def _same_listing(one: Listing, other: Listing) -> bool:
    """The same announcement again (--offline, or `R` before the next one): keep the screen."""
    return (one.date, one.days) == (other.date, other.days) and one.content_key == other.content_key
