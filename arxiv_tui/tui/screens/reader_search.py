"""The search bar from the reader: `/` within the view, `F` the whole library, `O` all of arXiv
(reader_explore.py). The bar runs each keystroke's search in a worker; an answer is shown only
if it answers what is typed now."""

from __future__ import annotations

from typing import TYPE_CHECKING

from arxiv_tui.core.matching.views import ARXIV, SEARCH
from arxiv_tui.tui.messages import LibraryFound, SearchFailed, ViewFound
from arxiv_tui.tui.widgets.search_bar import ARXIV as ARXIV_MODE
from arxiv_tui.tui.widgets.search_bar import LIBRARY, VIEW

if TYPE_CHECKING:
    from arxiv_tui.tui.screens.reader import ReaderScreen


def start(screen: ReaderScreen, mode: str) -> None:
    screen.before_search = screen.papers.highlighted_id  # the cursor comes back to it on Esc
    screen.search.start(mode)
    screen.sync_status()


def submitted(screen: ReaderScreen, text: str) -> None:
    """Enter: a search of all of arXiv is sent; any other search is kept and the list focused."""
    if screen.search.mode == ARXIV_MODE:
        from arxiv_tui.tui.screens import reader_explore

        reader_explore.start(screen, text)
    else:
        screen.papers.focus()


def library_found(screen: ReaderScreen, message: LibraryFound) -> None:
    if screen.search.mode == LIBRARY and screen.search.answers(message.text):
        screen.search.problem = ""
        screen.reader.show_found(message.found, message.marks)
        screen.sync()


def view_found(screen: ReaderScreen, message: ViewFound) -> None:
    if screen.search.mode == VIEW and screen.search.answers(message.text):
        screen.search.problem = ""
        screen.reader.viewing.show_view_hits(message.query, message.hits)
        screen.sync()


def failed(screen: ReaderScreen, message: SearchFailed) -> None:
    if screen.search.answers(message.text):
        screen.search.problem = message.problem
        screen.sync_status()


def cleared(screen: ReaderScreen) -> None:
    reader = screen.reader
    reader.viewing.show_view_hits(None, None)
    if reader.viewing.view in (SEARCH, ARXIV):
        reader.show_found(None, {})
        reader.viewing.set_view(reader.viewing.views()[0].key)
    screen.sync(keep=screen.before_search)  # back on the paper the search started from
