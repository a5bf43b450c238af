"""TeX to Unicode and the cleaning every feed string goes through."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arxiv_tui.core.base.latex import tex_to_unicode
from arxiv_tui.core.base.text import clean_text, split_authors
from arxiv_tui.core.sources.parse import parse_feed
from tests.conftest import fixture_bytes


@pytest.mark.parametrize(
    ("tex", "shown"),
    [
        (r"R\'emy", "Rémy"),
        (r"Przemys{\l}aw", "Przemysław"),
        (r"S\"ohler", "Söhler"),
        (r"M\"{u}ller and G\'{o}mez", "Müller and Gómez"),
        (r"Fran\c{c}ois \v{C}ech", "François Čech"),
        (r"$\alpha$-stable", "α-stable"),
        (r"$L^2(\mathbb R, w(E) dE)$", "L²(ℝ, w(E) dE)"),
        (r"$\frac{1}{3}<s<1$", "1/3<s<1"),
        (r"$t\bar{t}$ pairs", "tt̄ pairs"),
        (r"Trotter \& Strang, 50\% of it", "Trotter & Strang, 50% of it"),
        (r"\textbf{bold} \emph{words}", "bold words"),
        (r"the \ell norm", "the ℓ norm"),
    ],
)
def test_tex_becomes_unicode(tex, shown):
    assert tex_to_unicode(tex) == shown


def test_unknown_tex_is_left_as_written():
    assert tex_to_unicode(r"$\unknownmacro{x}$ stays") == r"$\unknownmacro{x}$ stays"
    assert tex_to_unicode("50% off ~ 3 dB") == "50% off ~ 3 dB"


@given(st.text())
def test_tex_conversion_never_raises(text):
    assert isinstance(tex_to_unicode(text), str)


def test_control_and_bidi_characters_are_removed():
    assert clean_text("a\x1b[31mb\x07c\x9bd\u202ee\u2066f\u200bg") == "a[31mbcdefg"
    assert clean_text("line\none\t two") == "line one two"


def test_huge_fields_are_cut_with_an_ellipsis():
    shown = clean_text("word " * 1_000_000, limit=100)
    assert len(shown) == 100 and shown.endswith("…")


def test_split_authors_keeps_affiliations_whole():
    assert split_authors("A (X, Y), B,  C") == ["A (X, Y)", "B", "C"]
    assert split_authors(" , ,") == []


def test_hostile_feed_text_is_clean_but_literal():
    paper = parse_feed(fixture_bytes("hostile-rss-synthetic.xml")).papers[0]
    assert paper.title == "[bold red]x[/] and [link=file:///etc/passwd]click[/link]"
    assert paper.authors == ("Mallory [b]Evil[/b]", "BobTrevor")
    assert "\x1b" not in paper.abstract and "\x07" not in paper.abstract and "\x9b" not in paper.abstract


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)) | st.text())
def test_no_invisible_character_survives_in_ascii_or_not(text):
    """The fast path for printable ASCII must keep out exactly what the full check keeps out."""
    from arxiv_tui.core.base.text import _CONTROL, strip_control

    assert strip_control(text) == _CONTROL.sub("", text.replace("\t", " "))


@given(st.lists(st.text(alphabet="abc é.-()", min_size=1), max_size=6))
def test_authors_split_the_same_with_or_without_brackets(names):
    """Splitting a list with no brackets (the fast path) agrees with the bracket-aware walk."""
    creator = ", ".join(names)
    expected = [" ".join(part.split()) for part in creator.split(",") if part.split()]
    if not any(bracket in creator for bracket in "([{"):
        assert split_authors(creator) == expected
    assert all("," not in name or "(" in name for name in split_authors(creator))
