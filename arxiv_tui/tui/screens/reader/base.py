"""The reader screen's state and how it is drawn: what the widgets show (reactives bound to them),
`sync()` that sets them from the Reader, the cursor's paper, and workers that report by message.

Each group of the screen's commands is a class of its own module (moving, deciding, views,
searching, scholar, links, dialogs), built on this one; screen.py puts them together."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, get_current_worker

from arxiv_tui.core.base.memory import give_back_freed
from arxiv_tui.core.base.text import truncate
from arxiv_tui.core.matching.views import (
    CITED,
    FOLD_ID,
    INBOX,
    SEARCH,
    SIMILAR,
    STARRED,
    Row,
    View,
    next_unread,
    wrapped,
)
from arxiv_tui.core.models import Paper
from arxiv_tui.core.session.events import Notice
from arxiv_tui.core.session.reader import Reader
from arxiv_tui.tui.messages import Ranked, ReaderEvent, SavedFound, StarredLoaded, TaggedLoaded
from arxiv_tui.tui.screens.reader.status import status_of
from arxiv_tui.tui.widgets.key_bar import KeyBar
from arxiv_tui.tui.widgets.paper_detail import Said, Shown
from arxiv_tui.tui.widgets.paper_list import PaperList
from arxiv_tui.tui.widgets.search_bar import VIEW, SearchBar
from arxiv_tui.tui.widgets.status_line import Status


class ReaderBase(Screen):
    # Bound to the widgets, which redraw themselves: repainting the screen too would redraw all of
    # it on every `j` (repaint=False).
    status: reactive[Status] = reactive(Status("Opening the library…"), repaint=False)
    views: reactive[tuple[View, ...]] = reactive((), repaint=False)
    current_view: reactive[str] = reactive("", repaint=False)
    shown: reactive[Shown | None] = reactive(None, repaint=False)
    nothing_shown: reactive[str] = reactive("", repaint=False)  # the detail pane's word for no paper

    def __init__(self, reader: Reader) -> None:
        super().__init__()
        self.reader = reader
        self.drawn = threading.Event()  # set once a fetched listing is on screen
        self.last_shown: str | None = None  # the cursor comes back to it when a filter empties the list
        self.before_search: str | None = None  # ... and to this one when a search is closed
        self.confirm_delete: str | None = None  # the saved search a first D asked to delete
        self.ranking: Worker | None = None  # For you's scoring of a view
        self.to_top_when_ranked = False  # S asked for For you: its best paper first
        # The search bar, if it was ever opened (what the status line and Esc ask; kept, not
        # looked up: the status line asks on every key)
        self.search_if_opened: SearchBar | None = None

    # --- workers -----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Once q has quit, the keys typed after it (the rest of a word meant for a search box)
        open nothing: a dialog that opens as the screens close fails."""
        if getattr(self.app, "quitting", False):
            return False
        return super().check_action(action, parameters)

    def work(self, job: Callable[[], object], group: str, exclusive: bool = True) -> Worker:
        """Run `job` in a thread; a failure of it is reported (screen.py), never the end of the reader."""
        return self.run_worker(job, thread=True, group=group, exclusive=exclusive, exit_on_error=False)

    def start_refresh(self) -> None:
        """Fetch today's listing (then catch up) in a worker; its events come back as messages."""
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
            give_back_freed()

        self.work(refresh, "refresh")

    def run_saved(self) -> None:
        """Every saved search, run again in a worker (their views and counts follow)."""
        self.work(lambda: self.post_message(SavedFound(*self.reader.find.saved())), "saved")

    def tell(self, notices: Sequence[Notice]) -> None:
        for notice in notices:
            timeout = 15 if notice.severity != "information" else 8
            self.notify(notice.text, severity=notice.severity, timeout=timeout)  # type: ignore[arg-type]

    def open_link(self, url: str) -> None:
        """Open a link in the browser, in a worker; what went wrong is said (paper_actions.py)."""
        from arxiv_tui.tui import paper_actions

        browser = self.reader.config.browser
        self.work(
            lambda: self.post_message(paper_actions.open_link(url, browser)), "browser", exclusive=False
        )

    # --- what is shown -----------------------------------------------------------------------------

    @property
    def papers(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def search(self) -> SearchBar:
        """The search bar, built when first opened: a start draws no text box (its styles and
        widgets were 3-4 ms of the first frame)."""
        bar = self.search_if_opened
        if bar is None:
            bar = self.search_if_opened = SearchBar(self.reader, id="search")
            self.mount(bar, before=self.query_one(KeyBar))
        return bar

    @property
    def current_paper(self) -> Paper | None:
        row = self.papers.cursor_row
        if row is None or row.paper.id == FOLD_ID:  # For you's folded row is no paper
            return None
        return self.reader.whole(row.paper)

    def to_unread(self, step: int, *, quiet: bool = False) -> bool:
        """Move to the next (or previous) unread paper of the view; False when there is none."""
        papers = self.papers
        if not papers.rows:
            return False
        start = max(papers.cursor, 0)
        found = next_unread(papers.rows, start, step, self.reader.marking.is_read)
        if found is None:
            if not quiet:
                self.notify("No unread papers in this view", timeout=3)
            return False
        if wrapped(start, found, step) and not quiet:
            self.notify("Back at the top" if step > 0 else "Back at the bottom", timeout=2)
        papers.move_to(found)
        return True

    def sync(self, keep: str | None = None, recount: bool = True, grown: bool = False) -> None:
        """Show the Reader's current view: rows (the cursor kept on its paper, or on `keep`; ""
        for the first row), views, status. `recount=False`: the views line's counts are as they
        were (a search's answer changes the rows, not what the views hold). `grown`: the view
        gained rows after those shown, which did not change (PaperList.show_rows)."""
        viewing = self.reader.viewing
        listing = viewing.listing
        rows = viewing.rows()
        if viewing.unranked(rows):
            self.rank_view()
        rows = viewing.folded(rows, self.reader.config.hide_below)
        dated = (
            viewing.view in (SEARCH, STARRED, SIMILAR, CITED)
            or (viewing.view == INBOX and len({row.paper.listing_date for row in rows}) > 1)
            or viewing.tag is not None
            or viewing.saved_name is not None
            or (listing is not None and listing.is_combined)
        )
        current = self.papers.highlighted_id or self.last_shown
        self.papers.show_rows(rows, current if keep is None else keep or None, dated, grown=grown)
        self.sync_status(recount)

    def rank_view(self) -> None:
        """For you: the view's papers not scored yet, scored in a worker (Ranked: views.py)."""
        if self.ranking is None or self.ranking.is_finished:
            reader = self.reader
            self.ranking = self.work(lambda: self.post_message(Ranked(*reader.find.ranked())), "rank")

    def sync_status(self, recount: bool = True) -> None:
        """The views line (its counts made again unless `recount` is False) and the status line."""
        if recount or not self.views:
            self.views = tuple(self.reader.viewing.views())
        self.current_view = self.reader.viewing.view
        self.sync_line()

    def sync_line(self) -> None:
        """The status line alone (the cursor moved: its position changed, no count did)."""
        papers, marking = self.papers, self.reader.marking
        position = (papers.cursor + 1, len(papers.rows)) if papers.rows else (0, 0)
        unread = marking.session.unread(row.paper.id for row in papers.rows) - papers.holds(FOLD_ID)
        search = self.search_if_opened
        mode, value, problem = (search.mode, search.value, search.problem) if search else ("", "", "")
        answered = search is None or search.answered == value
        today = next((view.today or 0 for view in self.views if view.key == INBOX), 0)
        self.status = status_of(self.reader, mode, value, problem, position, unread, today, answered)

    def show_view(self, key: str) -> None:
        """Switch to the view `key` (its rows loaded as needed: views.py)."""
        self.reader.viewing.set_view(key)
        self.view_switched()

    def view_switched(self) -> None:
        """The view changed: show it, loading the rows of the starred or a tag view in a worker."""
        reader = self.reader
        if reader.viewing.view == STARRED:
            self.work(lambda: self.post_message(StarredLoaded(*reader.find.starred())), "starred")
        elif (tag := reader.viewing.tag) is not None:
            self.work(lambda: self.post_message(TaggedLoaded(tag, *reader.find.tagged(tag))), "tagged")
        self.sync()

    def shown_for(self, paper: Paper) -> Shown:
        reader, viewing = self.reader, self.reader.viewing
        found = viewing.found
        search = self.search_if_opened
        query = viewing.view_query if search and search.mode == VIEW else found.query if found else None
        like = viewing.similar if viewing.view == SIMILAR else None
        return Shown(
            Row(paper, viewing.explain(paper)),
            reader.marking.of(paper.id),
            reader.find.rank_of(paper),
            query.highlight if query else (),
            reader.citations.facts.get(paper.id),
            f"More like “{truncate(like.paper.title, 50)}”, found by the words: {', '.join(like.terms)}"
            if like
            else "",
            reader.library.full_texts.offline(paper.id),
            self.said_for(paper),
        )

    def said_for(self, paper: Paper) -> Said | None:
        """What the user's model said of the paper (assisting.py, when there is an assistant)."""
        return None

    def redraw_current(self) -> None:
        """After a mark changed: its row, the detail pane and the counts."""
        row = self.papers.cursor_row
        if row is not None and row.paper.id != FOLD_ID:
            self.papers.refresh_paper(row.paper.id)
            self.shown = self.shown_for(self.reader.whole(row.paper))
        self.sync_status()

    def keep_note(self, paper: Paper, text: str | None) -> None:
        """A note as the note dialog gave it back (None: nothing changed); a note stars its paper."""
        if text is None:
            return
        marking = self.reader.marking
        if not marking.is_starred(paper.id) and text:
            marking.set_starred(paper, True)
        marking.set_note(paper, text)
        self.redraw_current()

    def targets(self) -> list[Paper]:
        """The picked papers, or the one under the cursor."""
        if self.reader.marking.selected:
            return list(self.reader.marking.selected.values())
        paper = self.current_paper
        return [paper] if paper is not None else []

    def after_marks(self, said: str = "") -> None:
        """After marks of several papers changed: every row, the detail pane, and what was done."""
        self.papers.redraw_all()
        self.redraw_current()
        if said:
            self.notify(said, timeout=4)
