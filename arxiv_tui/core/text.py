"""Making untrusted feed text safe and readable: one place, used by every path in."""

from __future__ import annotations

import re
import unicodedata

from arxiv_tui.core.latex import tex_to_unicode

# C0 and C1 controls, DEL, bidi embeddings/overrides/isolates, and other invisible format
# characters that can reorder or hide text in a terminal.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
_WHITESPACE = re.compile(r"\s+")

TITLE_LIMIT = 1_000
ABSTRACT_LIMIT = 10_000
FIELD_LIMIT = 2_000


def strip_control(text: str) -> str:
    """Remove terminal control and bidi characters; tabs and newlines become spaces."""
    return _CONTROL.sub("", text.replace("\t", " "))


def collapse_whitespace(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clean_text(text: str | None, limit: int = FIELD_LIMIT, tex: bool = True) -> str:
    """Feed text to display text: controls out, TeX to Unicode, NFC, one space between words."""
    if not text:
        return ""
    # Cut far past the limit first so that a 10 MB field costs nothing downstream.
    text = strip_control(text[: limit * 4])
    if tex:
        text = tex_to_unicode(text)
    text = unicodedata.normalize("NFC", text)
    return truncate(collapse_whitespace(text), limit)


def split_authors(creator: str) -> list[str]:
    """Split arXiv's one-string author list on commas outside parentheses."""
    authors: list[str] = []
    depth = 0
    current: list[str] = []
    for char in creator:
        if char in "([{":
            depth += 1
        elif char in ")]}" and depth:
            depth -= 1
        if char == "," and depth == 0:
            authors.append("".join(current))
            current = []
        else:
            current.append(char)
    authors.append("".join(current))
    return [name for name in (collapse_whitespace(a) for a in authors) if name]
