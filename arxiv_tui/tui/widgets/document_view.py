"""The full text's reading pane: every piece of the paper as lines of one scrolling widget
(Textual's line API), so opening a long paper costs the lines on screen, not a widget for each
paragraph. Pieces are wrapped to the width in order from the top: those on screen (and every one
above them) before a frame needs them, the rest a slice at a time on a timer after the first
frame, so the scrollbar settles without holding up a frame or a key. Everything shown is rich
Text built by the screen: nothing is read as markup here."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

PAD = 2  # columns left blank on each side
SLICE = 40  # pieces wrapped at a time once the first frame is out (about 4 ms)
SLICE_GAP = 0.02  # seconds between slices: frames and keys go first (a callback chain would not let them)


class Piece(NamedTuple):
    source: Text | Callable[[], Text]  # the text, or how to build it when it is first wrapped
    key: str = ""  # how the screen finds it: "block:12", "ref:bib.bib3"
    gap: int = 1  # blank lines after it
    plain: str | None = None  # its plain text, for the height guessed before it is wrapped

    @property
    def text(self) -> Text:
        return self.source() if callable(self.source) else self.source

    @property
    def plain_text(self) -> str:
        if self.plain is not None:
            return self.plain
        return self.text.plain


CURRENT = Style(bold=True, reverse=True)  # the piece gone to (a reference)


class DocumentView(ScrollView, can_focus=True):
    # No CSS of its own: new CSS on the first T would restyle every widget of the app (tens of ms).
    BINDINGS = [
        Binding("j,down", "lines(1)", "Down", show=False),
        Binding("k,up", "lines(-1)", "Up", show=False),
        Binding("space,pagedown", "pages(1)", "Page down", show=False),
        Binding("pageup", "pages(-1)", "Page up", show=False),
        Binding("g,home", "top", "Top", show=False),
        Binding("G,end", "end", "End", show=False),
    ]

    def __init__(self, pieces: list[Piece], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.styles.height = "1fr"
        self.pieces = pieces
        self.current = -1  # the piece shown highlighted
        self._width = 0
        self._lines: list[list[Strip] | None] = []
        self._heights: list[int] = []
        self._tops: list[int] = []
        self._exact = 0  # pieces wrapped, from the top

    # --- wrapping ------------------------------------------------------------------------------------

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        if width != self._width:
            reading = self.on_screen().start if self._tops and self.scroll_offset.y else 0
            self._width = width
            self._lines = [None] * len(self.pieces)
            self._heights = [self._estimate(piece, width) for piece in self.pieces]
            self._exact = 0
            self._settle()
            if reading:  # the piece at the top stays there, whatever the new width makes of the rest
                self.show_at_top(reading)
            self.set_timer(SLICE_GAP, self._wrap_more)

    @staticmethod
    def _estimate(piece: Piece, width: int) -> int:
        room = max(width - 2 * PAD, 1)
        return sum(len(part) // room + 1 for part in piece.plain_text.split("\n")) + piece.gap

    def _wrap(self, index: int) -> None:
        piece, room = self.pieces[index], max(self._width - 2 * PAD, 1)
        console = self.app.console
        margin = Segment(" " * PAD)
        strips = [Strip([margin, *line.render(console)]) for line in piece.text.wrap(console, room)]
        self._lines[index] = strips + [Strip.blank(0)] * piece.gap
        self._heights[index] = len(strips) + piece.gap

    def wrap_through(self, index: int) -> None:
        """Wrap every piece up to `index` (those above it too: nothing on screen moves later)."""
        index = min(index, len(self.pieces) - 1)
        if index < self._exact:
            return
        for number in range(self._exact, index + 1):
            self._wrap(number)
        self._exact = index + 1
        self._settle()

    def _settle(self) -> None:
        self._tops = [0, *accumulate(self._heights)]
        self.virtual_size = Size(self._width, self._tops[-1])

    def _wrap_more(self) -> None:
        if self._exact < len(self.pieces):
            self.wrap_through(self._exact + SLICE - 1)
            self.set_timer(SLICE_GAP, self._wrap_more)

    # --- drawing -------------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if not self._tops or line >= self._tops[-1]:
            return Strip.blank(width, self.rich_style)
        index = bisect_right(self._tops, line) - 1
        if index >= self._exact:  # a jump past what is wrapped (the end, the scrollbar dragged)
            self.wrap_through(index + self.size.height)
            index = bisect_right(self._tops, line) - 1
            self.refresh()  # the lines above may have moved: drawn again from the exact layout
        strips = self._lines[index] or []
        within = line - self._tops[index]
        strip = strips[within] if within < len(strips) else Strip.blank(0)
        style = self.rich_style
        if index == self.current and within < self._heights[index] - self.pieces[index].gap:
            style = style + CURRENT
        return (
            strip.crop(self.scroll_offset.x, self.scroll_offset.x + width)
            .extend_cell_length(width)
            .apply_style(style)
        )

    # --- for the screen ------------------------------------------------------------------------------

    def top_of(self, index: int) -> int:
        self.wrap_through(index)
        return self._tops[index]

    def show_at_top(self, index: int) -> None:
        self.scroll_to(y=self.top_of(index), animate=False, immediate=True)

    def on_screen(self) -> range:
        """The pieces at least partly on screen."""
        if not self._tops:
            return range(0)
        top = round(self.scroll_offset.y)
        first = bisect_right(self._tops, top) - 1
        last = bisect_right(self._tops, top + max(self.size.height - 1, 0)) - 1
        return range(max(first, 0), min(last + 1, len(self.pieces)))

    def action_lines(self, count: int) -> None:  # at once: an animated scroll is still drawing the next key
        self.scroll_to(y=self.scroll_offset.y + count, animate=False, immediate=True)

    def action_pages(self, count: int) -> None:
        self.scroll_to(
            y=self.scroll_offset.y + count * max(self.size.height - 2, 1), animate=False, immediate=True
        )

    def action_top(self) -> None:
        self.scroll_to(y=0, animate=False, immediate=True)

    def action_end(self) -> None:
        self.wrap_through(len(self.pieces) - 1)
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    def highlight(self, index: int) -> None:
        self.current = index
        self.refresh()
