"""`l` in a paper's citing papers, references or recommendations: the ones not on arXiv.

Semantic Scholar lists journal and conference papers too; the reader's list holds only arXiv
papers (they can be starred and tagged), so the others are listed here, each with its venue,
year and citations. Enter dismisses with the paper's link (its DOI, else its Semantic Scholar
page) for the reader to open; esc with None."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from arxiv_tui.core.sources.scholar import ScholarPaper


def described(paper: ScholarPaper) -> Text:
    """Title on the first line; authors, venue, year and citations dimmed below."""
    authors = ", ".join(paper.authors[:3]) + (" et al." if len(paper.authors) > 3 else "")
    venue = paper.venue if paper.venue.casefold() not in paper.title.casefold() else ""
    facts = [authors, venue, str(paper.year or ""), "no link" if not paper.link else ""]
    if paper.citations is not None:
        facts.append(f"{paper.citations:,} citations")
    text = Text(paper.title, style="bold")
    text.append("\n" + " · ".join(fact for fact in facts if fact), style="dim")
    return text


class ElsewhereScreen(ModalScreen[str | None]):
    CSS_PATH = "modal.tcss"  # its rules load with the first dialog, not at start
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="elsewhere-cancel")]

    def __init__(self, heading: str, papers: Sequence[ScholarPaper]) -> None:
        super().__init__()
        self.heading = heading
        self.papers = list(papers)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog elsewhere"):
            yield Static(Text(self.heading, style="bold"), classes="dialog-title")
            yield OptionList(*(Option(described(paper)) for paper in self.papers), id="elsewhere-list")
            yield Static(
                "enter opens it in the browser (DOI, else Semantic Scholar) · esc closes",
                classes="dialog-help",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        link = self.papers[event.option_index].link
        if link:
            self.dismiss(link)
        else:
            self.notify("Semantic Scholar gave no link for this paper", timeout=3)

    def action_cancel(self) -> None:
        self.dismiss(None)
