"""The model of the user: logistic regression over a paper's hashed features (features.py),
learned one decision at a time with AdaGrad's per-feature step sizes.

A keep is a 1, a skip a 0; each decision moves only the weights of the paper's own features,
so learning costs a fraction of a millisecond and never reads the rest of the library. Rare
features (an author, a phrase) learn fast, common ones settle. Before any decision the keywords
and followed authors a paper matched order it (the prior), and what is learned of each keyword
and author adds to that. Features are scaled by 1/sqrt(count): a long abstract does not outvote
a short one.

Chosen by measurement (benchmarks/ranking.py): against TF-IDF likeness to the stars, keyword
order and random, on a replayed year of a simulated researcher's decisions.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Collection, Iterable

from arxiv_tui.core.ranking.features import SIZE

RATE = 0.5  # AdaGrad's base step
START_SQUARES = 0.01  # what each feature's sum of squared gradients starts from: a step grows
# with its gradient (without it, AdaGrad's first step is the same for a full skip and a weak one)
KEYWORD_PRIOR = 1.0  # what a keyword hit adds to the margin before anything is learned
FOLLOWED_PRIOR = 2.0  # and a followed author
MARGIN_LIMIT = 30.0


def sigmoid(margin: float) -> float:
    margin = max(-MARGIN_LIMIT, min(MARGIN_LIMIT, margin))
    return 1.0 / (1.0 + math.exp(-margin))


def scale(count: int) -> float:
    return 1.0 / math.sqrt(count) if count else 0.0


class Model:
    """Weights and squared gradients per bucket, a bias, and which buckets changed since saved."""

    def __init__(self) -> None:
        self.weights = array("f", bytes(4 * SIZE))
        self.squares = array("f", bytes(4 * SIZE))
        self.kept = 0.0  # decisions learned so far, each counted by its weight
        self.skipped = 0.0
        self.touched: set[int] = set()

    @property
    def decisions(self) -> float:
        return self.kept + self.skipped

    @property
    def bias(self) -> float:
        """The odds of a keep before a paper's features say anything: from the counts, not
        learned, so the features learn how a paper differs from the usual, not how rare keeps are."""
        return math.log((self.kept + 1.0) / (self.skipped + 1.0))

    def load(self, rows: Iterable[tuple[int, float, float]], kept: float, skipped: float) -> None:
        weights, squares = self.weights, self.squares
        for bucket, weight, squared in rows:
            if 0 <= bucket < SIZE:
                weights[bucket] = weight
                squares[bucket] = squared
        self.kept, self.skipped = kept, skipped

    def margin(self, features: Collection[int], prior: float = 0.0) -> float:
        weights = self.weights
        return self.bias + prior + sum([weights[bucket] for bucket in features]) * scale(len(features))

    def learn(self, features: Collection[int], prior: float, kept: bool, weight: float = 1.0) -> None:
        """One decision: move the paper's features toward `kept` (weight: how much it says)."""
        gradient = (sigmoid(self.margin(features, prior)) - (1.0 if kept else 0.0)) * weight
        if gradient == 0.0:
            return
        step = gradient * scale(len(features))
        weights, squares, touched = self.weights, self.squares, self.touched
        squared_step = step * step
        for bucket in features:
            total = squares[bucket] + squared_step
            squares[bucket] = total
            weights[bucket] -= RATE * step / math.sqrt(START_SQUARES + total)
            touched.add(bucket)
        if kept:
            self.kept += weight
        else:
            self.skipped += weight

    def contributions(self, features: Collection[int]) -> dict[int, float]:
        """What each feature adds to the paper's margin (the prior not included)."""
        weights, each = self.weights, scale(len(features))
        return {bucket: weights[bucket] * each for bucket in features}

    def changed(self) -> list[tuple[int, float, float]]:
        """The buckets changed since the last call, to be saved."""
        rows = [(bucket, self.weights[bucket], self.squares[bucket]) for bucket in sorted(self.touched)]
        self.touched.clear()
        return rows
