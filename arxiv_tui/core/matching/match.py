"""Keyword terms and matching, with the spans of every hit for highlighting.

The rules (pinned by tests/core/test_match.py):
1. A plain term is case-insensitive and whole-word: no letter or digit right before or after it.
   Inside a term, spaces, hyphens (all Unicode dashes) and underscores are interchangeable;
   other punctuation is literal.
2. A term ending in a letter also matches with "s" or "es" appended.
3. `word*` is a prefix: it matches any word that starts with `word`.
4. `/regex/` is a case-insensitive Python regular expression (user_regex.py), run with a time
   budget: one that backtracks catastrophically is reported as too slow, never run forever.
5. Matching sees NFKC-normalised, casefolded text (TeX is already converted by the parser).
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from arxiv_tui.core.base.errors import ArxivTuiError
from arxiv_tui.core.matching.user_regex import engine_loaded, user_pattern
from arxiv_tui.core.models import Paper

Span = tuple[int, int]

_SEPARATOR_CHARS = r"\s_\-\u00ad\u2010-\u2015\u2212\ufe58\ufe63\uff0d"
_SEPARATORS = re.compile(f"[{_SEPARATOR_CHARS}]+")
_SEPARATOR_PATTERN = f"[{_SEPARATOR_CHARS}]+"
_NOT_AFTER_WORD = r"(?<![^\W_])"  # not preceded by a letter or digit
_NOT_BEFORE_WORD = r"(?![^\W_])"  # not followed by a letter or digit
MAX_TERM_LENGTH = 200
REGEX_CALL_SECONDS = 0.05  # one /regex/ keyword on one paper
REGEX_RUN_SECONDS = 1.0  # one /regex/ keyword over one run (a listing matched, a count)


class TermError(ArxivTuiError, ValueError):
    """A keyword term that cannot be used; the message names the term."""


def too_slow_message(term: str) -> str:
    return (
        f"keyword {term!r} is too slow (over {REGEX_RUN_SECONDS:g} s on this listing) and was left "
        "out; simplify the regular expression"
    )


def fold(text: str) -> str:
    if text.isascii():  # most of arXiv: the same result, ten times faster
        return text.lower()
    return unicodedata.normalize("NFKC", text).casefold()


class Term(NamedTuple):
    """One keyword as the user wrote it, and the pattern it stands for.

    A user's `/regex/` is a `regex` pattern, run with a timeout: TimeoutError when it is
    exceeded. Every other term is a `re` pattern of escaped words, linear by construction.
    """

    text: str
    pattern: Any  # re.Pattern[str], or regex.Pattern for a user's /regex/
    needle: str = ""  # a substring every hit contains: a cheap test before the regex runs
    user_regex: bool = False

    def _matches(self, folded: str, timeout: float | None) -> Iterable[Any]:
        if self.user_regex:
            return self.pattern.finditer(folded, timeout=timeout or REGEX_CALL_SECONDS)
        return self.pattern.finditer(folded)

    def finditer(self, folded: str, timeout: float | None = None) -> Iterable[Span]:
        for hit in self._matches(folded, timeout):
            if hit.end() > hit.start():
                yield hit.span()

    def hits(self, folded: str, timeout: float | None = None) -> bool:
        if self.needle and self.needle not in folded:
            return False
        if not self.user_regex:  # escaped words, at least one: a hit is never empty
            return self.pattern.search(folded) is not None
        return any(hit.end() > hit.start() for hit in self._matches(folded, timeout))


@lru_cache(maxsize=512)
def compile_term(text: str) -> Term:
    """Turn a user's keyword into a Term; raises TermError naming the term if it is unusable.

    Cached: validating config.toml and building the Matcher compile the same terms."""
    raw = text.strip()
    if not raw:
        raise TermError("an empty keyword matches nothing; remove it")
    if len(raw) > MAX_TERM_LENGTH:
        raise TermError(f"keyword {raw[:40]!r}... is longer than {MAX_TERM_LENGTH} characters")
    if len(raw) > 2 and raw.startswith("/") and raw.endswith("/"):
        try:
            return Term(raw, user_pattern(raw[1:-1]), user_regex=True)
        except ValueError as error:
            raise TermError(f"keyword {raw!r} is not a valid regular expression: {error}") from None
    prefix = raw.endswith("*")
    words = [w for w in _SEPARATORS.split(fold(raw.rstrip("*"))) if w]
    if not words:
        raise TermError(f"keyword {raw!r} has no letters or digits to match")
    body = _SEPARATOR_PATTERN.join(re.escape(word) for word in words)
    if prefix:
        ending = r"[^\W_]*"
    elif words[-1][-1].isalpha():
        ending = r"(?:e?s)?" + _NOT_BEFORE_WORD
    else:
        ending = _NOT_BEFORE_WORD
    return Term(raw, re.compile(_NOT_AFTER_WORD + body + ending), needle=max(words, key=len))


@lru_cache(maxsize=65_536)
def name_tokens(name: str) -> tuple[str, ...]:
    """A person's name as comparable words: TeX converted, accents and case dropped, hyphens and
    dots as spaces. "S\\"ohler, J.-P." and "Söhler J P" give the same words."""
    from arxiv_tui.core.base.latex import tex_to_unicode

    decomposed = unicodedata.normalize("NFKD", tex_to_unicode(name))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return tuple(re.findall(r"[^\W_]+", bare.casefold()))


def within(needle: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """Whether `needle` appears in `words` as consecutive whole words."""
    size = len(needle)
    return any(words[index : index + size] == needle for index in range(len(words) - size + 1))


def check_authors(names: Sequence[str]) -> list[str]:
    return [f"author {name!r} has no letters to match" for name in names if not name_tokens(name)]


def check_terms(terms: Sequence[str]) -> list[str]:
    """The problems with a list of terms, one message each; empty when all are usable."""
    problems = []
    for term in terms:
        try:
            compile_term(term)
        except TermError as error:
            problems.append(str(error))
    return problems


@lru_cache(maxsize=8_192)
def searchable(title: str, abstract: str) -> str:
    """Title and abstract folded for hit tests, joined by a character no term can cross."""
    return fold(title) + "\x00" + fold(abstract)


@lru_cache(maxsize=1_024)
def _normalise(text: str) -> tuple[str, tuple[int, ...] | None]:
    """Folded text, and for each folded char the index of the original char (None: identical)."""
    if text.isascii():
        return text.lower(), None
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = fold(char)
        folded.append(piece)
        origin.extend([index] * len(piece))
    return "".join(folded), tuple(origin)


def find_spans(terms: Iterable[Term], text: str) -> list[Span]:
    """Every hit of any term in `text`, as sorted, merged spans of the original text.

    A /regex/ that runs out of time highlights nothing; it never holds up the caller."""
    folded, origin = _normalise(text)
    spans: list[Span] = []
    for term in terms:
        try:
            found = list(term.finditer(folded))
        except TimeoutError:
            continue
        for start, end in found:
            if origin is not None:
                start, end = origin[start], origin[end - 1] + 1
            spans.append((start, end))
    return _merge(spans)


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True, slots=True, eq=False)
class MatchResult:
    """Why a paper matched: the include terms it hit (in config order); where, on demand."""

    terms: tuple[str, ...]
    paper: Paper
    include: tuple[Term, ...] = ()
    authors: tuple[str, ...] = ()  # followed authors of the paper (as the user wrote them)
    also: tuple[str, ...] = ()  # other reasons it reached the user: alerts (reasons.py: "version:3")

    @property
    def title_spans(self) -> tuple[Span, ...]:
        return tuple(find_spans(self._shown_terms(), self.paper.title))

    @property
    def abstract_spans(self) -> tuple[Span, ...]:
        return tuple(find_spans(self._shown_terms(), self.paper.abstract))

    def _shown_terms(self) -> list[Term]:
        """The terms to highlight: a /regex/ only when the paper hit it and `regex` is loaded."""
        loaded = engine_loaded()
        return [term for term in self.include if not term.user_regex or (loaded and term.text in self.terms)]


@dataclass
class RegexBudget:
    """Time each user /regex/ has spent in the current run; the ones that ran out."""

    spent: dict[str, float] = field(default_factory=dict)
    too_slow: set[str] = field(default_factory=set)

    def hits(self, term: Term, text: str) -> bool:
        if not term.user_regex:
            return term.hits(text)
        if term.text in self.too_slow:
            return False
        left = REGEX_RUN_SECONDS - self.spent.get(term.text, 0.0)
        started = time.perf_counter()
        try:
            return term.hits(text, timeout=max(min(left, REGEX_CALL_SECONDS), 0.001))
        except TimeoutError:
            self.too_slow.add(term.text)
            return False
        finally:
            self.spent[term.text] = self.spent.get(term.text, 0.0) + time.perf_counter() - started


_WORD = re.compile(r"[^\W_]+")  # a word of folded text, as a term's boundaries see words
FEW_TERMS = 12  # up to this many terms each runs its pattern; more are found by their words first


class TermIndex:
    """Terms found by their words, so matching costs what a paper's words cost, not what the
    number of keywords does: a paper's words pick the few terms that could hit it, and only
    those run their patterns (10,000 keywords over a day of 1,500 papers: one pass each).

    A plain term's needle (its longest word) stands in the text as a whole word; when it is the
    term's last word, followed maybe by "s"/"es" or, for `word*`, by more letters. A term of one
    such word is decided by the words alone; a longer one runs its pattern. A /regex/, and a term
    whose needle holds punctuation ("c++"), is tried on every paper.
    """

    def __init__(self, terms: Sequence[Term]) -> None:
        self.terms = tuple(terms)
        self.exact: dict[str, list[int]] = {}
        self.plural: dict[str, list[int]] = {}  # the needle is the last word, ending in a letter
        self.prefix: dict[str, list[int]] = {}  # `word*` whose needle is the last word
        self.always: list[int] = []
        self.one_word: set[int] = set()  # decided by the paper's words: no pattern to run
        self.words: dict[int, tuple[tuple[str, ...], str, bool, bool]] = {}  # a term of plain words
        for index, term in enumerate(self.terms):
            raw = term.text.strip()
            words = [word for word in _SEPARATORS.split(fold(raw.rstrip("*"))) if word]
            if term.user_regex or not term.needle or not _WORD.fullmatch(term.needle) or not words:
                self.always.append(index)
                continue
            last = words[-1] == term.needle
            if len(words) == 1:
                self.one_word.add(index)
            elif all(_WORD.fullmatch(word) for word in words):  # each must be in the text first
                plural = not raw.endswith("*") and words[-1][-1].isalpha()
                self.words[index] = (tuple(words[:-1]), words[-1], raw.endswith("*"), plural)
            if last and raw.endswith("*"):
                self.prefix.setdefault(term.needle, []).append(index)
            elif last and term.needle[-1].isalpha():
                self.plural.setdefault(term.needle, []).append(index)
            else:
                self.exact.setdefault(term.needle, []).append(index)
        self.prefix_lengths = sorted({len(needle) for needle in self.prefix})

    def hits(self, text: str, hits: Callable[[Term, str], bool]) -> list[Term]:
        """The terms that hit `text` (folded), in their order; `hits` decides the ones the words
        alone cannot."""
        if not self.terms:
            return []
        if len(self.terms) <= FEW_TERMS:  # their patterns cost less than reading the paper's words
            return [term for term in self.terms if hits(term, text)]
        present = set(_WORD.findall(text))
        found = []
        for index in self._candidates(present):
            term = self.terms[index]
            if index in self.one_word or (self._all_words(index, present) and hits(term, text)):
                found.append(term)
        return found

    def _all_words(self, index: int, present: set[str]) -> bool:
        """Whether every word of a term of several plain words is in the text (where its pattern can
        be); True for a term whose words are not all plain (its pattern decides)."""
        if index not in self.words:
            return True
        before, last, prefix, plural = self.words[index]
        if not all(word in present for word in before):
            return False
        if prefix:
            return any(word.startswith(last) for word in present)
        return last in present or (plural and (last + "s" in present or last + "es" in present))

    def _candidates(self, present: set[str]) -> list[int]:
        """The terms that could hit a text of these words, in their order."""
        found = set(self.always)
        exact, plural, prefix = self.exact, self.plural, self.prefix
        for word in present:
            found.update(exact.get(word, ()))
            if plural:
                found.update(plural.get(word, ()))
                if word.endswith("s"):
                    found.update(plural.get(word[:-1], ()))
                    if word.endswith("es"):
                        found.update(plural.get(word[:-2], ()))
            for length in self.prefix_lengths:
                if length > len(word):
                    break
                found.update(prefix.get(word[:length], ()))
        return sorted(found)


class Matcher:
    """Include and exclude terms, compiled once. Raises TermError listing every bad term.

    A user's /regex/ keyword shares a time budget per run (`new_run` starts one): one that
    exceeds it matches nothing more, and is named in `too_slow`.
    """

    def __init__(
        self, include: Sequence[str], exclude: Sequence[str] = (), authors: Sequence[str] = ()
    ) -> None:
        problems = check_terms(include) + check_terms(exclude) + check_authors(authors)
        if problems:
            raise TermError("; ".join(problems))
        self.include = tuple(compile_term(term) for term in include)
        self.exclude = tuple(compile_term(term) for term in exclude)
        self.authors = tuple((name.strip(), name_tokens(name)) for name in authors)
        self.budget = RegexBudget()
        self._included = TermIndex(self.include)
        self._excluded = TermIndex(self.exclude)

    def new_run(self) -> None:
        """Give each /regex/ its whole time budget again (one run: a listing, a count)."""
        self.budget = RegexBudget()

    @property
    def too_slow(self) -> tuple[str, ...]:
        return tuple(sorted(self.budget.too_slow))

    @staticmethod
    def _text(paper: Paper) -> str:
        return searchable(paper.title, paper.abstract)

    def excluded(self, paper: Paper) -> bool:
        return bool(self._excluded.hits(self._text(paper), self.budget.hits))

    def matched_terms(self, paper: Paper) -> tuple[str, ...]:
        """The include terms a paper hits, ignoring excludes."""
        return tuple(term.text for term in self._included.hits(self._text(paper), self.budget.hits))

    def followed(self, paper: Paper) -> tuple[str, ...]:
        """The followed authors who wrote `paper`."""
        if not self.authors:
            return ()
        written = [name_tokens(author) for author in paper.authors]
        return tuple(name for name, tokens in self.authors if any(within(tokens, w) for w in written))

    def match(self, paper: Paper) -> MatchResult | None:
        """A result when the paper matches (a followed author, or an include hit and no exclude
        hit), else None."""
        terms = self.matched_terms(paper)
        authors = self.followed(paper)
        if not authors and (not terms or self.excluded(paper)):
            return None
        return MatchResult(terms, paper, self.include, authors)

    def explain(self, paper: Paper, terms: tuple[str, ...] | None = None) -> MatchResult:
        """The include terms a paper hits, whether or not it matches, with spans on demand."""
        if terms is None:
            terms = self.matched_terms(paper)
        return MatchResult(terms, paper, self.include, self.followed(paper))

    def count(self, term: Term, papers: Iterable[Paper]) -> int:
        """How many of `papers` `term` hits; raises TermError when a /regex/ is too slow."""
        budget = RegexBudget()
        found = sum(1 for paper in papers if budget.hits(term, self._text(paper)))
        if budget.too_slow:
            raise TermError(too_slow_message(term.text))
        return found
