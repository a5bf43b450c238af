"""The papers and listings every other module passes around."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from arxiv_tui.core.base.text import (
    ABSTRACT_LIMIT,
    FIELD_LIMIT,
    TITLE_LIMIT,
    clean_text,
    safe_message,
    strip_control,
)

NEW = "new"
CROSS = "cross"
REPLACE = "replace"
REPLACE_CROSS = "replace-cross"
ANNOUNCE_TYPES = (NEW, CROSS, REPLACE, REPLACE_CROSS)

# An arXiv id: the new form (2411.17712: four digits, a dot, four or five) or the old one
# (hep-th/0601001, math.GT/0309136: an archive of at most 20 letters, seven digits). ASCII digits
# only ("٢٤١١.١٧٧١٢" is no id), and bounded, so every pattern built on it is linear.
ARXIV_ID = r"[0-9]{4}\.[0-9]{4,5}|[a-z][a-z\-]{0,19}(?:\.[A-Z]{2})?/[0-9]{7}"
_ARXIV_ID = re.compile(ARXIV_ID)


def is_arxiv_id(text: object) -> TypeGuard[str]:
    return isinstance(text, str) and _ARXIV_ID.fullmatch(text) is not None


ABS_URL = "https://arxiv.org/abs/"
PDF_URL = "https://arxiv.org/pdf/"
HTML_URL = "https://arxiv.org/html/"


@dataclass(frozen=True, slots=True)
class Paper:
    """One arXiv paper as announced: display-ready text (TeX converted, cleaned)."""

    id: str
    version: int
    title: str
    authors: tuple[str, ...]
    abstract: str
    categories: tuple[str, ...]
    announce_type: str = NEW
    listing_date: dt.date | None = None
    comments: str = ""
    journal_ref: str = ""
    doi: str = ""
    published: str = ""  # ISO time the API gives for this version; empty for listing feeds
    partial: bool = field(default=False, compare=False)  # a list row: first author only, no abstract

    @property
    def primary_category(self) -> str:
        return self.categories[0] if self.categories else ""

    @property
    def is_replacement(self) -> bool:
        return self.announce_type in (REPLACE, REPLACE_CROSS)

    @property
    def first_author(self) -> str:
        return self.authors[0] if self.authors else ""

    @property
    def abs_url(self) -> str:
        return ABS_URL + self.id

    @property
    def pdf_url(self) -> str:
        return PDF_URL + self.id

    @property
    def html_url(self) -> str:
        return HTML_URL + self.id

    @property
    def links(self) -> dict[str, str]:
        return {"abs": self.abs_url, "pdf": self.pdf_url, "html": self.html_url}

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "authors": list(self.authors),
            "abstract": self.abstract,
            "categories": list(self.categories),
            "announce_type": self.announce_type,
            "listing_date": self.listing_date.isoformat() if self.listing_date else "",
            "comments": self.comments,
            "journal_ref": self.journal_ref,
            "doi": self.doi,
            "published": self.published,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Paper:
        """A paper from a file (`to_dict`'s form: an export, an old version's archive), every field
        checked and cleaned; ValueError naming the field when one is missing, of the wrong type
        or out of range (a `null` title is refused, never kept as the text "None")."""
        if not is_arxiv_id(data.get("id")):
            raise ValueError(f"'id' is not an arXiv id ({safe_message(data.get('id'), 40)!r})")
        version = data.get("version", 1)
        if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= 999:
            raise ValueError(
                f"'version' must be a whole number from 1 to 999, not {safe_message(version, 40)}"
            )
        if "title" not in data:
            raise ValueError("'title' is missing")
        announce = _text_field(data, "announce_type", 20) or NEW
        if announce not in ANNOUNCE_TYPES:
            raise ValueError(f"'announce_type' must be one of {', '.join(ANNOUNCE_TYPES)}")
        listing = _text_field(data, "listing_date", 10)
        try:
            listed = dt.date.fromisoformat(listing) if listing else None
        except ValueError:
            raise ValueError(f"'listing_date' is not a date ({listing!r})") from None
        return cls(
            id=data["id"],
            version=version,
            title=_text_field(data, "title", TITLE_LIMIT),
            authors=_texts_field(data, "authors", 300, 2000),
            abstract=_text_field(data, "abstract", ABSTRACT_LIMIT),
            categories=_texts_field(data, "categories", 40, 50),
            announce_type=announce,
            listing_date=listed,
            comments=_text_field(data, "comments"),
            journal_ref=_text_field(data, "journal_ref"),
            doi=_text_field(data, "doi", 300),
            published=_text_field(data, "published", 40),
        )


KINDS = {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "a table"}


def kind_of(value: object) -> str:
    """What a JSON value is, in words."""
    return "null" if value is None else KINDS.get(type(value), "text")


def _text_field(data: dict[str, Any], key: str, limit: int = FIELD_LIMIT) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise ValueError(f"{key!r} must be text, not {kind_of(value)}")
    return clean_text(value, limit, tex=False)


def _texts_field(data: dict[str, Any], key: str, limit: int, most: int) -> tuple[str, ...]:
    values = data.get(key, [])
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise ValueError(f"{key!r} must be a list of texts")
    if len(values) > most:
        raise ValueError(f"{key!r} has more than {most:,} entries")
    return tuple(cleaned for value in values if (cleaned := clean_text(value, limit, tex=False)))


@dataclass(frozen=True, slots=True)
class Listing:
    """One day's announcement: the papers of a listing date, each once.

    A combined listing (see `combine`) spans several days: `first_date` to `date`.
    """

    date: dt.date
    papers: tuple[Paper, ...]
    source: str = ""
    fetched_at: str = ""
    complete: bool = True
    first_date: dt.date | None = None
    days: int = 1
    by_id: dict[str, Paper] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_id.update((paper.id, paper) for paper in self.papers)

    @property
    def is_empty(self) -> bool:
        return not self.papers

    @property
    def is_combined(self) -> bool:
        return self.days > 1

    @property
    def content_key(self) -> str:
        """Which papers, in which versions: equal keys mean the same announcement."""
        import hashlib

        text = "\n".join(f"{p.id} {p.version} {p.announce_type}" for p in self.papers)
        return hashlib.sha1(f"{self.date} {self.complete}\n{text}".encode()).hexdigest()


def combine(listings: list[Listing]) -> Listing:
    """Several days read as one, newest day first; each paper keeps its own listing date."""
    ordered = sorted(listings, key=lambda listing: listing.date, reverse=True)
    if len(ordered) == 1:
        return ordered[0]
    papers = dedupe([paper for listing in ordered for paper in listing.papers])
    return Listing(
        date=ordered[0].date,
        papers=tuple(papers),
        source="combined",
        fetched_at=ordered[0].fetched_at,
        complete=all(listing.complete for listing in ordered),
        first_date=ordered[-1].date,
        days=len(ordered),
    )


def dedupe(papers: list[Paper]) -> list[Paper]:
    """Keep each id once, in first-seen order; a `new` announcement wins over a cross-list."""
    rank = {NEW: 0, CROSS: 1, REPLACE: 2, REPLACE_CROSS: 3}
    chosen: dict[str, Paper] = {}
    for paper in papers:
        held = chosen.get(paper.id)
        if held is None or rank.get(paper.announce_type, 9) < rank.get(held.announce_type, 9):
            chosen[paper.id] = paper
    return list(chosen.values())


@dataclass
class ParsedFeed:
    """What one response or file held (parse.py makes it; it lives here so that a process that
    only receives parsed feeds, as the reader does from its children, need not import the parser)."""

    kind: str
    listing_date: dt.date | None
    papers: list[Paper]
    title: str = ""
    complete: bool = True
    total_results: int | None = None
    problems: list[str] = field(default_factory=list)
    dropped: int = 0  # API results left out for falling outside the asked date window
    # The keyword hits of its papers (paper id -> the include terms it hits), when they were
    # matched where the feed was parsed (a child process: isolated.py), and the terms matched.
    keyword_hits: dict[str, list[str]] | None = None
    matched_with: tuple[str, ...] = ()


# --- what the user made of a paper (kept by library/marks.py) ----------------------------------

NOTE_LIMIT = 50_000  # characters: a page of Markdown, not a thesis
TAG_LIMIT = 60


def clean_note(note: str) -> str:
    """A note as kept: Markdown, so its line breaks, blank lines and indentation stay; control
    and invisible characters go, trailing spaces go, and three blank lines or more become one."""
    lines = [strip_control(line.expandtabs(4)).rstrip() for line in note[: NOTE_LIMIT * 2].splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines).strip("\n"))[:NOTE_LIMIT]


def clean_tag(tag: str) -> str:
    """A tag as kept: one line, no ';' (it separates tags in the index), at most 60 characters."""
    return " ".join(strip_control(tag).replace(";", " ").split())[:TAG_LIMIT]


@dataclass(frozen=True, slots=True)
class PaperMarks:
    read: bool = False
    starred_at: str = ""  # empty: not starred
    note: str = ""
    tags: tuple[str, ...] = ()

    @property
    def starred(self) -> bool:
        return bool(self.starred_at)


NO_MARKS = PaperMarks()
