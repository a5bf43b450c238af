"""Making untrusted feed text safe and readable: one place, used by every path in."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from arxiv_tui.core.base.latex import tex_to_unicode

# What never reaches the screen: C0 and C1 controls and DEL; every Unicode format character
# (category Cf: bidi embeddings, overrides and isolates, zero-width spaces and joiners, the soft
# hyphen, invisible tag characters U+E0000-E007F...); variation selectors, which make a terminal
# draw the character before them one cell wider or narrower than the list's columns assume; the
# combining grapheme joiner; the Hangul fillers, letters that draw as nothing; and lone
# surrogates (from JSON's "\ud800"), which no file or database can even store.
_INVISIBLE = (
    "\ud800-\udfff\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u115f\u1160\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff"
    "\uffa0\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e007f\U000e0100-\U000e01ef"
)
_CONTROL = re.compile(f"[{_INVISIBLE}]")

TITLE_LIMIT = 1_000
ABSTRACT_LIMIT = 10_000
FIELD_LIMIT = 2_000
MESSAGE_LIMIT = 500


def strip_control(text: str) -> str:
    """Remove control, format and other invisible characters; tabs become spaces."""
    text = text.replace("\t", " ")
    if text.isascii() and text.replace("\n", "").isprintable():
        return text  # printable ASCII and newlines (most of a feed): nothing to remove
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def collapse_whitespace(text: str) -> str:
    """One space between words (str.split's whitespace is the same set as the regex's `\\s`)."""
    return " ".join(text.split())


def counted(number: int, word: str, plural: str = "") -> str:
    """ "1 paper", "2 papers", "1,204 papers": a number and its word, agreed."""
    return f"{number:,} {word if number == 1 else plural or word + 's'}"


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
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return truncate(collapse_whitespace(text), limit)


def safe_message(text: object, limit: int = MESSAGE_LIMIT) -> str:
    """Any text that may hold something from outside (a server's error, a file's content), made
    fit for a status line or a notification: one line, nothing invisible, of bounded length."""
    raw = str(text)[: limit * 4]
    return truncate(collapse_whitespace(strip_control(raw)), limit)


def split_authors(creator: str) -> list[str]:
    """Split arXiv's one-string author list on commas outside parentheses."""
    if not any(bracket in creator for bracket in "([{"):
        return [name for name in (collapse_whitespace(a) for a in creator.split(",")) if name]
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


JSON_DEPTH = 64  # arrays and tables inside one another: our own files and the APIs we read use 5


def json_value(data: str | bytes, depth: int = JSON_DEPTH) -> Any:
    """JSON from outside, decoded or refused with ValueError: never a RecursionError, never
    nested deeper than `depth` (the check is linear: strings are skipped by one regex)."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    deepest = level = 0
    for bracket in _BRACKET.finditer(_JSON_STRING.sub("", text)):
        level += 1 if bracket.group() in "[{" else -1
        deepest = max(deepest, level)
        if deepest > depth:
            raise ValueError(f"nested more than {depth} levels deep")
    try:
        return json.loads(text)
    except RecursionError as error:
        raise ValueError(f"nested more than {depth} levels deep") from error


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
