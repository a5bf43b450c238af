"""The list pane: an OptionList, which renders only the visible lines (one widget for all rows)."""

from __future__ import annotations

import contextlib

from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from arxiv_tui.tui.model import Row
from arxiv_tui.tui.render import row_text


class PaperList(OptionList):
    """Papers of the current view; option ids are arXiv ids."""

    DEFAULT_CSS = """
    PaperList { height: 1fr; padding: 0; text-wrap: nowrap; text-overflow: ellipsis; }
    PaperList > .option-list--option { padding: 0 1; }
    """

    show_dates = False  # label each row with its listing date (a listing of several days)

    def show_rows(self, rows: list[Row], is_read, is_starred, keep: str | None = None) -> None:
        """Replace the rows, keeping the cursor on paper `keep` when it is still there."""
        options = [
            Option(
                row_text(
                    r.paper,
                    r.match,
                    read=is_read(r.paper.id),
                    starred=is_starred(r.paper.id),
                    dated=self.show_dates,
                ),
                id=r.paper.id,
            )
            for r in rows
        ]
        self.set_options(options)
        if not options:
            return
        index = 0
        if keep is not None:
            with contextlib.suppress(OptionDoesNotExist):
                index = self.get_option_index(keep)
        self.highlighted = index

    def refresh_row(self, row: Row, *, read: bool, starred: bool) -> None:
        with contextlib.suppress(OptionDoesNotExist):  # the paper is not in this view
            self.replace_option_prompt(
                row.paper.id,
                row_text(row.paper, row.match, read=read, starred=starred, dated=self.show_dates),
            )

    @property
    def highlighted_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None
