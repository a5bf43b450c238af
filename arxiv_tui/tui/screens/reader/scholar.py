"""`w`, `W` and `l`: Semantic Scholar from the reader. `w` asks for the paper under the cursor (its
counts, TLDR, and the papers citing it; `w` again: its references, then recommendations); `W`
asks for the citation counts of the whole view, after which `S` can sort by them; `l` lists what
`w` shows that is not on arXiv. All of it is fetched in a worker and kept in the library, so it
works offline once asked."""

from __future__ import annotations

from arxiv_tui.core.base.errors import ArxivTuiError
from arxiv_tui.core.base.text import counted
from arxiv_tui.core.matching.views import CITATIONS, CITED
from arxiv_tui.core.session.events import ERROR, Notice
from arxiv_tui.tui.messages import CountsFound, Notices, ScholarFound
from arxiv_tui.tui.screens.reader.base import ReaderBase
from arxiv_tui.tui.screens.reader.status import KIND_WORDS


class Scholar(ReaderBase):
    def action_citations(self) -> None:
        reader = self.reader
        if reader.viewing.view == CITED:
            reader.citations.cycle()
            self.sync(keep="")
            return
        paper = self.current_paper
        if paper is None:
            return

        def ask() -> None:
            early = lambda details, marks: self.post_message(ScholarFound(paper, details, marks))  # noqa: E731
            try:
                self.post_message(ScholarFound(paper, *reader.citations.details(paper, early=early)))
            except ArxivTuiError as error:
                self.post_message(Notices([Notice(f"Semantic Scholar: {error}", ERROR)]))

        self.notify(f"Asking Semantic Scholar about {paper.id}…", timeout=2)
        self.work(ask, "scholar")

    def on_scholar_found(self, message: ScholarFound) -> None:
        reader = self.reader
        shown = reader.citations.shown
        update = reader.viewing.view == CITED and shown is not None and shown[0].id == message.paper.id
        reader.show_cited(message.paper, message.details, message.marks)
        if message.details.stale:
            self.notify("Semantic Scholar could not be reached: this is what it said before", timeout=6)
        self.sync(keep=None if update else "")  # the rest of an answer: the cursor stays put

    def action_elsewhere(self) -> None:
        """`l`: the listed papers that are not on arXiv, in a dialog; enter opens one's link."""
        from arxiv_tui.tui.screens.elsewhere import ElsewhereScreen

        reader = self.reader
        papers = reader.citations.elsewhere() if reader.viewing.view == CITED else []
        if not papers or reader.citations.shown is None:
            self.notify("w first: then l lists the papers Semantic Scholar knows off arXiv", timeout=4)
            return
        paper, _, kind = reader.citations.shown
        heading = f"Not on arXiv, {KIND_WORDS.get(kind, 'recommended with')} {paper.title} ({len(papers)})"

        def chosen(link: str | None) -> None:
            if link:
                self.open_link(link)

        self.app.push_screen(ElsewhereScreen(heading, papers), chosen)

    def action_view_citations(self) -> None:
        reader = self.reader
        papers = [row.paper for row in self.papers.rows]
        if not papers:
            return

        def ask() -> None:
            try:
                self.post_message(CountsFound(*reader.citations.counts(papers)))
            except ArxivTuiError as error:
                self.post_message(Notices([Notice(f"Semantic Scholar: {error}", ERROR)]))

        self.notify(
            f"Asking Semantic Scholar for the citations of {counted(len(papers), 'paper')}…", timeout=3
        )
        self.work(ask, "scholar")

    def on_counts_found(self, message: CountsFound) -> None:
        self.reader.citations.show_counts(message.counts)
        unknown = f"; {message.unknown:,} not known to it yet" if message.unknown else ""
        self.notify(
            f"Citation counts for {counted(len(message.counts), 'paper')}{unknown}. S sorts by them.",
            timeout=6,
        )
        self.after_marks()
        if self.reader.viewing.sort == CITATIONS:
            self.sync()
