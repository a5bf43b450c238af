"""Which papers the reader shows: switching views (the starred and tag views load their rows
in a worker), the unread and code filters, sorting (For you ranks in a worker), "more like
this", going back from a view that was opened from another, and older or newer listings."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from arxiv_tui.core.matching.views import FOR_YOU, STARRED
from arxiv_tui.tui.messages import (
    ListingLoaded,
    Ranked,
    SavedFound,
    SimilarFound,
    StarredLoaded,
    TaggedLoaded,
)

if TYPE_CHECKING:
    from arxiv_tui.tui.screens.reader import ReaderScreen


def switched(screen: ReaderScreen) -> None:
    """The view changed: show it, loading the rows of the starred or a tag view."""
    reader = screen.reader
    if reader.viewing.view == STARRED:

        def load() -> None:
            screen.post_message(StarredLoaded(*reader.find.starred()))

        screen.work(load, "starred")
    elif (tag := reader.viewing.tag) is not None:

        def load_tag() -> None:
            screen.post_message(TaggedLoaded(tag, *reader.find.tagged(tag)))

        screen.work(load_tag, "tagged")
    screen.sync()


def cycle(screen: ReaderScreen, step: int) -> None:
    screen.reader.viewing.cycle_view(step)
    switched(screen)


def toggle(screen: ReaderScreen, name: str) -> None:
    """Turn a filter of the Reader (unread_only, code_only) on or off."""
    setattr(screen.reader.viewing, name, not getattr(screen.reader.viewing, name))
    screen.sync()


def cycle_sort(screen: ReaderScreen) -> None:
    reader = screen.reader
    reader.viewing.cycle_sort()
    if reader.viewing.sort == FOR_YOU and not reader.viewing.scores:
        screen.work(lambda: screen.post_message(Ranked(*reader.find.ranked())), "rank")
    screen.sync(keep="")


def ranked(screen: ReaderScreen, message: Ranked) -> None:
    if message.listing is screen.reader.viewing.listing and screen.reader.viewing.sort == FOR_YOU:
        screen.reader.viewing.scores = message.scores
        screen.sync(keep="")  # the best match first, as the sort was asked for


def similar(screen: ReaderScreen) -> None:
    """`m`: the library's papers most like the one under the cursor, as a view."""
    paper = screen.current_paper
    if paper is not None:
        screen.work(lambda: screen.post_message(SimilarFound(*screen.reader.find.like(paper))), "similar")


def similar_found(screen: ReaderScreen, message: SimilarFound) -> None:
    if not message.found.papers:
        screen.notify("Nothing in your library is like this paper yet", timeout=4)
        return
    screen.reader.show_similar(message.found, message.marks)
    screen.sync(keep="")


def back(screen: ReaderScreen) -> None:
    """Esc: out of the full-size paper, the picks, the citations or similar papers (to the view
    they were opened from, on the paper they were opened for), or the search."""
    from arxiv_tui.tui.screens import reader_selection, reader_triage

    reader = screen.reader
    if screen.has_class("-reading"):
        reader_triage.read_full_size(screen)  # back to the list
    elif reader_selection.clear(screen):
        pass
    elif (paper_id := reader.viewing.go_back()) is not None:
        screen.sync(keep=paper_id or None)
    elif screen.search.close():
        screen.papers.focus()


def step(screen: ReaderScreen, day: dt.date | None, nothing: str) -> None:
    """Show the listing of `day` (the next older or newer one), or say there is none."""
    if day is None:
        screen.notify(nothing, timeout=3)
        return

    def load() -> None:
        loaded = screen.reader.find.listing(day)
        if loaded is not None:
            screen.post_message(ListingLoaded(loaded))

    screen.work(load, "listing")


def older(screen: ReaderScreen) -> None:
    step(screen, screen.reader.find.older_date(), "No older listing in the library")


def newer(screen: ReaderScreen) -> None:
    step(screen, screen.reader.find.newer_date(), "This is the newest listing")


def starred_loaded(screen: ReaderScreen, message: StarredLoaded) -> None:
    screen.reader.show_starred(message.rows, message.marks)
    screen.sync()


def tagged_loaded(screen: ReaderScreen, message: TaggedLoaded) -> None:
    screen.reader.show_tagged(message.tag, message.rows, message.marks)
    if screen.reader.viewing.tag == message.tag:
        screen.sync()


def saved_found(screen: ReaderScreen, message: SavedFound) -> None:
    """The saved searches' answers: their counts, and the view when one of them is shown."""
    screen.reader.show_saved(message.found, message.marks)
    if screen.reader.viewing.saved_name is not None:
        screen.sync()
    else:
        screen.sync_status()
