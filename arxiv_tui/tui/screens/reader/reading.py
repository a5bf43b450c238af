"""`T`: a paper's full text, read in a worker (kept in the library once fetched, so it opens
offline), shown full-screen (screens/full_text.py) where the reader last was in it; a reference
chosen there opens in the reader as a search of arXiv for its id (of the library when offline).
`Q`: the reading queue, whose papers' full texts and PDFs are fetched for offline reading."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from arxiv_tui.core.base.errors import ArxivTuiError
from arxiv_tui.core.base.text import counted
from arxiv_tui.core.models import Paper
from arxiv_tui.core.session.events import ERROR, Notice
from arxiv_tui.core.session.marking import OPENED
from arxiv_tui.tui.messages import FullTextRead, Notices
from arxiv_tui.tui.screens.reader.searching import Searching

if TYPE_CHECKING:
    from collections.abc import Callable

    from PIL.Image import Image

    from arxiv_tui.core.fulltext.pictures import PdfPages

QUEUE_TAG = "to-read"  # the reading queue is this tag: a view, searchable, exported, undone like any tag


class Reading(Searching):
    def action_full_text(self) -> None:
        """T: the paper's full text (arXiv's HTML of it, kept in the library once read), read in a
        worker, shown full-screen where the reader last was in it."""
        paper, reader = self.current_paper, self.reader
        if paper is None:
            return
        config, store, offline = reader.config, reader.library.full_texts, reader.offline

        def read() -> None:
            from arxiv_tui.core.sources.full_text import read_full_text

            try:
                self.post_message(
                    FullTextRead(
                        paper, read_full_text(config, store, paper.id, paper.version, offline=offline)
                    )
                )
            except ArxivTuiError as error:
                self.post_message(Notices([Notice(str(error), ERROR)]))

        if not offline:
            self.notify(f"Reading the full text of {paper.id}v{paper.version}…", timeout=2)
        self.work(read, "full-text")

    def on_full_text_read(self, message: FullTextRead) -> None:
        from arxiv_tui.tui.screens.full_text import FullTextScreen  # not on the start-up path

        self.reader.marking.set_read([message.paper], decision=OPENED)  # read, as o or Enter reads it
        self.redraw_current()
        text = message.text
        if text.note:
            self.notify(text.note, timeout=6, markup=False)
        screen = FullTextScreen(
            message.paper.id, text.document, self.reader.library.full_texts, text.position
        )
        screen.figures = self.figure_loader(message.paper.id, text.version)
        paper, marking = message.paper, self.reader.marking
        screen.notes = (lambda: marking.of(paper.id).note, lambda note: self.keep_note(paper, note))
        screen.images = self.reader.config.images
        self.app.push_screen(screen, self.open_cited)

    def open_cited(self, arxiv_id: str | None) -> None:
        """A reference chosen in a full text: the paper in the reader, as a search of arXiv (of the
        library when offline), so it can be starred, tagged and read like any paper."""
        if not arxiv_id:
            return
        from arxiv_tui.tui.widgets.search_bar import ARXIV, LIBRARY

        self.start_search(LIBRARY if self.reader.offline else ARXIV)
        self.search.value = arxiv_id
        if not self.reader.offline:
            self.explore(arxiv_id)

    # --- the reading queue -------------------------------------------------------------------------

    def action_queue(self) -> None:
        """Q: the picked papers (or the one under the cursor) into the reading queue, the tag
        QUEUE_TAG and its view; when all are in it, out of it (z undoes). What goes in has its full
        text and PDF fetched in a worker for offline reading."""
        papers = self.targets()
        if not papers:
            return
        marking = self.reader.marking
        if all(QUEUE_TAG in marking.of(paper.id).tags for paper in papers):
            for paper in papers:
                marking.set_tags(paper, [tag for tag in marking.of(paper.id).tags if tag != QUEUE_TAG])
            self.after_marks(f"Out of the reading queue: {counted(len(papers), 'paper')} (z undoes)")
        else:
            marking.add_tags(papers, [QUEUE_TAG])
            later = " (full texts and PDFs are fetched when online)" if self.reader.offline else ""
            self.after_marks(f"To read: {counted(len(papers), 'paper')} in #{QUEUE_TAG}{later}")
            self.keep_offline(papers)
        if self.reader.viewing.tag is not None:
            self.sync()  # the paper may have left the queue's view

    def keep_offline(self, papers: list[Paper] | None = None) -> None:
        """The queue's papers (or `papers`) made readable offline, in a worker (paper_actions)."""
        reader = self.reader
        if reader.offline:
            return
        from arxiv_tui.tui import paper_actions

        def fetch() -> None:
            wanted = papers if papers is not None else reader.library.tagged(QUEUE_TAG)
            if wanted:
                stopped = lambda: get_current_worker().is_cancelled  # noqa: E731
                notice = paper_actions.keep_offline(
                    reader.config, wanted, reader.library.full_texts, reader.library.downloads, stopped
                )
                if notice is not None:  # None: everything was kept already
                    self.post_message(Notices([notice]))
                    self.app.call_from_thread(self.redraw_current)  # its Offline line

        self.work(fetch, "queue", exclusive=False)

    # --- pictures ----------------------------------------------------------------------------------

    def figure_loader(self, paper_id: str, version: int) -> Callable[[str], Image] | str:
        """How the full text gets a figure's picture by the name its page gives it (fetched from
        arXiv in the picture screen's worker), or why it cannot."""
        config = self.reader.config
        if config.images == "off":
            return 'Pictures are off (ui.images = "off")'
        if self.reader.offline:
            return "Offline (--offline): figures are fetched from arXiv"

        def figure(name: str) -> Image:
            from arxiv_tui.core.fulltext.pictures import decode_image
            from arxiv_tui.core.sources.full_text import fetch_figure

            try:
                return decode_image(fetch_figure(config, paper_id, version, name))
            except ArxivTuiError as error:
                raise ValueError(str(error)) from None

        return figure

    def action_pdf_pages(self) -> None:
        """P: the pages of the PDF `d` (or the queue) saved, as pictures (screens/picture.py)."""
        paper, reader = self.current_paper, self.reader
        if paper is None:
            return
        if reader.config.images == "off":
            self.notify('Pictures are off (ui.images = "off")', timeout=4)
            return
        path = reader.library.downloads.copy_of(paper.id, paper.version)
        if path is None:
            self.notify(
                f"No downloaded PDF of {paper.id}v{paper.version}: d downloads it, Q queues it", timeout=5
            )
            return

        def open_pdf() -> None:
            from arxiv_tui.core.fulltext.pictures import PdfPages

            try:
                pages = PdfPages(path)
            except ValueError as error:
                self.post_message(Notices([Notice(str(error), ERROR)]))
                return
            self.app.call_from_thread(self.show_pages, f"{paper.id}v{paper.version}: {paper.title}", pages)

        self.work(open_pdf, "pictures")

    def show_pages(self, title: str, pages: PdfPages) -> None:
        from arxiv_tui.tui.screens.picture import PictureScreen

        screen = PictureScreen(title, pages.count, pages.render, self.reader.config.images, pages.close)
        self.app.push_screen(screen)
