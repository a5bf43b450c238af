"""A paper's full text from arXiv: the versioned HTML page at `[source] html_url`, read into a
Document (fulltext/latexml.py).

arXiv builds that page from the paper's LaTeX with LaTeXML; not every paper has one. A 404 says
there is none (a paper submitted as PDF only, or not converted yet), and a page that is not a
converted paper is arXiv saying the conversion failed: both are said plainly, with the PDF's
address to read instead.

`read_full_text` is what the reader and `arxiv-tui read` call: the text kept in the library when
it is of the version wanted (or offline, any version kept), else fetched and kept.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Protocol

from arxiv_tui.core.base.errors import ArxivTuiError, FetchError, StateError
from arxiv_tui.core.config import Config
from arxiv_tui.core.fulltext.document import Document, StoredText


class NoFullText(FetchError):
    """arXiv has no full text of this paper to give (none built, or its conversion failed)."""


def page_url(config: Config, paper_id: str, version: int = 0) -> str:
    """The page of `paper_id` at `version` (0: the newest, as arXiv redirects an unversioned id)."""
    return f"{config.html_url.rstrip('/')}/{paper_id}" + (f"v{version}" if version else "")


def fetch_full_text(config: Config, paper_id: str, version: int = 0) -> Document:
    """The paper's full text; NoFullText when arXiv has none, FetchError when it cannot be had."""
    from arxiv_tui.core.fulltext.latexml import read_latexml  # a kept text needs no parser

    url = page_url(config, paper_id, version)
    named = f"{paper_id}v{version}" if version else paper_id
    pdf = f"{config.pdf_url.rstrip('/')}/{named}"
    status, body = _get(config, url)
    if status == 404:
        raise NoFullText(f"arXiv has no HTML full text of {named} (not every paper has one); the PDF: {pdf}")
    if status != 200:
        raise FetchError(f"{url}: arXiv answered HTTP {status}; the PDF: {pdf}")
    try:
        return read_latexml(body)
    except ValueError:
        raise NoFullText(
            f"arXiv could not convert {named} to HTML (its page says so, or holds no paper); the PDF: {pdf}"
        ) from None


_FIGURE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]{0,100}(?:/[A-Za-z0-9_][A-Za-z0-9_.\-]{0,100}){0,4}")


def fetch_figure(config: Config, paper_id: str, version: int, name: str) -> bytes:
    """A figure's picture as the page names it, relative to the paper's page (`x1.png`,
    `figures/loss.png`): only a name inside that page is fetched (no scheme, host, `..` or query),
    so the request stays on arXiv. FetchError when it cannot be had."""
    if not _FIGURE_NAME.fullmatch(name) or ".." in name:
        raise FetchError(f"the page names its picture {name[:80]!r}: not a file of this paper's page")
    url = f"{page_url(config, paper_id, version)}/{name}"
    status, body = _get(config, url)
    if status != 200:
        raise FetchError(f"{url}: arXiv answered HTTP {status}")
    return body


def _get(config: Config, url: str) -> tuple[int, bytes]:
    """One GET on a client of its own (imported here: a kept text needs no HTTP client)."""
    from arxiv_tui.core.sources.arxiv import HttpClient

    http = HttpClient(config.timeout_seconds)
    try:
        status, _headers, body = http.get(url)
    finally:
        http.close()
    return status, body


class TextStore(Protocol):
    """Where full texts are kept (the library's FullTexts)."""

    def load(self, paper_id: str) -> StoredText | None: ...

    def version_of(self, paper_id: str) -> int | None: ...

    def keep(self, paper_id: str, version: int, document: Document) -> bool: ...

    def set_position(self, paper_id: str, position: int) -> None: ...


class FullText(NamedTuple):
    document: Document
    version: int  # the version it is the text of (0: arXiv's newest, not known here)
    position: int  # the block to open at: where the reader was last
    note: str = ""  # what the reader should know: an older version shown, a text not kept


def read_full_text(
    config: Config, store: TextStore | None, paper_id: str, version: int = 0, *, offline: bool = False
) -> FullText:
    """The paper's full text at `version` (0: any), kept or fetched; NoFullText or FetchError
    when it cannot be had."""
    kept = store.load(paper_id) if store is not None else None
    if kept is not None and (kept.version >= version or offline):
        older = f"the text of v{kept.version}; v{version} is out (read it online to fetch it)"
        return FullText(kept.document, kept.version, kept.position, older if kept.version < version else "")
    if offline:
        raise NoFullText(f"the full text of {paper_id} is not kept here, and --offline says not to fetch it")
    document = fetch_full_text(config, paper_id, version)
    note = ""
    if store is not None:
        try:
            store.keep(paper_id, version, document)
        except StateError as error:
            note = f"the text is shown, not kept for offline reading ({error})"
    return FullText(document, version, 0, note)


def document_or_why_not(
    config: Config, store: TextStore | None, paper_id: str, version: int = 0, *, offline: bool = False
) -> tuple[Document | None, str]:
    """The paper's full text, or None and why not (no HTML of it; offline and not kept), for
    what reads the abstract instead (the assistant)."""
    try:
        return read_full_text(config, store, paper_id, version, offline=offline).document, ""
    except ArxivTuiError as error:
        return None, str(error)
