"""`T`: a paper's full text, read in a worker (kept in the library once fetched, so it opens
offline), shown full-screen (screens/full_text.py) where the reader last was in it; a reference
chosen there opens in the reader as a search of arXiv for its id (of the library when offline)."""

from __future__ import annotations

from arxiv_tui.core.base.errors import ArxivTuiError
from arxiv_tui.core.session.events import ERROR, Notice
from arxiv_tui.core.session.marking import OPENED
from arxiv_tui.tui.messages import FullTextRead, Notices
from arxiv_tui.tui.screens.reader.searching import Searching


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
