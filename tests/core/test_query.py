"""The search language: what users type becomes FTS5 we wrote, and nothing typed is FTS5 syntax."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arxiv_tui.core.matching.match import find_spans
from arxiv_tui.core.matching.query import QueryError, as_arxiv_id, category_text, id_text, parse_query

ALL = "{title authors abstract comments ids notes tags}"


def whole(phrase: str, columns: str = ALL) -> str:
    """A word or phrase as a search finds it: whole, or with its plural (as a keyword does)."""
    return f'{columns} : ("{phrase}" OR "{phrase}s" OR "{phrase}es")'


@pytest.mark.parametrize(
    ("typed", "expression"),
    [
        ("diffusion", whole("diffusion")),
        ("diffusion model", f"({whole('diffusion')}) AND ({whole('model')})"),
        ('"speech synthesis"', whole("speech synthesis")),
        ("text-to-speech", whole("text to speech")),
        ("token*", f'{ALL} : "token"*'),
        ('"language model"*', f'{ALL} : "language model"*'),
        ("speech -survey", f"({whole('speech')}) NOT ({whole('survey')})"),
        ("speech NOT survey", f"({whole('speech')}) NOT ({whole('survey')})"),
        ("tts OR voice", f"({whole('tts')}) OR ({whole('voice')})"),
        ("(tts OR voice) clone", f"(({whole('tts')}) OR ({whole('voice')})) AND ({whole('clone')})"),
        ("au:Harwath", 'authors : "harwath"'),  # a name has no plural
        ('au:"Yi-Jen Shih"', 'authors : "yi jen shih"'),
        ("ti:speech abs:zero", f"({whole('speech', 'title')}) AND ({whole('zero', 'abstract')})"),
        ("cat:cs.CL", 'categories : "cs cl"'),
        ("cat:math-ph", 'categories : "mathph"'),
        ("note:group", whole("group", "notes")),
        ('tag:"reading group"', whole("reading group", "tags")),
        ("co:ICASSP", whole("icassp", "comments")),
        ("2411.17712", 'ids : "2411 17712"'),
        ("2411.17712v3", 'ids : "2411 17712"'),
        ("arXiv:2411.17712", 'ids : "2411 17712"'),
        ("https://arxiv.org/abs/2411.17712v2", 'ids : "2411 17712"'),
        ("arxiv.org/pdf/hep-th/0601001v1", 'ids : "hepth 0601001"'),
        ("hep-th/0601001", 'ids : "hepth 0601001"'),
        ("diffusion AND model", f"({whole('diffusion')}) AND ({whole('model')})"),
        ("gpt4", f'{ALL} : "gpt4"'),  # ends in a digit: no plural
    ],
)
def test_what_is_typed_becomes_fts5_we_wrote(typed, expression):
    assert parse_query(typed).expression == expression


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("-survey", "only exclusions"),
        ("NOT survey", "only exclusions"),
        ("(speech", "not closed"),
        ("speech)", "no opening one"),
        ("a*", "at least 2 letters"),
        ("", "nothing to search for"),
        ("*** ---", "nothing to search for"),
        ("x" * 501, "at most 500 characters"),
        ("(" * 13 + "x" + ")" * 13, "nested more than 12"),
        (" ".join(["word"] * 41), "more than 40 words"),
        ("speech OR", "both sides"),
        ("speech NOT", "needs something after it"),
    ],
)
def test_a_query_that_cannot_run_says_why(typed, why):
    with pytest.raises(QueryError, match=why):
        parse_query(typed)


@pytest.mark.parametrize(
    "typed",
    [
        "NEAR(a b)",
        "a:b",
        "{title}: x",
        "x^y",
        '"unclosed',
        "a' OR 1=1; DROP TABLE stars; --",
        "title : x",
        '"a" "b"*',
        "*",
        "AND",
        "OR OR",
        "\\frac{1}{2}",
        "🙂 emoji",
        "a AND AND b",
        "ὐ",  # case folding splits it into a letter and a combining mark
        "¼ of it",  # normalising makes it "1⁄4": a fraction slash
    ],
)
def test_fts5_syntax_typed_by_a_user_is_only_ever_words(typed):
    try:
        query = parse_query(typed)
    except QueryError:
        return
    # Every quoted phrase holds only letters, digits and spaces: nothing FTS5 could read as syntax.
    phrases = query.expression.split('"')[1::2]
    assert all(all(char.isalnum() or char == " " for char in phrase) for phrase in phrases)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gives_a_query_or_a_query_error(text):
    try:
        query = parse_query(text, live=True)
    except QueryError:
        return
    phrases = query.expression.split('"')[1::2]
    assert all(all(char.isalnum() or char == " " for char in phrase) for phrase in phrases)
    assert query.expression.count('"') % 2 == 0


def test_while_typing_the_last_word_is_a_prefix_from_three_letters():
    assert parse_query("diffu", live=True).expression.endswith('"diffu"*')
    assert parse_query("di", live=True).expression == whole("di")  # too short to be a prefix yet
    assert parse_query("diffu ", live=True).expression == whole("diffu")  # a space ends the word
    assert parse_query("diffu", live=False).expression == whole("diffu")
    assert parse_query('"speech synth"', live=True).expression == whole("speech synth")


def test_hits_are_highlighted_in_title_and_abstract_only_for_what_was_searched_there():
    query = parse_query('diffusion "language model"* au:smith -survey')
    text = "Diffusion for Language Models, a survey by Smith"
    spans = find_spans(query.highlight, text)
    assert [text[start:end] for start, end in spans] == ["Diffusion", "Language Models"]


def test_tex_in_a_query_is_read_as_the_index_reads_it():
    assert parse_query('au:S\\"ohler').expression == 'authors : "söhler"'  # the index drops the accent


def test_ids_and_categories_are_indexed_as_words():
    assert id_text("2411.17712") == "2411 17712" and id_text("hep-th/0601001") == "hepth 0601001"
    assert category_text("astro-ph.CO") == "astroph co" and category_text("cs.CL") == "cs cl"
    assert as_arxiv_id("see 2411.17712") is None and as_arxiv_id("2411.17712v2") == "2411.17712"
