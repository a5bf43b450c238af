"""Why a paper reached the user, as the Inbox keeps it ("kind:what") and as it is said: in a row,
in the detail pane, in a digest and its sections. Keywords and followed authors are a match's
own (`MatchResult.terms`, `.authors`); the other reasons are alerts."""

from __future__ import annotations

import re

KEYWORD, AUTHOR, ALERT_AUTHOR = "keyword", "author", "alert-author"
VERSION, WITHDRAWN, CITES, CITES_MINE, SEARCH = "version", "withdrawn", "cites", "cites-mine", "search"

WITHDRAWN_WORD = re.compile(r"\bwithdrawn\b", re.IGNORECASE)  # in a version's comments (linear)

_SAID = {
    KEYWORD: "keyword {}",
    AUTHOR: "by followed author {}",
    ALERT_AUTHOR: "by followed author {}",
    VERSION: "v{} of your star",
    WITHDRAWN: "your star was withdrawn",
    CITES: "cites your star {}",
    CITES_MINE: "cites your paper {}",
    SEARCH: "saved search /{}",
}
_SECTIONS = {
    VERSION: "New versions of your stars",
    WITHDRAWN: "New versions of your stars",
    CITES: "Citing your stars",
    CITES_MINE: "Citing your papers",
    SEARCH: "Saved searches",
}


def reason(kind: str, what: object = "") -> str:
    return f"{kind}:{what}"


def kind_of(text: str) -> str:
    return text.partition(":")[0]


def said(text: str) -> str:
    """A reason as the user reads it: "version:3" -> "v3 of your star"."""
    kind, _, what = text.partition(":")
    form = _SAID.get(kind)
    return form.format(what) if form else text


def section(text: str) -> str:
    """The digest section an alert's papers go in ("" for keywords and authors: theirs)."""
    return _SECTIONS.get(kind_of(text), "")


def is_alert(text: str) -> bool:
    return kind_of(text) not in (KEYWORD, AUTHOR, ALERT_AUTHOR)
