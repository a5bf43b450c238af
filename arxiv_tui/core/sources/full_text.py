"""A paper's full text from arXiv: the versioned HTML page at `[source] html_url`, read into a
Document (fulltext/latexml.py).

arXiv builds that page from the paper's LaTeX with LaTeXML; not every paper has one. A 404 says
there is none (a paper submitted as PDF only, or not converted yet), and a page that is not a
converted paper is arXiv saying the conversion failed: both are said plainly, with the PDF's
address to read instead.
"""

from __future__ import annotations

from arxiv_tui.core.base.errors import FetchError
from arxiv_tui.core.config import Config
from arxiv_tui.core.fulltext.document import Document
from arxiv_tui.core.fulltext.latexml import read_latexml
from arxiv_tui.core.sources.arxiv import HttpClient


class NoFullText(FetchError):
    """arXiv has no full text of this paper to give (none built, or its conversion failed)."""


def page_url(config: Config, paper_id: str, version: int = 0) -> str:
    """The page of `paper_id` at `version` (0: the newest, as arXiv redirects an unversioned id)."""
    return f"{config.html_url.rstrip('/')}/{paper_id}" + (f"v{version}" if version else "")


def fetch_full_text(config: Config, paper_id: str, version: int = 0) -> Document:
    """The paper's full text; NoFullText when arXiv has none, FetchError when it cannot be had."""
    url = page_url(config, paper_id, version)
    named = f"{paper_id}v{version}" if version else paper_id
    pdf = f"{config.pdf_url.rstrip('/')}/{named}"
    http = HttpClient(config.timeout_seconds)
    try:
        status, _headers, body = http.get(url)
    finally:
        http.close()
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
