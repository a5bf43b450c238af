"""The search bar from the reader: `/` within the view, `F` the whole library, `O` all of arXiv.
The bar (widgets/search_bar.py) runs each keystroke's search in a worker; an answer is shown
only if it answers what is typed now. A search of all of arXiv is sent when Enter is pressed
(never per keystroke: arXiv asks for one request every 3 s), its results are a view, and the
next page is asked for as the cursor nears the end of the list."""

from __future__ import annotations

from textual import on
from textual.widgets import Input

from arxiv_tui.core.matching.views import ANNOUNCED, ARXIV, SEARCH
from arxiv_tui.tui.messages import ArxivPage, LibraryFound, SearchFailed, ViewFound
from arxiv_tui.tui.screens.reader.base import ReaderBase
from arxiv_tui.tui.widgets.search_bar import ARXIV as ARXIV_MODE
from arxiv_tui.tui.widgets.search_bar import LIBRARY, VIEW, SearchBar

NEAR_THE_END = 10  # rows from the bottom at which the next page of a search of arXiv is asked for
OPENING = ("search", "search_library", "search_arxiv")  # priority bindings (commands.py)


class Searching(ReaderBase):
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The keys that open the search bar are text while a text box has focus."""
        if action in OPENING and isinstance(self.focused, Input):
            return False
        return super().check_action(action, parameters)

    def action_search(self) -> None:
        self.start_search(VIEW)

    def action_search_library(self) -> None:
        self.start_search(LIBRARY)

    def action_search_arxiv(self) -> None:
        self.start_search(ARXIV_MODE)

    def start_search(self, mode: str) -> None:
        self.before_search = self.papers.highlighted_id  # the cursor comes back to it on Esc
        self.search.start(mode)
        self.sync_status()

    @on(Input.Submitted, "#search")
    def search_submitted(self, event: Input.Submitted) -> None:
        """Enter: a search of all of arXiv is sent; any other search is kept and the list focused."""
        if self.search.mode == ARXIV_MODE:
            self.explore(event.value)
        else:
            self.papers.focus()

    def on_library_found(self, message: LibraryFound) -> None:
        found, viewing = message.found, self.reader.viewing
        if not (self.search.mode == LIBRARY and self.search.answers(message.text)) or (
            not found.complete and viewing.sort != ANNOUNCED  # then the first found are not the first shown
        ):
            message.drawn.set()
            return
        self.papers.when_drawn(message.drawn.set)
        shown = viewing.found if viewing.view == SEARCH and self.search.answered == message.text else None
        self.search.problem, self.search.answered = "", message.text
        self.reader.show_found(found, message.marks)
        # a keystroke's answer: the views' counts did not change; the rest of an answer whose first
        # rows are shown leaves those rows as they are
        self.sync(recount=False, grown=shown is not None and not shown.complete)

    def on_view_found(self, message: ViewFound) -> None:
        if self.search.mode == VIEW and self.search.answers(message.text):
            self.search.problem, self.search.answered = "", message.text
            self.reader.viewing.show_view_hits(message.query, message.hits)
            self.sync(recount=False)

    def on_search_failed(self, message: SearchFailed) -> None:
        if self.search.answers(message.text):
            self.search.problem = message.problem
            self.sync_status()

    def on_search_bar_cleared(self, message: SearchBar.Cleared) -> None:
        viewing = self.reader.viewing
        viewing.show_view_hits(None, None)
        if viewing.view in (SEARCH, ARXIV):
            viewing.leave_search()  # back to the view the search started from
            self.reader.show_found(None, {})
        self.sync(keep=self.before_search)  # and on the paper it started from

    # --- all of arXiv ------------------------------------------------------------------------------

    def explore(self, text: str) -> None:
        """Enter in the search bar in arXiv mode: the search, and its first page."""
        from arxiv_tui.core.matching.query import QueryError

        try:
            self.reader.explore(text)
        except QueryError as error:
            self.search.problem = str(error)
            self.sync_status()
            return
        self.search.problem = ""
        self.papers.focus()
        self.sync(keep="")
        self.fetch_more()

    def fetch_more(self) -> None:
        """The next page of the search shown, in a worker (one at a time)."""
        explorer = self.reader.explorer
        search = explorer.search
        if search is None or explorer.loading or not search.more:
            return
        explorer.loading = True
        self.work(lambda: self.post_message(ArxivPage(search, *explorer.fetch(search))), "arxiv")
        self.sync_status()

    def on_arxiv_page(self, message: ArxivPage) -> None:
        explorer = self.reader.explorer
        explorer.loading = False
        if message.search is not explorer.search:
            return  # a newer search was started meanwhile
        self.reader.show_explored(message.marks)
        if message.search.problem:
            self.notify(f"arXiv search: {message.search.problem}", severity="error", timeout=10)
        if self.reader.viewing.view == ARXIV:
            self.sync()

    def fetch_more_near_the_end(self) -> None:
        """The cursor moved: in a search of arXiv, near the end of the list, the next page."""
        if self.reader.viewing.view == ARXIV and self.papers.cursor >= len(self.papers.rows) - NEAR_THE_END:
            self.fetch_more()
