"""What leaves the reader: links opened in the browser (o a h; o opens the PDF `d` saved when
there is one), copies to the clipboard (y b i), PDF downloads (d) with a progress bar. Each acts
on the picked papers when some are picked (M), else on the paper under the cursor; the slow part
runs in a worker (tui/paper_actions.py)."""

from __future__ import annotations

from arxiv_tui.core.models import Paper
from arxiv_tui.core.session.events import ERROR, Notice
from arxiv_tui.core.session.marking import OPENED
from arxiv_tui.tui.messages import DownloadDone, Notices
from arxiv_tui.tui.screens.reader.base import ReaderBase
from arxiv_tui.tui.widgets.key_bar import KeyBar

MAX_OPEN = 10  # browser tabs opened by one key
OFFLINE = "Offline (--offline): no downloads. Start without it to download."


class Links(ReaderBase):
    def action_open(self, which: str) -> None:
        """Open each paper's `which` link (at most MAX_OPEN at once); they are read then."""
        papers = self.targets()
        if len(papers) > MAX_OPEN:
            self.notify(f"{len(papers)} picked: at most {MAX_OPEN} are opened at once", severity="warning")
            return
        marking = self.reader.marking
        marking.set_read(papers, decision=OPENED)
        for paper in papers:
            saved = self.reader.library.downloads.copy_of(paper.id, paper.version) if which == "pdf" else None
            if saved:
                self.open_saved(saved)
            else:
                self.open_link(paper.links[which])
        if marking.selected:
            self.papers.redraw_all()
        self.redraw_current()

    def on_notices(self, message: Notices) -> None:
        if message.copy:
            self.app.copy_to_clipboard(message.copy)
        self.tell(message.notices)

    def open_saved(self, path: str) -> None:
        """The PDF `d` saved, in `ui.pdf_viewer` or the system's viewer (in a worker)."""
        from arxiv_tui.tui.browser import open_file

        viewer = self.reader.config.pdf_viewer

        def start() -> None:
            if open_file(path, viewer):
                self.post_message(Notices([Notice(f"Opened {path}")]))
            else:
                self.post_message(
                    Notices([Notice(f"No PDF viewer could be started for {path} (ui.pdf_viewer)", ERROR)])
                )

        self.work(start, "browser", exclusive=False)

    def copy(self, text: str, what: str) -> None:
        """Copy through the terminal (OSC 52) and the system's clipboard command, and say which."""
        from arxiv_tui.tui import clipboard

        self.app.copy_to_clipboard(text)

        def by_system() -> None:
            notice = Notice(clipboard.copied_notice(what, clipboard.copy_with_system(text)), "information")
            self.post_message(Notices([notice]))

        self.work(by_system, "copy")

    def action_copy_link(self) -> None:
        if (paper := self.current_paper) is not None:
            self.copy(paper.abs_url, paper.abs_url)

    def action_copy_id(self) -> None:
        if (paper := self.current_paper) is not None:
            self.copy(f"{paper.id}v{paper.version}", f"arXiv:{paper.id}v{paper.version}")

    def action_copy_bibtex(self) -> None:
        if (paper := self.current_paper) is not None:
            from arxiv_tui.core.output.digest import to_bibtex

            self.copy(to_bibtex(self.reader.items([paper])), f"the BibTeX entry of {paper.id}")

    def action_download(self) -> None:
        """`d`: each paper's PDF into the download folder, with a progress bar."""
        papers = self.targets()
        if papers and self.reader.offline:
            self.notify(OFFLINE, timeout=5)
            return
        for paper in papers:
            self.download(paper)

    def download(self, paper: Paper) -> None:
        from arxiv_tui.tui.widgets.download_bar import DownloadBar

        bars = self.query(DownloadBar)
        bar = bars.first() if bars else DownloadBar(id="download-bar")
        if not bars:  # made at the first download: a start need not build it
            self.mount(bar, before=self.query_one(KeyBar))
        bar.download(self.reader.config, paper, self.reader.library.downloads.saved)

    def on_download_done(self, message: DownloadDone) -> None:
        self.tell([message.notice])
