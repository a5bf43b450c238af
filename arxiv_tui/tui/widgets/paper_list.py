"""The list pane: one line per paper (or two), and only the lines on screen are ever rendered.

A ScrollView with Textual's line API: the virtual height is the number of lines, and
`render_line` renders a row only when it is visible. Showing 45,000 papers costs what showing
40 does. The row under the cursor is the reactive `cursor_row`: the screen watches it, so the
detail pane is drawn in the same frame as the cursor.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from rich.style import NULL_STYLE, Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from arxiv_tui.core.matching.views import FoldRow, Row
from arxiv_tui.core.models import PaperMarks
from arxiv_tui.tui.render import RowText, Runs, row_text, second_row


def category_width(rows: list[Row]) -> int:
    """The category column: wide enough for nine rows in ten (a rare long one is cut), 5 to 11."""
    lengths = sorted(len(row.paper.primary_category) for row in rows)
    return min(max(lengths[(len(lengths) * 9) // 10] if lengths else 5, 5), 11)


class PaperList(ScrollView, can_focus=True, inherit_bindings=False):  # keys: the screen's commands
    COMPONENT_CLASSES = {"paper-list--cursor", "paper-list--thumb"}
    # Textual's scrollbar redraws all its lines whenever the list scrolls: 6 ms of a 25 ms `j`.
    # The rows draw their own thumb in their last column instead (the wheel still scrolls).
    DEFAULT_CSS = """
    PaperList { height: 1fr; padding: 0; overflow-x: hidden; scrollbar-size-vertical: 0; }
    PaperList > .paper-list--thumb { color: $scrollbar; }
    PaperList > .paper-list--cursor { background: $block-cursor-blurred-background; }
    PaperList:focus > .paper-list--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    """

    # repaint=False: move_to redraws the two rows that changed, not the whole list
    cursor_row: reactive[Row | None] = reactive(None, init=False, always_update=True, repaint=False)

    def __init__(
        self,
        marks: Callable[[str], PaperMarks],
        *,
        id: str | None = None,
        two_lines: bool = False,
        picked: Callable[[str], bool] = lambda paper_id: False,
        citations: Callable[[str], int | None] = lambda paper_id: None,
    ) -> None:
        super().__init__(id=id)
        self._citations = citations  # Semantic Scholar's count, once asked
        self._picked = picked  # whether a paper is picked for an action on several (✓)
        self.rows: list[Row] = []
        self._index: dict[str, int] = {}
        self._texts: dict[int, tuple[RowText, Text | None]] = {}  # row texts built so far (rows shown)
        # Their drawn lines, by row: a scroll draws every visible line again, and building them
        # (0.5 ms a line) made the keystroke that scrolls the list the slowest one.
        self._strips: dict[int, dict[tuple, Strip]] = {}
        self._marks = marks
        self.show_dates = False  # label each row with its listing date (several days, a search)
        self.two_lines = two_lines  # a second line a row: authors and matched keywords
        self.category_width = 8
        self.cursor = -1
        self._base = Style()  # the widget's style, as of the lines being drawn
        self._thumb = (0, 0)  # the lines (from, to) of the scroll thumb, as of the lines being drawn
        self._thumb_style = Style()
        self._styles: dict[tuple[str, Style, Style | None], Style] = {}  # a run's style in a line
        self._when_drawn: list[Callable[[], None]] = []

    @property
    def lines_per_row(self) -> int:
        return 2 if self.two_lines else 1

    # --- content --------------------------------------------------------------------------

    def show_rows(
        self, rows: list[Row], keep: str | None = None, dated: bool = False, grown: bool = False
    ) -> None:
        """Replace the rows, keeping the cursor on paper `keep` when it is still there. `grown`:
        the rows shown are unchanged and more follow them (the rest of a search's answer), so
        when they are the same papers, they stay drawn as they are and so does the cursor."""
        if grown and self._grow(rows, dated):
            return
        same_papers = len(rows) == len(self.rows) and all(
            new.paper is old.paper for new, old in zip(rows, self.rows, strict=True)
        )
        self.rows = rows
        self.show_dates = dated
        if not same_papers:  # (a refetch shows 50,000 starred papers twice: 25 ms saved of 50)
            self._index = {row.paper.id: index for index, row in enumerate(rows)}
            self.category_width = category_width(rows)
        self._forget()
        self._set_height()
        self.cursor = -1
        self.refresh()
        if rows:
            self.move_to(self._index.get(keep, 0) if keep is not None else 0)
        else:
            self.cursor_row = None

    def _grow(self, rows: list[Row], dated: bool) -> bool:
        """Add the rows after those shown; False (nothing done) when they do not follow them."""
        shown = len(self.rows)
        if (
            len(rows) < shown
            or dated != self.show_dates
            or any(new.paper is not old.paper for new, old in zip(rows, self.rows, strict=False))
            or category_width(rows) != self.category_width
        ):
            return False
        self._index.update((row.paper.id, index) for index, row in enumerate(rows[shown:], shown))
        self.rows = rows
        self._set_height()
        self.refresh()  # the scroll thumb is drawn in the rows: it shrank
        return True

    def set_two_lines(self, two_lines: bool) -> None:
        self.two_lines = two_lines
        self._forget()
        self._set_height()
        self.refresh()
        if 0 <= self.cursor < len(self.rows):
            self._scroll_to_cursor()

    def _set_height(self) -> None:
        """The height scrolled over follows the rows, without the layout of the whole screen that
        setting `virtual_size` asks for (20 ms on the reader, for each search answering a
        different number of rows): the list's own size does not depend on its rows. What
        Textual's ScrollView does when its size changes is done instead (scrollbars, offsets)."""
        size = Size(self.size.width, len(self.rows) * self.lines_per_row)
        if size != self.virtual_size:
            self.set_reactive(PaperList.virtual_size, size)
            self._scroll_update(size)

    def redraw_all(self) -> None:
        """Draw every row again (marks changed on many papers at once)."""
        self._forget()
        self.refresh()

    def refresh_paper(self, paper_id: str) -> None:
        """Draw a paper's row again (its marks changed)."""
        index = self._index.get(paper_id)
        if index is not None:  # else the paper is not in this view
            self._texts.pop(index, None)
            self._strips.pop(index, None)
            self.refresh_line(index)

    def _forget(self) -> None:
        self._texts.clear()
        self._strips.clear()

    def notify_style_update(self) -> None:
        self._strips.clear()  # a theme's colours: drawn again
        super().notify_style_update()

    def holds(self, paper_id: str) -> bool:
        return paper_id in self._index

    def texts(self, index: int) -> tuple[RowText, Text | None]:
        """A row's first line and, with two lines a row, its second."""
        texts = self._texts.get(index)
        if texts is None and isinstance(row := self.rows[index], FoldRow):
            folded = RowText([("  ▸ ", "")], [(row.paper.title, "italic")], [], [])
            texts = self._texts[index] = (folded, Text("") if self.two_lines else None)
        if texts is None:
            row = self.rows[index]
            marks = self._marks(row.paper.id)
            dated, width = self.show_dates, self.category_width
            first = row_text(
                row.paper, row.match, read=marks.read, starred=marks.starred, dated=dated,
                category_width=width, two_lines=self.two_lines, tags=marks.tags,
                picked=self._picked(row.paper.id), citations=self._citations(row.paper.id),
            )  # fmt: skip
            second = None
            if self.two_lines:
                second = second_row(
                    row.paper, row.match, dated=dated, category_width=width, tags=marks.tags,
                    citations=self._citations(row.paper.id),
                )  # fmt: skip
            texts = self._texts[index] = (first, second)
        return texts

    def row_text(self, index: int) -> Text:
        """What a row says, as one line of plain text (both lines of a two-line row)."""
        first, second = self.texts(index)
        return first.whole if second is None else Text.assemble(first.whole, " ", second.plain.strip())

    @property
    def highlighted_id(self) -> str | None:
        return self.rows[self.cursor].paper.id if 0 <= self.cursor < len(self.rows) else None

    # --- drawing --------------------------------------------------------------------------

    def refresh_line(self, index: int) -> None:
        y = index * self.lines_per_row - self.scroll_offset.y
        if -self.lines_per_row < y < self.size.height:
            self.refresh(Region(0, y, self.size.width, self.lines_per_row))

    def when_drawn(self, callback: Callable[[], None]) -> None:
        """Call `callback` once the rows are drawn: after the frame that draws them is written."""
        self._when_drawn.append(callback)
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        """Textual asks for every line at once: the style every line shares is worked out once
        (walking the widget's ancestors costs more than a cached line)."""
        for callback in self._when_drawn:
            self.call_later(callback)  # a message: handled once the frame being drawn is done
        self._when_drawn.clear()
        self._base = self.rich_style
        self._thumb = self._thumb_lines()
        self._thumb_style = Style(color=self.get_component_rich_style("paper-list--thumb").color)
        return super().render_lines(crop)

    def _thumb_lines(self) -> tuple[int, int]:
        """Which lines of the widget the scroll thumb covers; none when every row fits."""
        height, total = self.size.height, self.virtual_size.height
        if total <= height or height <= 0:
            return (0, 0)
        size = max(1, round(height * height / total))
        start = round(self.scroll_offset.y * (height - size) / (total - height))
        return (start, start + size)

    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        index, part = divmod(line, self.lines_per_row)
        width = self.size.width
        base = self._base
        if index >= len(self.rows):
            return Strip.blank(width, base)
        cursor = self.get_component_rich_style("paper-list--cursor") if index == self.cursor else None
        drawn = self._strips.setdefault(index, {})
        thumb = self._thumb[0] <= y < self._thumb[1]
        key = (part, width, base, cursor, thumb)
        strip = drawn.get(key)
        if strip is None:
            first, second = self.texts(index)
            background = base + cursor if cursor else base
            runs = first.runs(max(width - 2, 1)) if part == 0 or second is None else None
            if runs is not None:
                styled = [
                    Segment(" ", background),
                    *self._segments(runs, base, cursor),
                    Segment(" ", background),
                ]
            else:
                if part == 0 or second is None:
                    text = first.fit(max(width - 2, 1))
                else:
                    text = second.copy()
                    text.truncate(max(width - 2, 1), overflow="ellipsis")
                segments = [Segment(" "), *text.render(self.app.console), Segment(" ")]
                styled = list(Segment.apply_style(segments, base, cursor))
            strip = Strip(styled).extend_cell_length(width, background).crop(0, width)
            if thumb and width > 1:
                bar = Strip([Segment("▐", background + self._thumb_style)])
                strip = Strip.join([strip.crop(0, width - 1), bar])
            drawn[key] = strip
        return strip

    def _segments(self, runs: Runs, base: Style, cursor: Style | None) -> list[Segment]:
        """A row's runs as segments in the line's style (the base, the run's, the cursor's), as
        Segment.apply_style makes them; each style string parsed once."""
        styles = self._styles
        segments = []
        for piece, name in runs:
            key = (name, base, cursor)
            style = styles.get(key)
            if style is None:
                style = styles[key] = base + self.app.console.get_style(name) + (cursor or NULL_STYLE)
            segments.append(Segment(piece, style))
        return segments

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.rows) * self.lines_per_row)

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
        self._scroll_to_cursor()
        self.cursor_row = self.rows[index]

    def _scroll_to_cursor(self) -> None:
        lines = self.lines_per_row
        region = Region(0, self.cursor * lines, 1, lines)
        self.scroll_to_region(region, animate=False, force=True, immediate=True)

    def move(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def page(self, pages: int) -> None:
        self.move_to(self.cursor + pages * max(self.size.height // self.lines_per_row - 1, 1))

    def on_click(self, event: events.Click) -> None:
        self.move_to((self.scroll_offset.y + event.y) // self.lines_per_row)
