"""The list pane: one line per paper, and only the lines on screen are ever rendered.

A ScrollView with Textual's line API: the virtual height is the number of rows, and
`render_line` renders a row only when it is visible. Showing 45,000 papers costs what showing
40 does. The row under the cursor is the reactive `cursor_row`: the screen watches it, so the
detail pane is drawn in the same frame as the cursor.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from arxiv_tui.core.marks import PaperMarks
from arxiv_tui.core.views import Row
from arxiv_tui.tui.render import row_text


class PaperList(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {"paper-list--cursor"}
    DEFAULT_CSS = """
    PaperList { height: 1fr; padding: 0; overflow-x: hidden; }
    PaperList > .paper-list--cursor { background: $block-cursor-blurred-background; }
    PaperList:focus > .paper-list--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    """

    # repaint=False: move_to redraws the two rows that changed, not the whole list
    cursor_row: reactive[Row | None] = reactive(None, init=False, always_update=True, repaint=False)

    def __init__(self, marks: Callable[[str], PaperMarks], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []
        self._index: dict[str, int] = {}
        self._texts: dict[int, Text] = {}  # row texts built so far (only rows that were shown)
        self._marks = marks
        self.show_dates = False  # label each row with its listing date (several days, a search)
        self.cursor = -1

    # --- content --------------------------------------------------------------------------

    def show_rows(self, rows: list[Row], keep: str | None = None, dated: bool = False) -> None:
        """Replace the rows, keeping the cursor on paper `keep` when it is still there."""
        self.rows = rows
        self.show_dates = dated
        self._index = {row.paper.id: index for index, row in enumerate(rows)}
        self._texts.clear()
        self.virtual_size = Size(self.size.width, len(rows))
        self.cursor = -1
        self.refresh()
        if rows:
            self.move_to(self._index.get(keep, 0) if keep is not None else 0)
        else:
            self.cursor_row = None

    def refresh_paper(self, paper_id: str) -> None:
        """Draw a paper's row again (its marks changed)."""
        index = self._index.get(paper_id)
        if index is not None:  # else the paper is not in this view
            self._texts.pop(index, None)
            self.refresh_line(index)

    def row_text(self, index: int) -> Text:
        text = self._texts.get(index)
        if text is None:
            row = self.rows[index]
            marks = self._marks(row.paper.id)
            text = row_text(
                row.paper, row.match, read=marks.read, starred=marks.starred, dated=self.show_dates
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
        self.cursor_row = self.rows[index]

    def move(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def page(self, pages: int) -> None:
        self.move_to(self.cursor + pages * max(self.size.height - 1, 1))

    def on_click(self, event: events.Click) -> None:
        self.move_to(self.scroll_offset.y + event.y)
