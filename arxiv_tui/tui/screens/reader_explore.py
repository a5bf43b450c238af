"""`O`: all of arXiv from the reader. What is typed is sent when Enter is pressed (never per
keystroke: arXiv asks for one request every 3 s), the results are a view, and the next page is
asked for as the cursor nears the end of the list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from arxiv_tui.core.matching.query import QueryError
from arxiv_tui.core.matching.views import ARXIV
from arxiv_tui.tui.messages import ArxivPage

if TYPE_CHECKING:
    from arxiv_tui.tui.screens.reader import ReaderScreen

NEAR_THE_END = 10  # rows from the bottom at which the next page is asked for


def start(screen: ReaderScreen, text: str) -> None:
    """Enter in the search bar in arXiv mode: the search, and its first page."""
    try:
        screen.reader.explore(text)
    except QueryError as error:
        screen.search.problem = str(error)
        screen.sync_status()
        return
    screen.search.problem = ""
    screen.papers.focus()
    screen.sync(keep="")
    fetch_more(screen)


def fetch_more(screen: ReaderScreen) -> None:
    """The next page of the search shown, in a worker (one at a time)."""
    explorer = screen.reader.explorer
    search = explorer.search
    if search is None or explorer.loading or not search.more:
        return
    explorer.loading = True
    screen.work(lambda: screen.post_message(ArxivPage(search, *explorer.fetch(search))), "arxiv")
    screen.sync_status()


def page_came(screen: ReaderScreen, message: ArxivPage) -> None:
    explorer = screen.reader.explorer
    explorer.loading = False
    if message.search is not explorer.search:
        return  # a newer search was started meanwhile
    screen.reader.show_explored(message.marks)
    if message.search.problem:
        screen.notify(f"arXiv search: {message.search.problem}", severity="error", timeout=10)
    if screen.reader.viewing.view == ARXIV:
        screen.sync()


def cursor_near_the_end(screen: ReaderScreen) -> None:
    if screen.reader.viewing.view == ARXIV and screen.papers.cursor >= len(screen.papers.rows) - NEAR_THE_END:
        fetch_more(screen)
