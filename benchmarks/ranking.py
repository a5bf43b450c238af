"""Ranking replayed: does the model learned from keep/skip decisions put the papers a researcher
keeps at the top, sooner and better than "For you", keyword order and chance?

    python benchmarks/ranking.py [--seeds 5] [--write]

The papers are real: every distinct paper of the bundled listing (1,504, all of arXiv on
28 Nov 2024) and of ../shared/fixtures when it is there (1,855 in all). A simulated researcher
has a hidden interest (topics with weights, a preferred category, topics disliked) that none of
the methods sees; they keep a paper with a probability that grows with it (85% for a strong
match, 30% for a weak one, 2% otherwise: noise both ways). Their configured keywords are a
coarse proxy of the interest, as real ones are.

Each seed splits the papers: a third are held out for testing, never decided. A simulated day
shows 60 papers of the rest, and the researcher decides all of them: each keep with `f`, skips
with `x`, and a third of the days the skips with `A` (all read, a weak skip). The decisions go
through the app's own library (marks with their logged decisions) and the app's own Ranker.

With 1,855 distinct real papers, a month (20 days) decides every training paper once. Beyond
it, days draw the same papers again: the figures at 3 months and a year say how learning
settles on one month of distinct papers, not what a year of new ones would teach.

At each checkpoint ten test days of 150 held-out papers are ranked by each method: precision at
10 and at 20 (of the papers ranked first, the share kept) and the share of the day's kept
papers in the top third. Four researchers, `--seeds` seeds each; the spread is the range over
seeds of the four researchers' mean.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from arxiv_tui.core.library.marks import ALL_READ, KEEP, SKIP  # noqa: E402
from arxiv_tui.core.library.opening import open_library  # noqa: E402
from arxiv_tui.core.matching.match import Matcher, fold  # noqa: E402
from arxiv_tui.core.matching.relevance import rank as for_you  # noqa: E402
from arxiv_tui.core.models import Paper  # noqa: E402
from arxiv_tui.core.ranking.ranker import Ranker  # noqa: E402
from arxiv_tui.core.sources.demo import demo_listing_bytes  # noqa: E402
from arxiv_tui.core.sources.parse import parse_feed  # noqa: E402

RESULTS = ROOT / "benchmarks" / "RESULTS.md"
START, END = "<!-- ranking: written by benchmarks/ranking.py --write -->", "<!-- /ranking -->"
FIXTURES = ROOT.parent / "shared" / "fixtures"
DAY = 60  # papers decided a day
TEST_DAY = 150  # papers of a test day (a day's Inbox is 30-170 papers)
TEST_DAYS = 10
CHECKPOINTS = {"no decisions": 0, "1 day": 1, "1 week": 5, "1 month": 20, "3 months": 60, "1 year": 250}
METHODS = ("learned", "for you", "keywords", "random")


@dataclass(frozen=True)
class Researcher:
    name: str
    keywords: tuple[str, ...]  # what they configured
    likes: dict[str, float]  # the hidden interest: a pattern of folded text -> weight
    category: str  # a category prefix they prefer (+1)
    dislikes: dict[str, float]

    def interest(self, paper: Paper) -> float:
        text = fold(f"{paper.title} {paper.abstract}")
        score = sum(weight for pattern, weight in self.likes.items() if re.search(pattern, text))
        score += sum(weight for pattern, weight in self.dislikes.items() if re.search(pattern, text))
        return score + (1.0 if any(c.startswith(self.category) for c in paper.categories) else 0.0)

    def keeps(self, paper: Paper, chance: random.Random) -> bool:
        score = self.interest(paper)
        return chance.random() < (0.85 if score >= 2.5 else 0.3 if score >= 1.5 else 0.02)


RESEARCHERS = (
    Researcher(
        "language models",
        ("large language model*", "LLM", "benchmark*"),
        {r"\blanguage models?\b": 2, r"\bllms?\b": 2, r"\breasoning\b": 1.5, r"\bagents?\b": 1.5,
         r"\binstruction": 1},
        "cs.CL",
        {r"\bsurvey\b": -3, r"\bmedical\b": -1.5, r"\bclinical\b": -1.5},
    ),
    Researcher(
        "quantum computing",
        ("quantum", "qubit*"),
        {r"\bqubits?\b": 2, r"\bquantum error\b": 2, r"\bquantum circuits?\b": 2, r"\bentangle": 1,
         r"\bquantum comput": 2},
        "quant-ph",
        {r"\bexperimental(ly)?\b": -1},
    ),
    Researcher(
        "galaxies",
        ("black hole", "galax*"),
        {r"\bgalax": 1.5, r"\bblack holes?\b": 2, r"\bstar formation\b": 2, r"\bsupernova": 2,
         r"\bcosmolog": 1.5},
        "astro-ph",
        {r"\bsimulations?\b": -1},
    ),
    Researcher(
        "generative vision",
        ("diffusion", "image*"),
        {r"\bdiffusion\b": 2, r"\bimages?\b": 1, r"\bvideos?\b": 1.5, r"\bgenerat": 1, r"\b3d\b": 1},
        "cs.CV",
        {r"\bmedical\b": -2, r"\bsegmentation\b": -1},
    ),
)  # fmt: skip


def real_papers() -> list[Paper]:
    found: dict[str, Paper] = {}
    sources = [demo_listing_bytes()] + [path.read_bytes() for path in sorted(FIXTURES.glob("*.xml"))]
    for data in sources:
        try:
            parsed = parse_feed(data)
        except Exception:  # an error feed among the fixtures
            continue
        for paper in parsed.papers:
            if paper.abstract and paper.id not in found:
                found[paper.id] = paper
    return list(found.values())


def precision(order: Sequence[str], kept: set[str], at: int) -> float:
    return sum(1 for paper_id in order[:at] if paper_id in kept) / at


def in_top_third(order: Sequence[str], kept: set[str]) -> float | None:
    if not kept:
        return None
    return sum(1 for paper_id in order[: len(order) // 3] if paper_id in kept) / len(kept)


@dataclass
class Replay:
    researcher: Researcher
    seed: int
    papers: list[Paper]

    def __post_init__(self) -> None:
        chance = random.Random(self.seed)
        shuffled = self.papers[:]
        chance.shuffle(shuffled)
        third = len(shuffled) // 3
        self.test, self.train = shuffled[:third], shuffled[third:]
        self.kept = {paper.id for paper in shuffled if self.researcher.keeps(paper, chance)}
        self.test_days = [chance.sample(self.test, TEST_DAY) for _ in range(TEST_DAYS)]
        self.chance = chance
        matcher = Matcher(list(self.researcher.keywords), [], [])
        self.hits = {paper.id: (matcher.matched_terms(paper), ()) for paper in shuffled}

    def days(self) -> Callable[[int], list[Paper]]:
        """Day n's papers: the training papers in order, each once; then drawn again."""
        order = self.train[:]

        def day(number: int) -> list[Paper]:
            start = (number * DAY) % len(order)
            return (order + order)[start : start + DAY]

        return day

    def rank(self, method: str, ranker: Ranker, stars: list[Paper], day: list[Paper]) -> list[str]:
        ids = [paper.id for paper in day]
        if method == "random":
            return self.chance.sample(ids, len(ids))
        if method == "keywords":
            tie = {paper_id: self.chance.random() for paper_id in ids}
            return sorted(ids, key=lambda i: (-len(self.hits[i][0]), tie[i]))
        if method == "for you":
            liked = for_you(day, stars, {i: len(self.hits[i][0]) for i in ids})
            return sorted(ids, key=lambda i: -liked[i].value)
        scores = ranker.scores(day, self.hits)
        return sorted(ids, key=lambda i: -scores[i])

    def run(self) -> tuple[dict[str, dict[str, tuple[float, float, float]]], list[float]]:
        """Per checkpoint and method: precision@10, @20, share in the top third; and the
        milliseconds each decision took to learn (batches of a day)."""
        folder = Path(tempfile.mkdtemp(prefix="arxiv-tui-ranking-"))
        library = open_library(folder / "library.sqlite3")
        library.store_papers(self.papers)
        ranker = Ranker(library, lambda paper: self.hits.get(paper.id, ((), ())))
        day_of = self.days()
        stars: dict[str, Paper] = {}
        found: dict[str, dict[str, tuple[float, float, float]]] = {}
        learning: list[float] = []
        decided = 0
        for label, days in CHECKPOINTS.items():
            while decided < days:
                papers = day_of(decided)
                keeps = [paper for paper in papers if paper.id in self.kept]
                skips = [paper.id for paper in papers if paper.id not in self.kept]
                started = time.perf_counter()
                library.star(keeps, decision=KEEP)
                library.marks.set_read(skips, decision=ALL_READ if decided % 3 == 2 else SKIP)
                ranker.learn_pending()
                learning.append((time.perf_counter() - started) * 1000 / len(papers))
                stars.update((paper.id, paper) for paper in keeps)
                decided += 1
            found[label] = {}
            for method in METHODS:
                figures = []
                for day in self.test_days:
                    kept = {paper.id for paper in day if paper.id in self.kept}
                    order = self.rank(method, ranker, list(stars.values()), day)
                    figures.append(
                        (precision(order, kept, 10), precision(order, kept, 20), in_top_third(order, kept))
                    )
                found[label][method] = (
                    statistics.mean(f[0] for f in figures),
                    statistics.mean(f[1] for f in figures),
                    statistics.mean(f[2] for f in figures if f[2] is not None),
                )
        library.close()
        return found, learning


def scoring_cost(papers: list[Paper]) -> tuple[float, float, float, float]:
    """Milliseconds to score the bundled day of 1,504 papers with a model learned from a month
    (features worked out, then held), the model's size in MB, and the milliseconds one decision
    takes to learn alone."""
    day = list(parse_feed(demo_listing_bytes()).papers)
    replay = Replay(RESEARCHERS[0], 0, papers)
    folder = Path(tempfile.mkdtemp(prefix="arxiv-tui-ranking-"))
    library = open_library(folder / "library.sqlite3")
    library.store_papers(papers)
    ranker = Ranker(library, lambda paper: ((), ()))
    day_of = replay.days()
    for number in range(20):
        todays = day_of(number)
        library.star([p for p in todays if p.id in replay.kept], decision=KEEP)
        library.marks.set_read([p.id for p in todays if p.id not in replay.kept], decision=SKIP)
    ranker.learn_pending()
    alone = []  # as in the reader: each key's decision learned by itself, with its transaction
    for paper in replay.test[:40]:
        library.marks.set_read([paper.id], decision=SKIP)
        started = time.perf_counter()
        ranker.learn_pending()
        alone.append((time.perf_counter() - started) * 1000)
    fresh = Ranker(library, lambda paper: ((), ()))
    fresh.model  # noqa: B018  # loaded, as a worker does before it scores
    started = time.perf_counter()
    fresh.scores(day, replay.hits)
    cold = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    fresh.scores(day, replay.hits)
    warm = (time.perf_counter() - started) * 1000
    model = fresh.model
    size = (len(model.weights) * model.weights.itemsize + len(model.squares) * model.squares.itemsize) / 1e6
    library.close()
    return cold, warm, size, statistics.median(alone)


def report(seeds: int) -> str:
    papers = real_papers()
    per_seed: dict[int, dict[str, dict[str, tuple[float, float, float]]]] = {}
    learning: list[float] = []
    for seed in range(seeds):
        runs = []
        for researcher in RESEARCHERS:
            found, spent = Replay(researcher, seed, papers).run()
            runs.append(found)
            learning += spent
            print(f"seed {seed}, {researcher.name}: 1 month p@20 "
                  + ", ".join(f"{m} {found['1 month'][m][1]:.2f}" for m in METHODS), flush=True)  # fmt: skip
        per_seed[seed] = {
            label: {
                method: tuple(statistics.mean(run[label][method][k] for run in runs) for k in range(3))  # type: ignore[misc]
                for method in METHODS
            }
            for label in CHECKPOINTS
        }
    cold, warm, size, alone = scoring_cost(papers)
    kept = statistics.mean(len(Replay(r, 0, papers).kept) / len(papers) for r in RESEARCHERS)
    lines = [
        START,
        f"Replayed on {len(papers):,} real papers, {len(RESEARCHERS)} researchers x {seeds} seeds "
        f"(a researcher keeps {kept:.0%} of papers on average); {DAY} papers decided a day, "
        f"{TEST_DAYS} held-out test days of {TEST_DAY} papers. Mean over seeds, and the range of the "
        "seeds' means.",
        "",
        "| after | method | precision@10 | precision@20 | kept papers in the top third |",
        "|---|---|---|---|---|",
    ]
    for label in CHECKPOINTS:
        for method in METHODS:
            cells = []
            for k in range(3):
                values = [per_seed[s][label][method][k] for s in per_seed]
                cells.append(f"{statistics.mean(values):.3f} ({min(values):.3f}-{max(values):.3f})")
            lines.append(f"| {label} | {method} | " + " | ".join(cells) + " |")
    margins = [per_seed[s]["1 month"]["learned"][1] - per_seed[s]["1 month"]["for you"][1] for s in per_seed]
    over_keywords = [
        per_seed[s]["1 month"]["learned"][1] - per_seed[s]["1 month"]["keywords"][1] for s in per_seed
    ]
    lines += [
        "",
        f"- After a month, precision@20, learned minus For you: {statistics.mean(margins):+.3f} "
        f"(seeds {min(margins):+.3f} to {max(margins):+.3f}); learned minus keyword order: "
        f"{statistics.mean(over_keywords):+.3f} ({min(over_keywords):+.3f} to {max(over_keywords):+.3f}).",
        f"- Learning, per decision, with the library writes: median {statistics.median(learning):.2f} ms, "
        f"p95 {sorted(learning)[int(len(learning) * 0.95)]:.2f} ms (a day of {DAY} learned at once); one "
        f"decision learned alone, as the reader does after each key: median {alone:.1f} ms.",
        f"- Scoring the bundled day of 1,504 papers: {cold:.0f} ms the first time (features worked out), "
        f"{warm:.0f} ms again; the model holds {size:.0f} MB in memory.",
        END,
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="put the figures in RESULTS.md")
    args = parser.parse_args()
    text = report(args.seeds)
    print(text)
    if args.write:
        results = RESULTS.read_text()
        if START in results:
            before, rest = results.split(START, 1)
            results = before + text + rest.split(END, 1)[1]
        else:
            results += "\n" + text + "\n"
        RESULTS.write_text(results)


if __name__ == "__main__":
    main()
