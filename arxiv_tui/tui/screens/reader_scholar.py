"""`w` and `W`: Semantic Scholar from the reader. `w` asks for the paper under the cursor (its
counts, TLDR, and the papers citing it; `w` again: its references, then recommendations); `W`
asks for the citation counts of the whole view, after which `S` can sort by them. All of it is
fetched in a worker and kept in the library, so it works offline once asked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from arxiv_tui.core.base.errors import ArxivTuiError
from arxiv_tui.core.matching.views import CITED, CITING, REFERENCES
from arxiv_tui.core.session.events import ERROR, Notice
from arxiv_tui.tui.messages import CountsFound, Notices, ScholarFound

if TYPE_CHECKING:
    from arxiv_tui.core.session.reader import Reader
    from arxiv_tui.tui.screens.reader import ReaderScreen

KIND_WORDS = {CITING: "cited by", REFERENCES: "references of"}


def citations(screen: ReaderScreen) -> None:
    reader = screen.reader
    if reader.viewing.view == CITED:
        reader.citations.cycle()
        screen.sync(keep="")
        return
    paper = screen.current_paper
    if paper is None:
        return

    def ask() -> None:
        early = lambda details, marks: screen.post_message(ScholarFound(paper, details, marks))  # noqa: E731
        try:
            screen.post_message(ScholarFound(paper, *reader.citations.details(paper, early=early)))
        except ArxivTuiError as error:
            screen.post_message(Notices([Notice(f"Semantic Scholar: {error}", ERROR)]))

    screen.notify(f"Asking Semantic Scholar about {paper.id}…", timeout=2)
    screen.work(ask, "scholar")


def found(screen: ReaderScreen, message: ScholarFound) -> None:
    reader = screen.reader
    update = (
        reader.viewing.view == CITED
        and reader.citations.shown is not None
        and reader.citations.shown[0].id == message.paper.id
    )
    reader.show_cited(message.paper, message.details, message.marks)
    if message.details.stale:
        screen.notify("Semantic Scholar could not be reached: this is what it said before", timeout=6)
    screen.sync(keep=None if update else "")  # the rest of an answer: the cursor stays put


def elsewhere(screen: ReaderScreen) -> None:
    """`l`: the listed papers that are not on arXiv, in a dialog; enter opens one's link."""
    from arxiv_tui.tui.screens.elsewhere import ElsewhereScreen
    from arxiv_tui.tui.screens.reader_links import opener

    reader = screen.reader
    papers = reader.citations.elsewhere() if reader.viewing.view == CITED else []
    if not papers:
        screen.notify("w first: then l lists the papers Semantic Scholar knows off arXiv", timeout=4)
        return
    assert reader.citations.shown is not None
    paper, _, kind = reader.citations.shown
    heading = f"Not on arXiv, {KIND_WORDS.get(kind, 'recommended with')} {paper.title} ({len(papers)})"

    def chosen(link: str | None) -> None:
        if link:
            screen.work(opener(screen, link, reader.config.browser), "browser", exclusive=False)

    screen.app.push_screen(ElsewhereScreen(heading, papers), chosen)


def view_counts(screen: ReaderScreen) -> None:
    reader = screen.reader
    papers = [row.paper for row in screen.papers.rows]
    if not papers:
        return

    def ask() -> None:
        try:
            screen.post_message(CountsFound(*reader.citations.counts(papers)))
        except ArxivTuiError as error:
            screen.post_message(Notices([Notice(f"Semantic Scholar: {error}", ERROR)]))

    screen.notify(f"Asking Semantic Scholar for the citations of {len(papers):,} papers…", timeout=3)
    screen.work(ask, "scholar")


def counts_found(screen: ReaderScreen, message: CountsFound) -> None:
    screen.reader.citations.show_counts(message.counts)
    unknown = f"; {message.unknown:,} not known to it yet" if message.unknown else ""
    screen.notify(f"Citation counts for {len(message.counts):,} papers{unknown}. S sorts by them.", timeout=6)
    screen.papers.redraw_all()
    screen.redraw_current()
    if screen.reader.viewing.sort == "citations":
        screen.sync()


def nothing_listed(reader: Reader) -> str:
    """What the detail pane says when none of what `w` shows is on arXiv ("" otherwise)."""
    if (
        reader.viewing.view != CITED
        or reader.citations.shown is None
        or not (off := reader.citations.elsewhere())
    ):
        return ""
    words = {CITING: "papers citing it", REFERENCES: "references"}.get(
        reader.citations.shown[2], "recommended"
    )
    return f"None of the {len(off)} {words} is on arXiv. l lists them (Enter opens one's DOI); w: next."


def status_text(reader: Reader) -> tuple[str, str]:
    """What the status line says while a paper's citing papers or references are shown, and
    (second, dropped first when short of room) its citation count."""
    if reader.citations.shown is None:
        return "", ""
    paper, details, kind = reader.citations.shown
    listed = reader.citations.found()
    on_arxiv = sum(1 for found in listed if found.arxiv_id)
    title = paper.title if len(paper.title) <= 24 else paper.title[:23] + "…"
    words = KIND_WORDS.get(kind, "recommended with")
    total = f"{details.paper.citations:,} citations" if details.paper.citations is not None else ""
    more = " (more coming…)" if details.partial else ""
    others = f" · l: the {len(listed) - on_arxiv} others" if on_arxiv < len(listed) else ""
    return f"{words} {title}: {on_arxiv}/{len(listed)} on arXiv{more}{others} · w: next · esc: back", total
