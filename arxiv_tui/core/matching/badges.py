"""What a reader wants to know at a glance: is the code out, where is it published, how long is it.

All of it is read from the abstract and the comments arXiv gives (RSS listings carry no
comments; API results and catch-up days do).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from arxiv_tui.core.models import Paper

CODE_HOSTS = ("github.com", "gitlab.com", "huggingface.co", "bitbucket.org", "zenodo.org", "codeberg.org")
_HOSTS = "|".join(re.escape(host) for host in CODE_HOSTS)
_URL_CHARS = r"[^\s<>\"'{}|\\^`\[\]]+"
_URL = re.compile(rf"(?:https?://|www\.){_URL_CHARS}|\b(?:{_HOSTS})/{_URL_CHARS}", re.IGNORECASE)
_PROJECT_PAGE = re.compile(r"\b(?:project|demo|code|website|homepage)\s*(?:page|site)?\s*[:(]?\s*$", re.I)
_PROMISED = re.compile(
    r"\b(?:code|codes|models?|weights|implementation|data(?:sets?)?|checkpoints?)\b[^.]{0,40}?"
    r"\b(?:will|would|shall)\s+be\s+(?:made\s+)?(?:publicly\s+|openly\s+|freely\s+)?"
    r"(?:available|released|open[- ]?sourced|public)"
    r"|\b(?:will|plan\s+to|intend\s+to)\s+(?:publicly\s+)?(?:release|open[- ]?source|publish)\s+"
    r"(?:our|the|all)\s+(?:source\s+)?(?:code|models?|implementation|data)"
    r"|\bcode\s+(?:is\s+)?coming\s+soon",
    re.IGNORECASE,
)

# Venues named in comments; a year after the name is taken with it.
VENUES = (
    "NeurIPS", "NIPS", "ICML", "ICLR", "AAAI", "IJCAI", "AISTATS", "UAI", "COLT", "KDD", "WSDM", "WWW",
    "SIGIR", "CIKM", "RecSys", "ACL", "EMNLP", "NAACL", "EACL", "COLING", "TACL", "LREC", "CoNLL",
    "Interspeech", "ICASSP", "ASRU", "SLT", "ISMIR", "WASPAA", "CVPR", "ICCV", "ECCV", "WACV", "BMVC",
    "MICCAI", "ISBI", "ICRA", "IROS", "CoRL", "RSS", "CHI", "UIST", "CSCW", "ICSE", "FSE", "ESEC/FSE",
    "ISSTA", "ICST", "ASE", "POPL", "PLDI", "OOPSLA", "SODA", "STOC", "FOCS", "ICALP", "CRYPTO",
    "EUROCRYPT", "USENIX Security", "CCS", "NDSS", "INFOCOM", "SIGCOMM", "MobiCom", "DAC", "ISCA",
)  # fmt: skip


class _CommentPatterns(NamedTuple):
    venue: re.Pattern[str]
    acronym_with_year: re.Pattern[str]
    accepted: re.Pattern[str]
    submitted: re.Pattern[str]
    workshop: re.Pattern[str]
    pages: re.Pattern[str]
    figures: re.Pattern[str]


@lru_cache(maxsize=1)
def _comment_patterns() -> _CommentPatterns:
    """Compiled when a paper with comments is first shown (2 ms a start without would pay: RSS
    listings carry no comments)."""
    names = "|".join(re.escape(venue) for venue in VENUES)
    return _CommentPatterns(
        venue=re.compile(rf"(?<![\w/])({names})(?:[\s'’]*((?:19|20)\d{{2}}|'?\d{{2}}))?(?![\w])", re.I),
        acronym_with_year=re.compile(r"\(([A-Z][A-Za-z\-/]{1,14}[A-Z])\s*'?((?:19|20)\d{2})\)"),
        accepted=re.compile(
            r"\b(?:accepted|to\s+appear|published|presented|camera[- ]ready|in\s+proceedings)\b", re.I
        ),
        submitted=re.compile(r"\b(?:submitted|under\s+review|in\s+submission)\b", re.I),
        workshop=re.compile(r"\bworkshops?\b", re.I),
        pages=re.compile(r"\b(\d{1,4})\s*(?:pages|pp\.?)(?![\w])", re.I),
        figures=re.compile(r"\b(\d{1,3})\s*(?:figures|figs?\.?)(?![\w])", re.I),
    )


class Badges(NamedTuple):
    code_url: str = ""  # a link to code, data or a project page
    code_promised: bool = False  # "code will be released"
    venue: str = ""  # "ICASSP 2026", "NeurIPS 2025 workshop"
    venue_status: str = ""  # "accepted", "submitted" or ""
    pages: int | None = None
    figures: int | None = None

    @property
    def has_code(self) -> bool:
        return bool(self.code_url)


def find_code_url(text: str) -> str:
    """The first link in `text` to a code/data host, a *.github.io page, or one called a project page."""
    for found in _URL.finditer(text):
        url = found.group(0).rstrip(".,;:)")
        host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url, flags=re.I).split("/", 1)[0].lower()
        if host in CODE_HOSTS or host.endswith((".github.io", ".gitlab.io", ".hf.space")):
            return url if url.lower().startswith(("http://", "https://")) else "https://" + url
        if _PROJECT_PAGE.search(text[max(0, found.start() - 40) : found.start()]):
            return url if url.lower().startswith(("http://", "https://")) else "https://" + url
    return ""


def find_venue(comments: str) -> tuple[str, str]:
    """(venue, status) from arXiv comments such as "Accepted to ICASSP 2026"."""
    if not comments:
        return "", ""
    patterns = _comment_patterns()
    found = patterns.venue.search(comments)
    acronym = None
    name = ""
    if found:
        canonical = next(v for v in VENUES if v.lower() == found.group(1).lower())
        year = found.group(2) or ""
        if year and len(year.lstrip("'")) == 2:
            year = "20" + year.lstrip("'")
        name = f"{canonical} {year}".strip()
    else:
        acronym = patterns.acronym_with_year.search(comments)
        if acronym:
            name = f"{acronym.group(1)} {acronym.group(2)}"
    if not name:
        return "", ""
    where = found or acronym
    assert where is not None
    around = comments[max(0, where.start() - 120) : where.end() + 40]
    if patterns.workshop.search(around) and not patterns.workshop.search(name):
        name += " workshop"
    status = "submitted" if patterns.submitted.search(around) else ""
    status = status or ("accepted" if patterns.accepted.search(around) else "")
    return name, status


@lru_cache(maxsize=4_096)
def _badges(abstract: str, comments: str) -> Badges:
    text = f"{abstract} {comments}"
    venue, status = find_venue(comments)
    patterns = _comment_patterns() if comments else None
    pages = patterns.pages.search(comments) if patterns else None
    figures = patterns.figures.search(comments) if patterns else None
    code_url = find_code_url(text)
    return Badges(
        code_url=code_url,
        code_promised=not code_url and bool(_PROMISED.search(text)),
        venue=venue,
        venue_status=status,
        pages=int(pages.group(1)) if pages else None,
        figures=int(figures.group(1)) if figures else None,
    )


def badges(paper: Paper) -> Badges:
    return _badges(paper.abstract, paper.comments)
