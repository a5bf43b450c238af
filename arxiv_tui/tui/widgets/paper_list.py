"""The list pane: one line per paper, and only the lines on screen are ever rendered.

A ScrollView with Textual's line API: the virtual height is the number of rows, and
`render_line` renders a row only when it is visible. Showing 45,000 papers costs what showing
40 does. (Textual's OptionList measures every option on each width change: 180 ms at start
with 1,500 papers.)
"""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from arxiv_tui.tui.model import Row
from arxiv_tui.tui.render import row_text


class PaperList(ScrollView, can_focus=True):
    """Papers of the current view; the cursor row's paper is `highlighted_id`."""

    COMPONENT_CLASSES = {"paper-list--cursor"}
    DEFAULT_CSS = """
    PaperList { height: 1fr; padding: 0; }
    PaperList > .paper-list--cursor { background: $block-cursor-blurred-background; }
    PaperList:focus > .paper-list--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    """
    BINDINGS = [
        Binding("down", "cursor_down", show=False),
        Binding("up", "cursor_up", show=False),
        Binding("home", "first", show=False),
        Binding("end", "last", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("enter", "select", show=False),
    ]

    class Highlighted(Message):
        """The cursor moved to another paper."""

        def __init__(self, paper_list: PaperList, row: Row) -> None:
            super().__init__()
            self.paper_list = paper_list
            self.row = row

        @property
        def control(self) -> PaperList:
            return self.paper_list

    show_dates = False  # label each row with its listing date (a listing of several days)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []
        self._index: dict[str, int] = {}
        self._texts: dict[int, Text] = {}  # row texts built so far (only rows that were shown)
        self._is_read: Callable[[str], bool] = lambda paper_id: False
        self._is_starred: Callable[[str], bool] = lambda paper_id: False
        self.cursor = 0

    # --- content --------------------------------------------------------------------------

    def show_rows(self, rows: list[Row], is_read, is_starred, keep: str | None = None) -> None:
        """Replace the rows, keeping the cursor on paper `keep` when it is still there."""
        self.rows = rows
        self._index = {row.paper.id: index for index, row in enumerate(rows)}
        self._texts.clear()
        self._is_read, self._is_starred = is_read, is_starred
        self.virtual_size = Size(self.size.width, len(rows))
        self.cursor = -1
        self.refresh()
        if rows:
            self.move_to(self._index.get(keep, 0) if keep is not None else 0)

    def refresh_row(self, row: Row) -> None:
        """Draw a row again (its read and star marks come from the state when it is drawn)."""
        index = self._index.get(row.paper.id)
        if index is not None:  # else the paper is not in this view
            self._texts.pop(index, None)
            self.refresh_line(index)

    def row_text(self, index: int) -> Text:
        text = self._texts.get(index)
        if text is None:
            row = self.rows[index]
            paper_id = row.paper.id
            text = row_text(
                row.paper,
                row.match,
                read=self._is_read(paper_id),
                starred=self._is_starred(paper_id),
                dated=self.show_dates,
            )
            self._texts[index] = text
        return text

    @property
    def highlighted_id(self) -> str | None:
        return self.rows[self.cursor].paper.id if 0 <= self.cursor < len(self.rows) else None

    # --- drawing --------------------------------------------------------------------------

    def refresh_line(self, index: int) -> None:
        y = index - self.scroll_offset.y
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.size.width
        base = self.rich_style
        if index >= len(self.rows):
            return Strip.blank(width, base)
        text = self.row_text(index).copy()
        text.truncate(max(width - 2, 1), overflow="ellipsis")
        segments = [Segment(" "), *text.render(self.app.console), Segment(" ")]
        cursor = self.get_component_rich_style("paper-list--cursor") if index == self.cursor else None
        styled = Segment.apply_style(segments, base, cursor)
        return Strip(styled).extend_cell_length(width, base + cursor if cursor else base).crop(0, width)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.rows))

    # --- moving ---------------------------------------------------------------------------

    def move_to(self, index: int) -> None:
        if not self.rows:
            return
        index = max(0, min(index, len(self.rows) - 1))
        if index == self.cursor:
            return
        previous, self.cursor = self.cursor, index
        self.refresh_line(previous)
        self.refresh_line(index)
        self.scroll_to_region(Region(0, index, 1, 1), animate=False, force=True, immediate=True)
        self.post_message(self.Highlighted(self, self.rows[index]))

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.rows) - 1)

    def action_page_down(self) -> None:
        self.move_to(self.cursor + max(self.size.height - 1, 1))

    def action_page_up(self) -> None:
        self.move_to(self.cursor - max(self.size.height - 1, 1))

    def action_select(self) -> None:
        if 0 <= self.cursor < len(self.rows):
            self.post_message(self.Highlighted(self, self.rows[self.cursor]))

    def on_click(self, event: events.Click) -> None:
        self.move_to(self.scroll_offset.y + event.y)
