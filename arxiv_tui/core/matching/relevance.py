""" "For you": how close each paper is to the papers the user starred.

TF-IDF vectors over title and abstract, cosine similarity to each starred paper, as arxiv-sanity
made popular. A paper's score is its best similarity to any star (interests are many, an average
of them is none), plus a little per keyword hit; the most similar star is the reason shown
("like: <title>"). With no stars, the keyword hits alone order the papers.

A paper's salient words are weighed the same way here and in "more like this" (`heaviest`):
(1 + log of the word's count in the paper) times the word's rarity. Only where the rarity comes
from differs: "more like this" asks the library's FTS5 index for its 30 candidate words; here every
word of 1,500 papers and the stars needs one, which would take the index 10 s on a year's library,
so the day's papers and the stars are the corpus.

Pure Python and sparse: each paper keeps only its TOP_TERMS heaviest words, and stars are found
through an inverted index, so 1,500 papers against 2,000 stars take well under a second in a worker.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from arxiv_tui.core.matching.match import fold
from arxiv_tui.core.models import Paper

TOP_TERMS = 40
SHARED = 3  # the words named in the reason
KEYWORD_WEIGHT = 0.05  # a keyword hit counts like 0.05 of cosine similarity
_WORD = re.compile(r"[a-z][a-z0-9\-]{2,}")
_STOPWORDS_TEXT = """
about above after again against also among and any are aren because been before being below
between both but can cannot could did does doing down during each few for from further had has
have having her here hers him his how however into its itself just more most much must new not
now off once only other our ours out over own same she should show shows shown some such than
that the their theirs them then there these they this those through thus too under until upon
very via was were what when where which while who whom why will with within without would you
your yours paper propose proposed approach method methods results result using used use based
study work present novel also well two one three first second existing furthermore moreover
model models data
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


def words(paper: Paper) -> list[str]:
    text = fold(f"{paper.title} {paper.title} {paper.abstract}")  # the title counts twice
    return [word.strip("-") for word in _WORD.findall(text) if word not in STOPWORDS]


def heaviest(counts: Counter[str], rarity: Callable[[str], float], count: int) -> list[tuple[str, float]]:
    """The `count` words of a paper that say most about it, with their weights, heaviest first."""
    weights = [(word, (1 + math.log(times)) * rarity(word)) for word, times in counts.items()]
    weights.sort(key=lambda item: item[1], reverse=True)
    return [(word, weight) for word, weight in weights[:count] if weight > 0]


@dataclass(frozen=True, slots=True)
class Score:
    value: float
    like: Paper | None = None  # the most similar starred paper
    similarity: float = 0.0
    keyword_part: float = 0.0  # what the keyword hits added
    shared: tuple[str, ...] = ()  # the words that weighed most in the likeness, heaviest first

    def reason(self) -> str:
        """Why the paper is where it is, in words: whichever part weighed more, said first."""
        hits = round(self.keyword_part / KEYWORD_WEIGHT)
        keywords = f"{hits} keyword hit{'s' if hits != 1 else ''}"
        if self.like is not None and self.similarity >= self.keyword_part:
            words = f": {', '.join(self.shared)}" if self.shared else ""
            return f"like your star {self.like.title!r} (similarity {self.similarity:.2f}{words})" + (
                f", and {keywords}" if hits else ""
            )
        if hits:
            weak = f"; a little like your star {self.like.title!r}" if self.like is not None else ""
            return f"{keywords} decided{weak}"
        return "nothing like your stars, and no keyword hit"


class Relevance:
    """Document frequencies from a corpus (today's papers and the stars), and star vectors."""

    def __init__(self, corpus: Iterable[Paper], stars: Sequence[Paper]) -> None:
        counted = [Counter(words(paper)) for paper in corpus]
        star_counts = [Counter(words(paper)) for paper in stars]
        frequency: Counter[str] = Counter()
        for counts in (*counted, *star_counts):
            frequency.update(counts.keys())
        self._documents = max(len(counted) + len(star_counts), 1)
        self._frequency = frequency
        self.stars = list(stars)
        self._star_vectors = [self._vector(counts) for counts in star_counts]
        self._star_index: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for number, vector in enumerate(self._star_vectors):
            for word, weight in vector.items():
                self._star_index[word].append((number, weight))

    def _rarity(self, word: str) -> float:
        return math.log((1 + self._documents) / (1 + self._frequency.get(word, 0)))

    def _vector(self, counts: Counter[str]) -> dict[str, float]:
        """The TOP_TERMS heaviest tf-idf weights, normalised to length 1."""
        top = heaviest(counts, self._rarity, TOP_TERMS)
        norm = math.sqrt(sum(weight * weight for _, weight in top)) or 1.0
        return {word: weight / norm for word, weight in top}

    def score(self, paper: Paper, keyword_hits: int = 0) -> Score:
        base = KEYWORD_WEIGHT * keyword_hits
        if not self.stars:
            return Score(base, keyword_part=base)
        totals: dict[int, float] = defaultdict(float)
        vector = self._vector(Counter(words(paper)))
        for word, weight in vector.items():
            for number, star_weight in self._star_index.get(word, ()):
                totals[number] += weight * star_weight
        best = max(
            (
                (similarity, number)
                for number, similarity in totals.items()
                if self.stars[number].id != paper.id
            ),
            default=(0.0, -1),
        )
        similarity, number = best
        if number < 0 or similarity <= 0:
            return Score(base + similarity, None, similarity, base)
        star = self._star_vectors[number]
        shared = sorted(
            (word for word in vector if word in star), key=lambda w: vector[w] * star[w], reverse=True
        )
        return Score(base + similarity, self.stars[number], similarity, base, tuple(shared[:SHARED]))


def rank(papers: Sequence[Paper], stars: Sequence[Paper], hits: dict[str, int]) -> dict[str, Score]:
    """A score for each paper (by id), from its likeness to `stars` and its keyword hits."""
    relevance = Relevance(papers, stars)
    return {paper.id: relevance.score(paper, hits.get(paper.id, 0)) for paper in papers}
