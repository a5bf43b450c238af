"""What the ranking model sees of a paper: hashed features, each with a name a person can read.

The words of the title and abstract (stopwords left out), the two-word phrases of the title (a
phrase never spans a stopword), the categories, the authors, and the keywords and followed
authors that matched it. Each feature is a bucket of a fixed-size table (the hashing trick): the
model's size does not grow with the vocabulary. A phrase's bucket is computed from its two
words' buckets, which a cache holds. CRC-32 names the buckets, not Python's hash(), which
changes from one process to the next.

Measured on the replay (benchmarks/ranking.py): phrases of the abstracts as well cost a third
more time and did not rank better; the title's phrases make the reasons readable.

Names are worked out again only for the paper whose reasons are shown (`names`).
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Iterable, Sequence

from arxiv_tui.core.matching.match import fold
from arxiv_tui.core.matching.relevance import STOPWORDS
from arxiv_tui.core.models import Paper

BITS = 20
SIZE = 1 << BITS
MASK = SIZE - 1
_PHRASE_MIX = 0x9E3779B1  # an odd constant with well-spread bits (Knuth's multiplicative hash)
_WORD = re.compile(r"[a-z][a-z0-9]+")  # one character class and a repeat: linear
_STOP = -1
_cache: dict[str, int] = {}
_CACHE_LIMIT = 400_000  # distinct words held (a year of arXiv has about 300,000)


def _bucket(name: str) -> int:
    return zlib.crc32(name.encode()) & MASK


def word_bucket(word: str) -> int:
    found = _cache.get(word)
    if found is None:
        if len(_cache) > _CACHE_LIMIT:
            _cache.clear()
        found = _STOP if len(word) < 3 or word in STOPWORDS else _bucket("w " + word)
        _cache[word] = found
    return found


def phrase_bucket(first: int, second: int) -> int:
    return ((first * _PHRASE_MIX) ^ second) & MASK


def category_bucket(category: str) -> int:
    return _bucket("c " + category)


def author_bucket(author: str) -> int:
    return _bucket("a " + fold(author))


def keyword_bucket(term: str) -> int:
    return _bucket("k " + fold(term))


def followed_bucket(author: str) -> int:
    return _bucket("f " + fold(author))


def _word_buckets(text: str) -> list[int]:
    return [word_bucket(word) for word in _WORD.findall(fold(text))]


def buckets(paper: Paper) -> frozenset[int]:
    """The paper's own features: the words of its title and abstract, the two-word phrases of
    its title, its categories and its authors."""
    title = _word_buckets(paper.title)
    found = {*title, *_word_buckets(paper.abstract)}
    found.update([phrase_bucket(a, b) for a, b in itertools.pairwise(title) if a >= 0 and b >= 0])
    found.discard(_STOP)
    found.update(category_bucket(category) for category in paper.categories)
    found.update(author_bucket(author) for author in paper.authors[:50])
    return frozenset(found)


def hit_buckets(keywords: Iterable[str], followed: Iterable[str]) -> frozenset[int]:
    """The features of what the user's keywords and followed authors matched in a paper."""
    return frozenset([*map(keyword_bucket, keywords), *map(followed_bucket, followed)])


def surname(author: str) -> str:
    return author.split()[-1] if author.split() else author


def names(paper: Paper, keywords: Sequence[str] = (), followed: Sequence[str] = ()) -> dict[int, str]:
    """The paper's buckets, each with what a person would call it ("speech synthesis", "cs.CL",
    "Harwath", "keyword diffusion"). Where two of its features share a bucket, the first named
    here (the keyword, the author, the phrase) keeps it."""
    named: dict[int, str] = {}
    for term in keywords:
        named.setdefault(keyword_bucket(term), f"keyword {term}")
    for author in followed:
        named.setdefault(followed_bucket(author), f"followed {surname(author)}")
    for author in paper.authors[:50]:
        named.setdefault(author_bucket(author), surname(author))
    for category in paper.categories:
        named.setdefault(category_bucket(category), category)
    title = _WORD.findall(fold(paper.title))
    for first, second in itertools.pairwise(title):
        a, b = word_bucket(first), word_bucket(second)
        if a >= 0 and b >= 0:
            named.setdefault(phrase_bucket(a, b), f"{first} {second}")
    for word in (*title, *_WORD.findall(fold(paper.abstract))):
        if (bucket := word_bucket(word)) >= 0:
            named.setdefault(bucket, word)
    return named
