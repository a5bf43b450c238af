"""The reader: status line, views line, paper list, detail pane, search bar (and a download bar).

A thin view of the Reader (core/reader.py). What is shown lives in reactives (`status`,
`views`, `current_view`, `shown`) bound to the widgets, and `sync()` is the one place that sets
them from the Reader. Slow work runs in thread workers that post messages (messages.py); a
worker that fails unexpectedly becomes a notification (App.report_bug). What each key and each
message does is in reader_actions.py, one line each; the Reader's own events are handled here.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input
from textual.worker import Worker, WorkerState, get_current_worker

from arxiv_tui.core.matching.views import CITED, SEARCH, SIMILAR, STARRED, Row, View
from arxiv_tui.core.session.events import Fetched, Notice, Opened, Previewed, RefreshDone, Stored
from arxiv_tui.core.session.reader import Reader
from arxiv_tui.tui.commands import READER, bindings
from arxiv_tui.tui.messages import (
    ListingLoaded,
    Notices,
    ReaderEvent,
    SavedFound,
)
from arxiv_tui.tui.screens import reader_actions, reader_explore, reader_scholar
from arxiv_tui.tui.screens import reader_search as search
from arxiv_tui.tui.screens import reader_views as views
from arxiv_tui.tui.screens.status import status_of
from arxiv_tui.tui.widgets.paper_detail import PaperDetail, Shown
from arxiv_tui.tui.widgets.paper_list import PaperList
from arxiv_tui.tui.widgets.search_bar import VIEW, SearchBar
from arxiv_tui.tui.widgets.status_line import Status, StatusLine
from arxiv_tui.tui.widgets.view_tabs import ViewTabs

STACK_BELOW = 110  # columns: narrower than this, the list is above the detail pane


@reader_actions.install  # every action: reader_actions.py, one line each
class ReaderScreen(Screen):
    BINDINGS = bindings(READER)

    # Bound to the widgets, which redraw themselves: repainting the screen too would redraw all of
    # it on every `j` (repaint=False).
    status: reactive[Status] = reactive(Status("Opening the library…"), repaint=False)
    views: reactive[tuple[View, ...]] = reactive((), repaint=False)
    current_view: reactive[str] = reactive("", repaint=False)
    shown: reactive[Shown | None] = reactive(None, repaint=False)
    nothing_shown: reactive[str] = reactive("", repaint=False)  # the detail pane's word for no paper

    def __init__(
        self,
        reader: Reader,
        warnings: Sequence[str] = (),
        opened: Opened | None = None,
        first_run: bool = False,
    ) -> None:
        super().__init__()
        self.reader = reader
        self.first_run = first_run
        self.warnings = list(warnings)
        self.opened = opened
        self.maintained = False
        self.drawn = threading.Event()
        self.dwell: Timer | None = None  # marks the shown paper read after ui.mark_read_after_seconds
        self.last_shown: str | None = None  # the cursor comes back to it when a filter empties the list
        self.before_search: str | None = None  # ... and to this one when a search is closed
        self.confirm_delete: str | None = None  # the saved search a first D asked to delete

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status").data_bind(status=ReaderScreen.status)
        yield ViewTabs(id="views").data_bind(views=ReaderScreen.views, current=ReaderScreen.current_view)
        with Horizontal(id="panes"):
            yield PaperList(
                self.reader.marking.of,
                id="papers",
                two_lines=self.reader.config.two_line_rows,
                picked=lambda paper_id: paper_id in self.reader.marking.selected,
                citations=self.citations_of,
            )
            yield PaperDetail(id="detail").data_bind(
                shown=ReaderScreen.shown, empty=ReaderScreen.nothing_shown
            )
        yield SearchBar(self.reader, id="search")
        yield Footer(show_command_palette=False)  # ctrl+p is in the help: room for `q Quit`

    def citations_of(self, paper_id: str) -> int | None:
        fact = self.reader.citations.facts.get(paper_id)
        return fact.citations if fact is not None else None

    def on_mount(self) -> None:
        self.papers.focus()
        self.set_class(self.app.size.width < STACK_BELOW, "-stacked")
        self.watch(self.papers, "cursor_row", self.cursor_moved, init=False)
        for warning in self.warnings:
            self.notify(warning, severity="warning", timeout=15)
        if self.opened is not None:  # read before the App started: shown in the first frame
            self.reader_event(ReaderEvent(self.opened))
        else:
            self.work(lambda: self.post_message(ReaderEvent(self.reader.open_newest())), "open")

    # --- workers -----------------------------------------------------------------------------------

    def work(self, job: Callable[[], object], group: str, exclusive: bool = True) -> Worker:
        """Run `job` in a thread; a failure of it is reported, never the end of the reader."""
        return self.run_worker(job, thread=True, group=group, exclusive=exclusive, exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.app.report_bug(event.worker.error)  # type: ignore[attr-defined]
            if event.worker.group == "refresh":
                self.reader.apply(RefreshDone())
                self.sync_status()

    def start_refresh(self) -> None:
        if not self.reader.refreshing.start():
            self.notify("Already fetching", timeout=2)
            return
        self.sync_status()

        drawn = self.drawn = threading.Event()  # set once a fetched listing is on screen

        def refresh() -> None:
            worker = get_current_worker()
            post = lambda event: self.post_message(ReaderEvent(event))  # noqa: E731
            stop, wait = (lambda: worker.is_cancelled), worker.cancelled_event.wait
            self.reader.refresh(post, should_stop=stop, sleep=wait, drawn=drawn)

        self.work(refresh, "refresh")

    # --- what workers bring ------------------------------------------------------------------------

    def tell(self, notices: Sequence[Notice]) -> None:
        for notice in notices:
            timeout = 15 if notice.severity != "information" else 8
            self.notify(notice.text, severity=notice.severity, timeout=timeout)  # type: ignore[arg-type]

    @on(ReaderEvent)
    def reader_event(self, message: ReaderEvent) -> None:
        self.tell(self.reader.apply(message.event))
        self.sync()
        if isinstance(message.event, (Fetched, Previewed)):
            self.call_after_refresh(self.drawn.set)
        if isinstance(message.event, (Opened, Fetched, Stored)):
            self.call_after_refresh(self.freeze_long_lived)
        if isinstance(message.event, Opened):
            self.call_after_refresh(gc.enable)  # the command line kept it off until the first frame
        if isinstance(message.event, (Opened, Stored)) and self.reader.saved_views.queries:
            self.run_saved()
        if isinstance(message.event, Opened) and self.first_run:
            from arxiv_tui.tui.screens import reader_dialogs

            self.call_after_refresh(reader_dialogs.setup, self)  # then the first refresh
        elif isinstance(message.event, Opened):
            # At once: its worker waits on the child fetching today's listing, not on this thread;
            # but after the first frame when that frame has the first papers to draw.
            if self.reader.refreshing.previewing:
                self.call_after_refresh(self.start_refresh)
            else:
                self.start_refresh()
        elif isinstance(message.event, RefreshDone) and not self.maintained:
            self.maintained = True
            self.work(lambda: self.post_message(Notices(self.reader.maintain())), "maintain")

    @on(ListingLoaded)
    def listing_loaded(self, message: ListingLoaded) -> None:
        self.tell(self.reader.show(message.loaded))
        self.sync()
        self.call_after_refresh(self.freeze_long_lived)

    def freeze_long_lived(self) -> None:
        """Keep the collector off what lives long: a listing and the widgets.

        Every key makes short-lived objects; every few keys Python's oldest-generation collection
        then walked everything alive, a 1,500-paper listing included: 30-50 ms, the slowest
        keystrokes. Frozen objects are still freed when nothing refers to them; only cycles among
        them are not, so this runs only with no dialog open (a closed dialog is such a cycle).
        """
        if self.app.screen is self:
            gc.freeze()

    def run_saved(self) -> None:
        """Every saved search, run again in a worker (their views and counts follow)."""
        self.work(lambda: self.post_message(SavedFound(*self.reader.find.saved())), "saved")

    # --- showing -----------------------------------------------------------------------------------

    @property
    def papers(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def search(self) -> SearchBar:
        return self.query_one(SearchBar)

    def sync(self, keep: str | None = None) -> None:
        """Show the Reader's current view: rows (the cursor kept on its paper), views, status."""
        reader = self.reader
        rows = reader.viewing.rows()
        listing = reader.viewing.listing
        dated = (
            reader.viewing.view in (SEARCH, STARRED, SIMILAR, CITED)
            or reader.viewing.tag is not None
            or reader.viewing.saved_name is not None
            or (listing is not None and listing.is_combined)
        )
        current = self.papers.highlighted_id or self.last_shown
        self.papers.show_rows(rows, current if keep is None else keep or None, dated)
        self.sync_status()

    def sync_status(self) -> None:
        reader = self.reader
        self.views = tuple(reader.viewing.views())
        self.current_view = reader.viewing.view
        self.sync_line()

    def sync_line(self) -> None:
        """The status line alone (the cursor moved: its position changed, no count did)."""
        reader = self.reader
        papers = self.papers
        position = (papers.cursor + 1, len(papers.rows)) if papers.rows else (0, 0)
        unread = sum(1 for row in papers.rows if not reader.marking.is_read(row.paper.id))
        self.status = status_of(
            reader, self.search.mode, self.search.value, self.search.problem, position, unread
        )

    def on_resize(self, event) -> None:
        self.set_class(event.size.width < STACK_BELOW, "-stacked")

    def cursor_moved(self, row) -> None:
        """The cursor is on another paper: show it. Passing over a paper never makes it read."""
        if self.dwell is not None:
            self.dwell.stop()
            self.dwell = None
        if row is None:
            self.nothing_shown = reader_scholar.nothing_listed(self.reader)
            self.shown = None
            self.sync_line()
            return
        paper = self.reader.whole(row.paper)
        self.last_shown = paper.id
        reader_explore.cursor_near_the_end(self)
        self.shown = self.shown_for(paper)
        self.sync_line()
        seconds = self.reader.config.mark_read_after_seconds
        if seconds > 0 and not self.reader.marking.is_read(paper.id):
            self.dwell = self.set_timer(seconds, lambda: self._dwelt(paper.id))

    def _dwelt(self, paper_id: str) -> None:
        row = self.papers.cursor_row
        if row is not None and row.paper.id == paper_id and not self.reader.marking.is_read(paper_id):
            self.reader.marking.set_read([row.paper])
            self.redraw_current()

    def shown_for(self, paper) -> Shown:
        reader = self.reader
        query = (
            reader.viewing.view_query
            if self.search.mode == VIEW
            else reader.viewing.found.query
            if reader.viewing.found
            else None
        )
        row = Row(paper, reader.viewing.explain(paper))
        return Shown(
            row,
            reader.marking.of(paper.id),
            reader.viewing.scores.get(paper.id),
            query.highlight if query else (),
            reader.citations.facts.get(paper.id),
        )

    def redraw_current(self) -> None:
        """After a mark changed: its row, the detail pane and the counts."""
        row = self.papers.cursor_row
        if row is not None:
            self.papers.refresh_paper(row.paper.id)
            self.shown = self.shown_for(self.reader.whole(row.paper))
        self.sync_status()

    @property
    def current_paper(self):
        row = self.papers.cursor_row
        return self.reader.whole(row.paper) if row is not None else None

    # --- views (reader_views.py) -----------------------------------------------------------------

    def show_view(self, key: str) -> None:
        """Switch to the view `key` (its rows loaded as needed)."""
        self.reader.viewing.set_view(key)
        views.switched(self)

    # --- what the search bar and other workers answer --------------------------------------------

    @on(Input.Submitted, "#search")
    def search_done(self, event: Input.Submitted) -> None:
        search.submitted(self, event.value)
