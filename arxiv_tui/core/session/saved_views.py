"""The Reader's part that holds the saved searches (saved.py keeps them in the library): each
name's query, its last answer from the library, and their views with counts."""

from __future__ import annotations

from collections.abc import Callable, Container, Sequence
from typing import TYPE_CHECKING

from arxiv_tui.core.library.library import Library
from arxiv_tui.core.library.writer import MarkWriter
from arxiv_tui.core.matching.views import SAVED_PREFIX, View
from arxiv_tui.core.models import Paper, PaperMarks

if TYPE_CHECKING:
    from arxiv_tui.core.library.search import SearchResult


class SavedViews:
    def __init__(self, library: Library, writer: MarkWriter) -> None:
        self.library = library
        self.writer = writer
        self.queries: dict[str, str] = {}  # name -> query
        self.found: dict[str, SearchResult] = {}  # their last answers
        self.alerting: set[str] = set()  # the names of those marked as alerts

    def run(self) -> tuple[dict[str, SearchResult], dict[str, PaperMarks]]:
        """Every saved search run against the library (in a worker), with its papers' marks. A
        saved query that no longer runs is left out (its view shows nothing)."""
        from arxiv_tui.core.matching.query import QueryError

        found = {}
        for name, text in list(self.queries.items()):
            try:
                found[name] = self.library.search(text, limit=500)
            except QueryError:
                continue
        ids = {paper.id for result in found.values() for paper in result.papers}
        return found, self.library.marks.of(ids)

    def save(self, name: str, text: str, alert: bool = False) -> str:
        """Keep a library search under a name (`alert`: its matches in each new listing enter the
        Inbox); the name as kept. QueryError when it cannot run, ValueError without a name; the
        write happens off this thread."""
        from arxiv_tui.core.library.saved import checked

        name, text = checked(name, text)  # as the library will keep them
        self.queries[name] = text
        (self.alerting.add if alert else self.alerting.discard)(name)

        def write(library: Library) -> None:
            library.saved.save(name, text, alert=alert)

        self.writer.put(write)
        return name

    def forget(self, name: str) -> tuple[str, Callable[[], None]]:
        """Delete a saved search; its query, and what brings it back as it was (for an undo)."""
        text, found = self.queries.pop(name), self.found.pop(name, None)
        alert = name in self.alerting
        self.alerting.discard(name)
        self.writer.put(lambda library: library.saved.delete(name))

        def again() -> None:
            self.save(name, text, alert)
            if found is not None:
                self.found[name] = found

        return text, again

    def papers(self, name: str) -> Sequence[Paper]:
        found = self.found.get(name)
        return found.papers if found else ()

    def views(self, is_read: Callable[[str], bool], shown: Container[str]) -> list[View]:
        """A view each, by name: its matches, unread ones, and those in the listing `shown`."""
        views = []
        for name in sorted(self.queries, key=str.casefold):
            found = self.found.get(name)
            papers = found.papers if found else ()
            unread = sum(not is_read(paper.id) for paper in papers)
            today = sum(paper.id in shown for paper in papers)
            views.append(View(SAVED_PREFIX + name, f"/{name}", found.total if found else 0, unread, today))
        return views
