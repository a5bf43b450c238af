"""The detail pane: the highlighted paper in full.

It shows whatever its reactive `shown` holds (the screen binds it), wrapped to the pane's width
once and drawn line by line as it scrolls (a Static made Textual lay out the whole screen on
every `j`). A new theme or a new width wraps it again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from rich.console import Group, RenderableType
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from arxiv_tui.core.matching.match import Term
from arxiv_tui.core.matching.views import Row
from arxiv_tui.core.models import PaperMarks

if TYPE_CHECKING:
    from arxiv_tui.core.ranking.ranker import Rank
    from arxiv_tui.core.sources.scholar import ScholarPaper
from arxiv_tui.tui.render import detail_text, rendered_note


def note_view(note: str) -> RenderableType:
    """The user's note rendered as Markdown (rich's renderer, imported with the first note):
    the user wrote it, so its Markdown is read, as nothing from the network ever is."""
    from rich.markdown import Markdown

    return Group(Text("\nNote", style="bold underline"), Markdown(note, hyperlinks=False))


class Said(NamedTuple):
    """What the user's model said of the paper (the assistant), as the pane shows it."""

    tldr: str = ""  # on its line near the top, with what it is not ("of v1; v2 is out")
    heading: str = ""  # "Summary by qwen3:8b, of v2's full text"
    summary: str = ""  # Markdown, as the model wrote it
    note: str = ""  # what it is not ("of v1; v3 is out"), or what is happening ("thinking…", a failure)


def said_view(said: Said) -> RenderableType:
    """The model's summary: text, never markup; its Markdown read with links shown as text."""
    parts: list[RenderableType] = []
    if said.heading:
        parts.append(Text("\n" + said.heading, style="bold underline"))
    if said.summary:
        from rich.markdown import Markdown

        parts.append(Markdown(said.summary, hyperlinks=False))
    if said.note:
        parts.append(Text(said.note, style="italic dim"))
    return Group(*parts)


EMPTY = Text("No paper to show. Press v to switch views, K to edit keywords, ? for help.", style="dim")


class Shown(NamedTuple):
    """Everything the pane shows of one paper."""

    row: Row
    marks: PaperMarks
    rank: Rank | None = None  # For you's: the chance of a keep, and why
    searched: tuple[Term, ...] = ()  # what a search looked for: highlighted too
    scholar: ScholarPaper | None = None  # what Semantic Scholar said of it, if asked
    context: str = ""  # what the view is, said above the paper (the words "more like this" used)
    offline: str = ""  # what of it reads offline (its full text, its PDF), in words
    said: Said | None = None  # what the user's model said of it


class PaperDetail(ScrollView, can_focus=True):
    DEFAULT_CSS = "PaperDetail { padding: 0 1; overflow-x: hidden; }"
    BINDINGS = [
        Binding("down,j", "scroll_down", show=False),  # with the pane focused, j and k scroll it
        Binding("up,k", "scroll_up", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("home", "scroll_home", show=False),
        Binding("end", "scroll_end", show=False),
    ]
    HIGHLIGHT = "bold black on yellow"
    SEARCHED = "bold black on cyan"

    shown: reactive[Shown | None] = reactive(None, init=False)
    empty: reactive[str] = reactive("", init=False)  # what to say instead of EMPTY, when no paper

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = EMPTY
        self.note: RenderableType | None = None  # the user's note as Markdown, after the rest
        self.said: RenderableType | None = None  # the model's words, before the note
        self._lines: list[Strip] = []
        self._width = 0
        self._blank = Strip.blank(0)  # the line below the text
        self._paper_id = ""  # the paper shown
        self.said_at = 0  # the line the model's words begin on

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda theme: self._rewrap())

    def watch_empty(self) -> None:
        if self.shown is None:
            self.watch_shown(None)

    def watch_shown(self, shown: Shown | None) -> None:
        if shown is None:
            self.text = Text(self.empty, style="dim") if self.empty else EMPTY
        else:
            self.text = detail_text(
                shown.row.paper,
                shown.row.match,
                marks=shown.marks,
                highlight=self.HIGHLIGHT,
                rank=shown.rank,
                searched=shown.searched,
                searched_style=self.SEARCHED,
                scholar=shown.scholar,
                context=shown.context,
                offline=shown.offline,
                tldr=shown.said.tldr if shown.said is not None else "",
            )
        note = shown.marks.note if shown is not None else ""
        self.note = note_view(note) if note and rendered_note(note) else None
        said = shown.said if shown is not None else None
        self.said = said_view(said) if said is not None and (said.heading or said.note) else None
        if shown is None or self._paper_id != shown.row.paper.id:  # the same paper: its words grew
            self.scroll_to(0, 0, animate=False, immediate=True)
        self._paper_id = shown.row.paper.id if shown is not None else ""
        self._rewrap()

    def _rewrap(self) -> None:
        self._width = 0
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
        self._lines = []
        for part in (self.text, self.said, self.note):  # one after another, as a Group draws them
            if part is self.said:
                self.said_at = len(self._lines)
            if part is not None:
                self._lines += [
                    Strip(Segment.apply_style(list(line), base)).extend_cell_length(width, base)
                    for line in console.render_lines(part, options, pad=False)
                ]
        self._set_virtual_height(len(self._lines))

    def show_said(self) -> None:
        """Scroll to where the model's summary begins (E: it streams there)."""
        self._wrap()
        self.scroll_to(y=self.said_at, animate=False, immediate=True)

    def _set_virtual_height(self, lines: int) -> None:
        """Tell the scrollbar how long the text is, laying out the screen only when it must.

        Setting `virtual_size` lays out (and so repaints) the whole screen: it did on every `j`,
        as each paper has its own length. Now every paper that fits is 0 lines high, so moving
        among them changes nothing, and while the scrollbar stays as it was only its thumb is
        updated. (Not the pane's height: Textual compares that with the size it laid out, and
        would not see a scrollbar to hide.)
        """
        visible = self.scrollable_content_region.height
        new = Size(self._width, lines if lines > visible else 0)
        old = self.virtual_size
        if new == old:
            return
        if old.width == new.width and (old.height > visible) == (new.height > visible):
            self.set_reactive(PaperDetail.virtual_size, new)
            if self.show_vertical_scrollbar:
                self.vertical_scrollbar.window_virtual_size = new.height
                self.vertical_scrollbar.refresh()
        else:
            self.virtual_size = new

    def on_resize(self, event: events.Resize) -> None:
        self._wrap()

    def render_lines(self, crop: Region) -> list[Strip]:
        """Wrapped (when the width changed) once for all the lines Textual asks for at once."""
        self._wrap()
        self._blank = Strip.blank(self._width, self.rich_style)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        return self._lines[index] if index < len(self._lines) else self._blank
