"""What the reader screen's workers post. A worker never touches a widget: it posts one of these,
and the screen that started it handles it on the UI thread.

Each writes its own `__init__`, as Textual's messages do: a dataclass is built when its module
is imported (0.2 ms each), and this module is imported by every start."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from textual.message import Message

from arxiv_tui.core.session.events import Event, Loaded, Notice

if TYPE_CHECKING:
    from arxiv_tui.core.incoming.explore import ArxivSearch
    from arxiv_tui.core.matching.query import Query
    from arxiv_tui.core.models import Paper, PaperMarks
    from arxiv_tui.core.session.finding import SearchResult, Similar
    from arxiv_tui.core.sources.full_text import FullText
    from arxiv_tui.core.sources.scholar import Details


class ReaderEvent(Message):
    """A step of the Reader's own work (opened, fetched, catching up, caught up...)."""

    def __init__(self, event: Event) -> None:
        super().__init__()
        self.event = event


class ListingLoaded(Message):
    """An older or newer listing, ready to show."""

    def __init__(self, loaded: Loaded, only_if_none_shown: bool = False) -> None:
        super().__init__()
        self.loaded = loaded
        self.only_if_none_shown = only_if_none_shown  # the newest, read after the Inbox was drawn


class StarredLoaded(Message):
    def __init__(self, rows: list[Paper], marks: dict[str, PaperMarks]) -> None:
        super().__init__()
        self.rows = rows
        self.marks = marks


class ArxivPage(Message):
    """A page of a search of all of arXiv came (or failed: `search.problem` says why)."""

    def __init__(self, search: ArxivSearch, papers: list[Paper], marks: dict[str, PaperMarks]) -> None:
        super().__init__()
        self.search = search
        self.papers = papers
        self.marks = marks


class SimilarFound(Message):
    """The papers most like one paper ("more like this")."""

    def __init__(self, found: Similar, marks: dict[str, PaperMarks]) -> None:
        super().__init__()
        self.found = found
        self.marks = marks


class ScholarFound(Message):
    """What Semantic Scholar says of one paper (from the library's cache or the network)."""

    def __init__(self, paper: Paper, details: Details, marks: dict[str, PaperMarks]) -> None:
        super().__init__()
        self.paper = paper
        self.details = details
        self.marks = marks


class CountsFound(Message):
    """Citation counts of a view's papers; `unknown`: how many Semantic Scholar does not know."""

    def __init__(self, counts: dict[str, tuple[int, int]], unknown: int) -> None:
        super().__init__()
        self.counts = counts
        self.unknown = unknown


class SavedFound(Message):
    """Every saved search run again (after a start, a fetch, or a new saved search)."""

    def __init__(self, found: dict[str, SearchResult], marks: dict[str, PaperMarks]) -> None:
        super().__init__()
        self.found = found
        self.marks = marks


class TaggedLoaded(Message):
    """A tag view's papers, read from the library."""

    def __init__(self, tag: str, rows: list[Paper], marks: dict[str, PaperMarks]) -> None:
        super().__init__()
        self.tag = tag
        self.rows = rows
        self.marks = marks


class LibraryFound(Message):
    """A search of the whole library answered (`text` is what it was asked for), or its first
    rows; `drawn` is set once the screen has drawn it (or let it go), and the worker finds the
    rest only then, so that work does not share the interpreter with the frame."""

    def __init__(self, text: str, found: SearchResult, marks: dict[str, PaperMarks]) -> None:
        super().__init__()
        self.text = text
        self.found = found
        self.marks = marks
        self.drawn = threading.Event()


class ViewFound(Message):
    """A search within the view answered."""

    def __init__(self, text: str, query: Query, hits: set[str]) -> None:
        super().__init__()
        self.text = text
        self.query = query
        self.hits = hits


class SearchFailed(Message):
    def __init__(self, text: str, problem: str) -> None:
        super().__init__()
        self.text = text
        self.problem = problem


class Ranked(Message):
    def __init__(self, view: str, scores: dict[str, float]) -> None:
        super().__init__()
        self.view = view
        self.scores = scores


class DownloadProgress(Message):
    def __init__(self, paper_id: str, done: int, total: int | None) -> None:
        super().__init__()
        self.paper_id = paper_id
        self.done = done
        self.total = total


class DownloadDone(Message):
    def __init__(self, notice: Notice) -> None:
        super().__init__()
        self.notice = notice


class FullTextRead(Message):
    """A paper's full text, kept or fetched (T)."""

    def __init__(self, paper: Paper, text: FullText) -> None:
        super().__init__()
        self.paper = paper
        self.text = text


class Notices(Message):
    """Things to tell the user, from a worker (the daily check, a link that would not open)."""

    def __init__(self, notices: list[Notice], copy: str = "") -> None:
        super().__init__()
        self.notices = notices
        self.copy = copy  # a link to put on the clipboard (when no browser could open it)
