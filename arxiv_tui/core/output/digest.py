"""Renderings of a set of papers: Markdown (the daily digest), JSON and BibTeX (RIS and CSV
are in reference_formats.py; formats.py picks one by name).

All feed text is escaped for the target format: a title can never become Markdown
structure, break the JSON, or end a BibTeX field.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from arxiv_tui.core.base.text import collapse_whitespace, strip_control
from arxiv_tui.core.matching import reasons
from arxiv_tui.core.models import CROSS, NEW, REPLACE, Paper

TYPE_LABELS = {NEW: "new", CROSS: "cross-list", REPLACE: "replacement"}


@dataclass(frozen=True, slots=True)
class Item:
    """A paper as it goes into a digest: with why it matched and the user's marks."""

    paper: Paper
    matched: tuple[str, ...] = ()
    read: bool = False
    starred: bool = False
    authors: tuple[str, ...] = ()  # followed authors who wrote it
    starred_at: str = ""
    note: str = ""
    tags: tuple[str, ...] = ()
    also: tuple[str, ...] = ()  # the alerts that brought it (reasons.py: "version:3")
    score: float | None = None  # For you's chance of a keep (digest --rank)
    reason: str = ""  # and the features that weighed most for and against it
    tldr: str = ""  # the user's model's one line on it (digest --tldr)


def type_label(paper: Paper) -> str:
    return TYPE_LABELS.get(paper.announce_type, "cross-list replacement")


# --- Markdown ---------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#&$])")
# What makes a line a list item, a thematic break or a setext heading when it starts the line.
_BLOCK_START = re.compile(r"^([ \t]*)([-+=]|\d{1,9}(?=[.)]))", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """Feed or user text as literal Markdown: inline markup escaped, and nothing at the start
    of a line can begin a list, a heading or a rule ("1. ", "- ", "---", "===")."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return _BLOCK_START.sub(_escape_block_start, escaped)


def _escape_block_start(match: re.Match[str]) -> str:
    indent, marker = match.groups()
    if marker[0].isdigit():  # "1." -> "1\." : the escape goes before the dot or parenthesis
        return indent + marker + "\\"
    return f"{indent}\\{marker}"


def _code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


@dataclass(frozen=True)
class Heading:
    """What the digest is of: shown above the papers."""

    title: str
    categories: Sequence[str] = ()
    include: Sequence[str] = ()
    exclude: Sequence[str] = ()
    announced: int | None = None
    note: str = ""


def _paper_markdown(number: int, item: Item) -> list[str]:
    paper = item.paper
    subjects = ", ".join(
        escape_markdown(c) + (" (primary)" if i == 0 else "") for i, c in enumerate(paper.categories)
    )
    lines = [
        f"### {number}. {escape_markdown(paper.title)}",
        "",
        f"**Authors:** {escape_markdown(', '.join(paper.authors)) or 'unknown'}  ",
        f"**Subjects:** {subjects}  ",
        f"**arXiv:** {escape_markdown(paper.id)}v{paper.version} ({type_label(paper)})"
        + (f", listed {paper.listing_date:%a %d %b %Y}" if paper.listing_date else "")
        + "  ",
        f"**Links:** [abs]({paper.abs_url}) · [pdf]({paper.pdf_url}) · [html]({paper.html_url})  ",
    ]
    if item.matched:
        lines.append(f"**Matched:** {', '.join(_code(term) for term in item.matched)}  ")
    if item.authors:
        lines.append(f"**Followed:** {escape_markdown(', '.join(item.authors))}  ")
    if item.also:
        lines.append(f"**Alert:** {escape_markdown(' · '.join(map(reasons.said, item.also)))}  ")
    if item.score is not None:
        lines.append(f"**For you:** {item.score:.0%} · {escape_markdown(item.reason)}  ")
    for label, value in (("Comments", paper.comments), ("Journal ref", paper.journal_ref)):
        if value:
            lines.append(f"**{label}:** {escape_markdown(value)}  ")
    if paper.doi:
        lines.append(f"**DOI:** {escape_markdown(paper.doi)}  ")
    if item.starred:
        lines.append(f"**Starred** ★ {item.starred_at[:10]}  ".rstrip() + "  ")
    if item.tags:
        lines.append(f"**Tags:** {', '.join(escape_markdown(tag) for tag in item.tags)}  ")
    if item.note:
        lines.append(f"**Note:** {escape_markdown(item.note).replace(chr(10), '  ' + chr(10))}  ")
    if item.tldr:
        lines.append(f"**TL;DR:** {escape_markdown(' '.join(item.tldr.split()))}  ")
    lines += ["", f"> {escape_markdown(paper.abstract)}" if paper.abstract else "> (no abstract)", ""]
    return lines


def to_markdown(heading: Heading, items: Sequence[Item], groups: Sequence[str] | None = None) -> str:
    """The daily digest. With `groups`, one section per include term (a paper may repeat)."""
    lines = [f"# {escape_markdown(heading.title)}", ""]
    if heading.categories:
        lines.append(f"- **Categories:** {', '.join(escape_markdown(c) for c in heading.categories)}")
    if heading.include:
        lines.append(f"- **Keywords:** {', '.join(_code(t) for t in heading.include)}")
        lines.append(f"- **Excluded:** {', '.join(_code(t) for t in heading.exclude) or 'none'}")
    count = f"- **Papers:** {len(items)}"
    if heading.announced is not None:
        count += f" of {heading.announced} announced"
    lines += [count, ""]
    if heading.note:
        lines += [escape_markdown(heading.note), ""]
    if not items:
        lines += ["No papers matched.", ""]
    elif groups is None:
        for number, item in enumerate(items, 1):
            lines += _paper_markdown(number, item)
    else:  # followed authors are in the digest whatever the keywords say: their own section
        sections = grouped(items, groups)
        for term, members in sections:
            if members:  # an empty section is one line at the end, not a heading of its own
                lines += [f"## {escape_markdown(term)} ({len(members)})", ""]
            for number, item in enumerate(members, 1):
                lines += _paper_markdown(number, item)
        if empty := [term for term, members in sections if not members]:
            lines += [f"No papers matched {', '.join(_code(term) for term in empty)} this time.", ""]
    return "\n".join(lines).rstrip() + "\n"


# --- JSON -------------------------------------------------------------------------------------


def item_to_json(item: Item) -> dict[str, object]:
    paper = item.paper
    return {
        **{k: v for k, v in paper.to_dict().items() if k != "published"},
        "primary_category": paper.primary_category,
        "matched": list(item.matched),
        "followed_authors": list(item.authors),
        "links": paper.links,
        "read": item.read,
        "starred": item.starred,
        "starred_at": item.starred_at,
        "note": item.note,
        "tags": list(item.tags),
        "alerts": [reasons.said(reason) for reason in item.also],
        **({"score": round(item.score, 4), "reason": item.reason} if item.score is not None else {}),
        **({"tldr": item.tldr} if item.tldr else {}),
    }


def to_json(items: Sequence[Item], groups: Sequence[str] | None = None) -> str:
    """A list of papers; with `groups`, one object a keyword (and Followed authors), each with
    its papers (a paper may repeat), as the Markdown's sections."""
    if groups is None:
        data: object = [item_to_json(item) for item in items]
    else:
        data = [
            {"keyword": term, "papers": [item_to_json(item) for item in members]}
            for term, members in grouped(items, groups)
        ]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def grouped(items: Sequence[Item], groups: Sequence[str]) -> list[tuple[str, list[Item]]]:
    """(include term, its items) for each term, then ("Followed authors", ...) if any, then a
    section for each kind of alert that brought papers ("New versions of your stars", ...)."""
    sections = [(term, [item for item in items if term in item.matched]) for term in groups]
    followed = [item for item in items if item.authors]
    alerts: dict[str, list[Item]] = {}
    for item in items:
        for name in dict.fromkeys(reasons.section(reason) for reason in item.also):
            if name:
                alerts.setdefault(name, []).append(item)
    return sections + ([(FOLLOWED_SECTION, followed)] if followed else []) + list(alerts.items())


FOLLOWED_SECTION = "Followed authors"


# --- BibTeX -----------------------------------------------------------------------------------

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    # BibTeX counts braces even after a backslash, so a lone brace must become a command.
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "$": r"\$",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
    "@": "{@}",
}
_BIBTEX_PATTERN = re.compile("|".join(re.escape(char) for char in _BIBTEX_SPECIAL))


def escape_bibtex(text: str) -> str:
    text = collapse_whitespace(strip_control(text))
    return _BIBTEX_PATTERN.sub(lambda m: _BIBTEX_SPECIAL[m.group(0)], text)


_AFFILIATION = re.compile(r"\s*\([^()]*(?:\([^()]*\)[^()]*)*\)")


def bare_name(name: str) -> str:
    """An author without the affiliation arXiv sometimes puts after it in parentheses."""
    return _AFFILIATION.sub("", name).strip() or name


def bibtex_name(name: str) -> str:
    """One author for `author = {...}`: affiliations dropped, and a name BibTeX would split
    (one holding " and " or a comma) braced so it stays one name."""
    escaped = escape_bibtex(bare_name(name))
    if re.search(r"\band\b", escaped, re.IGNORECASE) or "," in escaped:
        return "{" + escaped + "}"
    return escaped


def year_of(paper: Paper) -> str:
    """The year of first submission, read from the arXiv id (2411.x: 2024; hep-th/9901001: 1999)."""
    match = re.match(r"^(\d{2})(\d{2})\.", paper.id)
    if match:
        return f"20{match.group(1)}"
    match = re.search(r"/(\d{2})\d{5}$", paper.id)
    if match:
        century = "19" if int(match.group(1)) > 90 else "20"
        return century + match.group(1)
    return str((paper.listing_date or dt.date.today()).year)


def bibtex_key(paper: Paper) -> str:
    return "arXiv:" + re.sub(r"[^A-Za-z0-9.\-]", "_", paper.id)


def to_bibtex(items: Sequence[Item], abstracts: bool = False) -> str:
    """@misc entries (eprint, primaryClass, doi, journal); `abstracts`: each with its abstract."""
    entries = []
    for item in items:
        paper = item.paper
        fields = [
            ("title", "{" + escape_bibtex(paper.title) + "}"),
            ("author", " and ".join(bibtex_name(name) for name in paper.authors) or "Unknown"),
            ("year", year_of(paper)),
            ("eprint", escape_bibtex(paper.id)),
            ("archivePrefix", "arXiv"),
            ("primaryClass", escape_bibtex(paper.primary_category)),
            ("url", escape_bibtex(paper.abs_url)),
        ]
        if paper.doi:
            fields.append(("doi", escape_bibtex(paper.doi)))
        if paper.journal_ref:
            fields.append(("journal", escape_bibtex(paper.journal_ref)))
        if abstracts and paper.abstract:
            fields.append(("abstract", escape_bibtex(paper.abstract)))
        if item.note:
            fields.append(("note", escape_bibtex(item.note)))
        if item.tags:
            fields.append(("keywords", escape_bibtex(", ".join(item.tags))))
        if item.starred_at:  # a field BibTeX and biblatex ignore, for the user's own tools
            fields.append(("starred", escape_bibtex(item.starred_at)))
        body = ",\n".join(f"  {name:<13} = {{{value}}}" for name, value in fields)
        entries.append(f"@misc{{{bibtex_key(paper)},\n{body}\n}}\n")
    return "\n".join(entries)


def to_grouped_bibtex(items: Sequence[Item], groups: Sequence[str], abstracts: bool = False) -> str:
    """BibTeX in sections (a comment line a keyword), each paper once, under its first keyword:
    a key may appear only once in a .bib file."""
    done: set[str] = set()
    parts = []
    for term, members in grouped(items, groups):
        fresh = [item for item in members if item.paper.id not in done]
        done.update(item.paper.id for item in fresh)
        label = " ".join(strip_control(term).split())
        parts.append(
            f"% ---- {label} ({len(members)}) ----\n\n" + (to_bibtex(fresh, abstracts) if fresh else "")
        )
    return "\n".join(parts)
