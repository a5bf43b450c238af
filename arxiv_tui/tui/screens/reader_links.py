"""What leaves the reader: `o`/`O`-style links opened in the browser, copies to the clipboard,
PDF downloads and exports. Each acts on the picked papers when some are picked (M), else on the
paper under the cursor; the slow part runs in a worker (tui/paper_actions.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.widgets import Footer

from arxiv_tui.core.models import Paper
from arxiv_tui.core.session.events import Notice
from arxiv_tui.tui.messages import Notices

if TYPE_CHECKING:
    from arxiv_tui.tui.screens.reader import ReaderScreen

MAX_OPEN = 10  # browser tabs opened by one key
OFFLINE = "Offline (--offline): no downloads. Start without it to download."


def targets(screen: ReaderScreen) -> list[Paper]:
    """The picked papers, or the one under the cursor."""
    if screen.reader.marking.selected:
        return list(screen.reader.marking.selected.values())
    paper = screen.current_paper
    return [paper] if paper is not None else []


def open_links(screen: ReaderScreen, which: str) -> None:
    """Open each paper's `which` link (at most MAX_OPEN at once); they are read then."""
    papers = targets(screen)
    if len(papers) > MAX_OPEN:
        screen.notify(f"{len(papers)} picked: at most {MAX_OPEN} are opened at once", severity="warning")
        return
    reader, browser = screen.reader, screen.reader.config.browser
    reader.marking.set_read(papers)
    for paper in papers:
        screen.work(opener(screen, paper.links[which], browser), "browser", exclusive=False)
    if reader.marking.selected:
        screen.papers.redraw_all()
    screen.redraw_current()


def opener(screen: ReaderScreen, url: str, browser: str) -> Callable[[], object]:
    from arxiv_tui.tui import paper_actions

    return lambda: screen.post_message(paper_actions.open_link(url, browser))


def copy(screen: ReaderScreen, text: str, what: str) -> None:
    """Copy through the terminal (OSC 52) and the system's clipboard command, and say which."""
    from arxiv_tui.tui import clipboard

    screen.app.copy_to_clipboard(text)

    def by_system() -> None:
        notice = Notice(clipboard.copied_notice(what, clipboard.copy_with_system(text)), "information")
        screen.post_message(Notices([notice]))

    screen.work(by_system, "copy")


def copy_link(screen: ReaderScreen) -> None:
    if (paper := screen.current_paper) is not None:
        copy(screen, paper.abs_url, paper.abs_url)


def copy_id(screen: ReaderScreen) -> None:
    if (paper := screen.current_paper) is not None:
        copy(screen, f"{paper.id}v{paper.version}", f"arXiv:{paper.id}v{paper.version}")


def copy_bibtex(screen: ReaderScreen) -> None:
    if (paper := screen.current_paper) is not None:
        from arxiv_tui.core.output.digest import to_bibtex

        copy(screen, to_bibtex(screen.reader.items([paper])), f"the BibTeX entry of {paper.id}")


def download(screen: ReaderScreen) -> None:
    """`d`: each paper's PDF into the download folder, with a progress bar."""
    papers = targets(screen)
    if papers and screen.reader.offline:
        screen.notify(OFFLINE, timeout=5)
        return
    for paper in papers:
        download_one(screen, paper)


def download_one(screen: ReaderScreen, paper: Paper) -> None:
    from arxiv_tui.tui.widgets.download_bar import DownloadBar

    bars = screen.query(DownloadBar)
    bar = bars.first() if bars else DownloadBar(id="download-bar")
    if not bars:  # made at the first download: a start need not build it
        screen.mount(bar, before=screen.query_one(Footer))
    bar.download(screen.reader.config, paper)
