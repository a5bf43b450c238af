"""Rich Text for rows and details, built from feed text as plain text (never as markup)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from arxiv_tui.core.badges import Badges, badges
from arxiv_tui.core.marks import PaperMarks
from arxiv_tui.core.match import MatchResult, Span, Term, find_spans
from arxiv_tui.core.models import CROSS, NEW, Paper
from arxiv_tui.core.relevance import Score

TYPE_BADGES = {NEW: ("new", "green"), CROSS: ("cross", "cyan")}


def type_badge(paper: Paper) -> tuple[str, str]:
    if paper.is_replacement:
        return f"v{paper.version}", "yellow"
    return TYPE_BADGES.get(paper.announce_type, ("new", "green"))


def row_text(paper: Paper, match: MatchResult, *, read: bool, starred: bool, dated: bool = False) -> Text:
    """One list row: unread dot, star, [listing date,] type, category, title, first author, keywords."""
    badge, badge_style = type_badge(paper)
    row = Text(no_wrap=True, overflow="ellipsis", end="")
    row.append("● " if not read else "  ", style="bold bright_blue" if not read else "")
    row.append("★ " if starred else "  ", style="bold yellow")
    if dated:
        row.append(f"{paper.listing_date:%a %d} " if paper.listing_date else "       ", style="dim")
    row.append(f"{badge:<5} ", style=badge_style)
    found = badges(paper)
    code, code_style = ("code ", "bold green") if found.has_code else ("soon ", "dim green")
    row.append(code if found.has_code or found.code_promised else "     ", style=code_style)
    row.append(f"{paper.primary_category[:13]:<14}", style="magenta")
    row.append(paper.title or "(untitled)", style="bold" if not read else "")
    row.append(f"  {paper.first_author}", style="italic dim")
    if match.authors:
        row.append("  " + " ".join(f"@{name}" for name in match.authors), style="bold cyan")
    if match.terms:
        row.append("  [" + ", ".join(match.terms) + "]", style="cyan")
    if found.venue:
        row.append(f"  {found.venue}", style="magenta")
    return row


def code_text(found: Badges) -> Text:
    if found.code_url:
        return Text(found.code_url, style="underline green")
    if found.code_promised:
        return Text('promised ("code will be released"), no link yet', style="green")
    return Text("no code link", style="dim")


def length_text(found: Badges) -> str:
    parts = []
    if found.pages is not None:
        parts.append(f"{found.pages} pages")
    if found.figures is not None:
        parts.append(f"{found.figures} figures")
    return ", ".join(parts)


def highlighted(
    text: str, spans: Sequence[Span], style: str, searched: Sequence[Span] = (), searched_style: str = ""
) -> Text:
    result = Text(text)
    for start, end in searched:
        result.stylize(searched_style, start, end)
    for start, end in spans:
        result.stylize(style, start, end)
    return result


def detail_text(
    paper: Paper,
    match: MatchResult,
    *,
    marks: PaperMarks,
    highlight: str,
    score: Score | None = None,
    searched: tuple[Term, ...] = (),
    searched_style: str = "",
) -> Text:
    """The detail pane: everything about one paper, keyword hits highlighted in the title and
    abstract, and what a search looked for in another colour."""
    read, starred, note = marks.read, marks.starred, marks.note
    badge, badge_style = type_badge(paper)
    out = Text()
    title = paper.title or "(untitled)"
    out.append_text(
        highlighted(title, match.title_spans, highlight, find_spans(searched, title), searched_style)
    )
    out.stylize("bold", 0, len(out))
    out.append("\n\n")
    out.append(", ".join(paper.authors) or "(no authors listed)", style="italic")
    out.append("\n\n")

    def field(label: str, value: str | Text, style: str = "") -> None:
        out.append(f"{label:<12}", style="dim")
        if isinstance(value, Text):
            out.append_text(value)
        else:
            out.append(value, style=style)
        out.append("\n")

    arxiv_id = Text(f"{paper.id}v{paper.version}  ")
    arxiv_id.append(f"[{badge}]" if badge != "new" else "[new]", style=badge_style)
    if starred:
        arxiv_id.append("  ★ starred", style="bold yellow")
    arxiv_id.append("  unread" if not read else "", style="bold")
    field("arXiv", arxiv_id)
    categories = Text()
    for index, category in enumerate(paper.categories):
        if index:
            categories.append(", ")
        categories.append(category, style="bold magenta" if index == 0 else "magenta")
        if index == 0:
            categories.append(" (primary)", style="dim")
    field("Categories", categories)
    if paper.listing_date:
        field("Listed", f"{paper.listing_date:%a %d %b %Y}")
    found = badges(paper)
    field("Code", code_text(found))
    if found.venue:
        field("Venue", found.venue + (f" ({found.venue_status})" if found.venue_status else ""), "magenta")
    if length_text(found):
        field("Length", length_text(found))
    if match.authors:
        field("Followed", ", ".join(match.authors), "bold cyan")
    if score is not None and score.like is not None:
        field("For you", Text(f"like: {score.like.title}  ({score.similarity:.2f})", style="green"))
    if note:
        field("Note", note, "bold")
    if marks.tags:
        field("Tags", ", ".join(marks.tags), "bold cyan")
    if paper.comments:
        field("Comments", paper.comments)
    if paper.journal_ref:
        field("Journal ref", paper.journal_ref)
    if paper.doi:
        field("DOI", paper.doi)
    field(
        "Matched", ", ".join(match.terms) if match.terms else "no keyword", "cyan" if match.terms else "dim"
    )
    field("PDF", paper.pdf_url, "underline")
    field("Abstract", paper.abs_url, "underline")
    field("HTML", paper.html_url, "underline")
    out.append("\n")
    abstract = paper.abstract or "(no abstract)"
    out.append_text(
        highlighted(abstract, match.abstract_spans, highlight, find_spans(searched, abstract), searched_style)
    )
    return out
