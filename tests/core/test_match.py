"""The keyword rules of the core issue, each pinned."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arxiv_tui.core.matching.match import Matcher, TermError, compile_term, find_spans
from arxiv_tui.core.models import Paper


def hits(term: str, text: str) -> bool:
    return bool(find_spans([compile_term(term)], text))


def paper(title: str = "A title", abstract: str = "An abstract.", kind: str = "new") -> Paper:
    return Paper("2411.00001", 1, title, ("A. Author",), abstract, ("cs.CL",), kind)


@pytest.mark.parametrize(
    ("term", "text", "expected"),
    [
        # 1. whole words, case-insensitive
        ("speech", "LibriSpeech corpus", False),
        ("speech", "speechiness of", False),
        ("speech", "Speech, they said", True),
        ("speech", "(speech)", True),
        ("speech", "speech-language models", True),
        ("speech", "SPEECH", True),
        ("TTS", "ATTS model", False),
        # 1. spaces, hyphens (Unicode too) and underscores interchangeable
        ("text-to-speech", "Text to Speech", True),
        ("text-to-speech", "text\u2010to\u2010speech", True),
        ("text-to-speech", "text_to_speech", True),
        ("text-to-speech", "text—to—speech", True),
        ("text-to-speech", "texttospeech", False),
        ("LLM-based", "LLM based", True),
        ("LLM-based", "aLLM-based", False),
        # 1. other punctuation literal
        ("C++", "written in C++ for speed", True),
        ("C++", "written in C for speed", False),
        ("GPT-4o", "we test GPT-4o today", True),
        ("GPT-4o", "we test GPT-4 today", False),
        # 2. plurals
        ("LLM", "several LLMs", True),
        ("voice", "many voices", True),
        ("speech", "speeches", True),
        ("GPT-4", "GPT-4s", False),
        # 3. prefix
        ("token*", "tokenizer", True),
        ("token*", "tokens", True),
        ("token*", "token", True),
        ("token*", "detokenize", False),
        # 4. regex, case-insensitive
        ("/gpt-\\d/", "GPT-4 results", True),
        ("/^abc$/", "xabc", False),
        # 5. NFKC + casefold
        ("straße", "STRASSE", True),
        ("ﬁne-tuning", "fine-tuning", True),
        ("fine-tuning", "ﬁne-tuning", True),
    ],
)
def test_rules(term, text, expected):
    assert hits(term, text) is expected


def test_spans_point_into_the_original_text_even_when_folding_changes_length():
    text = "Die Straße und STRASSE, voices"
    spans = find_spans([compile_term("strasse"), compile_term("voice")], text)
    assert [text[a:b] for a, b in spans] == ["Straße", "STRASSE", "voices"]


def test_a_paper_matches_on_title_or_abstract_unless_excluded():
    matcher = Matcher(["speech synthesis", "voice"], ["singing"])
    result = matcher.match(paper("Fast Speech Synthesis", "Natural voices."))
    assert result is not None
    assert result.terms == ("speech synthesis", "voice")
    assert result.title_spans == ((5, 21),)
    assert result.abstract_spans == ((8, 14),)
    assert matcher.match(paper("Singing voice synthesis")) is None
    assert matcher.match(paper("Unrelated", "Nothing here.")) is None


@pytest.mark.parametrize("bad", ["/[unclosed/", "   ", "---"])
def test_unusable_terms_are_errors_that_name_the_term(bad):
    with pytest.raises(TermError) as caught:
        Matcher([bad])
    if bad.strip():
        assert bad.strip() in str(caught.value)


@given(st.lists(st.text(max_size=30), max_size=4), st.text(max_size=300))
def test_matcher_never_raises_anything_but_term_errors(terms, text):
    try:
        matcher = Matcher(terms)
    except TermError:
        return
    result = matcher.explain(paper(text, text))
    for start, end in result.title_spans:
        assert 0 <= start < end <= len(text)
