"""What the reader does with a paper beyond reading it: open a link, download, keep the reading
queue for offline, export.

Plain functions, run in the reader screen's workers; they return or post what to tell the user
(messages.py) and never touch a widget.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

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

if TYPE_CHECKING:
    from arxiv_tui.core.sources.full_text import TextStore


class Downloads(Protocol):
    """Where PDFs were saved (the library's Downloads)."""

    def saved(self, paper_id: str, version: int, path: str) -> None: ...

    def copy_of(self, paper_id: str, version: int) -> str | None: ...


def export_folder(config: Config) -> Path:
    import platformdirs

    chosen = config.export_folder.strip()
    return Path(chosen).expanduser() if chosen else Path(platformdirs.user_documents_dir())


def download_folder(config: Config) -> Path:
    import platformdirs

    chosen = config.download_folder.strip()
    return Path(chosen).expanduser() if chosen else Path(platformdirs.user_downloads_dir()) / "arxiv"


def pdf_target(config: Config, paper: Paper) -> Path:
    """Where `d` and the reading queue save a paper's PDF (absolute: the library keeps it)."""
    from arxiv_tui.core.sources.download import pdf_file_name

    return (download_folder(config) / pdf_file_name(paper)).absolute()


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


def download(
    config: Config, paper: Paper, post: Callable[[Message], object], kept: Callable[[str, int, str], object]
) -> None:
    """`d`: the PDF into the download folder, with progress; never a partial file. Where it is is
    told to `kept` (the library's Downloads.saved), so `o` opens that copy."""
    from arxiv_tui.core.sources.download import download as fetch_pdf
    from arxiv_tui.core.sources.download import pdf_url

    worker = get_current_worker()
    target = pdf_target(config, paper)
    if target.exists():
        post(DownloadDone(_noted(kept, paper, target, f"Already downloaded: {target}")))
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
    post(DownloadDone(_noted(kept, paper, target, f"Saved {target}")))


def _noted(kept: Callable[[str, int, str], object], paper: Paper, target: Path, said: str) -> Notice:
    """Where the PDF is, told to the library; a library that cannot note it is said (the file
    is there, but `o` will not know it)."""
    try:
        kept(paper.id, paper.version, str(target))
    except ArxivTuiError as error:
        return Notice(f"{said}; the library could not note it ({error})", ERROR)
    return Notice(said, INFO)


def keep_offline(
    config: Config,
    papers: Sequence[Paper],
    texts: TextStore,
    downloads: Downloads,
    stopped: Callable[[], bool],
) -> Notice | None:
    """The reading queue's papers made readable offline: each one's full text kept in the library
    and its PDF saved in the download folder (where `o` opens it), what is there already left
    alone; what could not be had is said, not retried in a loop. None when all was there."""
    from arxiv_tui.core.sources.download import download as fetch_pdf
    from arxiv_tui.core.sources.download import pdf_url
    from arxiv_tui.core.sources.full_text import NoFullText, read_full_text

    texts_kept = pdfs = 0
    missing: list[str] = []
    for paper in papers:
        if stopped():
            break
        kept = texts.version_of(paper.id)  # not the text itself: a long paper reads in ~15 ms
        if kept is None or kept < paper.version:
            try:
                read_full_text(config, texts, paper.id, paper.version)
                texts_kept += 1
            except NoFullText:
                missing.append(f"{paper.id} has no HTML full text")
            except ArxivTuiError as error:
                missing.append(f"{paper.id}: {error}")
        if downloads.copy_of(paper.id, paper.version) is None:
            target = pdf_target(config, paper)
            try:
                if not target.exists():
                    fetch_pdf(pdf_url(config.pdf_url, paper), target, timeout=config.timeout_seconds,
                              should_stop=stopped)  # fmt: skip
                downloads.saved(paper.id, paper.version, str(target))
                pdfs += 1
            except ArxivTuiError as error:
                missing.append(f"{paper.id}'s PDF: {error}")
    if not (texts_kept or pdfs or missing):
        return None
    said = f"Reading queue: {counted(texts_kept, 'full text')} and {counted(pdfs, 'PDF')} kept for offline"
    if missing:
        said += f"; not had: {'; '.join(missing[:3])}" + (
            f" (and {len(missing) - 3} more)" if len(missing) > 3 else ""
        )
    return Notice(said, ERROR if missing else INFO)


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
