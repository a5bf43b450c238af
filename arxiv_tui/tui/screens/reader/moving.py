"""Moving through the list: the cursor, pages, the next unread paper, the abstract's pages, and
Enter for the paper full-size (which reads it)."""

from __future__ import annotations

from arxiv_tui.core.matching.views import FoldRow
from arxiv_tui.core.session.marking import READ
from arxiv_tui.tui.screens.reader.base import ReaderBase
from arxiv_tui.tui.widgets.paper_detail import PaperDetail


class Moving(ReaderBase):
    def action_cursor_down(self) -> None:
        self.papers.move(1)

    def action_cursor_up(self) -> None:
        self.papers.move(-1)

    def action_first(self) -> None:
        self.papers.move_to(0)

    def action_last(self) -> None:
        self.papers.move_to(len(self.papers.rows) - 1)

    def action_page_down(self) -> None:
        self.papers.page(1)

    def action_page_up(self) -> None:
        self.papers.page(-1)

    def action_page_detail(self, pages: int) -> None:
        """Space (and its reverse): page the abstract without leaving the list."""
        detail = self.query_one(PaperDetail)
        if pages > 0:
            detail.scroll_page_down(animate=False)
        else:
            detail.scroll_page_up(animate=False)

    def action_toggle_two_lines(self) -> None:
        self.papers.set_two_lines(not self.papers.two_lines)

    def action_next_unread(self) -> None:
        self.to_unread(1)

    def action_previous_unread(self) -> None:
        self.to_unread(-1)

    def action_open_paper(self) -> None:
        """Enter: the paper full-size (the list hidden), and read; Enter or Esc again to go back.
        On For you's folded row, the papers it folds are shown (nothing is marked)."""
        row = self.papers.cursor_row
        if isinstance(row, FoldRow) and row.folded:
            self.reader.viewing.unfolded = True
            self.sync(keep=row.folded[0].paper.id)
            return
        paper = self.current_paper
        if paper is None:
            return
        reading = not self.has_class("-reading")
        self.set_class(reading, "-reading")
        if reading:
            self.reader.marking.set_read([paper], decision=READ)
            self.redraw_current()
            self.query_one(PaperDetail).focus()
        else:
            self.papers.focus()
