"""`T`: a paper's full text in the terminal, as arXiv's HTML of it has it (core/fulltext): the
paper as pieces of plain text in one scrolling view (widgets/document_view.py; nothing in the
paper is read as markup), `]` and `[` to the next
and previous section, `c` for the references cited on screen (enter goes to one, `b` comes
back), enter on a reference with an arXiv id to open that paper in the reader, `v` for the first
figure on screen as a picture, `escape` back to the list. Where the reader was is kept with the
text. Imported when first opened."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from arxiv_tui.core.base.text import truncate
from arxiv_tui.core.fulltext.document import (
    EQUATION,
    FIGURE,
    HEADING,
    ITEM,
    PARAGRAPH,
    TABLE,
    Block,
    Document,
    Reference,
    escape,
)
from arxiv_tui.core.sources.full_text import TextStore
from arxiv_tui.tui.widgets.document_view import DocumentView, Piece
from arxiv_tui.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from PIL.Image import Image


def block_text(block: Block) -> Text:
    if block.kind == HEADING:
        return Text(block.text, style="bold underline" if block.level == 1 else "bold")
    if block.kind == ITEM:
        return Text("  " * block.level + "• ") + Text(block.text)
    if block.kind == EQUATION:
        return Text("    " + block.text, style="italic")
    if block.kind == TABLE:
        lines = Text()
        for number, row in enumerate(block.rows):
            lines.append(" │ ".join(row) + "\n", style="bold" if number == 0 else "")
        return lines + Text(block.text, style="italic dim")
    if block.kind == FIGURE:
        return Text(block.text, style="italic dim")
    return Text(block.text)


def reference_text(reference: Reference) -> Text:
    arxiv = Text(f"  arXiv:{reference.arxiv_id}", style="cyan") if reference.arxiv_id else Text()
    return Text(f"{reference.label} ") + Text(reference.text) + arxiv


class PickScreen(ModalScreen[int | None]):
    """A short list to choose from (the references cited on screen, the passages to quote);
    enter dismisses with the chosen one's place in the list, escape with None."""

    CSS_PATH = "modal.tcss"
    BINDINGS = [Binding("escape", "dismiss", "Cancel", id="pick-cancel")]

    def __init__(self, heading: str, options: list[Text], help: str) -> None:
        super().__init__()
        self.heading = heading
        self.options = options
        self.help = help

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog elsewhere"):
            yield Static(Text(self.heading, style="bold"), classes="dialog-title")
            yield OptionList(*(Option(option) for option in self.options), id="pick-list")
            yield Static(self.help, classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)


class FullTextScreen(Screen[str | None]):
    """Dismissed with the arXiv id of a cited paper to open in the reader, or None."""

    BINDINGS = [
        Binding("escape,q", "leave", "Back", id="full-text-back"),
        Binding("right_square_bracket", "section(1)", "Sections ][", id="full-text-next"),
        Binding(
            "left_square_bracket", "section(-1)", "Previous section", id="full-text-previous", show=False
        ),
        Binding("c", "cited", "Cited here", id="full-text-cited"),
        Binding("b,backspace", "back", "Return", id="full-text-return"),
        Binding("enter", "open_reference", "Open the paper", id="full-text-open"),
        Binding("v", "figure", "Figure", id="full-text-figure"),
        Binding("n", "quote", "Quote in a note", id="full-text-quote"),
    ]

    def __init__(self, paper_id: str, document: Document, store: TextStore | None, position: int = 0) -> None:
        super().__init__()
        self.paper_id = paper_id
        self.document = document
        self.store = store
        self.position = position  # the block last at the top, as the library has it
        self.section = -1  # the heading last jumped to
        self.pieces = pieces_of(document)
        keys = {piece.key: index for index, piece in enumerate(self.pieces) if piece.key}
        self.blocks = [keys[f"block:{n}"] for n in range(len(document.blocks))]  # block -> piece
        self.headings = [self.blocks[n] for n, block in enumerate(document.blocks) if block.kind == HEADING]
        self.references = {r.anchor: keys[f"ref:{r.anchor}"] for r in document.references}
        self.current: Reference | None = None  # the reference gone to
        self.returns: list[float] = []  # where each jump to a reference left from
        # A figure's picture by the name the page gives it, or why there are none (the reader sets it).
        self.figures: Callable[[str], Image] | str = "No pictures here"
        self.images = "blocks"  # ui.images
        # The paper's note as kept, and how to keep a new one (the reader sets it).
        self.notes: tuple[Callable[[], str], Callable[[str | None], None]] | None = None

    def compose(self) -> ComposeResult:
        yield DocumentView(self.pieces, id="full-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = f"{self.paper_id}: {self.document.title}"
        self.scroller.focus()
        if 0 < self.position < len(self.blocks):
            self.call_after_refresh(self.scroller.show_at_top, self.blocks[self.position])

    @property
    def scroller(self) -> DocumentView:
        return self.query_one("#full-text", DocumentView)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return bool(self.returns)
        if action == "open_reference":
            return bool(self.current and self.current.arxiv_id)
        return True

    # --- where the reader is ----------------------------------------------------------------------

    def on_screen(self) -> range:
        """The blocks at least partly on screen."""
        shown = self.scroller.on_screen()
        inside = [n for n, piece in enumerate(self.blocks) if piece in shown]
        return range(inside[0], inside[-1] + 1) if inside else range(0)

    def action_leave(self, arxiv_id: str | None = None) -> None:
        """Back to the list (to `arxiv_id` in it, when given); where the reader is in the text is
        kept (in a worker)."""
        at, store, paper_id = self.on_screen().start, self.store, self.paper_id
        if store is not None and at != self.position and at < len(self.blocks):
            self.app.run_worker(lambda: store.set_position(paper_id, at), thread=True, exit_on_error=False)
        self.dismiss(arxiv_id)

    def action_section(self, step: int) -> None:
        if not self.headings:
            return
        self.section = max(0, min(len(self.headings) - 1, self.section + step))
        self.scroller.show_at_top(self.headings[self.section])

    # --- citations ---------------------------------------------------------------------------------

    def action_cited(self) -> None:
        cites = [anchor for n in self.on_screen() for anchor in self.document.blocks[n].cites]
        references = self.document.cited(cites)
        if not references:
            self.notify("Nothing on screen cites a reference", timeout=3)
            return
        options = [reference_text(reference) for reference in references]
        where = "enter goes to it in the references · esc closes"
        self.app.push_screen(
            PickScreen(f"Cited here ({len(references)})", options, where),
            lambda chosen: self.go_to_reference(None if chosen is None else references[chosen].anchor),
        )

    def go_to_reference(self, anchor: str | None) -> None:
        piece = self.references.get(anchor or "")
        if piece is None:
            return
        self.current = next(r for r in self.document.references if r.anchor == anchor)
        self.returns.append(self.scroller.scroll_y)
        self.scroller.highlight(piece)
        self.scroller.show_at_top(piece)
        self.refresh_bindings()

    def action_back(self) -> None:
        if self.returns:
            self.scroller.scroll_to(y=self.returns.pop(), animate=False, immediate=True)
            self.refresh_bindings()

    def action_figure(self) -> None:
        """v: the first figure on screen, as a picture (screens/picture.py)."""
        shown = [self.document.blocks[n] for n in self.on_screen()]
        figure = next((block for block in shown if block.kind == FIGURE and block.image), None)
        if figure is None:
            self.notify("No figure on screen", timeout=3)
            return
        if isinstance(self.figures, str):
            self.notify(self.figures, timeout=4, markup=False)
            return
        from arxiv_tui.tui.screens.picture import PictureScreen

        load = self.figures
        title = figure.text or figure.image
        self.app.push_screen(PictureScreen(title, 1, lambda _number, _width: load(figure.image), self.images))

    def action_quote(self) -> None:
        """n: a passage on screen (chosen from a list when there are several) added to the note
        as a Markdown quote with its section (the paper's words escaped: in a note they are
        text, not Markdown)."""
        if self.notes is None:
            return
        shown = [self.document.blocks[n] for n in self.on_screen()]
        passages = [block for block in shown if block.kind in (PARAGRAPH, ITEM, EQUATION)]
        if not passages:
            self.notify("Nothing on screen to quote", timeout=3)
            return
        if len(passages) == 1:
            self.quote(passages[0])
            return
        options = [Text(truncate(block.text, 300)) for block in passages]
        self.app.push_screen(
            PickScreen("Quote which passage in the note?", options, "enter quotes it · esc closes"),
            lambda chosen: None if chosen is None else self.quote(passages[chosen]),
        )

    def quote(self, passage: Block) -> None:
        """The note editor, `passage` added to the note as a quote with its section."""
        from arxiv_tui.tui.screens.dialogs import NoteScreen

        if self.notes is None:
            return
        current, keep = self.notes
        kept = current()
        quote = quoted(passage, self.document, self.paper_id)
        note = f"{kept}\n\n{quote}" if kept else quote
        self.app.push_screen(NoteScreen(self.document.title, note, kept), keep)

    def action_open_reference(self) -> None:
        if self.current is not None and self.current.arxiv_id:
            self.action_leave(self.current.arxiv_id)


def quoted(block: Block, document: Document, paper_id: str) -> str:
    """A block as a Markdown quote, with the section it is in."""
    before = document.blocks[: document.blocks.index(block)]
    section = next((b.text for b in reversed(before) if b.kind == HEADING), "")
    source = f"{paper_id}, {escape(section)}" if section else paper_id
    return f"> {escape(block.text)}\n>\n> — {source}"


def plain_of(block: Block) -> str:
    """About the text `block_text` makes of a block, for guessing its height."""
    return "\n".join([*(" │ ".join(row) for row in block.rows), block.text]) if block.rows else block.text


def pieces_of(document: Document) -> list[Piece]:
    """The document as the pieces the view shows, in reading order."""
    pieces = [Piece(Text(document.title, style="bold"))]
    if document.authors:
        pieces.append(Piece(Text(", ".join(document.authors), style="dim")))
    if document.abstract:
        pieces.append(Piece(Text("Abstract  ", style="bold") + Text(document.abstract)))
    for number, block in enumerate(document.blocks):
        following = document.blocks[number + 1].kind if number + 1 < len(document.blocks) else ""
        gap = 0 if block.kind == ITEM and following == ITEM else 1
        if block.kind == HEADING:
            pieces.append(Piece(Text(""), gap=0))
        # Built when first wrapped: opening a long paper makes no Text for what is not yet shown.
        pieces.append(Piece(partial(block_text, block), f"block:{number}", gap, plain_of(block)))
    pieces += [Piece(Text(f"[^{mark}] ", style="dim") + Text(note)) for mark, note in document.footnotes]
    if document.references:
        pieces.append(Piece(Text("References", style="bold underline")))
    pieces += [Piece(reference_text(r), f"ref:{r.anchor}") for r in document.references]
    if document.truncated:
        pieces.append(Piece(Text("(The page was longer than arxiv-tui reads; the rest is left out.)")))
    return pieces
