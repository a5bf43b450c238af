"""What the reader screen's workers post. A worker never touches a widget: it posts one of these,
and the screen that started it handles it on the UI thread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from arxiv_tui.core.session.events import Event, Loaded, Notice

if TYPE_CHECKING:
    from arxiv_tui.core.incoming.explore import ArxivSearch
    from arxiv_tui.core.matching.query import Query
    from arxiv_tui.core.matching.relevance import Score
    from arxiv_tui.core.models import Listing, Paper, PaperMarks
    from arxiv_tui.core.session.finding import SearchResult, Similar
    from arxiv_tui.core.sources.scholar import Details


@dataclass
class ReaderEvent(Message):
    """A step of the Reader's own work (opened, fetched, catching up, caught up...)."""

    event: Event


@dataclass
class ListingLoaded(Message):
    """An older or newer listing, ready to show."""

    loaded: Loaded
    only_if_none_shown: bool = False  # the newest, read after the Inbox was drawn


@dataclass
class StarredLoaded(Message):
    rows: list[Paper]
    marks: dict[str, PaperMarks]


@dataclass
class ArxivPage(Message):
    """A page of a search of all of arXiv came (or failed: `search.problem` says why)."""

    search: ArxivSearch
    papers: list[Paper]
    marks: dict[str, PaperMarks]


@dataclass
class SimilarFound(Message):
    """The papers most like one paper ("more like this")."""

    found: Similar
    marks: dict[str, PaperMarks]


@dataclass
class ScholarFound(Message):
    """What Semantic Scholar says of one paper (from the library's cache or the network)."""

    paper: Paper
    details: Details
    marks: dict[str, PaperMarks]


@dataclass
class CountsFound(Message):
    """Citation counts of a view's papers; `unknown`: how many Semantic Scholar does not know."""

    counts: dict[str, tuple[int, int]]
    unknown: int


@dataclass
class SavedFound(Message):
    """Every saved search run again (after a start, a fetch, or a new saved search)."""

    found: dict[str, SearchResult]
    marks: dict[str, PaperMarks]


@dataclass
class TaggedLoaded(Message):
    """A tag view's papers, read from the library."""

    tag: str
    rows: list[Paper]
    marks: dict[str, PaperMarks]


@dataclass
class LibraryFound(Message):
    """A search of the whole library answered (`text` is what it was asked for)."""

    text: str
    found: SearchResult
    marks: dict[str, PaperMarks]


@dataclass
class ViewFound(Message):
    """A search within the view answered."""

    text: str
    query: Query
    hits: set[str]


@dataclass
class SearchFailed(Message):
    text: str
    problem: str


@dataclass
class Ranked(Message):
    listing: Listing | None
    scores: dict[str, Score]


@dataclass
class DownloadProgress(Message):
    paper_id: str
    done: int
    total: int | None


@dataclass
class DownloadDone(Message):
    notice: Notice


@dataclass
class Notices(Message):
    """Things to tell the user, from a worker (the daily check, a link that would not open)."""

    notices: list[Notice]
    copy: str = ""  # a link to put on the clipboard (when no browser could open it)
