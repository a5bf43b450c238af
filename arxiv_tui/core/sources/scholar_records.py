"""What Semantic Scholar says of a paper, cleaned: sizes capped, controls removed, types checked
(a ScholarPaper), and all it says of one paper together (Details), as cached in the library."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import quote

from arxiv_tui.core.base.text import clean_text, json_value
from arxiv_tui.core.matching.query import as_arxiv_id
from arxiv_tui.core.models import Paper


def count_of(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**9 else None


def table_of(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def day_of(value: Any) -> str:
    """An ISO day, or "" for anything else."""
    text = value[:10] if isinstance(value, str) else ""
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        return ""


def text_of(value: Any, limit: int = 1000) -> str:
    return clean_text(value, limit, tex=False) if isinstance(value, str) else ""


@dataclass(frozen=True)
class ScholarPaper:
    """A paper as Semantic Scholar describes it, cleaned."""

    title: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str = ""
    citations: int | None = None
    influential: int | None = None
    arxiv_id: str = ""  # empty: not on arXiv
    doi: str = ""
    tldr: str = ""
    url: str = ""
    abstract: str = ""
    published: str = ""  # "2024-05-30" when Semantic Scholar knows the day

    @classmethod
    def from_json(cls, data: Any) -> ScholarPaper | None:
        if not isinstance(data, dict):
            return None
        ids = table_of(data.get("externalIds"))
        listed = data.get("authors")
        authors: list[Any] = listed if isinstance(listed, list) else []
        tldr = table_of(data.get("tldr"))
        url = text_of(data.get("url"), 300)
        year = count_of(data.get("year"))
        return cls(
            title=text_of(data.get("title")) or "(untitled)",
            authors=tuple(
                name for a in authors[:200] if isinstance(a, dict) and (name := text_of(a.get("name"), 300))
            ),
            year=year if year is None or 1000 < year < 3000 else None,
            venue=text_of(data.get("venue"), 300),
            citations=count_of(data.get("citationCount")),
            influential=count_of(data.get("influentialCitationCount")),
            arxiv_id=as_arxiv_id(text_of(ids.get("ArXiv"), 60)) or "",
            doi=text_of(ids.get("DOI"), 300),
            tldr=text_of(tldr.get("text"), 2000),
            url=url if url.startswith("https://www.semanticscholar.org/") else "",
            abstract=text_of(data.get("abstract"), 10_000),
            published=day_of(data.get("publicationDate")),
        )

    @property
    def link(self) -> str:
        """Where to read it when it is not on arXiv: its DOI, else its Semantic Scholar page."""
        if self.doi and self.doi.startswith("10.") and not any(c.isspace() for c in self.doi):
            return "https://doi.org/" + quote(self.doi, safe="/:;()._-")
        return self.url

    def as_paper(self) -> Paper | None:
        """The paper as a list row of the reader, when it is on arXiv (else None)."""
        if not self.arxiv_id:
            return None
        return Paper(
            id=self.arxiv_id,
            version=1,
            title=self.title,
            authors=self.authors,
            abstract=self.abstract or self.tldr,
            categories=(),
            doi=self.doi,
            journal_ref=self.venue,
        )


@dataclass(frozen=True)
class Details:
    """What Semantic Scholar says of one arXiv paper, and when it said it."""

    paper: ScholarPaper
    references: tuple[ScholarPaper, ...] = ()
    citing: tuple[ScholarPaper, ...] = ()
    recommended: tuple[ScholarPaper, ...] = ()
    fetched_at: str = ""
    stale: bool = False  # older than a week, shown because a new answer could not be had
    partial: bool = False  # the first page of citing papers only; the rest is on its way

    def to_json(self) -> str:
        kept = {k: v for k, v in asdict(self).items() if k not in ("fetched_at", "stale", "partial")}
        return json.dumps(kept)

    @classmethod
    def from_json(cls, text: str, fetched_at: str) -> Details | None:
        try:
            data = json_value(text)
            paper = ScholarPaper(**{**data["paper"], "authors": tuple(data["paper"]["authors"])})
            references, citing, recommended = (
                tuple(ScholarPaper(**{**p, "authors": tuple(p["authors"])}) for p in data[name])
                for name in ("references", "citing", "recommended")
            )
        except (ValueError, KeyError, TypeError):
            return None  # a cache entry from another version: asked again
        return cls(paper, references, citing, recommended, fetched_at=fetched_at)
