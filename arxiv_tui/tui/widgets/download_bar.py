"""The download bar under the list: shown while a PDF downloads (`d`), in its own worker."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import ProgressBar

from arxiv_tui.core.config import Config
from arxiv_tui.core.models import Paper
from arxiv_tui.tui.messages import DownloadDone, DownloadProgress


class DownloadBar(ProgressBar):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, show_eta=False)

    def on_mount(self) -> None:
        self.display = False

    def download(self, config: Config, paper: Paper, kept: Callable[[str, int, str], object]) -> None:
        from arxiv_tui.tui import paper_actions

        self.run_worker(
            lambda: paper_actions.download(config, paper, self.post_message, kept),
            thread=True,
            group="download",
            exclusive=False,
            exit_on_error=False,
        )

    def on_download_progress(self, message: DownloadProgress) -> None:
        message.stop()
        self.display = True
        self.border_title = f"downloading {message.paper_id}"
        self.update(total=message.total, progress=message.done)

    def on_download_done(self, message: DownloadDone) -> None:
        self.display = False  # the message goes on to the screen, which says how it went
