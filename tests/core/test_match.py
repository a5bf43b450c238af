"""The keyword rules of the core issue, each pinned."""

from __future__ import annotations

import re
import subprocess
import sys

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


def test_a_regex_only_the_regex_package_knows_is_a_valid_keyword():
    assert hits(r"/\p{Greek}+-net/", "the λ-net") is True
    assert hits(r"/(?:speach){e<=1}/", "speech coding") is True  # fuzzy: one error allowed


CHILD = r"""
import sys
from arxiv_tui.core.matching.match import Matcher
from arxiv_tui.core.models import Paper

matcher = Matcher([r"/reinforcement\s+learning/", "speech"])
shown = matcher.explain(Paper("1", 1, "Speech", (), "Fast speech.", (), "new"), ("speech",))
print(shown.abstract_spans, "regex" in sys.modules)
learning = Paper("2", 1, "Reinforcement Learning", (), "", (), "new")
stored = matcher.explain(learning, (matcher.include[0].text,))
print(stored.title_spans, "regex" in sys.modules)  # a hit kept from an earlier matching
hit = matcher.matched_terms(Paper("3", 1, "Reinforcement  Learning", (), "", (), "new"))
print(*hit, "regex" in sys.modules)
print(stored.title_spans)
"""


def test_a_regex_keyword_is_checked_at_once_and_loads_its_engine_only_when_it_runs():
    """Reading the keywords and showing a paper must not pay for importing `regex` (7 ms of every
    start): a /regex/'s hits are highlighted once `regex` is loaded, which running it does (and
    the reader does after its first frame)."""
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == [
        "((5, 11),) False",
        "() False",
        r"/reinforcement\s+learning/ True",
        "((0, 22),)",
    ]


@given(st.lists(st.text(max_size=30), max_size=4), st.text(max_size=300))
def test_matcher_never_raises_anything_but_term_errors(terms, text):
    try:
        matcher = Matcher(terms)
    except TermError:
        return
    result = matcher.explain(paper(text, text))
    for start, end in result.title_spans:
        assert 0 <= start < end <= len(text)


# --- many keywords ----------------------------------------------------------------------------------


def many_keywords(papers, count: int, seed: int = 7) -> list[str]:
    """Keywords as a user with many would write them: words and pairs of the listing's titles,
    prefixes, plurals, punctuation, regexes, and words no paper has."""
    import random

    rng = random.Random(seed)
    words = sorted({w.strip(".,:;()?!").lower() for p in papers for w in p.title.split()})
    words = [word for word in words if re.fullmatch(r"[^\W\d][\w\-]*", word)]
    made: set[str] = set()
    while len(made) < count:
        kind = rng.random()
        word = rng.choice(words)
        if kind < 0.4:
            made.add(word)
        elif kind < 0.65:
            made.add(f"{word} {rng.choice(words)}")
        elif kind < 0.75:
            made.add(word[: max(2, len(word) // 2)] + "*")
        elif kind < 0.8:
            made.add(f"{rng.choice(words)}-{word}s")
        elif kind < 0.82:
            made.add(f"/{re.escape(word[:3])}[a-z]+/")
        else:
            made.add("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(7)))
    return sorted(made)


def test_many_keywords_match_exactly_what_each_keyword_alone_matches():
    from arxiv_tui.core.matching.match import searchable
    from arxiv_tui.core.sources.demo import demo_papers

    papers = demo_papers()[:300]
    keywords = many_keywords(papers, 1_500)
    matcher = Matcher(keywords, keywords[::50])
    for paper in papers:
        text = searchable(paper.title, paper.abstract)
        alone = tuple(term.text for term in matcher.include if term.hits(text, timeout=1.0))
        assert matcher.matched_terms(paper) == alone, paper.id
        assert matcher.excluded(paper) == any(term.hits(text, timeout=1.0) for term in matcher.exclude)


def test_10_000_keywords_over_a_day_run_a_pattern_only_where_the_words_are(monkeypatch):
    from arxiv_tui.core.matching import match
    from arxiv_tui.core.sources.demo import demo_papers

    papers = demo_papers()
    keywords = many_keywords(papers, 10_000)
    runs = 0
    decide = match.Term.hits

    def counted(self, folded, timeout=None):
        nonlocal runs
        runs += not self.user_regex  # a /regex/ runs on every paper: it has no words to go by
        return decide(self, folded, timeout)

    monkeypatch.setattr(match.Term, "hits", counted)
    matcher = Matcher(keywords)
    matched = [paper for paper in papers if matcher.matched_terms(paper)]
    assert len(papers) == 1504 and matched
    # One pass per keyword would run 15 million patterns; the words pick under 1% of them.
    assert runs < len(keywords) * len(papers) // 100
