"""Papers as digest items (for `digest`, `search` and the reader's exports): why they matched,
and everything the user made of them, from this session's marks or the library's."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from arxiv_tui.core.models import NO_MARKS, Paper
from arxiv_tui.core.output.digest import Item

if TYPE_CHECKING:
    from arxiv_tui.core.session.reader import Reader


def items(reader: Reader, papers: Iterable[Paper]) -> list[Item]:
    whole = [reader.whole(paper) for paper in papers]
    stored = reader.library.marks.of(paper.id for paper in whole)
    found: list[Item] = []
    for paper in whole:
        marks = reader.session.known(paper.id) or stored.get(paper.id, NO_MARKS)
        why = reader.explain(paper)
        found.append(
            Item(
                paper,
                why.terms or reader.matcher.matched_terms(paper),
                marks.read,
                marks.starred,
                why.authors or reader.matcher.followed(paper),
                starred_at=marks.starred_at,
                note=marks.note,
                tags=marks.tags,
            )
        )
    return found
