"""The search bar: what it searches (the view, or the whole library), and the searches it runs.

Each keystroke is checked at once (a query that cannot run says why in `problem`) and searched
in an exclusive thread worker, so the newest keystroke's answer is the one shown. Answers are
posted as messages (ViewFound, LibraryFound, SearchFailed, Cleared) for the screen; a search
of the library posts two, its first rows and then the whole answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import Input
from textual.worker import get_current_worker

from arxiv_tui.core.base.errors import ArxivTuiError
from arxiv_tui.core.session.reader import Reader
from arxiv_tui.tui.messages import LibraryFound, SearchFailed, ViewFound

VIEW, LIBRARY, ARXIV = "view", "library", "arxiv"
# A search of the library answers with its first rows (more than a screenful), then all of them
# (up to 1,000): a keystroke's answer is on screen 10 ms sooner on a year's library.
FIRST_ROWS = 100
DRAWN_WAIT_STEPS = 20  # the rest waits for the first rows to be drawn 1 s at most (20 x 0.05 s)
PLACEHOLDERS = {
    ARXIV: 'all of arXiv (enter sends): words, "phrases", au: ti: abs: cat:, AND OR NOT, or an id or link',
    VIEW: 'search this view: words, "phrases", au:, ti:, cat:, note:, -word (esc closes)',
    LIBRARY: 'search the whole library: words, "phrases", au:, ti:, cat:, tag:, an arXiv id (esc closes)',
}


class SearchBar(Input):
    # Input sets `virtual_size` (its text's width) on every change of its value, and Widget's
    # reactive lays out the whole screen for it: 10-20 ms on the frame that echoes each key of
    # a search, which the frame with its answer then waited behind. The bar's own size never
    # depends on it (as wide as the screen, docked), so a repaint of the bar is all it needs.
    virtual_size = Reactive(Size(0, 0), layout=False)

    @dataclass
    class Cleared(Message):
        """The search was emptied or closed: the view is shown whole again."""

    def __init__(self, reader: Reader, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.reader = reader
        self.mode = ""  # "", VIEW or LIBRARY
        self.problem = ""  # why the text cannot be searched, if it cannot
        self.answered = ""  # the text whose answer is shown (the status line counts only that one)
        self.display = False

    def start(self, mode: str) -> None:
        if self.mode != mode:
            self.mode = mode
            self.value = ""
        self.placeholder = PLACEHOLDERS[mode]
        self.display = True
        self.screen.set_focus(self)  # now: focus() waits its turn behind keys already typed

    def close(self) -> bool:
        """Close the bar (False when it was not open)."""
        if not self.display:
            return False
        self.value = ""
        self.display = False
        self.mode = ""
        self.problem = ""
        self.post_message(self.Cleared())
        return True

    @on(Input.Changed)
    def typed(self, event: Input.Changed) -> None:
        event.stop()
        text = event.value
        if not text.strip():
            self.problem = ""
            self.post_message(self.Cleared())
            return
        if self.mode == ARXIV:  # checked as typed, sent only on enter (arXiv's terms)
            self.problem = ""
            return
        from arxiv_tui.core.matching.query import QueryError, parse_query  # a start needs neither

        try:
            parse_query(text, live=True)
        except QueryError as error:
            self.post_message(SearchFailed(text, str(error)))
            return
        mode, reader = self.mode, self.reader

        def search() -> None:
            try:
                if mode == LIBRARY:
                    worker = get_current_worker()
                    for found, marks in reader.find.in_library(text, live=True, first=FIRST_ROWS):
                        if worker.is_cancelled:
                            return  # a newer keystroke's search has started: the rest is not wanted
                        answer = LibraryFound(text, found, marks)
                        self.post_message(answer)
                        for _ in range(DRAWN_WAIT_STEPS):  # the rest once the first rows are drawn
                            if found.complete or answer.drawn.wait(0.05) or worker.is_cancelled:
                                break
                else:
                    query, hits = reader.find.in_view(text, live=True)
                    self.post_message(ViewFound(text, query, hits))
            except ArxivTuiError as error:
                self.post_message(SearchFailed(text, str(error)))

        self.run_worker(search, thread=True, group="search", exclusive=True, exit_on_error=False)

    def answers(self, text: str) -> bool:
        """Whether an answer for `text` is still wanted (nothing newer was typed)."""
        return bool(self.mode) and self.value == text
