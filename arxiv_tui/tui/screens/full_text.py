"""`T`: a paper's full text in the terminal, as arXiv's HTML of it has it (core/fulltext): each
block a widget of plain text (nothing in the paper is read as markup), `]` and `[` to the next
and previous section, `c` for the references cited on screen (enter goes to one, `b` comes
back), enter on a reference with an arXiv id to open that paper in the reader, `escape` back to
the list. Where the reader was is kept with the text. Imported when first opened."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from arxiv_tui.core.fulltext.document import (
    EQUATION,
    FIGURE,
    HEADING,
    ITEM,
    TABLE,
    Block,
    Document,
    Reference,
)
from arxiv_tui.core.sources.full_text import TextStore


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


class CitedScreen(ModalScreen[str | None]):
    """The references cited on screen; enter dismisses with the chosen one's anchor."""

    CSS_PATH = "modal.tcss"
    BINDINGS = [Binding("escape", "dismiss", "Cancel", id="cited-cancel")]

    def __init__(self, references: list[Reference]) -> None:
        super().__init__()
        self.references = references

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog elsewhere"):
            yield Static(Text(f"Cited here ({len(self.references)})", style="bold"), classes="dialog-title")
            yield OptionList(*(Option(reference_text(r)) for r in self.references), id="cited-list")
            yield Static("enter goes to it in the references · esc closes", classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.references[event.option_index].anchor)


class FullTextScreen(Screen[str | None]):
    """Dismissed with the arXiv id of a cited paper to open in the reader, or None."""

    DEFAULT_CSS = """
    FullTextScreen #full-text { padding: 0 2; }
    FullTextScreen .block { margin-bottom: 1; }
    FullTextScreen .heading { margin-top: 1; }
    FullTextScreen .item { margin-bottom: 0; }
    FullTextScreen .-current { background: $boost; text-style: bold; }
    """
    BINDINGS = [
        Binding("escape,q", "leave", "Back", id="full-text-back"),
        Binding("right_square_bracket", "section(1)", "Sections ][", id="full-text-next"),
        Binding(
            "left_square_bracket", "section(-1)", "Previous section", id="full-text-previous", show=False
        ),
        Binding("c", "cited", "Cited here", id="full-text-cited"),
        Binding("b,backspace", "back", "Return", id="full-text-return"),
        Binding("enter", "open_reference", "Open the paper", id="full-text-open"),
    ]

    def __init__(self, paper_id: str, document: Document, store: TextStore | None, position: int = 0) -> None:
        super().__init__()
        self.paper_id = paper_id
        self.document = document
        self.store = store
        self.position = position  # the block last at the top, as the library has it
        self.section = -1  # the heading last jumped to
        self.blocks: list[Static] = []  # one a block of the document, in order
        self.references: dict[str, Static] = {}  # by anchor
        self.current: Reference | None = None  # the reference gone to
        self.returns: list[float] = []  # where each jump to a reference left from

    def compose(self) -> ComposeResult:
        document = self.document
        with VerticalScroll(id="full-text"):
            yield Static(Text(document.title, style="bold"), classes="block")
            if document.authors:
                yield Static(Text(", ".join(document.authors), style="dim"), classes="block")
            if document.abstract:
                yield Static(Text("Abstract  ", style="bold") + Text(document.abstract), classes="block")
            for block in document.blocks:
                classes = {HEADING: "block heading", ITEM: "block item"}.get(block.kind, "block")
                self.blocks.append(Static(block_text(block), classes=classes))
            yield from self.blocks
            for mark, note in document.footnotes:
                yield Static(Text(f"[^{mark}] ", style="dim") + Text(note), classes="block")
            if document.references:
                yield Static(Text("References", style="bold underline"), classes="block heading")
            for reference in document.references:
                self.references[reference.anchor] = Static(reference_text(reference), classes="block")
            yield from self.references.values()
            if document.truncated:
                yield Static(Text("(The page was longer than arxiv-tui reads; the rest is left out.)"))
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"{self.paper_id}: {self.document.title}"
        self.scroller.focus()
        if 0 < self.position < len(self.blocks):
            self.call_after_refresh(self.show_at_top, self.blocks[self.position])

    @property
    def scroller(self) -> VerticalScroll:
        return self.query_one("#full-text", VerticalScroll)

    def show_at_top(self, widget: Static) -> None:
        self.scroller.scroll_to_widget(widget, top=True, animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return bool(self.returns)
        if action == "open_reference":
            return bool(self.current and self.current.arxiv_id)
        return True

    # --- where the reader is ----------------------------------------------------------------------

    def on_screen(self) -> range:
        """The blocks at least partly on screen."""
        top = self.scroller.scroll_y
        bottom = top + self.scroller.size.height
        shown = [n for n, widget in enumerate(self.blocks) if widget.virtual_region.bottom > top]
        first = shown[0] if shown else len(self.blocks)
        last = next((n for n in shown if self.blocks[n].virtual_region.y >= bottom), len(self.blocks))
        return range(first, last)

    def action_leave(self, arxiv_id: str | None = None) -> None:
        """Back to the list (to `arxiv_id` in it, when given); where the reader is in the text is
        kept (in a worker)."""
        at, store, paper_id = self.on_screen().start, self.store, self.paper_id
        if store is not None and at != self.position and at < len(self.blocks):
            self.app.run_worker(lambda: store.set_position(paper_id, at), thread=True, exit_on_error=False)
        self.dismiss(arxiv_id)

    @property
    def headings(self) -> list[Static]:
        return list(self.query("Static.heading").results(Static))

    def action_section(self, step: int) -> None:
        headings = self.headings
        if not headings:
            return
        self.section = max(0, min(len(headings) - 1, self.section + step))
        self.show_at_top(headings[self.section])

    # --- citations ---------------------------------------------------------------------------------

    def action_cited(self) -> None:
        cites = [anchor for n in self.on_screen() for anchor in self.document.blocks[n].cites]
        references = self.document.cited(cites)
        if not references:
            self.notify("Nothing on screen cites a reference", timeout=3)
            return
        self.app.push_screen(CitedScreen(references), self.go_to_reference)

    def go_to_reference(self, anchor: str | None) -> None:
        widget = self.references.get(anchor or "")
        if widget is None:
            return
        if self.current is not None:
            self.references[self.current.anchor].remove_class("-current")
        self.current = next(r for r in self.document.references if r.anchor == anchor)
        widget.add_class("-current")
        self.returns.append(self.scroller.scroll_y)
        self.show_at_top(widget)
        self.refresh_bindings()

    def action_back(self) -> None:
        if self.returns:
            self.scroller.scroll_to(y=self.returns.pop(), animate=False)
            self.refresh_bindings()

    def action_open_reference(self) -> None:
        if self.current is not None and self.current.arxiv_id:
            self.action_leave(self.current.arxiv_id)
