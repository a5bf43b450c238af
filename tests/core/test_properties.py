"""Property tests: whatever bytes or text arrive, parse and match raise only the project's own errors,
and what they give back is safe to display."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from arxiv_tui.core.base.errors import ArxivTuiError
from arxiv_tui.core.base.text import ABSTRACT_LIMIT, TITLE_LIMIT
from arxiv_tui.core.matching.match import Matcher, TermError
from arxiv_tui.core.models import Paper
from arxiv_tui.core.sources.parse import parse_feed
from tests.conftest import fixture_bytes

REAL = fixture_bytes("rss-cs.CL-2026-04-27-excerpt.xml")
# C0/C1 controls (tab and newline included: fields are one line), bidi overrides and isolates.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
XML_SAFE_TEXT = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00\ufffe\uffff"),
    max_size=400,
)
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parse_or_own_error(data: bytes):
    try:
        return parse_feed(data, "property")
    except ArxivTuiError:
        return None


@PROPERTY
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_raise_only_feed_errors(data):
    parse_or_own_error(data)


@PROPERTY
@given(st.integers(0, len(REAL)), st.integers(0, 200), st.binary(max_size=60))
def test_a_real_feed_damaged_anywhere_raises_only_feed_errors(at, length, junk):
    parsed = parse_or_own_error(REAL[:at] + junk + REAL[at + length :])
    if parsed is not None:
        for paper in parsed.papers:
            assert not UNSAFE.search(paper.title + paper.abstract + "".join(paper.authors))


@PROPERTY
@given(XML_SAFE_TEXT, XML_SAFE_TEXT, XML_SAFE_TEXT)
def test_any_text_in_a_real_item_comes_out_displayable(title, abstract, author):
    # The channel's title is prefixed too: one that starts like arXiv's own error feed is read as
    # that error, by design (tests/core/test_failures.py), so it is no text to display.
    assume(not title.strip().startswith("Feed error for query"))
    data = (
        REAL.replace(b"<title>", b"<title>" + escape(title).encode() + b" ", 2)
        .replace(b"Abstract: ", b"Abstract: " + escape(abstract).encode() + b" ", 1)
        .replace(b"<dc:creator>", b"<dc:creator>" + escape(author).encode() + b", ", 1)
    )
    parsed = parse_or_own_error(data)
    assert parsed is not None and parsed.papers
    for paper in parsed.papers:
        for text in (paper.title, paper.abstract, *paper.authors, paper.comments):
            assert not UNSAFE.search(text)
        assert len(paper.title) <= TITLE_LIMIT and len(paper.abstract) <= ABSTRACT_LIMIT


@PROPERTY
@given(
    st.lists(st.text(max_size=25), max_size=5),
    st.lists(st.text(max_size=25), max_size=3),
    st.text(max_size=400),
    st.text(max_size=100),
)
def test_matching_raises_only_term_errors_and_spans_stay_inside_the_text(include, exclude, abstract, title):
    try:
        matcher = Matcher(include, exclude)
    except TermError:
        return
    paper = Paper(
        id="2401.00001",
        version=1,
        title=title,
        authors=("A. Author",),
        abstract=abstract,
        categories=("cs.CL",),
    )
    result = matcher.explain(paper)
    assert set(result.terms) <= {term.strip() for term in include}
    for start, end in result.title_spans:
        assert 0 <= start < end <= len(title)
    for start, end in result.abstract_spans:
        assert 0 <= start < end <= len(abstract)
    assert (matcher.match(paper) is not None) <= bool(result.terms)
