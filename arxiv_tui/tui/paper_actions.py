"""What the reader does with papers beyond reading them: rank them For you, export, download.

A mixin of ArxivApp (it uses the app's config, state, model, archive and main screen); kept
apart so app.py stays about loading and showing listings.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.worker import get_current_worker

from arxiv_tui.core.errors import ArxivTuiError
from arxiv_tui.core.models import Listing, Paper

if TYPE_CHECKING:
    from arxiv_tui.core.digest import Heading, Item


class PaperActions:
    config: Any
    state: Any
    model: Any
    main: Any
    call_from_thread: Any
    notify: Any
    whole_row: Any

    @work(thread=True, exclusive=True, group="rank")
    def rank_for_you(self) -> None:
        """Score the listing against the stars (TF-IDF, in a worker), then re-sort if still asked."""
        from arxiv_tui.core.relevance import rank

        listing = self.model.listing
        papers, stars, hits = self.model.rank_inputs()
        scores = rank(papers, stars, hits)
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._ranked, listing, scores)

    def _ranked(self, listing: Listing | None, scores: dict) -> None:
        if listing is not self.model.listing:
            return  # the listing changed meanwhile; a new ranking is asked when needed
        self.model.scores = scores
        if self.main is not None:
            self.main.refresh_all()
            self.main.papers.move_to(0)  # the best match first, as the sort was asked for

    def export_folder(self) -> Path:
        import platformdirs

        chosen = self.config.export_folder.strip()
        return Path(chosen).expanduser() if chosen else Path(platformdirs.user_documents_dir())

    def download_folder(self) -> Path:
        import platformdirs

        chosen = self.config.download_folder.strip()
        return Path(chosen).expanduser() if chosen else Path(platformdirs.user_downloads_dir()) / "arxiv"

    def export_items(self, scope: str) -> tuple[list[Item], Heading]:
        """The papers `e` exports: the rows of the current view, or every star (newest first)."""
        from arxiv_tui.core.digest import Heading, Item

        state, matcher = self.state, self.model.matcher
        if scope == "starred":
            papers = [star.paper for star in state.stars]
            title = "Starred arXiv papers"
        else:
            rows = self.main.papers.rows if self.main is not None else []
            papers = [self.whole_row(row).paper for row in rows]
            listing = self.model.listing
            title = f"arXiv: {self.model.view}" + (f", {listing.date:%a %d %b %Y}" if listing else "")
        items = [
            Item(
                paper,
                matcher.matched_terms(paper),
                state.is_read(paper.id),
                state.is_starred(paper.id),
                matcher.followed(paper),
            )
            for paper in papers
        ]
        heading = Heading(title, self.config.categories, self.config.include, self.config.exclude)
        return items, heading

    @work(thread=True, group="download")
    def download_pdf(self, paper: Paper) -> None:
        """`d`: the PDF into the download folder, with a progress bar; never a partial file."""
        from arxiv_tui.core.download import download, pdf_file_name, pdf_url

        worker = get_current_worker()
        target = self.download_folder() / pdf_file_name(paper)
        if target.exists():
            self.call_from_thread(self.notify, f"Already downloaded: {target}", timeout=6)
            return
        url = pdf_url(self.config.pdf_url, paper)
        self.call_from_thread(self._download_progress, 0, None, paper.id)
        last = [0.0]

        def progress(done: int, total: int | None) -> None:
            now = time.monotonic()
            if now - last[0] > 0.1 and not worker.is_cancelled:  # ten redraws a second at most
                last[0] = now
                self.call_from_thread(self._download_progress, done, total, paper.id)

        try:
            download(
                url,
                target,
                timeout=self.config.timeout_seconds,
                progress=progress,
                should_stop=lambda: worker.is_cancelled,
            )
        except ArxivTuiError as error:
            if not worker.is_cancelled:
                self.call_from_thread(self._download_done, f"Download failed: {error}", "error")
            return
        if not worker.is_cancelled:
            self.call_from_thread(self._download_done, f"Saved {target}", "information")

    def _download_progress(self, done: int, total: int | None, paper_id: str) -> None:
        if self.main is not None:
            self.main.show_download(done, total, paper_id)

    def _download_done(self, message: str, severity: str) -> None:
        if self.main is not None:
            self.main.show_download(None, None, "")
        self.notify(message, severity=severity, timeout=8)  # type: ignore[arg-type]
