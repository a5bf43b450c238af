"""`T`: a paper's full text in the terminal, as arXiv's HTML of it has it (core/fulltext): each
block a widget of plain text (nothing in the paper is read as markup), `]` and `[` to the next
and previous section, `escape` back to the list. Imported when first opened."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from arxiv_tui.core.fulltext.document import EQUATION, FIGURE, HEADING, ITEM, TABLE, Block, Document


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


class FullTextScreen(Screen[None]):
    DEFAULT_CSS = """
    FullTextScreen #full-text { padding: 0 2; }
    FullTextScreen .block { margin-bottom: 1; }
    FullTextScreen .heading { margin-top: 1; }
    FullTextScreen .item { margin-bottom: 0; }
    """
    BINDINGS = [
        Binding("escape,q", "dismiss", "Back", id="full-text-back"),
        Binding("right_square_bracket", "section(1)", "Next section", id="full-text-next"),
        Binding("left_square_bracket", "section(-1)", "Previous section", id="full-text-previous"),
    ]

    def __init__(self, paper_id: str, document: Document) -> None:
        super().__init__()
        self.paper_id = paper_id
        self.document = document
        self.section = -1  # the heading last jumped to

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
                yield Static(block_text(block), classes=classes)
            for mark, note in document.footnotes:
                yield Static(Text(f"[^{mark}] ", style="dim") + Text(note), classes="block")
            if document.references:
                yield Static(Text("References", style="bold underline"), classes="block heading")
            for reference in document.references:
                arxiv = Text(f"  arXiv:{reference.arxiv_id}", style="cyan") if reference.arxiv_id else Text()
                yield Static(Text(f"{reference.label} ") + Text(reference.text) + arxiv, classes="block")
            if document.truncated:
                yield Static(Text("(The page was longer than arxiv-tui reads; the rest is left out.)"))
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"{self.paper_id}: {self.document.title}"
        self.query_one("#full-text").focus()

    @property
    def headings(self) -> list[Static]:
        return list(self.query("Static.heading").results(Static))

    def action_section(self, step: int) -> None:
        headings = self.headings
        if not headings:
            return
        self.section = max(0, min(len(headings) - 1, self.section + step))
        self.query_one("#full-text", VerticalScroll).scroll_to_widget(
            headings[self.section], top=True, animate=False
        )
