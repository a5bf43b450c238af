"""The model kept in the library and taught by each decision: scores for a view, with reasons.

Decisions are logged by the marks that make them (library/marks.py: keep, skip, all read...),
in the same transaction. `learn_pending` teaches the model every decision logged since it last
learned, and saves the weights it changed and how far it got in one transaction, so a crash
loses nothing and nothing is learned twice. Decisions from another machine (`library import`)
are learned the same way. The model is read from the library the first time it is needed, in
a worker or the mark writer's thread, never before the first frame.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from arxiv_tui.core.library.library import Library
from arxiv_tui.core.library.marks import DECISIONS
from arxiv_tui.core.models import Paper
from arxiv_tui.core.ranking import features
from arxiv_tui.core.ranking.model import FOLLOWED_PRIOR, KEYWORD_PRIOR, Model, sigmoid

FEATURES_VERSION = "1"  # a change of features.py makes the weights meaningless: they start again
LEARN_BATCH = 500
REASONS_FOR, REASONS_AGAINST = 3, 2
REASON_FLOOR = 0.02  # a feature adding less than this to the margin is not a reason
_FEATURES_HELD = 20_000  # papers whose features are kept between rankings

Hits = tuple[Sequence[str], Sequence[str]]  # the keywords and the followed authors a paper matched
NO_HITS: Hits = ((), ())


def prior(hits: Hits) -> float:
    keywords, followed = hits
    return KEYWORD_PRIOR * len(keywords) + FOLLOWED_PRIOR * len(followed)


class Rank(NamedTuple):
    chance: float  # of a keep, as the model sees it
    decisions: int  # how many it has learned from
    reasons: tuple[tuple[str, float], ...] = ()  # (feature, what it adds), for first, then against

    def reason(self) -> str:
        """ "+ speech synthesis, + Harwath, − survey, − cs.CV" """
        said = ", ".join(f"{'+' if weight > 0 else '−'} {name}" for name, weight in self.reasons)
        if not self.decisions:
            return f"from your keywords and authors until you decide some papers{': ' + said if said else ''}"
        return said or "nothing it has learned weighs on this paper"


class Ranker:
    def __init__(self, library: Library, hits_of: Callable[[Paper], Hits]) -> None:
        self.library = library
        self.hits_of = hits_of  # for papers learned from: what the keywords match now
        self._model: Model | None = None
        self._loading = threading.Lock()
        self._learning = threading.Lock()
        self._features: dict[tuple[str, int], frozenset[int]] = {}

    @property
    def loaded(self) -> bool:
        return self._model is not None

    @property
    def model(self) -> Model:
        with self._loading:
            if self._model is None:
                self._model = self._load()
            return self._model

    def _load(self) -> Model:
        model = Model()
        with self.library.db.reading("read the ranking model from") as connection:
            meta = _meta(connection)
            if meta.get("ranker_features", FEATURES_VERSION) != FEATURES_VERSION:
                return model  # learned on other features: learn_pending starts it again
            rows = connection.execute("SELECT bucket, weight, squares FROM ranker")
            model.load(rows, float(meta.get("ranker_kept", 0.0)), float(meta.get("ranker_skipped", 0.0)))
        return model

    def features_of(self, paper: Paper) -> frozenset[int]:
        """The paper's own features, kept for the next ranking (a view is ranked again often)."""
        key = (paper.id, paper.version)
        found = self._features.get(key)
        if found is None:
            if len(self._features) > _FEATURES_HELD:
                self._features.clear()
            found = self._features[key] = features.buckets(paper)
        return found

    def _buckets(self, paper: Paper, hits: Hits) -> frozenset[int]:
        """Every feature the model sees of `paper`: its own, and what the user's terms matched."""
        own = self.features_of(paper)
        return own | features.hit_buckets(*hits) if hits[0] or hits[1] else own

    def learn_pending(self) -> int:
        """Learn every decision logged since the last time; how many were learned."""
        learned = 0
        with self._learning:
            model = self.model
            while done := self._learn_batch(model):
                learned += done
        return learned

    def _learn_batch(self, model: Model) -> int:
        library = self.library
        with library.db.reading("read decisions from") as connection:
            meta = _meta(connection)
            again = meta.get("ranker_features", FEATURES_VERSION) != FEATURES_VERSION
            after = 0 if again else int(meta.get("ranker_learned", 0))
            pending = connection.execute(
                "SELECT seq, paper_id, kind FROM decisions WHERE seq > ? ORDER BY seq LIMIT ?",
                (after, LEARN_BATCH),
            ).fetchall()
        if not pending:
            return 0
        papers = library.papers({paper_id for _, paper_id, _ in pending})
        for _, paper_id, kind in pending:
            paper, label = papers.get(paper_id), DECISIONS.get(kind)
            if paper is None or label is None:
                continue  # a paper the library no longer holds, or a kind this version does not know
            hits = self.hits_of(paper)
            keep, weight = label
            model.learn(self._buckets(paper, hits), prior(hits), keep, weight)
        rows = model.changed()
        with library.db.transaction("save the ranking model to") as connection:
            if again:
                connection.execute("DELETE FROM ranker")
            connection.executemany(
                "INSERT OR REPLACE INTO ranker (bucket, weight, squares) VALUES (?, ?, ?)", rows
            )
            connection.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                [
                    ("ranker_learned", str(pending[-1][0])),
                    ("ranker_features", FEATURES_VERSION),
                    ("ranker_kept", repr(model.kept)),
                    ("ranker_skipped", repr(model.skipped)),
                ],
            )
        return len(pending)

    def scores(self, papers: Sequence[Paper], hits: Mapping[str, Hits]) -> dict[str, float]:
        """Each paper's margin (higher: likelier kept), by id. Papers must be whole (abstracts)."""
        model = self.model
        found = {}
        for paper in papers:
            matched = hits.get(paper.id, NO_HITS)
            found[paper.id] = model.margin(self._buckets(paper, matched), prior(matched))
        return found

    def explain(self, paper: Paper, hits: Hits = NO_HITS) -> Rank:
        """The paper's chance of a keep and the features that weighed most for and against it."""
        model = self.model
        keywords, followed = hits
        buckets = self._buckets(paper, hits)
        weights = model.contributions(buckets)
        for bucket in map(features.keyword_bucket, keywords):
            weights[bucket] += KEYWORD_PRIOR
        for bucket in map(features.followed_bucket, followed):
            weights[bucket] += FOLLOWED_PRIOR
        names = features.names(paper, keywords, followed)
        ordered = sorted(((w, b) for b, w in weights.items() if b in names), reverse=True)
        for_ = [(names[b], w) for w, b in ordered[:REASONS_FOR] if w > REASON_FLOOR]
        against = [(names[b], w) for w, b in reversed(ordered[-REASONS_AGAINST:]) if w < -REASON_FLOOR]
        return Rank(
            sigmoid(model.margin(buckets, prior(hits))), round(model.decisions), tuple(for_ + against)
        )

    def forget(self) -> None:
        """Start again: no weights; the decisions stay, and only those made from now on are learned."""
        with self._learning, self.library.db.transaction("reset the ranking model in") as connection:
            newest = connection.execute("SELECT coalesce(max(seq), 0) FROM decisions").fetchone()[0]
            connection.execute("DELETE FROM ranker")
            connection.execute("DELETE FROM meta WHERE key LIKE 'ranker!_%' ESCAPE '!'")
            connection.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [("ranker_learned", str(newest)), ("ranker_features", FEATURES_VERSION)],
            )
        with self._loading:
            self._model = Model()


def _meta(connection: sqlite3.Connection) -> dict[str, str]:
    return dict(
        connection.execute("SELECT key, value FROM meta WHERE key LIKE 'ranker!_%' ESCAPE '!'").fetchall()
    )
