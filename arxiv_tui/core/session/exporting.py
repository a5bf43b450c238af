"""Papers as digest items (for `digest`, `search` and the reader's exports): why they matched,
and everything the user made of them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from arxiv_tui.core.matching.match import Matcher, MatchResult
from arxiv_tui.core.models import NO_MARKS, Paper, PaperMarks
from arxiv_tui.core.output.digest import Item


def items(
    papers: Iterable[Paper],
    marks: Mapping[str, PaperMarks],
    explain: Callable[[Paper], MatchResult],
    matcher: Matcher,
) -> list[Item]:
    """`papers` whole (with abstracts), `marks` by paper id, `explain` why each was matched."""
    found: list[Item] = []
    for paper in papers:
        mine = marks.get(paper.id, NO_MARKS)
        why = explain(paper)
        found.append(
            Item(
                paper,
                why.terms or matcher.matched_terms(paper),
                mine.read,
                mine.starred,
                why.authors or matcher.followed(paper),
                starred_at=mine.starred_at,
                note=mine.note,
                tags=mine.tags,
                also=why.also,
            )
        )
    return found
