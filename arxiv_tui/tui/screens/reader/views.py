"""Which papers the reader shows: views (v V 1-9; the starred and tag views load their rows in a
worker), the unread and code filters, sorting (For you ranks in a worker), "more like this",
saved searches deleted with D, and older or newer listings (< >)."""

from __future__ import annotations

import datetime as dt

from arxiv_tui.core.matching.views import FOR_YOU
from arxiv_tui.tui.messages import (
    ListingLoaded,
    Ranked,
    SavedFound,
    SimilarFound,
    StarredLoaded,
    TaggedLoaded,
)
from arxiv_tui.tui.screens.reader.base import ReaderBase


class Views(ReaderBase):
    def action_next_view(self) -> None:
        self.reader.viewing.cycle_view(1)
        self.view_switched()

    def action_previous_view(self) -> None:
        self.reader.viewing.cycle_view(-1)
        self.view_switched()

    def action_jump_view(self, number: int) -> None:
        """`1`-`9`: the view at that place in the views line."""
        views = self.reader.viewing.views()
        if not 1 <= number <= len(views):
            self.notify(f"There are {len(views)} views", timeout=2)
            return
        self.show_view(views[number - 1].key)

    def action_toggle_unread_only(self) -> None:
        viewing = self.reader.viewing
        viewing.unread_only = not viewing.unread_only
        self.sync()

    def action_toggle_code_only(self) -> None:
        viewing = self.reader.viewing
        viewing.code_only = not viewing.code_only
        self.sync()

    def action_cycle_sort(self) -> None:
        viewing = self.reader.viewing
        viewing.cycle_sort()
        viewing.unfolded = False  # For you folds its tail again
        if viewing.sort == FOR_YOU:
            viewing.scores = {}  # ranked again: the model has learned since
            self.to_top_when_ranked = True
        self.sync(keep="")

    def on_ranked(self, message: Ranked) -> None:
        viewing = self.reader.viewing
        viewing.scores.update(message.scores)
        if message.view == viewing.view and viewing.sort == FOR_YOU:
            top, self.to_top_when_ranked = self.to_top_when_ranked, False
            self.sync(keep="" if top else None)  # the best first, when the sort was asked for

    def action_similar(self) -> None:
        """`m`: the library's papers most like the one under the cursor, as a view."""
        paper = self.current_paper
        if paper is not None:
            self.work(lambda: self.post_message(SimilarFound(*self.reader.find.like(paper))), "similar")

    def on_similar_found(self, message: SimilarFound) -> None:
        if not message.found.papers:
            self.notify("Nothing in your library is like this paper yet", timeout=4)
            return
        self.reader.show_similar(message.found, message.marks)
        self.sync(keep="")

    def action_delete_search(self) -> None:
        """`D` twice in a saved search's view deletes it (z brings it back)."""
        name = self.reader.viewing.saved_name
        if name is None:
            self.notify("D deletes a saved search: switch to its view first", timeout=3)
            return
        if self.confirm_delete != name:
            self.confirm_delete = name
            self.notify(f"D again deletes the saved search {name!r} (z brings it back)", timeout=5)
            return
        self.confirm_delete = None
        self.notify(self.reader.delete_saved(name), timeout=5)
        self.sync()

    def on_saved_found(self, message: SavedFound) -> None:
        """The saved searches' answers: their counts, and the view when one of them is shown."""
        self.reader.show_saved(message.found, message.marks)
        if self.reader.viewing.saved_name is not None:
            self.sync()
        else:
            self.sync_status()

    def on_starred_loaded(self, message: StarredLoaded) -> None:
        self.reader.show_starred(message.rows, message.marks)
        self.sync()

    def on_tagged_loaded(self, message: TaggedLoaded) -> None:
        self.reader.show_tagged(message.tag, message.rows, message.marks)
        if self.reader.viewing.tag == message.tag:
            self.sync()

    # --- older and newer listings ------------------------------------------------------------------

    def action_older_listing(self) -> None:
        self.step(self.reader.find.older_date(), "No older listing in the library")

    def action_newer_listing(self) -> None:
        self.step(self.reader.find.newer_date(), "This is the newest listing")

    def step(self, day: dt.date | None, nothing: str) -> None:
        """Show the listing of `day` (the next older or newer one), or say there is none."""
        if day is None:
            self.notify(nothing, timeout=3)
            return

        def load() -> None:
            loaded = self.reader.find.listing(day)
            if loaded is not None:
                self.post_message(ListingLoaded(loaded))

        self.work(load, "listing")
