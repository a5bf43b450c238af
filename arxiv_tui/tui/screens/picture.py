"""Pictures in the terminal: a figure of a full text (`v` in T) or the pages of a downloaded PDF
(`P` in the reader), drawn by textual-image as `ui.images` says: Kitty graphics, Sixel, or
half-cell blocks (coloured cells any terminal shows; what "auto" means inside tmux, which passes
neither protocol on reliably). textual-image, Pillow and pypdfium2 are imported when the first
picture is shown, never at start. Each page is rendered in a worker; space/PgDn and
backspace/PgUp go through a PDF's pages, escape goes back."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from arxiv_tui.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from PIL.Image import Image

RENDER_WIDTH = 1_600  # pixels a page is rendered at: more than any terminal shows of it


def drawing_mode(mode: str, environ: Mapping[str, str] = os.environ) -> str:
    """ "kitty", "sixel" or "blocks" for `ui.images`. "auto" goes by what the environment says the
    terminal is (asking it, as textual-image does on import, would race Textual for its answer on
    stdin): Kitty graphics in kitty, Sixel where it is known to work, blocks inside tmux (which
    passes neither on reliably) and everywhere else."""
    if mode != "auto":
        return mode
    term, program = environ.get("TERM", ""), environ.get("TERM_PROGRAM", "")
    if environ.get("TMUX"):
        return "blocks"
    if term == "xterm-kitty" or environ.get("KITTY_WINDOW_ID"):
        return "kitty"
    if program in SIXEL_PROGRAMS or term.startswith(SIXEL_TERMS):
        return "sixel"
    return "blocks"


SIXEL_PROGRAMS = ("WezTerm", "iTerm.app", "vscode", "mintty")
SIXEL_TERMS = ("foot", "mlterm", "contour", "yaft", "xterm-sixel")


def picture_class(mode: str) -> Callable[[Image], Widget]:
    """The textual-image widget for `ui.images`. textual-image is imported now (the first picture
    pays for it) as if no terminal were attached: on import it would write a query to the
    terminal and read the answer from stdin, which Textual owns; the cell size it would ask the
    terminal for comes from the window size instead (10x20 pixels when the terminal gives none)."""
    from textual_image import _terminal

    if not hasattr(_terminal.get_cell_size, "_result"):  # textual-image's own cache of the answer
        size = _terminal.CellSize(10, 20)
        with contextlib.suppress(OSError, ZeroDivisionError, ValueError):
            rows, columns, width, height = _terminal.get_tiocgwinsz()
            if width and height:
                size = _terminal.CellSize(width // columns, height // rows)
        _terminal.get_cell_size._result = size  # type: ignore[attr-defined]
    saved = sys.__stdout__
    sys.__stdout__ = io.StringIO()  # type: ignore[misc,assignment]  # no terminal: nothing asked of it
    try:
        from textual_image import widget as pictures
    finally:
        sys.__stdout__ = saved  # type: ignore[misc]
    drawing = drawing_mode(mode)
    kinds: dict[str, Callable[[Image], Widget]] = {"kitty": pictures.TGPImage, "sixel": pictures.SixelImage}
    return kinds.get(drawing, pictures.HalfcellImage)


class PictureScreen(Screen[None]):
    DEFAULT_CSS = """
    PictureScreen #picture-title { height: 1; padding: 0 1; background: $boost; }
    PictureScreen #picture { height: 1fr; align: center middle; }
    PictureScreen #picture > * { width: auto; height: auto; max-width: 100%; max-height: 100%; }
    """
    BINDINGS = [
        Binding("escape,q", "dismiss", "Back", id="picture-back"),
        Binding("space,pagedown,j,right", "page(1)", "Next page", id="picture-next"),
        Binding("backspace,pageup,k,left", "page(-1)", "Previous page", id="picture-previous"),
    ]

    def __init__(
        self, title: str, pages: int, render: Callable[[int, int], Image], mode: str,
        closing: Callable[[], object] | None = None,
    ) -> None:  # fmt: skip
        """`render(number, width)`: page `number` (0-based) as an image `width` pixels wide, in a
        worker; `closing`: called when the screen goes (a PDF's file closed)."""
        super().__init__()
        self.heading = title
        self.pages = pages
        self.render_page = render
        self.mode = mode
        self.closing = closing
        self.number = 0
        self.shown = -1  # the page drawn now

    def compose(self) -> ComposeResult:
        yield Static(Text(self.heading), id="picture-title")
        yield Container(id="picture")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.heading
        self.show(0)

    def on_unmount(self) -> None:
        if self.closing is not None:
            self.closing()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.pages > 1 if action == "page" else True

    def action_page(self, step: int) -> None:
        number = max(0, min(self.pages - 1, self.number + step))
        if number != self.number:
            self.show(number)

    def show(self, number: int) -> None:
        self.number = number
        suffix = f"  ·  page {number + 1} of {self.pages}" if self.pages > 1 else ""
        self.query_one("#picture-title", Static).update(Text(self.heading + suffix))
        self.draw(number)

    @work(thread=True, exclusive=True, group="picture", exit_on_error=False)
    def draw(self, number: int) -> None:
        try:
            image = self.render_page(number, RENDER_WIDTH)
        except ValueError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        self.app.call_from_thread(self.place, number, image)

    def place(self, number: int, image: Image) -> None:
        if number != self.number:
            return  # a later page was asked for meanwhile
        holder = self.query_one("#picture", Container)
        holder.remove_children()
        try:
            drawn = picture_class(self.mode)(image)
        except Exception as error:  # a protocol textual-image cannot set up here: blocks instead
            self.notify(f"Pictures in half-cell blocks ({self.mode} failed: {error})", markup=False)
            self.mode = "blocks"
            drawn = picture_class("blocks")(image)
        holder.mount(drawn)
        self.shown = number
