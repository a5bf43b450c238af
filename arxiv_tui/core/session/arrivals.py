"""What enters the Inbox from a listing: its papers a keyword, a followed author or a saved search
marked as an alert matched, with why; and a new version of a starred paper, from the
replacements every listing carries (no request of its own). Replacements of other papers do
not enter: a paper decided once stays decided when it is announced again. Also where the last
session stopped (its view and paper), kept in the library beside the Inbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from arxiv_tui.core.library.inbox import Entry
from arxiv_tui.core.library.library import Library
from arxiv_tui.core.library.writer import MarkWriter
from arxiv_tui.core.matching import reasons
from arxiv_tui.core.matching.match import MatchResult, Term
from arxiv_tui.core.matching.views import Filtered
from arxiv_tui.core.models import Listing, Paper, PaperMarks
from arxiv_tui.core.session.events import InboxGrew, Loaded, Notice, Opened
from arxiv_tui.core.session.marking import Marking
from arxiv_tui.core.session.session_marks import SessionMarks

SEEDED, LAST_VIEW, LAST_PAPER = "inbox.seeded", "ui.last_view", "ui.last_paper"  # library meta keys


def entries_of(loaded: Loaded, starred: Mapping[str, str], versions: bool = True) -> list[Entry]:
    """`starred`: when each starred paper was starred. A replacement of one announced after its
    star comes back (when `versions`): the user starred an older version."""
    listing = loaded.listing
    entries = []
    for row in loaded.filtered.matched:
        why = (
            *(reasons.reason(reasons.KEYWORD, term) for term in row.match.terms),
            *(reasons.reason(reasons.AUTHOR, author) for author in row.match.authors),
        )
        entries.append(Entry(row.paper.id, row.paper.listing_date or listing.date, why, row.paper.version))
    if versions:
        for paper in listing.papers:
            day = paper.listing_date or listing.date
            if paper.is_replacement and starred.get(paper.id, "9")[:10] < day.isoformat():
                stated = [reasons.reason(reasons.VERSION, paper.version)]
                if reasons.WITHDRAWN_WORD.search(paper.comments[:500]):
                    stated.append(reasons.reason(reasons.WITHDRAWN))
                entries.append(Entry(paper.id, day, tuple(stated), paper.version, again=True))
    return entries


def explained(
    paper: Paper, entry: Entry, found: MatchResult | None, include: tuple[Term, ...]
) -> MatchResult:
    """Why an Inbox paper is there, as a match: the listing's own match when it is shown (`found`),
    else the keywords and authors the entry kept; its other reasons (alerts) said in `also`."""
    kinds = [reason.partition(":") for reason in entry.reasons]
    also = tuple(reason for reason in entry.reasons if reasons.is_alert(reason))
    if found is None:
        terms = tuple(what for kind, _, what in kinds if kind == reasons.KEYWORD)
        authors = tuple(what for kind, _, what in kinds if kind in (reasons.AUTHOR, reasons.ALERT_AUTHOR))
        return MatchResult(terms, paper, include, authors, also)
    return replace(found, also=also) if also else found


def arriving(loaded: Loaded, session: SessionMarks, is_read: Callable[[str], bool]) -> bool:
    """A listing newer than the Inbox's newest day is shown (a first run, today's fetch, its
    first papers): its matched papers not decided yet are in the Inbox at once, not only once
    the listing is stored (a first paint would wait for that). Whether it was such a listing."""
    days = [entry.day for entry in session.inbox.values()]
    if days and loaded.listing.date < max(days):
        return False  # an older listing, looked at with <: its papers entered (or were decided)
    rows = {row.paper.id: row.paper for row in loaded.filtered.matched}
    session.arriving([
        (rows[entry.paper_id], entry) for entry in entries_of(loaded, {}, versions=False)
        if not is_read(entry.paper_id)
    ])  # fmt: skip
    return True


class Arrivals:
    """Lets a listing's papers into the library's Inbox (in a worker: a refresh, a digest), and
    reads the Inbox back for a front end."""

    def __init__(self, library: Library, writer: MarkWriter) -> None:
        self.library = library
        self.writer = writer

    def let_in(self, loaded: Loaded, versions: bool = True) -> int:
        """How many papers of `loaded` entered (new, or a star's new version when `versions`)."""
        replaced = (paper.id for paper in loaded.listing.papers if paper.is_replacement)
        starred = self.library.marks.starred_among(replaced) if versions else {}
        entries = entries_of(loaded, starred, versions) + self.searched(loaded.listing)
        return len(self.library.inbox.add(entries))

    def searched(self, listing: Listing) -> list[Entry]:
        """The listing's papers (not replacements) a saved search marked as an alert finds; the
        listing is in the library already, so its own index answers."""
        from arxiv_tui.core.matching.query import QueryError

        papers = [paper for paper in listing.papers if not paper.is_replacement]
        entries: list[Entry] = []
        for name, query in self.library.saved.alerts() if papers else ():
            try:
                hits = self.library.matching(query, [paper.id for paper in papers])
            except QueryError:
                continue  # a query this version cannot run: its view says so
            why = (reasons.reason(reasons.SEARCH, name),)
            day = listing.date
            entries += [Entry(p.id, p.listing_date or day, why, p.version) for p in papers if p.id in hits]
        return entries

    def matched_anew(self, listing: Listing | None, filtered: Filtered, marking: Marking) -> None:
        """The keywords changed: the new matches of the newest listing, shown, enter the Inbox now
        (and the library's, off this thread), not only from the next listing on."""
        loaded = Loaded(listing, filtered) if listing is not None else None
        if loaded is not None and arriving(loaded, marking.session, marking.is_read):

            def write(library: Library) -> None:
                self.let_in(loaded, versions=False)

            self.writer.put(write)

    def seed(self, newest: Loaded) -> None:
        """A library from before the Inbox: its newest listing's matched papers enter, once."""
        if self.library.meta(SEEDED) is None:
            self.let_in(newest)
            self.library.set_meta(SEEDED, "1")

    def inbox(self, first: int = -1) -> tuple[list[tuple[Paper, Entry]], dict[str, PaperMarks]]:
        """The undecided papers (`first`: the top so many), as list rows with why they entered,
        and their marks."""
        found = self.library.inbox.undecided(first)
        return found, self.library.marks.of(paper.id for paper, _ in found)

    def grew(self, entered: int) -> InboxGrew:
        return InboxGrew(*self.inbox(), entered)

    def opened(
        self,
        loaded: Loaded | None,
        notices: tuple[Notice, ...],
        previewed: bool,
        opening: dict,
        later: bool = False,
    ) -> Opened:
        """What a start shows (`opening` as `opening()` gave it; `later`: the listing comes after)."""
        marks, saved = self.library.marks, self.library.saved
        return Opened(
            loaded, marks.star_count(), notices, tuple(marks.tag_summary()), tuple(saved.all()),
            tuple(name for name, _ in saved.alerts()), preview=previewed, listing_later=later, **opening,
        )  # fmt: skip

    def opening(self, first: int = 0) -> dict[str, Any]:
        """What a start shows of the Inbox (with `first`, its top `first` rows and how many in
        all; the rest comes after the first frame: 5,000 are 80 ms), and where the last session
        stopped (`Opened` fields)."""
        inbox, marks = self.inbox(first or -1)
        meta = self.library.meta
        counts = None
        if first and len(inbox) >= first:  # the top only: counted in the library
            counts = self.library.inbox.counts(self.library.newest_date() or dt.date.max)
        return {
            "inbox": tuple(inbox), "inbox_marks": marks, "inbox_counts": counts,
            "last_view": meta(LAST_VIEW) or "", "last_paper": meta(LAST_PAPER) or "",
        }  # fmt: skip

    def remember_place(self, view: str, paper_id: str) -> None:
        """Where this session stops (the view, the paper under the cursor): the next starts there."""

        def write(library: Library) -> None:
            library.set_meta(LAST_VIEW, view)
            library.set_meta(LAST_PAPER, paper_id)

        self.writer.put(write)
