"""What the reader shows, computed without any widget: views, counts, search, unread filter."""

from __future__ import annotations

from dataclasses import dataclass, field

from arxiv_tui.core.archive_index import ArchiveIndex
from arxiv_tui.core.badges import badges
from arxiv_tui.core.config import Config
from arxiv_tui.core.match import Matcher, MatchResult, fold, name_tokens, searchable
from arxiv_tui.core.models import Listing, Paper
from arxiv_tui.core.relevance import Score
from arxiv_tui.core.state import State

MATCHED = "matched"
STARRED = "starred"
ALL = "all"
REPLACEMENTS = "replacements"
KEYWORD_PREFIX = "keyword:"
FOLLOWED = "followed"
ANNOUNCED, FOR_YOU, NEWEST, TITLE, FIRST_AUTHOR = "announced", "for you", "newest id", "title", "first author"
SORTS = (ANNOUNCED, FOR_YOU, NEWEST, TITLE, FIRST_AUTHOR)
ARCHIVE_ROWS = 5_000  # rows shown for a search of all listings; the count says how many matched


@dataclass(frozen=True)
class View:
    key: str
    label: str
    count: int


@dataclass
class Row:
    paper: Paper
    match: MatchResult


@dataclass
class Filtered:
    """A listing matched against the keywords: every paper's result, and the matched rows."""

    matcher: Matcher
    results: dict[str, MatchResult]
    matched: list[Row]
    too_slow: tuple[str, ...] = ()  # /regex/ keywords that ran out of time and were left out


def filter_listing(
    listing: Listing | None,
    matcher: Matcher,
    include_replacements: bool,
    known_terms: dict[str, list[str]] | None = None,
) -> Filtered:
    """Match every paper once; every view is then a cheap selection. Safe to run in a worker.

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


@dataclass
class ReaderModel:
    """The listing on screen, the user's keywords and marks, and the chosen view and filters."""

    config: Config
    state: State
    listing: Listing | None = None
    view: str = MATCHED
    unread_only: bool = False
    search: str = ""
    archive_index: ArchiveIndex | None = None  # built on the first search of all listings
    searching_archive: bool = False  # the search covers every archived listing, not the view
    archive_hits: int = 0  # how many papers the last archive search found (rows are capped)
    code_only: bool = False  # only papers that link to code or data
    sort: str = ANNOUNCED
    scores: dict[str, Score] = field(default_factory=dict)  # "For you", computed in a worker
    matcher: Matcher = field(init=False)
    _matched: list[Row] = field(default_factory=list, init=False)
    _results: dict[str, MatchResult] = field(default_factory=dict, init=False)
    _search_texts: dict[str, str] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.set_config(self.config)

    def set_config(self, config: Config) -> None:
        self.config = config
        self.matcher = Matcher(config.include, config.exclude, config.authors)
        self._refilter()

    def set_listing(self, listing: Listing | None, filtered: Filtered | None = None) -> None:
        """Show `listing`; `filtered` is its matching done elsewhere (used if the keywords still hold)."""
        self.listing = listing
        if filtered is not None and filtered.matcher is self.matcher:
            self._install(filtered)
        else:
            self._refilter()

    def filter(self, listing: Listing | None, known_terms: dict[str, list[str]] | None = None) -> Filtered:
        return filter_listing(listing, self.matcher, self.config.include_replacements, known_terms)

    @property
    def keywords_key(self) -> str:
        """What a saved matching depends on: the include terms (excludes are re-checked)."""
        return "\n".join(self.config.include)

    def _refilter(self) -> None:
        self._install(self.filter(self.listing))

    def _install(self, filtered: Filtered) -> None:
        self._results = filtered.results
        self._matched = filtered.matched
        self._search_texts = {}
        self.scores = {}

    def result_for(self, paper: Paper) -> MatchResult:
        found = self._results.get(paper.id)
        return found if found is not None else self.matcher.explain(paper)

    # --- views --------------------------------------------------------------------------------

    @property
    def papers(self) -> tuple[Paper, ...]:
        return self.listing.papers if self.listing else ()

    def views(self) -> list[View]:
        views = [View(MATCHED, "Matched", len(self._matched))]
        for term in self.config.include:
            count = sum(1 for row in self._matched if term in row.match.terms)
            views.append(View(KEYWORD_PREFIX + term, term, count))
        if self.config.authors:
            followed = sum(1 for row in self._matched if row.match.authors)
            views.append(View(FOLLOWED, "Followed authors", followed))
        views.append(View(STARRED, "Starred", self.state.star_count))
        views.append(View(ALL, "All", len(self.papers)))
        views.append(View(REPLACEMENTS, "Replacements", sum(p.is_replacement for p in self.papers)))
        return views

    def _view_rows(self) -> list[Row]:
        if self.view == MATCHED:
            return list(self._matched)
        if self.view.startswith(KEYWORD_PREFIX):
            term = self.view.removeprefix(KEYWORD_PREFIX)
            return [row for row in self._matched if term in row.match.terms]
        if self.view == FOLLOWED:
            return [row for row in self._matched if row.match.authors]
        if self.view == STARRED:
            return [Row(star.paper, self.result_for(star.paper)) for star in self.state.stars]
        if self.view == REPLACEMENTS:
            return [Row(p, self.result_for(p)) for p in self.papers if p.is_replacement]
        return [Row(p, self.result_for(p)) for p in self.papers]

    def rows(self) -> list[Row]:
        if self.searching_archive:
            return self._archive_rows()
        rows = self._view_rows()
        if self.unread_only:
            rows = [row for row in rows if not self.state.is_read(row.paper.id)]
        if self.code_only:
            rows = [row for row in rows if badges(row.paper).has_code]
        words = fold(self.search).split()
        if words:
            rows = [row for row in rows if all(word in self._search_text(row.paper) for word in words)]
        return self._sorted(rows)

    def _sorted(self, rows: list[Row]) -> list[Row]:
        if self.sort == FOR_YOU:
            hits = lambda row: len(row.match.terms) + len(row.match.authors)  # noqa: E731
            if self.scores:
                missing = Score(0.0)
                return sorted(rows, key=lambda row: -self.scores.get(row.paper.id, missing).value)
            return sorted(rows, key=lambda row: -hits(row))
        if self.sort == NEWEST:
            return sorted(rows, key=lambda row: row.paper.id, reverse=True)
        if self.sort == TITLE:
            return sorted(rows, key=lambda row: fold(row.paper.title))
        if self.sort == FIRST_AUTHOR:
            return sorted(rows, key=lambda row: name_tokens(row.paper.first_author)[-1:] or ("",))
        return rows

    def cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]

    def rank_inputs(self) -> tuple[list[Paper], list[Paper], dict[str, int]]:
        """What "For you" is computed from (in a worker): the listing, the stars, keyword hits."""
        hits = {pid: len(result.terms) + len(result.authors) for pid, result in self._results.items()}
        return list(self.papers), [star.paper for star in self.state.stars], hits

    def _archive_rows(self) -> list[Row]:
        """The newest ARCHIVE_ROWS papers of every archived listing holding the search words."""
        index = self.archive_index
        if index is None:
            self.archive_hits = 0
            return []
        hits = index.search(self.search)
        self.archive_hits = len(hits)
        rows = []
        for position in hits[:ARCHIVE_ROWS]:
            paper = index.paper(position)
            rows.append(
                Row(paper, MatchResult(self.matcher.matched_terms(paper), paper, self.matcher.include))
            )
        if self.unread_only:
            rows = [row for row in rows if not self.state.is_read(row.paper.id)]
        return rows

    def _search_text(self, paper: Paper) -> str:
        """Title, authors, abstract and the user's note, folded; kept per listing (the note is not:
        it can change), so each keystroke only compares."""
        found = self._search_texts.get(paper.id)
        if found is None:
            found = self._search_texts[paper.id] = " ".join(
                (searchable(paper.title, paper.abstract), fold(" ".join(paper.authors)))
            )
        if self.state.is_starred(paper.id):
            star = self.state.star(paper.id)
            if star is not None and star.note:
                return f"{found} {fold(star.note)}"
        return found

    def cycle_view(self, step: int) -> None:
        keys = [view.key for view in self.views()]
        index = keys.index(self.view) if self.view in keys else 0
        self.view = keys[(index + step) % len(keys)]

    # --- header figures -----------------------------------------------------------------------

    def unread_count(self) -> int:
        return sum(1 for row in self._matched if not self.state.is_read(row.paper.id))

    @property
    def matched_count(self) -> int:
        return len(self._matched)
