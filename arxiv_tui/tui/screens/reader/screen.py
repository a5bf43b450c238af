"""The reader: status line, views line, paper list, detail pane, search bar (and a download bar).

A thin view of the Reader (core/session/reader.py). What is shown lives in reactives bound to
the widgets, and `sync()` sets them from the Reader (base.py). Each group of commands is a class
of its own module, and their `action_*` methods are the actions commands.py binds keys to:
moving.py, deciding.py (triage, marks, picks), views.py, searching.py, scholar.py, links.py,
dialogs.py. Slow work runs in thread workers that post messages (messages.py); a worker that
fails unexpectedly becomes a notification (App.report_bug). The Reader's own events (opened,
fetched, caught up...) are handled here.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from arxiv_tui.core.matching.user_regex import engine_loaded, load_engine
from arxiv_tui.core.matching.views import INBOX, FoldRow, Row
from arxiv_tui.core.session.events import Fetched, InboxGrew, Opened, Previewed, RefreshDone, Stored
from arxiv_tui.core.session.marking import READ
from arxiv_tui.core.session.reader import Reader
from arxiv_tui.tui.commands import READER, bindings
from arxiv_tui.tui.messages import ListingLoaded, Notices, ReaderEvent
from arxiv_tui.tui.screens.reader.assisting import Assisting
from arxiv_tui.tui.screens.reader.base import ReaderBase
from arxiv_tui.tui.screens.reader.deciding import Deciding
from arxiv_tui.tui.screens.reader.dialogs import Dialogs
from arxiv_tui.tui.screens.reader.links import Links
from arxiv_tui.tui.screens.reader.moving import Moving
from arxiv_tui.tui.screens.reader.reading import Reading
from arxiv_tui.tui.screens.reader.scholar import Scholar
from arxiv_tui.tui.screens.reader.status import folded_said, nothing_listed
from arxiv_tui.tui.screens.reader.views import Views
from arxiv_tui.tui.widgets.key_bar import KeyBar
from arxiv_tui.tui.widgets.paper_detail import PaperDetail
from arxiv_tui.tui.widgets.paper_list import PaperList
from arxiv_tui.tui.widgets.status_line import StatusLine
from arxiv_tui.tui.widgets.view_tabs import ViewTabs

STACK_BELOW = 140  # columns: narrower than this, the list is above the detail pane (titles need ~90)


class ReaderScreen(Moving, Deciding, Views, Reading, Scholar, Links, Dialogs, Assisting):
    BINDINGS = bindings(READER)

    def __init__(
        self,
        reader: Reader,
        warnings: Sequence[str] = (),
        opened: Opened | None = None,
        first_run: bool = False,
    ) -> None:
        """`opened`: the newest listing, read before the App started (shown in the first frame);
        `first_run`: an empty home, so the setup screen comes first."""
        super().__init__(reader)
        self.first_run = first_run
        self.warnings = list(warnings)
        self.opened = opened
        self.maintained = False
        self.dwell: Timer | None = None  # marks the shown paper read after ui.mark_read_after_seconds

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status").data_bind(status=ReaderBase.status)
        yield ViewTabs(id="views").data_bind(views=ReaderBase.views, current=ReaderBase.current_view)
        with Horizontal(id="panes"):
            yield PaperList(
                self.reader.marking.of,
                id="papers",
                two_lines=self.reader.config.two_line_rows,
                picked=lambda paper_id: paper_id in self.reader.marking.selected,
                citations=self.citations_of,
            )
            yield PaperDetail(id="detail").data_bind(shown=ReaderBase.shown, empty=ReaderBase.nothing_shown)
        yield KeyBar()  # ctrl+p is in the help: room for `q Quit`

    def citations_of(self, paper_id: str) -> int | None:
        fact = self.reader.citations.facts.get(paper_id)
        return fact.citations if fact is not None else None

    def on_mount(self) -> None:
        # What goes wrong off this thread (a save that failed, a recovery) is told here.
        self.reader.tell = lambda notice: self.post_message(Notices([notice]))
        self.papers.focus()
        self.set_class(self.app.size.width < STACK_BELOW, "-stacked")
        self.watch(self.papers, "cursor_row", self.cursor_moved, init=False)
        for warning in self.warnings:
            self.notify(warning, severity="warning", timeout=15)
        if self.opened is not None:  # read before the App started: shown in the first frame
            self.on_reader_event(ReaderEvent(self.opened))
        else:
            self.work(lambda: self.post_message(ReaderEvent(self.reader.open_newest())), "open")

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < STACK_BELOW, "-stacked")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.app.report_bug(event.worker.error)  # type: ignore[attr-defined]
            if event.worker.group == "refresh":
                self.reader.apply(RefreshDone())
                self.sync_status()

    # --- the Reader's own events -------------------------------------------------------------------

    def on_reader_event(self, message: ReaderEvent) -> None:
        event = message.event
        listing = self.reader.viewing.listing
        self.tell(self.reader.apply(event))
        if isinstance(event, Opened):  # the view and paper the last session stopped at come back
            self.last_shown = event.last_paper or None
            self.view_switched()
            if event.listing_later or event.inbox_counts is not None:  # what the first frame left out
                self.call_after_refresh(self.work, lambda: self.read_rest(event), "open")
        elif isinstance(event, InboxGrew) or self.reader.viewing.listing is not listing:
            self.sync()
        else:  # the refresh's progress (fetching, catching up, done): the rows and counts are as they were
            self.sync_status(recount=False)
        if isinstance(event, (Fetched, Previewed)):
            self.call_after_refresh(self.drawn.set)
        if isinstance(event, (Opened, Fetched, Stored)):
            self.call_after_refresh(self.freeze_long_lived)
        if isinstance(event, Opened):
            self.call_after_refresh(gc.enable)  # the command line kept it off until the first frame
            if any(term.user_regex for term in self.reader.matcher.include) and not engine_loaded():
                self.call_after_refresh(self.work, self.load_regex, "regex", False)
        if isinstance(event, (Opened, Stored)) and self.reader.saved_views.queries:
            self.run_saved()
        if isinstance(event, Opened) and self.first_run:
            self.call_after_refresh(self.first_run_setup)  # then the first refresh
        elif isinstance(event, Opened):
            # After the first frame: a prefetch's child works meanwhile, if one was due (cli/main).
            self.call_after_refresh(self.start_refresh)
        elif isinstance(event, RefreshDone) and not self.maintained:
            self.maintained = True
            self.work(lambda: self.post_message(Notices(self.reader.maintain())), "maintain")
            self.keep_offline()  # what the reading queue still lacks, once a day's refresh is over

    def load_regex(self) -> None:
        """After the first frame (in a worker): the /regex/ keywords' engine, then the paper shown
        drawn again with their highlights (user_regex.py)."""
        load_engine()
        self.app.call_from_thread(lambda: self.query_one(PaperDetail).mutate_reactive(PaperDetail.shown))

    def read_rest(self, opened: Opened) -> None:
        """After the first frame: the rest of the Inbox, then the newest listing, if a start left
        them out (in a worker)."""
        if opened.inbox_counts is not None:
            self.post_message(ReaderEvent(self.reader.arrivals.grew(0)))
        loaded = self.reader.read_newest() if opened.listing_later else None
        if loaded is not None:
            self.post_message(ListingLoaded(loaded, only_if_none_shown=True))

    def on_listing_loaded(self, message: ListingLoaded) -> None:
        """An older or newer listing (< >), or the newest after the Inbox's first frame."""
        if message.only_if_none_shown and self.reader.viewing.listing is not None:
            return  # a refresh was quicker to show one
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

    # --- the cursor, Esc, R: they concern every part ------------------------------------------------

    def cursor_moved(self, row: Row | None) -> None:
        """The cursor is on another paper: show it. Passing over a paper never makes it read."""
        if self.dwell is not None:
            self.dwell.stop()
            self.dwell = None
        if row is None or isinstance(row, FoldRow):
            self.nothing_shown = folded_said(row) if isinstance(row, FoldRow) else nothing_listed(self.reader)
            self.shown = None
            self.sync_line()
            return
        paper = self.reader.whole(row.paper)
        self.last_shown = self.reader.place = paper.id
        if self.has_class("-reading") and not self.reader.marking.is_read(paper.id):
            self.reader.marking.set_read([paper], decision=READ)  # n or p full-size opens it: as Enter
            self.papers.refresh_paper(paper.id)
        self.fetch_more_near_the_end()
        self.shown = self.shown_for(paper)
        self.sync_line()
        seconds = self.reader.config.mark_read_after_seconds
        if seconds > 0 and not self.reader.marking.is_read(paper.id):
            self.dwell = self.set_timer(seconds, lambda: self._dwelt(paper.id))

    def _dwelt(self, paper_id: str) -> None:
        row = self.papers.cursor_row
        if row is not None and row.paper.id == paper_id and not self.reader.marking.is_read(paper_id):
            self.reader.marking.set_read([row.paper], decision=READ)
            self.redraw_current()

    def action_clear_search(self) -> None:
        """Esc: out of the full-size paper, the picks, the citations or similar papers (to the view
        they were opened from, on the paper they were opened for), the search; else to the Inbox.
        First of all, it stops what the model is being asked."""
        if self.stop_asking():
            return
        if self.has_class("-reading"):
            self.action_open_paper()  # back to the list
        elif self.clear_picks():
            pass
        elif (paper_id := self.reader.viewing.go_back()) is not None:
            self.sync(keep=paper_id or None)
        elif (search := self.search_if_opened) is not None and search.close():
            self.papers.focus()
        elif self.reader.viewing.view != INBOX:
            self.show_view(INBOX)

    def action_refetch(self) -> None:
        if self.reader.offline:
            self.notify("Offline (--offline): nothing is fetched. Start without it to fetch.", timeout=5)
        else:
            self.start_refresh()
