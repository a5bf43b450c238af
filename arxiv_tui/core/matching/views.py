"""A listing matched once, and each view a cheap selection of it, with counts and sorting.

Pure: no library, no widgets. The Reader (reader.py) owns which view is shown.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from arxiv_tui.core.matching.match import Matcher, MatchResult, fold, name_tokens
from arxiv_tui.core.models import Listing, Paper

INBOX = "inbox"  # every paper that reached the user, from any day, until decided (library/inbox.py)
MATCHED = "matched"
STARRED = "starred"
ALL = "all"
REPLACEMENTS = "replacements"
FOLLOWED = "followed"
KEYWORD_PREFIX = "keyword:"
TAG_PREFIX = "tag:"  # a tag's view: every paper in the library carrying it
SAVED_PREFIX = "saved:"  # a saved search's view: its matches in the whole library, newest first
SEARCH = "search"  # the results of a search of the whole library (not a view to cycle to)
ARXIV = "arxiv"  # the results of a search of all of arXiv (explore.py; not a view to cycle to)
SIMILAR = "similar"  # the papers most like one paper (similar.py; not a view to cycle to)
CITED = "cited"  # a paper's citing papers, references or recommendations (scholar.py)
CITING, REFERENCES, RECOMMENDED = "citing", "references", "recommended"  # what CITED shows

ANNOUNCED, FOR_YOU, NEWEST, TITLE, FIRST_AUTHOR = "announced", "for you", "newest id", "title", "first author"
CITATIONS = "citations"  # offered once Semantic Scholar's counts are known (W or w)
SORTS = (ANNOUNCED, FOR_YOU, NEWEST, TITLE, FIRST_AUTHOR, CITATIONS)


@dataclass(frozen=True)
class View:
    key: str
    label: str
    count: int
    unread: int
    today: int | None = None  # of them, in the listing shown (a saved search's view), or new today
    inbox: bool = False  # the Inbox: `count` is what is left to decide, not the papers shown


@dataclass(frozen=True, slots=True)
class Row:
    paper: Paper
    match: MatchResult


class LaterRow(Row):
    """A row whose match is worked out when first asked for: of a view of 5,000 papers only the
    rows drawn (and those a filter or sort reads) pay for it. Slotted, and all of a view's rows
    share one `explain`: 50,000 starred papers are 50,000 of them."""

    __slots__ = ("_explain", "_match")
    _explain: Callable[[Paper], MatchResult]
    _match: MatchResult | None

    def __init__(self, paper: Paper, explain: Callable[[Paper], MatchResult]) -> None:
        object.__setattr__(self, "paper", paper)
        object.__setattr__(self, "_explain", explain)
        object.__setattr__(self, "_match", None)

    @property  # Row's field, read-only here as there (frozen)
    def match(self) -> MatchResult:
        found = self._match
        if found is None:
            found = self._explain(self.paper)
            object.__setattr__(self, "_match", found)
        return found


FOLD_ID = ""  # the fold row's paper id: no arXiv id is empty


class FoldRow(Row):
    """For you's folded tail: one row standing for the undecided papers the model expects the
    user to skip (ui.hide_below). Nothing is marked; Enter on it shows them."""

    __slots__ = ("folded",)
    folded: list[Row]

    def __init__(self, folded: list[Row]) -> None:
        papers = f"{len(folded):,} paper{'s' if len(folded) != 1 else ''}"
        said = f"{papers} the model expects you to skip — Enter to show"
        paper = Paper(FOLD_ID, 0, said, (), "", ())
        object.__setattr__(self, "paper", paper)
        object.__setattr__(self, "match", MatchResult((), paper))
        object.__setattr__(self, "folded", folded)


def fold_unlikely(
    rows: list[Row], scores: dict[str, float], is_read: Callable[[str], bool], below: float
) -> list[Row]:
    """Rows sorted For you, with the undecided ones scored under `below` (a margin) folded under
    one FoldRow, after the undecided rows shown and before the decided ones."""
    shown, folded, decided = [], [], []
    for row in rows:
        if is_read(row.paper.id):
            decided.append(row)
        elif scores.get(row.paper.id, math.inf) < below:  # one not scored yet is shown
            folded.append(row)
        else:
            shown.append(row)
    return [*shown, FoldRow(folded), *decided] if folded else rows


@dataclass
class Filtered:
    """A listing matched against the keywords: every paper's result, and the matched rows."""

    matcher: Matcher
    results: dict[str, MatchResult]
    matched: list[Row]
    too_slow: tuple[str, ...] = ()  # /regex/ keywords that ran out of time and were left out

    def terms_hit(self) -> dict[str, list[str]]:
        """What to keep so the next start need not match again: the include terms each paper hit."""
        return {paper_id: list(result.terms) for paper_id, result in self.results.items() if result.terms}


def filter_listing(
    listing: Listing | None,
    matcher: Matcher,
    include_replacements: bool,
    known_terms: dict[str, list[str]] | None = None,
) -> Filtered:
    """Match every paper once; every view is then a selection. Safe to run in a worker.

    `known_terms` (paper id -> include terms hit) is a saved earlier matching with the same
    keywords: the regexes then only run for excludes of the papers that hit something.
    """
    filtered = Filtered(matcher, {}, [])
    if listing is None:
        return filtered
    matcher.new_run()
    for paper in listing.papers:
        if known_terms is not None:
            terms = tuple(known_terms.get(paper.id, ()))
        else:
            terms = matcher.matched_terms(paper)
        authors = matcher.followed(paper)
        result = MatchResult(terms, paper, matcher.include, authors)
        filtered.results[paper.id] = result
        if paper.is_replacement and not include_replacements:
            continue
        if authors or (terms and not matcher.excluded(paper)):
            filtered.matched.append(Row(paper, result))
    filtered.too_slow = matcher.too_slow
    return filtered


def listing_views(
    filtered: Filtered,
    papers: Sequence[Paper],
    include: Sequence[str],
    follows_authors: bool,
    stars: int,
    unread_stars: int,
    is_read: Callable[[str], bool],
    tags: Sequence[tuple[str, int, int]] = (),
) -> list[View]:
    """Matched, one per keyword, Followed authors, Starred, one per tag, All, Replacements: with
    counts (`tags`: name, papers, unread)."""

    def view(key: str, label: str, rows: Sequence[Paper]) -> View:
        return View(key, label, len(rows), sum(1 for paper in rows if not is_read(paper.id)))

    matched = [row.paper for row in filtered.matched]
    views = [view(MATCHED, "Matched", matched)]
    for term in include:
        views.append(
            view(
                KEYWORD_PREFIX + term,
                term,
                [row.paper for row in filtered.matched if term in row.match.terms],
            )
        )
    if follows_authors:
        views.append(
            view(FOLLOWED, "Followed authors", [row.paper for row in filtered.matched if row.match.authors])
        )
    views.append(View(STARRED, "Starred", stars, unread_stars))
    views += [View(TAG_PREFIX + tag, f"#{tag}", count, unread) for tag, count, unread in tags]
    views.append(view(ALL, "All", list(papers)))
    views.append(view(REPLACEMENTS, "Replacements", [paper for paper in papers if paper.is_replacement]))
    return views


def listing_rows(
    key: str, filtered: Filtered, papers: Sequence[Paper], explain: Callable[[Paper], MatchResult]
) -> list[Row]:
    """The rows of a listing view (Starred and searches come from the library instead)."""
    if key == MATCHED:
        return list(filtered.matched)
    if key.startswith(KEYWORD_PREFIX):
        term = key.removeprefix(KEYWORD_PREFIX)
        return [row for row in filtered.matched if term in row.match.terms]
    if key == FOLLOWED:
        return [row for row in filtered.matched if row.match.authors]
    if key == REPLACEMENTS:
        return [Row(paper, explain(paper)) for paper in papers if paper.is_replacement]
    return [Row(paper, explain(paper)) for paper in papers]


def hits(row: Row) -> int:
    return len(row.match.terms) + len(row.match.authors)


def sort_rows(
    rows: list[Row], sort: str, scores: dict[str, float], is_read: Callable[[str], bool] = lambda _: False
) -> list[Row]:
    """`scores`: For you's, by paper id (higher first); a decided (read) paper never comes
    before an undecided one."""
    if sort == FOR_YOU:
        if scores:
            lowest = -math.inf
            return sorted(rows, key=lambda row: (is_read(row.paper.id), -scores.get(row.paper.id, lowest)))
        return sorted(rows, key=lambda row: (is_read(row.paper.id), -hits(row)))
    if sort == NEWEST:
        return sorted(rows, key=lambda row: row.paper.id, reverse=True)
    if sort == TITLE:
        return sorted(rows, key=lambda row: fold(row.paper.title))
    if sort == FIRST_AUTHOR:
        return sorted(rows, key=lambda row: name_tokens(row.paper.first_author)[-1:] or ("",))
    return rows


# --- triage: where the next unread paper is ---------------------------------------------------


def next_unread(rows: Sequence[Row], start: int, step: int, is_read: Callable[[str], bool]) -> int | None:
    """The index of the next unread row from `start` going `step` (1 or -1), wrapping around the
    view; `start` itself comes last. None when every row is read."""
    count = len(rows)
    for offset in range(1, count + 1):
        index = (start + step * offset) % count
        paper_id = rows[index].paper.id
        if paper_id != FOLD_ID and not is_read(paper_id):
            return index
    return None


def wrapped(start: int, found: int, step: int) -> bool:
    """Whether going from `start` to `found` in direction `step` went round the end of the view."""
    return (found <= start) if step > 0 else (found >= start)
