"""The detail pane: the highlighted paper in full.

A ScrollView with the line API, like the list: a new paper is wrapped to the pane's width once
and its lines are drawn as they scroll into view. Updating a Static instead made Textual lay out
the whole screen on every `j` (15 ms of the 17 ms a keypress took).
"""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

EMPTY = Text("No paper to show. Press v to switch views, K to edit keywords, ? for help.", style="dim")


class PaperDetail(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    PaperDetail { padding: 0 1; }
    """
    BINDINGS = [
        Binding("down", "scroll_down", show=False),
        Binding("up", "scroll_up", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("home", "scroll_home", show=False),
        Binding("end", "scroll_end", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = EMPTY
        self._lines: list[Strip] = []
        self._width = 0

    def show(self, text: Text | None) -> None:
        self.text = text if text is not None else EMPTY
        self._width = 0  # wrap again at the next draw
        self.scroll_to(0, 0, animate=False, immediate=True)
        self._wrap()
        self.refresh()

    def _wrap(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._width:
            return
        self._width = width
        console = self.app.console
        options = console.options.update_width(width)
        base = self.rich_style
        self._lines = [
            Strip(Segment.apply_style(list(line), base)).extend_cell_length(width, base)
            for line in console.render_lines(self.text, options, pad=False)
        ]
        self.virtual_size = Size(width, len(self._lines))

    def on_resize(self, event: events.Resize) -> None:
        self._wrap()

    def render_line(self, y: int) -> Strip:
        self._wrap()
        index = self.scroll_offset.y + y
        if index >= len(self._lines):
            return Strip.blank(self.scrollable_content_region.width, self.rich_style)
        return self._lines[index]
