"""What each command of the reader does (its action, which commands.py names, and the function
that runs it) and what each message a worker posts does, one line each. The functions live
with what they act on: triage and marks (reader_triage.py), picks (reader_selection.py), views
(reader_views.py), the search bar (reader_search.py), links (reader_links.py), Semantic
Scholar (reader_scholar.py), arXiv searches (reader_explore.py), dialogs (reader_dialogs.py,
imported when first used). `install` makes them the screen's actions and message handlers."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING

from textual.message import Message

from arxiv_tui.tui.messages import (
    ArxivPage,
    CountsFound,
    DownloadDone,
    LibraryFound,
    Notices,
    Ranked,
    SavedFound,
    ScholarFound,
    SearchFailed,
    SimilarFound,
    StarredLoaded,
    TaggedLoaded,
    ViewFound,
)
from arxiv_tui.tui.screens import reader_explore as explore
from arxiv_tui.tui.screens import reader_links as links
from arxiv_tui.tui.screens import reader_scholar as scholar
from arxiv_tui.tui.screens import reader_search as search
from arxiv_tui.tui.screens import reader_selection as selection
from arxiv_tui.tui.screens import reader_triage as triage
from arxiv_tui.tui.screens import reader_views as views
from arxiv_tui.tui.widgets.search_bar import ARXIV, LIBRARY, VIEW, SearchBar

if TYPE_CHECKING:
    from arxiv_tui.tui.screens.reader import ReaderScreen


def dialog(name: str) -> Callable[[ReaderScreen], None]:
    """A dialog of reader_dialogs.py, imported when first opened (not at start)."""
    return lambda screen: getattr(import_module("arxiv_tui.tui.screens.reader_dialogs"), name)(screen)


def toggle_star(screen: ReaderScreen) -> None:
    if screen.reader.marking.selected:
        selection.star(screen)
    elif (paper := screen.current_paper) is not None:
        unstarring = screen.reader.marking.is_starred(paper.id)
        said = screen.reader.marking.set_starred(paper, not unstarring)
        screen.redraw_current()
        if unstarring:
            screen.notify(f"{said} · z to undo", timeout=4)


def toggle_read(screen: ReaderScreen) -> None:
    if screen.reader.marking.selected:
        selection.read(screen)
    elif (paper := screen.current_paper) is not None:
        screen.reader.marking.set_read([paper], not screen.reader.marking.is_read(paper.id))
        screen.redraw_current()


def tag(screen: ReaderScreen) -> None:
    if screen.reader.marking.selected:
        selection.tag(screen)
    else:
        dialog("tag")(screen)


def page_detail(screen: ReaderScreen, pages: int) -> None:
    from arxiv_tui.tui.widgets.paper_detail import PaperDetail

    detail = screen.query_one(PaperDetail)
    if pages > 0:
        detail.scroll_page_down(animate=False)
    else:
        detail.scroll_page_up(animate=False)


def jump_view(screen: ReaderScreen, number: int) -> None:
    if triage.jump_view(screen, number):
        views.switched(screen)


def refetch(screen: ReaderScreen) -> None:
    if screen.reader.offline:
        screen.notify("Offline (--offline): nothing is fetched. Start without it to fetch.", timeout=5)
    else:
        screen.start_refresh()


ACTIONS: dict[str, Callable[..., object]] = {
    # moving
    "cursor_down": lambda screen: screen.papers.move(1),
    "cursor_up": lambda screen: screen.papers.move(-1),
    "first": lambda screen: screen.papers.move_to(0),
    "last": lambda screen: screen.papers.move_to(len(screen.papers.rows) - 1),
    "page_down": lambda screen: screen.papers.page(1),
    "page_up": lambda screen: screen.papers.page(-1),
    "page_detail": page_detail,
    "open_paper": triage.read_full_size,
    "toggle_two_lines": lambda screen: screen.papers.set_two_lines(not screen.papers.two_lines),
    # reading and marking
    "next_unread": lambda screen: triage.to_unread(screen, 1),
    "previous_unread": lambda screen: triage.to_unread(screen, -1),
    "star_and_next": lambda screen: triage.decide(screen, star=True),
    "skip_and_next": lambda screen: triage.decide(screen, star=False),
    "toggle_star": toggle_star,
    "toggle_read": toggle_read,
    "mark_all_read": triage.mark_all_read,
    "undo": triage.undo,
    "note": dialog("note"),
    "tag": tag,
    "toggle_selected": selection.toggle,
    "pick_range": selection.pick_range,
    # views, sorting, filters, searches
    "jump_view": jump_view,
    "next_view": lambda screen: views.cycle(screen, 1),
    "previous_view": lambda screen: views.cycle(screen, -1),
    "toggle_unread_only": lambda screen: views.toggle(screen, "unread_only"),
    "toggle_code_only": lambda screen: views.toggle(screen, "code_only"),
    "cycle_sort": views.cycle_sort,
    "search": lambda screen: search.start(screen, VIEW),
    "search_library": lambda screen: search.start(screen, LIBRARY),
    "search_arxiv": lambda screen: search.start(screen, ARXIV),
    "save_search": dialog("save_search"),
    "delete_search": triage.delete_saved_search,
    "similar": views.similar,
    "citations": scholar.citations,
    "view_citations": scholar.view_counts,
    "elsewhere": scholar.elsewhere,
    "clear_search": views.back,
    # listings
    "older_listing": views.older,
    "newer_listing": views.newer,
    "refetch": refetch,
    # papers
    "open": links.open_links,
    "copy_link": links.copy_link,
    "copy_id": links.copy_id,
    "copy_bibtex": links.copy_bibtex,
    "download": links.download,
    "export": dialog("export"),
    # the app
    "keywords": dialog("keywords"),
    "help": dialog("help"),
}  # fmt: skip


def notices(screen: ReaderScreen, message: Notices) -> None:
    if message.copy:
        screen.app.copy_to_clipboard(message.copy)
    screen.tell(message.notices)


MESSAGES: dict[type[Message], Callable[..., object]] = {
    StarredLoaded: views.starred_loaded,
    TaggedLoaded: views.tagged_loaded,
    SavedFound: views.saved_found,
    Ranked: views.ranked,
    SimilarFound: views.similar_found,
    LibraryFound: search.library_found,
    ViewFound: search.view_found,
    SearchFailed: search.failed,
    SearchBar.Cleared: lambda screen, message: search.cleared(screen),
    ArxivPage: explore.page_came,
    ScholarFound: scholar.found,
    CountsFound: scholar.counts_found,
    Notices: notices,
    DownloadDone: lambda screen, message: screen.tell([message.notice]),
}  # fmt: skip


def install(screen_class: type) -> type:
    """Give the screen class an `action_<name>` for each action and an `on_<message>` for each
    message (Textual finds both by name)."""
    for name, run in ACTIONS.items():
        setattr(screen_class, f"action_{name}", run)
    for message_class, handle in MESSAGES.items():
        setattr(screen_class, message_class.handler_name, handle)
    return screen_class
