"""The keyword editor's lists (include and exclude terms, authors, categories) and what it says
of an entry: whether it can be used, and how many of the listing's papers it matches, counted
as its view counts them (an include term: excludes and the replacements setting applied)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from arxiv_tui.core.base import taxonomy
from arxiv_tui.core.base.text import counted
from arxiv_tui.core.matching.match import (
    Matcher,
    RegexBudget,
    TermError,
    TermIndex,
    check_authors,
    compile_term,
    searchable,
    too_slow_message,
)
from arxiv_tui.core.models import Paper

INCLUDE, EXCLUDE, AUTHOR, CATEGORY = "include", "exclude", "author", "category"
KINDS = (INCLUDE, EXCLUDE, AUTHOR, CATEGORY)  # the editor lists them in this order


@dataclass(frozen=True)
class KeywordLists:
    include: list[str]
    exclude: list[str]
    authors: list[str]
    categories: list[str]


def problem(kind: str, value: str) -> str | None:
    """Why `value` cannot be an entry of list `kind`, or None."""
    if not value.strip():
        return None
    if kind == CATEGORY:
        return taxonomy.unknown(value)
    if kind == AUTHOR:
        problems = check_authors([value])
        return problems[0] if problems else None
    try:
        compile_term(value)
    except TermError as error:
        return str(error)
    return None


class EntryCounter:
    """How many of `papers` each entry matches (a /regex/ may take up to its time budget: call
    it from a worker)."""

    def __init__(self, papers: Sequence[Paper], matcher: Matcher, include_replacements: bool) -> None:
        self.papers = tuple(papers)
        self.matcher = matcher
        self.include_replacements = include_replacements

    def count(self, kind: str, value: str, excludes: Sequence[str] = ()) -> int:
        papers = self.papers
        if kind == CATEGORY:
            # An archive name ("cs") covers its categories ("cs.CL", "cs.SD").
            return sum(
                1
                for paper in papers
                if any(c == value or c.startswith(value + ".") for c in paper.categories)
            )
        if kind == AUTHOR:
            follower = Matcher((), (), [value])
            return sum(1 for paper in papers if follower.followed(paper))
        if kind == INCLUDE:  # as its view counts: not excluded, replacements as configured
            excluding = Matcher((), excludes)
            papers = tuple(
                paper
                for paper in papers
                if (self.include_replacements or not paper.is_replacement) and not excluding.excluded(paper)
            )
        return self.matcher.count(compile_term(value), papers)

    def texts(
        self, entries: Sequence[tuple[str, str]], excludes: Sequence[str] = ()
    ) -> dict[tuple[str, str], str]:
        """Every entry's `text` at once: the include and exclude terms in one pass over the
        papers each (10,000 keywords cost what one does, not 10,000 times as much)."""
        found: dict[tuple[str, str], str] = {}
        for kind in (INCLUDE, EXCLUDE):
            values = [value for each, value in entries if each == kind and problem(kind, value) is None]
            if not values:
                continue
            papers = self.papers
            if kind == INCLUDE:  # as their views count them: not excluded, replacements as configured
                excluding = Matcher((), excludes)
                papers = tuple(
                    paper
                    for paper in papers
                    if (self.include_replacements or not paper.is_replacement)
                    and not excluding.excluded(paper)
                )
            terms = [compile_term(value) for value in values]
            budget = RegexBudget()
            counts = dict.fromkeys((term.text for term in terms), 0)
            index = TermIndex(terms)
            for paper in papers:
                for term in index.hits(searchable(paper.title, paper.abstract), budget.hits):
                    counts[term.text] += 1
            for value, term in zip(values, terms, strict=True):
                slow = term.text in budget.too_slow
                found[(kind, value)] = (
                    too_slow_message(term.text) if slow else f"{counted(counts[term.text], 'paper')}"
                )
        for entry in entries:
            if entry not in found:
                found[entry] = self.text(*entry, excludes)
        return found

    def text(self, kind: str, value: str, excludes: Sequence[str] = ()) -> str:
        """ "12 papers", or why there is no count (a /regex/ that is too slow)."""
        try:
            return f"{counted(self.count(kind, value, excludes), 'paper')}"
        except TermError as error:
            return str(error)
