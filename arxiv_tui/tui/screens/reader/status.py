"""What the status line says about the Reader's state, as parts ranked by what may be dropped, and
what the detail pane says when a view has no paper to show."""

from __future__ import annotations

from arxiv_tui.core.base.text import counted
from arxiv_tui.core.matching.views import (
    ANNOUNCED,
    ARXIV,
    CITED,
    CITING,
    FOR_YOU,
    INBOX,
    REFERENCES,
    SEARCH,
    SIMILAR,
    FoldRow,
)
from arxiv_tui.core.session.reader import Reader
from arxiv_tui.tui.widgets.status_line import DETAIL, KEEP, MUST, NOTE, Part, Status

KIND_WORDS = {CITING: "cited by", REFERENCES: "references of"}


def status_of(
    reader: Reader,
    search_mode: str,
    search_text: str,
    search_problem: str,
    position: tuple[int, int] = (0, 0),
    unread: int = 0,
    today: int = 0,
    answered: bool = True,
) -> Status:
    """`search_mode` is the search bar's: "", "view" or "library"; `position` is the cursor's
    (1-based) and the view's length, `unread` the view's unread papers; in the Inbox, those are
    the undecided ones, and `today` how many of them came with the newest listing; `answered`:
    whether the search's answer shown is the one for `search_text` (or an earlier keystroke's)."""
    parts: list[Part] = []
    at, count = position
    if reader.viewing.view == INBOX and (count or reader.viewing.view_hits is None):
        today_said = f" · {today:,} today" if today else ""
        said = f"{at:,}/{count:,} · {unread:,} undecided{today_said}" if count else "Inbox: all decided"
    else:
        said = f"{at:,}/{count:,} · {unread:,} unread" if count else "0 papers"
    parts.append(Part(said, keep=KEEP))
    listing = reader.viewing.listing
    if listing is not None:
        matched = len(reader.viewing.filtered.matched)
        # The views line has these too: they are the first to go when the line is short.
        parts.append(Part(f"{matched} matched of {len(listing.papers)} announced", keep=DETAIL))
    for text, kind in reader.notes():
        parts.append(Part(text, kind, MUST if kind == "error" else KEEP if kind == "busy" else NOTE))
    if picked := len(reader.marking.selected):  # a lasting sign, and what acts on them
        parts.append(Part(f"{picked:,} picked: s r t o d e act on them · esc: none", "filter", MUST))
    if reader.viewing.unread_only:
        parts.append(Part("unread only", "filter", KEEP))
    if reader.viewing.code_only:
        parts.append(Part("with code only", "filter", KEEP))
    if reader.viewing.sort != ANNOUNCED:
        ranking = (
            " (ranking…)"
            if reader.viewing.sort == FOR_YOU and not reader.viewing.scores and listing is not None
            else ""
        )
        parts.append(Part(f"sorted: {reader.viewing.sort}{ranking}", "filter", KEEP))
    if reader.viewing.view == CITED and reader.citations.shown is not None:
        said, total = citations_status(reader)
        parts.append(Part(said, "search", MUST))
        if total:
            parts.append(Part(total, "", DETAIL))
    if reader.viewing.view == SIMILAR and reader.viewing.similar is not None:
        like = reader.viewing.similar
        title = like.paper.title if len(like.paper.title) <= 28 else like.paper.title[:27] + "…"
        parts.append(Part(f"like: {title} · esc: back", "search", MUST))
        parts.append(Part(f"by the words {', '.join(like.terms[:5])}", "", DETAIL))  # and in the pane
    if reader.viewing.view == ARXIV and not search_problem:
        text, kind = arxiv_status(reader)
        parts.append(Part(text, kind, MUST if kind == "error" else KEEP))
    elif search_mode == "arxiv" and not search_problem:
        parts.append(Part("all of arXiv: type, then enter", "", DETAIL))
    elif search_mode and search_text.strip():
        if search_problem:
            parts.append(Part(f"✗ {search_problem}", "error", MUST))
        elif (
            answered
            and search_mode == "library"
            and reader.viewing.view == SEARCH
            and reader.viewing.found is not None
        ):
            found = reader.viewing.found.count_text
            parts.append(Part(f"search all: {search_text.strip()}: {results(found)}", "search", KEEP))
        elif answered and search_mode == "view" and reader.viewing.view_hits is not None:
            parts.append(Part(f"search: {search_text.strip()}: {results(f'{count:,}')}", "search", KEEP))
        else:
            parts.append(Part(f"searching {search_text.strip()}…", "busy", KEEP))
    elif search_mode:
        parts.append(
            Part("search: type a word" if search_mode == "view" else "search all: type a word", "", DETAIL)
        )
    return Status(reader.title(), tuple(parts))


def arxiv_status(reader: Reader) -> tuple[str, str]:
    """(what, kind) while a search of all of arXiv is shown."""
    explorer = reader.explorer
    search = explorer.search
    if search is None:
        return "", ""
    if search.problem:
        return f"✗ arXiv: {search.problem}", "error"
    if explorer.loading:
        return f"⟳ asking arXiv: {search.text}…", "busy"
    if search.ids:
        return f"arXiv id {search.ids[0]}: {'found' if search.papers else 'not found'}", "search"
    more = " · more as you scroll" if search.more else ""
    return f"all of arXiv: {search.text}: {len(search.papers):,} of {search.total or 0:,}{more}", "search"


def results(count: str) -> str:
    """ "0" -> "no results", "1" -> "1 result", "1,204+" -> "1,204+ results"."""
    return "no results" if count == "0" else "1 result" if count == "1" else f"{count} results"


def citations_status(reader: Reader) -> tuple[str, str]:
    """What the status line says while a paper's citing papers or references are shown, and
    (second, dropped first when short of room) its citation count."""
    if reader.citations.shown is None:
        return "", ""
    paper, details, kind = reader.citations.shown
    listed = reader.citations.found()
    on_arxiv = sum(1 for found in listed if found.arxiv_id)
    title = paper.title if len(paper.title) <= 24 else paper.title[:23] + "…"
    words = KIND_WORDS.get(kind, "recommended with")
    total = f"{details.paper.citations:,} citations" if details.paper.citations is not None else ""
    more = " (more coming…)" if details.partial else ""
    others = f" · l: the {len(listed) - on_arxiv} others" if on_arxiv < len(listed) else ""
    return f"{words} {title}: {on_arxiv}/{len(listed)} on arXiv{more}{others} · w: next · esc: back", total


def nothing_listed(reader: Reader) -> str:
    """What the detail pane says when none of what `w` shows is on arXiv ("" otherwise)."""
    if (
        reader.viewing.view != CITED
        or reader.citations.shown is None
        or not (off := reader.citations.elsewhere())
    ):
        return ""
    words = {CITING: "papers citing it", REFERENCES: "references"}.get(
        reader.citations.shown[2], "recommended"
    )
    return f"None of the {len(off)} {words} is on arXiv. l lists them (Enter opens one's DOI); w: next."


def folded_said(row: FoldRow) -> str:
    """The detail pane on For you's folded row."""
    return (
        f"{counted(len(row.folded), 'paper')} folded here: undecided, each with a chance of a keep under "
        "ui.hide_below, as the model learned from your decisions sees it. Nothing is marked and the "
        "Inbox still counts them. Enter shows them; sorting again (S) folds them once more."
    )
