"""Rich Text for rows and details, built from feed text as plain text (never as markup)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len
from rich.text import Text

from arxiv_tui.core.base.text import strip_control
from arxiv_tui.core.matching.badges import Badges, badges
from arxiv_tui.core.matching.match import MatchResult, Span, Term, find_spans
from arxiv_tui.core.matching.reasons import said
from arxiv_tui.core.models import CROSS, NEW, Paper, PaperMarks

if TYPE_CHECKING:
    from arxiv_tui.core.ranking.ranker import Rank
    from arxiv_tui.core.sources.scholar import ScholarPaper

TYPE_BADGES = {NEW: ("new", "green"), CROSS: ("cross", "cyan")}


def type_badge(paper: Paper) -> tuple[str, str]:
    if paper.is_replacement:
        return f"v{paper.version}", "yellow"
    return TYPE_BADGES.get(paper.announce_type, ("new", "green"))


def type_glyph(paper: Paper) -> tuple[str, str]:
    """One cell for the announcement type: blank for new, x for a cross-list, the version digit
    (or +) for a replacement."""
    if paper.is_replacement:
        return (str(paper.version) if paper.version < 10 else "+"), "yellow"
    return ("x", "cyan") if paper.announce_type == CROSS else (" ", "")


MIN_TITLE = 24  # cells a shortened title keeps, whatever the marks after it
Runs = list[tuple[str, str]]  # (text, style) pieces of a line, in order


class RowText(NamedTuple):
    """One list row in its parts, each as (text, style) runs: what comes before the title, the
    title, the marks that must show (citations, followed authors, tags), and what may be cut
    (first author, keywords, venue). `runs` and `fit` make a line of a width: a title too long
    for it is shortened, not the marks. Built as runs, not Texts: a Text for each part, and its
    runs taken back out of it, were a third of the cost of a start's list."""

    head: Runs
    title: Runs
    marks: Runs
    rest: Runs

    @property
    def whole(self) -> Text:
        return _text(self.head + self.title + self.marks + self.rest)

    def fit(self, width: int) -> Text:
        """The line as a Text that Rich measures, for any characters (a wide one takes two cells)."""
        head, title, marks = _text(self.head), _text(self.title), _text(self.marks)
        fixed = head.cell_len + marks.cell_len
        if marks.cell_len and fixed + title.cell_len > width:
            title.truncate(max(width - fixed, min(title.cell_len, MIN_TITLE)), overflow="ellipsis")
            line = Text.assemble(head, title, marks, no_wrap=True, end="")
        else:
            line = self.whole
        line.truncate(max(width, 1), overflow="ellipsis")
        return line

    def runs(self, width: int) -> Runs | None:
        """`fit`, as runs: what the list draws, without building and rendering a Text. None when
        a character is not printable or takes other than one cell (a wide or combining one):
        then `fit` draws the row."""
        plain = "".join(piece for part in self for piece, _ in part)
        if not plain.isprintable() or (not plain.isascii() and cell_len(plain) != len(plain)):
            return None
        head, title, marks, rest = self
        fixed = run_length(head) + run_length(marks)
        if marks and fixed + run_length(title) > width:
            room = max(width - fixed, min(run_length(title), MIN_TITLE))
            return cut(head + cut(title, room) + marks, max(width, 1))
        return cut(head + title + marks + rest, max(width, 1))


def _text(runs: Runs) -> Text:
    """The runs as a Text, with nothing that is not text (feed text is cleaned where it enters;
    a row never draws a control character either way)."""
    return Text.assemble(*((strip_control(piece), style) for piece, style in runs), no_wrap=True, end="")


def _add(runs: Runs, piece: str, style: str = "") -> None:
    """`piece` appended to `runs`, as Text.append would: unstyled neighbours make one run."""
    if piece:
        if not style and runs and not runs[-1][1]:
            runs[-1] = (runs[-1][0] + piece, "")
        else:
            runs.append((piece, style))


def run_length(runs: Runs) -> int:
    return sum(len(piece) for piece, _ in runs)


def cut(runs: Runs, width: int) -> Runs:
    """Runs cut to `width` cells, the last one an ellipsis in the style of the character it
    replaces (as Text.truncate does)."""
    if run_length(runs) <= width:
        return runs
    kept: Runs = []
    left = width - 1  # characters kept before the ellipsis
    for piece, style in runs:
        if left >= len(piece):
            kept.append((piece, style))
            left -= len(piece)
            continue
        if left:
            kept.append((piece[:left], style))
        kept.append(("…", style))
        break
    return kept


def row_text(
    paper: Paper,
    match: MatchResult,
    *,
    read: bool,
    starred: bool,
    dated: bool = False,
    category_width: int = 8,
    two_lines: bool = False,
    tags: Sequence[str] = (),
    picked: bool = False,
    citations: int | None = None,
) -> RowText:
    """One list row: unread dot, star, [listing date,] type, code, category, title, and on one
    line also its marks (citations, @followed authors, #tags), the first author, the keywords it
    matched and its venue (on two, `second_row` has them).

    The marks and columns are one cell each and dimmed, so the title gets the width."""
    head: Runs = []
    if picked:  # picked for an action on several papers: in the unread dot's cell
        _add(head, "✓", "bold magenta")
    else:
        _add(head, "●" if not read else " ", "bold bright_blue")
    _add(head, "★" if starred else " ", "bold yellow")
    if dated:
        _add(head, f" {paper.listing_date:%d %b}" if paper.listing_date else "       ", "dim")
    glyph, glyph_style = type_glyph(paper)
    _add(head, " " + glyph, glyph_style)
    found = badges(paper)
    _add(head, "◆" if found.has_code else "◇" if found.code_promised else " ", "green")
    category = paper.primary_category or "—"  # none: a record from Semantic Scholar
    if len(category) > category_width:
        category = category[: category_width - 1] + "…"
    _add(head, f" {category:<{category_width}} ", "dim magenta")
    title: Runs = []
    _add(title, paper.title or "(untitled)", "bold" if not read else "")
    marks: Runs = []
    rest: Runs = []
    if not two_lines:
        _append_marks(marks, match, tags, citations)
        _add(rest, f"  {paper.first_author}", "italic dim")
        _append_why(rest, match, found)
    return RowText(head, title, marks, rest)


def second_row(
    paper: Paper,
    match: MatchResult,
    *,
    dated: bool = False,
    category_width: int = 8,
    tags: Sequence[str] = (),
    citations: int | None = None,
) -> Text:
    """The second line of a two-line row: the authors, what it matched, its venue, its tags."""
    row: Runs = []
    _add(row, " " * (7 + category_width + (7 if dated else 0)))  # under the title
    authors = list(paper.authors[:3]) + (["et al."] if len(paper.authors) > 3 else [])
    _add(row, ", ".join(authors) or "(no authors)", "italic dim")
    _append_marks(row, match, tags, citations)
    _append_why(row, match, badges(paper))
    line = _text(row)
    line.overflow = "ellipsis"
    return line


def _append_marks(row: Runs, match: MatchResult, tags: Sequence[str], citations: int | None) -> None:
    """What a row must show whatever its width: citations, followed authors, tags."""
    if citations is not None:  # known once Semantic Scholar was asked (w, W)
        _add(row, f"  {citations:,} cited", "green")
    if match.authors:
        _add(row, "  " + " ".join(f"@{name}" for name in match.authors), "bold cyan")
    if match.also:  # an alert: a new version of a star, a citation of one
        _add(row, "  " + " · ".join(map(said, match.also)), "bold yellow")
    if tags:
        _add(row, "  " + " ".join(f"#{tag}" for tag in tags), "bold green")


def _append_why(row: Runs, match: MatchResult, found: Badges) -> None:
    """What a row shows when there is room: the keywords it matched, its venue."""
    if match.terms:
        _add(row, "  [" + ", ".join(match.terms) + "]", "cyan")
    if found.venue:
        _add(row, f"  {found.venue}", "magenta")


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


AUTHORS_SHOWN = 8  # a long list of authors is cut here: 30 names took 9 lines of a 24-line terminal


def author_line(authors: tuple[str, ...]) -> str:
    """ "A, B, C" or, for a long list, the first ones, "… +28" and the last (often the senior)."""
    if not authors:
        return "(no authors listed)"
    if len(authors) <= AUTHORS_SHOWN + 1:
        return ", ".join(authors)
    shown = authors[: AUTHORS_SHOWN - 1]
    return f"{', '.join(shown)}, … +{len(authors) - len(shown) - 1}, {authors[-1]}"


def detail_text(
    paper: Paper,
    match: MatchResult,
    *,
    marks: PaperMarks,
    highlight: str,
    rank: Rank | None = None,
    searched: tuple[Term, ...] = (),
    searched_style: str = "",
    scholar: ScholarPaper | None = None,
    context: str = "",
    offline: str = "",
    tldr: str = "",
) -> Text:
    """The detail pane: everything about one paper, keyword hits highlighted in the title and
    abstract, and what a search looked for in another colour.

    What triage needs comes first, so that at 80x24 the abstract is on screen: `context` (what
    the view is, when the status line has no room to say it), title, authors (a long list cut),
    one line of facts, why it matched or was found, citations, the user's note; then the
    abstract; then the rest."""
    read, starred, note = marks.read, marks.starred, marks.note
    badge, badge_style = type_badge(paper)
    out = Text()
    if context:
        out.append(context + "\n", style="dim italic")
    title = paper.title or "(untitled)"
    out.append_text(
        highlighted(title, match.title_spans, highlight, find_spans(searched, title), searched_style)
    )
    out.stylize("bold", 0, len(out))
    out.append("\n")
    out.append(author_line(paper.authors), style="italic")
    out.append("\n")

    def field(label: str, value: str | Text, style: str = "") -> None:
        out.append(f"{label:<12}", style="dim")
        if isinstance(value, Text):
            out.append_text(value)
        else:
            out.append(value, style=style)
        out.append("\n")

    facts = Text(f"{paper.id}v{paper.version}", style="bold")
    if paper.listing_date or not paper.published[:10]:
        facts.append(f"  {badge}", style=badge_style)
    else:  # from all of arXiv or a list of citations: no announcement to speak of, its date
        facts.append(f"  submitted {paper.published[:10]}", style="dim")
    for index, category in enumerate(paper.categories):
        facts.append("  " if index == 0 else ", ")
        facts.append(category, style="bold magenta" if index == 0 else "magenta")
    if paper.listing_date:
        facts.append(f"  {paper.listing_date:%a %d %b %Y}", style="dim")
    if starred:
        facts.append("  ★ starred", style="bold yellow")
    facts.append("  unread" if not read else "  read", style="bold" if not read else "dim")
    out.append_text(facts)
    out.append("\n")
    if match.terms:
        field("Matched", ", ".join(match.terms), "cyan")
    elif not match.authors and not match.also and paper.listing_date:  # an alert says why below
        field("Matched", "no keyword", "dim")
    if rank is not None:  # the reasons near the top: seen at 80x24 without scrolling
        field("For you", Text(f"{rank.chance:.0%} · {rank.reason()}", style="green"))
    if tldr:  # the user's model's one line on it (the assistant)
        field("TL;DR", tldr, "green")
    if match.authors:
        field("Followed", ", ".join(match.authors), "bold cyan")
    if match.also:
        field("Also", " · ".join(map(said, match.also)), "bold yellow")
    if scholar is not None and scholar.citations is not None:
        cited = f"{scholar.citations:,} ({scholar.influential or 0:,} influential), by Semantic Scholar"
        field("Citations", cited, "bold green")
    if note:
        first, *rest = note.split("\n", 1)
        field("Note", first + (" … (in full below)" if rest or rendered_note(note) else ""), "bold")
    if marks.tags:
        field("Tags", ", ".join(marks.tags), "bold cyan")
    if offline:
        field("Offline", offline, "green")
    out.append("\n")
    abstract = paper.abstract or "(no abstract)"
    out.append_text(
        highlighted(abstract, match.abstract_spans, highlight, find_spans(searched, abstract), searched_style)
    )
    out.append("\n\n")
    found = badges(paper)
    field("Code", code_text(found))
    if found.venue:
        field("Venue", found.venue + (f" ({found.venue_status})" if found.venue_status else ""), "magenta")
    if length_text(found):
        field("Length", length_text(found))
    if scholar is not None and scholar.citations is not None:
        if scholar.venue or scholar.year:
            field(
                "S2 venue", ", ".join(str(part) for part in (scholar.venue, scholar.year) if part), "magenta"
            )
        if scholar.tldr:
            field("TLDR", scholar.tldr)
    if paper.comments:
        field("Comments", paper.comments)
    if paper.journal_ref:
        field("Journal ref", paper.journal_ref)
    if paper.doi:
        field("DOI", paper.doi)
    field("PDF", paper.pdf_url, "underline")
    field("Abstract", paper.abs_url, "underline")
    field("HTML", paper.html_url, "underline")
    out.rstrip()
    return out


MARKDOWN_SIGNS = frozenset("*_`#[>|~")


def rendered_note(note: str) -> bool:
    """Whether the detail pane shows the note rendered as Markdown at its end (more than a
    line, or a line with Markdown in it), not only on its Note line."""
    return "\n" in note or not MARKDOWN_SIGNS.isdisjoint(note)
