"""A list row is drawn from plain runs of text (fast) when every character takes one cell, and
through a Rich Text otherwise: both must give the same line, cut the same way, in the same styles."""

from __future__ import annotations

import dataclasses

import pytest
from rich.console import Console
from rich.style import Style

from arxiv_tui.core.incoming.listings import listing_from
from arxiv_tui.core.matching.match import Matcher
from arxiv_tui.core.matching.views import filter_listing
from arxiv_tui.core.sources.parse import parse_feed
from arxiv_tui.tui.render import row_text
from tests.conftest import fixture_bytes

CONSOLE = Console()


def merged(pieces):
    """Segments as (text, style), neighbours in one style joined (the two paths split differently)."""
    out: list[tuple[str, Style]] = []
    for text, style in pieces:
        style = style or Style()
        if out and out[-1][1] == style:
            out[-1] = (out[-1][0] + text, style)
        elif text:
            out.append((text, style))
    return out


def rows():
    listing = listing_from(parse_feed(fixture_bytes("rss-quant-ph-2025-04-28.xml")), "quant-ph")
    filtered = filter_listing(listing, Matcher(["entanglement", "qubit*"]), False)
    return filtered.matched


@pytest.mark.parametrize("width", [1, 2, 12, 40, 78, 118, 300])
def test_a_row_drawn_from_runs_is_the_row_a_rich_text_draws(width):
    compared = 0
    shown = rows()
    for row in shown:
        for read, tags, citations in ((False, (), None), (True, ("to-read", "ml"), 1234)):
            text = row_text(
                row.paper, row.match, read=read, starred=not read, dated=True, tags=tags, citations=citations
            )
            runs = text.runs(width)
            assert runs is not None
            fast = merged((piece, CONSOLE.get_style(style)) for piece, style in runs)
            slow = merged((segment.text, segment.style) for segment in text.fit(width).render(CONSOLE))
            assert fast == slow
            compared += 1
    assert compared == 2 * len(shown) > 40


def test_a_title_with_wide_characters_is_left_to_rich_to_measure():
    row = rows()[0]
    wide = dataclasses.replace(row.paper, title="量子纠缠 " + row.paper.title)
    text = row_text(wide, row.match, read=False, starred=False)
    assert text.runs(60) is None  # a character of two cells: the Text path cuts it
    assert text.fit(60).cell_len == 60


def test_a_title_with_a_control_character_never_reaches_the_terminal():
    row = rows()[0]
    hostile = dataclasses.replace(row.paper, title="\x1b[2J\x1b]0;owned\x07 " + row.paper.title)
    text = row_text(hostile, row.match, read=False, starred=False)
    assert text.runs(120) is None  # not drawn from the runs: the Text path strips what is not text
    drawn = "".join(segment.text for segment in text.fit(120).render(CONSOLE))
    assert "\x1b" not in drawn and "\x07" not in drawn and row.paper.title[:20] in drawn
