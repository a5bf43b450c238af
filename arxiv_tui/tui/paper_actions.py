"""What the reader does with a paper beyond reading it: open a link, download, export.

Plain functions, run in the reader screen's workers; they return or post what to tell the user
(messages.py) and never touch a widget.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from textual.message import Message
from textual.worker import get_current_worker

from arxiv_tui.core.base.errors import ArxivTuiError
from arxiv_tui.core.base.storage import atomic_write
from arxiv_tui.core.base.text import counted
from arxiv_tui.core.config import Config
from arxiv_tui.core.models import Paper
from arxiv_tui.core.output.formats import for_a_file, render
from arxiv_tui.core.session.events import ERROR, INFO, Notice
from arxiv_tui.core.session.reader import Reader
from arxiv_tui.tui.browser import UnsafeURL, check_url, open_url
from arxiv_tui.tui.messages import DownloadDone, DownloadProgress, Notices


def export_folder(config: Config) -> Path:
    import platformdirs

    chosen = config.export_folder.strip()
    return Path(chosen).expanduser() if chosen else Path(platformdirs.user_documents_dir())


def download_folder(config: Config) -> Path:
    import platformdirs

    chosen = config.download_folder.strip()
    return Path(chosen).expanduser() if chosen else Path(platformdirs.user_downloads_dir()) / "arxiv"


def open_link(url: str, browser: str) -> Notices:
    """Open a link (blocks while a $BROWSER command runs: call it from a worker)."""
    try:
        check_url(url)
    except UnsafeURL as error:
        return Notices([Notice(str(error), ERROR)])
    if open_url(url, browser):
        return Notices([Notice(f"Opened {url}")])
    from arxiv_tui.tui.clipboard import copied_notice, copy_with_system

    said = copied_notice("the link", copy_with_system(url))  # what really happened to it
    return Notices([Notice(f"No browser could be started. {said}:\n{url}", ERROR)], copy=url)


def download(config: Config, paper: Paper, post: Callable[[Message], object]) -> None:
    """`d`: the PDF into the download folder, with progress; never a partial file."""
    from arxiv_tui.core.sources.download import download as fetch_pdf
    from arxiv_tui.core.sources.download import pdf_file_name, pdf_url

    worker = get_current_worker()
    target = download_folder(config) / pdf_file_name(paper)
    if target.exists():
        post(DownloadDone(Notice(f"Already downloaded: {target}")))
        return
    post(DownloadProgress(paper.id, 0, None))
    last = [0.0]

    def progress(done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - last[0] > 0.1 and not worker.is_cancelled:  # ten redraws a second at most
            last[0] = now
            post(DownloadProgress(paper.id, done, total))

    try:
        fetch_pdf(
            pdf_url(config.pdf_url, paper),
            target,
            timeout=config.timeout_seconds,
            progress=progress,
            should_stop=lambda: worker.is_cancelled,
        )
    except ArxivTuiError as error:
        post(DownloadDone(Notice(f"Download failed: {error}", ERROR)))
        return
    post(DownloadDone(Notice(f"Saved {target}", INFO)))


def export(reader: Reader, choice, view_papers: Sequence[Paper]) -> list[Notice]:
    """Write the view, the stars or a tag's papers to the chosen file, atomically."""
    if choice.scope == "starred":
        papers = [paper for paper, _ in reader.library.starred()]
        heading = reader.heading("Starred arXiv papers")
    elif choice.scope == "tag":
        papers = reader.library.tagged(choice.tag)
        heading = reader.heading(f"arXiv papers tagged {choice.tag}")
    else:
        papers = list(view_papers)
        listing = reader.viewing.listing
        label = next(
            (view.label for view in reader.viewing.views() if view.key == reader.viewing.view),
            reader.viewing.view,
        )
        heading = reader.heading(f"arXiv: {label}" + (f", {listing.date:%a %d %b %Y}" if listing else ""))
    items = reader.items(papers)
    try:
        atomic_write(choice.path, for_a_file(choice.format, render(choice.format, heading, items)))
    except ArxivTuiError as error:
        return [Notice(str(error), ERROR)]
    return [Notice(f"Exported {counted(len(items), 'paper')} to {choice.path}")]
