"""What config.toml holds when the user has not said otherwise: the file written on first run,
with a comment for every key, and the Config those defaults make."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from arxiv_tui.core.config.assistant import AssistantSettings

DEFAULT_RSS_URL = "https://rss.arxiv.org/rss"
DEFAULT_API_URL = "https://export.arxiv.org/api/query"
DEFAULT_PDF_URL = "https://arxiv.org/pdf"
DEFAULT_HTML_URL = "https://arxiv.org/html"
DEFAULT_S2_URL = "https://api.semanticscholar.org"
DEFAULT_URLS = {DEFAULT_RSS_URL, DEFAULT_API_URL, DEFAULT_PDF_URL, DEFAULT_HTML_URL, DEFAULT_S2_URL}
CATEGORY_PATTERN = re.compile(r"^[a-z][a-z\-]*(\.[A-Za-z][A-Za-z\-]*)?$")

DEFAULT_CONFIG_TEXT = """\
# arxiv-tui configuration. Every key is optional; delete one to get its default back.
# Where this file lives: `arxiv-tui locate`.

# arXiv categories to read, fetched together in one request (https://arxiv.org/category_taxonomy),
# like ["cs.CL", "cs.SD", "eess.AS"]. None yet: the reader's first start asks for them.
categories = []

[keywords]
# A paper matches when an include term is in its title or abstract and no exclude term is.
#   plain words: whole words, any case; "-", "_" and spaces are the same; plurals match too
#   token*     : a prefix (token, tokens, tokenizer)
#   /regex/    : a Python regular expression, case-insensitive
include = []
exclude = []
# Authors to follow: their papers are always in Matched, whatever the keywords say.
# Case, accents and TeX do not matter ("Söhler" = "Sohler" = "S\\"ohler"); "Harwath" finds any Harwath.
authors = []
# Your own papers, by arXiv id (like "2411.17712"): new papers citing them enter the Inbox.
my_papers = []

[alerts]
# Papers that reach your Inbox from beyond your categories' listings. Each is checked once a
# day (citations once a week) in the background, politely, and kept in the library.
# Followed authors' new papers anywhere on arXiv (one arXiv API query for all of them).
followed_authors = true
# New versions of your starred papers (seen in every listing; a weekly check for the others).
new_versions = true
# New papers citing your stars or your own papers (Semantic Scholar).
citations = true

[feed]
# Show replaced versions (v2, v3...) of older papers among the matches.
include_replacements = false
# Days a listing is kept in the library (0 keeps them forever). Stars, notes, tags and read
# marks are never forgotten, nor the papers they are on.
retention_days = 365
# Seconds before a request to arXiv is given up.
timeout_seconds = 30
# Missed announcement days to back-fill through the arXiv API at start (0 turns it off).
catch_up_listings = 7

[ui]
# Textual theme name; also changed from the app's command palette (ctrl+p).
theme = "textual-dark"
# A paper becomes read when you open it (Enter, o, a, h), star it or mark it (r, x, A), never
# by passing over it. Seconds it must stay in the detail pane to become read too (0: never).
mark_read_after_seconds = 0
# Two lines a paper in the list: the authors and the keywords it matched under the title (L).
two_line_rows = false
# Sorted For you (S), undecided papers whose chance of a keep is below this fold under one row
# at the end ("92 papers the model expects you to skip", Enter shows them); nothing is marked
# and the Inbox still counts them. 0 shows every paper; 0.1 folds those under 10%.
hide_below = 0
# Command to open links with, e.g. "firefox"; empty uses the system browser ($BROWSER).
browser = ""
# Command to open a downloaded PDF with (o opens the copy d saved), e.g. "zathura"; empty: the
# system's viewer (xdg-open, open).
pdf_viewer = ""
# Figures and PDF pages as pictures: "auto" (what the terminal answers it can show; half-cell
# blocks inside tmux), "kitty", "sixel", "blocks" (coloured half cells: any terminal), or "off".
images = "auto"

[ui.keys]
# Remap keys by binding id, e.g. star = "s,asterisk". `?` in the app lists the ids.

[download]
# Where `d` saves PDFs; empty: an "arxiv" folder in your downloads folder.
folder = ""
# Where `e` suggests saving exports; empty: your documents folder.
export_folder = ""

[source]
# Where listings, searches and PDFs come from (change only for a mirror or for testing).
rss_url = "https://rss.arxiv.org/rss"
api_url = "https://export.arxiv.org/api/query"
pdf_url = "https://arxiv.org/pdf"
# Full texts (`arxiv-tui read`): the HTML arXiv builds from a paper's LaTeX with LaTeXML.
html_url = "https://arxiv.org/html"
# Citations, references and recommendations (w, W) come from Semantic Scholar. A key of your own
# (free, https://www.semanticscholar.org/product/api) raises its rate limit; the environment
# variable SEMANTIC_SCHOLAR_API_KEY is used when this is empty.
s2_url = "https://api.semanticscholar.org"
s2_api_key = ""

# An optional assistant through your own model: a one-line TL;DR of each paper, a summary of the
# full text, questions about a paper. Off while this table is commented out: no key, no request.
# Only the paper and a fixed prompt are sent (never your notes, stars, keywords or library); a
# server other than this machine is named, with the size, and asked about before anything goes.
# [assistant]
# base_url = "http://localhost:11434/v1"   # Ollama here; any OpenAI-compatible …/v1 server
# model = "qwen3:8b"
# api_key_env = ""                         # the NAME of the variable holding a key, e.g. "OPENAI_API_KEY"
# language = "English"                     # the language answers are written in
# max_input_tokens = 12000                 # a longer paper is cut to fit
# command = ""                             # instead of base_url: a program reading the prompt on stdin
"""


@dataclass(frozen=True)
class Config:
    categories: tuple[str, ...] = ()  # none until the user chooses (the first start's setup)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    my_papers: tuple[str, ...] = ()  # arXiv ids of the user's own papers
    alert_authors: bool = True  # [alerts]: see the default file's comments
    alert_versions: bool = True
    alert_citations: bool = True
    include_replacements: bool = False
    retention_days: int = 365
    timeout_seconds: float = 30.0
    catch_up_listings: int = 7
    theme: str = "textual-dark"
    mark_read_after_seconds: float = 0.0
    two_line_rows: bool = False
    hide_below: float = 0.0  # For you: fold undecided papers below this chance of a keep
    browser: str = ""
    pdf_viewer: str = ""
    images: str = "auto"
    keys: dict[str, str] = field(default_factory=dict)
    rss_url: str = DEFAULT_RSS_URL
    api_url: str = DEFAULT_API_URL
    pdf_url: str = DEFAULT_PDF_URL
    html_url: str = DEFAULT_HTML_URL
    s2_url: str = DEFAULT_S2_URL
    s2_api_key: str = ""
    download_folder: str = ""
    export_folder: str = ""
    assistant: AssistantSettings | None = None  # [assistant]; None: no assistant, no key, no request

    def with_keywords(
        self,
        include: list[str],
        exclude: list[str],
        categories: list[str] | None = None,
        authors: list[str] | None = None,
    ) -> Config:
        return replace(
            self,
            include=tuple(include),
            exclude=tuple(exclude),
            categories=tuple(categories) if categories is not None else self.categories,
            authors=tuple(authors) if authors is not None else self.authors,
        )
